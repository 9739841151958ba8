//! Live links read back: a link in a live body whose URL is a live article's (the same help
//! center's `…/<locale>/articles/<id>[-slug]`, matched by the id, so an old slug or another
//! locale still maps) is replaced by a path, for comparing and for export.

use std::collections::HashMap;

use crate::config::help_center::links::md_links;
use crate::model::{Article, is_supported_locale};

/// The id and the anchor of a link to a live article: a URL `…/articles/<id>[-slug]` whose
/// part before the id is the article's own URL's (so an old slug still maps).
fn live_target<'u, 'l>(
    url: &'u str,
    live_by_id: &HashMap<&str, &'l Article>,
) -> Option<(&'l Article, Option<&'u str>)> {
    let (rest, anchor) = match url.split_once('#') {
        Some((r, a)) => (r, Some(a)),
        None => (url, None),
    };
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    let at = rest.rfind("/articles/")? + "/articles/".len();
    let tail = &rest[at..];
    let digits = tail.chars().take_while(char::is_ascii_digit).count();
    let after = &tail[digits..];
    if digits == 0 || !(after.is_empty() || after.starts_with('-')) || after.contains('/') {
        return None;
    }
    let article = *live_by_id.get(&tail[..digits])?;
    let own = article.url.as_deref()?;
    let own_prefix = &own[..own.rfind("/articles/")?];
    let prefix = &rest[..at - "/articles/".len()];
    if own_prefix.eq_ignore_ascii_case(prefix) {
        return Some((article, anchor));
    }
    // The same help center in another locale (`…/fr/articles/…`).
    let (own_base, _) = own_prefix.rsplit_once('/')?;
    let (base, locale) = prefix.rsplit_once('/')?;
    (own_base.eq_ignore_ascii_case(base) && is_supported_locale(locale))
        .then_some((article, anchor))
}

/// The locale of a help center URL `…/<locale>/articles/…`, when it has one.
pub(super) fn url_locale(url: &str) -> Option<&str> {
    let before = &url[..url.rfind("/articles/")?];
    let (_, locale) = before.rsplit_once('/')?;
    is_supported_locale(locale).then_some(locale)
}

/// `md` with each link to a live article that `path(destination, id, anchor)` places replaced
/// by that path.
pub(super) fn map_back(
    md: &str,
    live_by_id: &HashMap<&str, &Article>,
    path: impl Fn(&str, &str, Option<&str>) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(md.len());
    let mut from = 0;
    for l in md_links(md) {
        let Some((article, anchor)) = live_target(l.dest, live_by_id) else {
            continue;
        };
        let Some(p) = path(l.dest, &article.id, anchor) else {
            continue;
        };
        out.push_str(&md[from..l.start]);
        out.push_str(&p);
        from = l.end();
    }
    out.push_str(&md[from..]);
    out
}

/// The live articles by id.
pub(super) fn by_id(live: &[Article]) -> HashMap<&str, &Article> {
    live.iter().map(|a| (a.id.as_str(), a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_anchor(mut url: String, anchor: Option<&str>) -> String {
        if let Some(a) = anchor {
            url.push('#');
            url.push_str(a);
        }
        url
    }

    fn article(id: &str, title: &str) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            description: None,
            body: String::new(),
            body_markdown: None,
            author_id: "1".into(),
            state: None,
            parent_id: None,
            collection: None,
            key: title.into(),
            default_locale: None,
            translations: Default::default(),
            url: Some(format!(
                "https://intercom.help/acme/en/articles/{id}-{}",
                title.to_lowercase()
            )),
        }
    }

    #[test]
    fn live_links_map_back_by_id_whatever_the_slug() {
        let live = [article("7", "plans")];
        let ids = by_id(&live);
        let md = "[a](https://intercom.help/acme/en/articles/7-old-slug#fees) \
                  [b](https://intercom.help/other/en/articles/7-plans) \
                  [c](https://intercom.help/acme/en/articles/8-x) \
                  [d](https://example.com/articles/7) \
                  [e](https://intercom.help/acme/fr/articles/7-forfaits)\n";
        let mapped = map_back(md, &ids, |_, id, anchor| {
            Some(with_anchor(format!("{id}.md"), anchor))
        });
        assert_eq!(
            mapped,
            "[a](7.md#fees) [b](https://intercom.help/other/en/articles/7-plans) \
             [c](https://intercom.help/acme/en/articles/8-x) [d](https://example.com/articles/7) \
             [e](7.md)\n"
        );
        assert_eq!(
            url_locale("https://intercom.help/acme/fr/articles/7-x"),
            Some("fr")
        );
        assert_eq!(url_locale("https://help.acme.test/articles/7-x"), None);
    }
}
