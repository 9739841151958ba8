//! Semantic checks shared by the kinds: located duplicate and `renamed_from` errors, the
//! name rules, list options, and the warning for names that look like sensitive data. Each
//! kind's own checks are in its module (`KindSpec::check`).

use std::collections::HashMap;

use super::engine::fold;
use crate::config::{Desired, Diagnostic, Origin};
use crate::model::Kind;

/// One declaration as the name checks see it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its `renamed_from`, if any.
    pub renamed_from: Option<&'a str>,
    /// Where it was declared.
    pub origin: &'a Origin,
}

/// The `ignore:` pattern of `kind` that matches `name`, if any (case-insensitive globs).
pub fn ignored_by<'d>(
    d: &'d Desired,
    kind: crate::model::Kind,
    name: &str,
) -> Option<&'d crate::config::Located<(crate::model::Kind, String)>> {
    d.ignore.iter().filter(|ig| ig.value.0 == kind).find(|ig| {
        globset::GlobBuilder::new(&ig.value.1)
            .case_insensitive(true)
            .build()
            .is_ok_and(|g| g.compile_matcher().is_match(name))
    })
}

/// `file:line:col` of a value (or of `sub` inside it), for messages naming a second place.
pub fn at(d: &Desired, origin: &Origin, sub: &str) -> String {
    let (file, pos) = d.locate(origin, sub);
    match pos {
        Some(p) => format!("{file}:{}:{}", p.line, p.col),
        None => file,
    }
}

/// Reports every item whose key was already used, naming the first place.
pub fn duplicates<'a>(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    kind: Kind,
    items: impl IntoIterator<Item = (&'a str, &'a Origin)>,
) {
    let ci = kind.case_insensitive_names() || kind == Kind::Events;
    let what = kind.singular().replace('_', " ");
    let mut seen: HashMap<String, &Origin> = HashMap::new();
    for (name, origin) in items {
        match seen.get(&fold(name, ci)) {
            Some(first) => {
                let note = if ci {
                    " (names are case-insensitive)"
                } else {
                    ""
                };
                out.push(
                    d.error_at(
                        origin,
                        "/name",
                        format!(
                            "duplicate {what} `{name}`: also declared at {}",
                            at(d, first, "/name")
                        ),
                    )
                    .with_help(format!("declare each {what} once{note}")),
                );
            }
            None => {
                seen.insert(fold(name, ci), origin);
            }
        }
    }
}

/// Name rules shared by named kinds: not empty, no surrounding spaces (unless
/// `allow_spaces`), no duplicates, and `renamed_from` that neither names itself, collides with
/// a declared name nor renames one object twice.
pub fn named(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    kind: Kind,
    entries: &[Entry<'_>],
    allow_spaces: bool,
) {
    let ci = kind.case_insensitive_names();
    let what = kind.singular().replace('_', " ");
    for e in entries {
        let (name, origin) = (e.name, e.origin);
        if name.trim().is_empty() {
            out.push(d.error_at(origin, "/name", format!("a {what} name must not be empty")));
        } else if name.trim() != name && !allow_spaces {
            out.push(
                d.error_at(
                    origin,
                    "/name",
                    format!("a {what} name must not start or end with spaces"),
                )
                .with_help("Intercom trims names, so this one would never match"),
            );
        }
    }
    duplicates(d, out, kind, entries.iter().map(|e| (e.name, e.origin)));
    let mut by_name: HashMap<String, &Origin> = HashMap::with_capacity(entries.len());
    for e in entries {
        by_name.entry(fold(e.name, ci)).or_insert(e.origin);
    }
    let mut renames: HashMap<String, &Origin> = HashMap::new();
    for e in entries {
        let (name, origin) = (e.name, e.origin);
        let Some(old) = e.renamed_from else { continue };
        if fold(old, ci) == fold(name, ci) && old != name {
            // A tag whose case changes: a rename by id, which is fine.
            continue;
        }
        if old == name {
            out.push(
                d.error_at(
                    origin,
                    "/renamed_from",
                    format!("`renamed_from` names `{name}` itself"),
                )
                .with_help("remove `renamed_from`, or set it to the previous name"),
            );
            continue;
        }
        if let Some(other) = by_name.get(&fold(old, ci)) {
            out.push(
                d.error_at(
                    origin,
                    "/renamed_from",
                    format!(
                        "`renamed_from: {old}` collides with the {what} `{old}` declared at {}",
                        at(d, other, "/name")
                    ),
                )
                .with_help("an object cannot be renamed away while it is still declared; remove one of them"),
            );
        }
        if let Some(first) = renames.get(&fold(old, ci)) {
            out.push(
                d.error_at(
                    origin,
                    "/renamed_from",
                    format!(
                        "`{old}` is renamed twice (also at {})",
                        at(d, first, "/renamed_from")
                    ),
                )
                .with_help("rename an object into one new name only"),
            );
        } else {
            renames.insert(fold(old, ci), origin);
        }
    }
}

const PII_WORDS: [&str; 18] = [
    "ssn",
    "social_security",
    "socialsecurity",
    "credit_card",
    "creditcard",
    "card_number",
    "cardnumber",
    "cvv",
    "cvc",
    "iban",
    "passport",
    "password",
    "passwd",
    "bank_account",
    "routing_number",
    "tax_id",
    "national_id",
    "drivers_license",
];

/// Whether a name looks like it holds sensitive personal data.
pub fn looks_like_pii(name: &str) -> Option<&'static str> {
    let norm: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let tokens: Vec<&str> = norm.split('_').filter(|t| !t.is_empty()).collect();
    let joined = tokens.join("_");
    PII_WORDS.into_iter().find(|w| {
        if w.contains('_') || w.len() > 4 {
            joined.contains(w)
        } else {
            tokens.contains(w)
        }
    })
}

/// A warning when `name` looks like sensitive personal data.
pub fn pii_warning(
    d: &Desired,
    origin: &Origin,
    sub: &str,
    what: &str,
    name: &str,
) -> Option<Diagnostic> {
    looks_like_pii(name).map(|w| {
        d.warning_at(
            origin,
            sub,
            format!("{what} `{name}` looks like sensitive personal data (`{w}`)"),
        )
        .with_help(
            "Intercom must not store secrets or regulated identifiers; keep them out of Intercom",
        )
    })
}

/// The rules of `options` on list attributes (at least two, unique, only on lists).
pub fn check_options(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    origin: &Origin,
    is_list: bool,
    options: Option<&Vec<String>>,
) {
    match (is_list, options) {
        (true, None) => out.push(
            d.error_at(origin, "/type", "a list attribute needs `options`")
                .with_help("add `options: [first, second]` (at least two)"),
        ),
        (true, Some(opts)) => {
            if opts.len() < 2 {
                out.push(
                    d.error_at(
                        origin,
                        "/options",
                        "a list attribute needs at least two options",
                    )
                    .with_help("Intercom refuses lists with fewer than two options"),
                );
            }
            for (i, o) in opts.iter().enumerate() {
                if o.trim().is_empty() {
                    out.push(d.error_at(
                        origin,
                        &format!("/options/{i}"),
                        "an option must not be empty",
                    ));
                } else if let Some(j) = opts[..i].iter().position(|p| p == o) {
                    out.push(
                        d.error_at(
                            origin,
                            &format!("/options/{i}"),
                            format!(
                                "option `{o}` is listed twice (first at {})",
                                at(d, origin, &format!("/options/{j}"))
                            ),
                        )
                        .with_help("list each option once"),
                    );
                }
            }
        }
        (false, Some(_)) => out.push(
            d.error_at(
                origin,
                "/options",
                "`options` is only allowed on attributes of type `list`",
            )
            .with_help("set `type: list`, or remove `options`"),
        ),
        (false, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_words_match_tokens_not_substrings() {
        assert_eq!(looks_like_pii("customer_ssn"), Some("ssn"));
        assert_eq!(looks_like_pii("CreditCard number"), Some("creditcard"));
        assert_eq!(looks_like_pii("card-number"), Some("card_number"));
        assert_eq!(looks_like_pii("lesson_count"), None);
        assert_eq!(looks_like_pii("plan_tier"), None);
    }
}
