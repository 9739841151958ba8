//! Links between articles in plans and exports. A relative link to an article's file is sent
//! as the target's Intercom URL (its `url`: `…/en/articles/<id>-<slug of the title>`, the
//! anchor kept), and a live link whose URL is a live article's (matched by the id in the URL,
//! so an old slug still maps) reads back as the relative path from the linking file to the
//! target's file: that is how bodies compare, and how export writes them. Links to articles
//! outside the configuration stay absolute.
//!
//! A target that the plan creates or renames gets its (new) URL only from that write: the
//! linking article then gets an `Op::LinkArticle` that waits for it (`OpRef`), in its own
//! change, or in the change that creates it (after its create), and the plan shows a `link`
//! field for each such target.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::KIND;
use crate::config::Diagnostic;
use crate::config::help_center::ArticleSource;
use crate::config::help_center::links::{
    article_path, md_links, normalize, position, relative, resolve,
};
use crate::kinds::PlanCtx;
use crate::kinds::engine::field;
use crate::model::change::{FieldChange, Op};
use crate::model::{Address, Article, ArticleLinks, ArticleRef, OpRef, PendingLink};

/// What the plan does to a declared article that links may point at.
struct Target<'l> {
    /// Its address's key.
    key: String,
    /// The live article it is, if any.
    live: Option<&'l Article>,
    /// Whether this plan gives it a new title (so a new URL).
    renamed: bool,
    /// Whether this plan creates it.
    created: bool,
}

/// How a link's destination is sent.
#[derive(Debug, Clone, PartialEq)]
enum Send {
    /// The target's live URL.
    Url(String),
    /// Known only once the write of this plan that creates or renames the target is done (an
    /// error when the plan does not write it).
    Pending(PathBuf),
    /// As written (the target has no URL in Intercom, or is not planned).
    AsWritten,
}

/// One link of a desired body to an article file.
struct Out {
    start: usize,
    len: usize,
    anchor: Option<String>,
    file: PathBuf,
    send: Send,
}

/// A linking article whose body waits for writes of this plan.
struct Request {
    address: Address,
    article: ArticleRef,
    /// Where its link operation goes: a change index (`None`: a change of its own).
    change: Option<usize>,
    /// The live article, for a change of its own.
    live: Option<Article>,
    body: String,
    outs: Vec<Out>,
    /// The fields its own change shows besides the links.
    fields: Vec<FieldChange>,
}

/// The link context of one plan of the articles kind.
pub(super) struct Links<'l> {
    targets: HashMap<PathBuf, Target<'l>>,
    /// The declared file that claims each live article.
    claimed: HashMap<&'l str, PathBuf>,
    live_by_id: HashMap<&'l str, &'l Article>,
    /// The write that creates or renames each target.
    primary: HashMap<PathBuf, OpRef>,
    requests: Vec<Request>,
}

fn file_of(a: &ArticleSource) -> PathBuf {
    normalize(Path::new(&a.spot.file))
}

impl<'l> Links<'l> {
    /// `fates`: each declared article with the live article it is (and whether it is renamed),
    /// or `None` when the plan creates it; `declared`: every declared article (those `--only`
    /// leaves out are found by key).
    pub(super) fn new<'d>(
        fates: impl IntoIterator<Item = (&'d ArticleSource, Option<(&'l Article, bool)>)>,
        declared: &'d [ArticleSource],
        live: &'l [Article],
    ) -> Self {
        let live_by_id: HashMap<&str, &Article> = live.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut targets = HashMap::new();
        for (a, fate) in fates {
            targets.insert(
                file_of(a),
                Target {
                    key: a.key.clone(),
                    live: fate.map(|f| f.0),
                    renamed: fate.is_some_and(|f| f.1),
                    created: fate.is_none(),
                },
            );
        }
        let by_key: HashMap<&str, &Article> = live.iter().map(|l| (l.key.as_str(), l)).collect();
        for a in declared {
            // Left out of this plan: it stays as it is in Intercom.
            targets.entry(file_of(a)).or_insert_with(|| Target {
                key: a.key.clone(),
                live: std::iter::once(&a.key)
                    .chain(&a.renamed_key)
                    .find_map(|k| by_key.get(k.as_str()).copied()),
                renamed: false,
                created: false,
            });
        }
        let claimed = targets
            .iter()
            .filter_map(|(f, t)| t.live.map(|l| (l.id.as_str(), f.clone())))
            .collect();
        Links {
            targets,
            claimed,
            live_by_id,
            primary: HashMap::new(),
            requests: Vec::new(),
        }
    }

    /// The live body as compared with `want` (the desired body of `a`): links to the live
    /// articles of declared files become relative paths, spelled as `want` spells them.
    pub(super) fn compared_live(&self, a: &ArticleSource, want: &str, live_md: &str) -> String {
        let from = file_of(a);
        let spelled: Vec<(PathBuf, Option<&str>, &str)> = md_links(want)
            .into_iter()
            .filter_map(|l| {
                let (path, anchor) = article_path(l.dest)?;
                Some((resolve(&a.spot.file, &path), anchor, l.dest))
            })
            .collect();
        let absolute: Vec<&str> = md_links(want).into_iter().map(|l| l.dest).collect();
        map_back(live_md, &self.live_by_id, |dest, id, anchor| {
            // A URL written as such in the file is compared as such.
            if absolute.contains(&dest) {
                return None;
            }
            let file = self.claimed.get(id)?;
            let written = spelled
                .iter()
                .find(|(f, a, _)| f == file && *a == anchor)
                .map(|(_, _, d)| d.to_string());
            Some(written.unwrap_or_else(|| with_anchor(relative(&from, file), anchor)))
        })
    }

    /// The links of `want` (the desired body of `a`) to article files, and how each is sent.
    fn outgoing(&self, a: &ArticleSource, want: &str) -> Vec<Out> {
        md_links(want)
            .into_iter()
            .filter_map(|l| {
                let (path, anchor) = article_path(l.dest)?;
                let file = resolve(&a.spot.file, &path);
                let send = match self.targets.get(&file) {
                    // Written by this plan, or not at all (then an error when it is planned).
                    Some(t) if t.created || t.renamed || t.live.is_none() => {
                        Send::Pending(file.clone())
                    }
                    Some(Target {
                        live: Some(live), ..
                    }) => live.url.clone().map_or(Send::AsWritten, Send::Url),
                    _ => Send::AsWritten,
                };
                Some(Out {
                    start: l.start,
                    len: l.dest.len(),
                    anchor: anchor.map(str::to_string),
                    file,
                    send,
                })
            })
            .collect()
    }

    /// The body to send for `want` when no link is pending, else `None`. `placeholder`: what
    /// pending links become instead (`None`: they stay and the body waits).
    fn sent<'o>(
        want: &str,
        outs: &'o [Out],
        placeholder: Option<&str>,
    ) -> (String, Vec<(usize, usize, &'o Out)>) {
        let mut body = String::with_capacity(want.len());
        let mut pending = Vec::new();
        let mut from = 0;
        for o in outs {
            body.push_str(&want[from..o.start]);
            let written = &want[o.start..o.start + o.len];
            match (&o.send, placeholder) {
                (Send::Url(url), _) => {
                    body.push_str(&with_anchor(url.clone(), o.anchor.as_deref()));
                }
                (Send::Pending(_), Some(p)) => body.push_str(p),
                (Send::Pending(_), None) => {
                    pending.push((body.len(), written.len(), o));
                    body.push_str(written);
                }
                (Send::AsWritten, _) => body.push_str(written),
            }
            from = o.start + o.len;
        }
        body.push_str(&want[from..]);
        (body, pending)
    }

    /// The body a new article is created with: links to existing articles resolved, links to
    /// articles this plan writes pointing nowhere (`#`) until its link operation runs; and
    /// whether it has such links.
    pub(super) fn create_body(&self, a: &ArticleSource, want: &str) -> (String, bool) {
        let outs = self.outgoing(a, want);
        let pending = outs.iter().any(|o| matches!(o.send, Send::Pending(_)));
        (Self::sent(want, &outs, Some("#")).0, pending)
    }

    /// The body an existing article is updated with when its text changes, or `None` when it
    /// links to articles this plan writes (its link operation sends it then).
    pub(super) fn update_body(&self, a: &ArticleSource, want: &str) -> Option<String> {
        let outs = self.outgoing(a, want);
        if outs.iter().any(|o| matches!(o.send, Send::Pending(_))) {
            return None;
        }
        Some(Self::sent(want, &outs, None).0)
    }

    /// Whether `want` links to an article this plan renames (the live link then follows its
    /// new title).
    pub(super) fn follows_rename(&self, a: &ArticleSource, want: &str) -> bool {
        self.outgoing(a, want).iter().any(|o| {
            matches!(&o.send, Send::Pending(f) if self.targets.get(f).is_some_and(|t| t.renamed))
        })
    }

    /// Records the write that creates or renames `a` (what its linking articles wait for).
    pub(super) fn primary(&mut self, a: &ArticleSource, at: OpRef) {
        self.primary.insert(file_of(a), at);
    }

    /// Asks for the link operation of `a` (see [`Links::finish`]): into change `change`, or a
    /// change of its own (an update of `live`, showing `fields` too).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn request(
        &mut self,
        a: &ArticleSource,
        address: Address,
        article: ArticleRef,
        change: Option<usize>,
        live: Option<&Article>,
        want: &str,
        fields: Vec<FieldChange>,
    ) {
        let outs = self.outgoing(a, want);
        self.requests.push(Request {
            address,
            article,
            change,
            live: live.cloned(),
            body: want.to_string(),
            outs,
            fields,
        });
    }

    /// Adds the link operations asked for, each waiting for the writes of its targets, with a
    /// `link` field per such target (and a note for renamed ones).
    pub(super) fn finish(self, ctx: &mut PlanCtx<'_>, declared: &[ArticleSource]) {
        for r in &self.requests {
            let (body, pending) = Self::sent(&r.body, &r.outs, None);
            let mut links = Vec::new();
            let mut fields: Vec<FieldChange> = r.fields.clone();
            let mut missing = None;
            for (at, len, o) in pending {
                let Send::Pending(ref file) = o.send else {
                    continue;
                };
                let (Some(t), Some(after)) = (self.targets.get(file), self.primary.get(file))
                else {
                    missing = Some(o);
                    continue;
                };
                links.push(PendingLink {
                    at,
                    len,
                    anchor: o.anchor.clone(),
                    id: t.live.filter(|_| !t.created).map(|l| l.id.clone()),
                    after: after.clone(),
                });
                // A new article's links are all new; an existing one's follow a renamed target.
                let follows = t.renamed && matches!(r.article, ArticleRef::Id(_));
                let old = t.live.filter(|_| follows).map(|l| json!(l.key));
                let f = field("link", old, Some(json!(t.key)));
                if !fields.contains(&f) {
                    if follows {
                        let target = Address::new(KIND, &t.key);
                        ctx.note(
                            r.address.clone(),
                            &format!("link to {target} follows its new title"),
                        );
                    }
                    fields.push(f);
                }
            }
            if let Some(o) = missing {
                if let Some(a) = declared
                    .iter()
                    .find(|a| Address::new(KIND, &a.key) == r.address)
                {
                    ctx.errors.push(unplanned(a, &r.body, o, &self));
                }
                continue;
            }
            let op = Op::LinkArticle(ArticleLinks {
                article: r.article.clone(),
                body_markdown: body,
                links,
            });
            match (r.change, &r.live) {
                (Some(c), _) => {
                    if let Some(ch) = ctx.plan.changes.get_mut(c) {
                        ch.ops.push(op);
                        ch.fields.extend(fields);
                    }
                }
                (None, Some(live)) => {
                    ctx.modify(r.address.clone(), live, false, fields, vec![op]);
                }
                (None, None) => {}
            }
        }
    }
}

/// A link whose target this plan neither finds in Intercom nor writes.
fn unplanned(a: &ArticleSource, body: &str, o: &Out, links: &Links<'_>) -> Diagnostic {
    let key = links
        .targets
        .get(&o.file)
        .map_or_else(|| o.file.display().to_string(), |t| t.key.clone());
    Diagnostic::error(
        &a.spot.file,
        Some(position(body, o.start, a.body_line())),
        format!(
            "the link's target {} is not in Intercom and this plan does not write it",
            Address::new(KIND, &key)
        ),
    )
    .with_help("plan the target article too (`--only` leaves it out)")
}

fn with_anchor(mut url: String, anchor: Option<&str>) -> String {
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}

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
    let own_prefix = &own[..own.rfind("/articles/")? + "/articles/".len()];
    own_prefix
        .eq_ignore_ascii_case(&rest[..at])
        .then_some((article, anchor))
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
                  [d](https://example.com/articles/7)\n";
        let mapped = map_back(md, &ids, |_, id, anchor| {
            Some(with_anchor(format!("{id}.md"), anchor))
        });
        assert_eq!(
            mapped,
            "[a](7.md#fees) [b](https://intercom.help/other/en/articles/7-plans) \
             [c](https://intercom.help/acme/en/articles/8-x) [d](https://example.com/articles/7)\n"
        );
    }
}
