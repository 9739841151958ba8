//! Translations of collections (`translated_content` in `_collection.yaml`: per locale `name`
//! and `description`), and the locale rules articles share: which locale is a help center's
//! default and which ones it has turned on.
//!
//! The default locale is the live object's `default_locale` (Intercom returns it on
//! multilingual help centers), else the one any live collection or article of the workspace
//! states, else `en` ([`FALLBACK_LOCALE`]). A translation into the default locale is a plan
//! error (that content is the object's own), and so is one into a locale its help center has
//! not turned on (the help center's `locales`, when Intercom lists them). A locale live but
//! not declared is left as it is, with a note: the API documents no way to remove one.

use serde_json::json;

use super::super::engine::{PlanCtx, field};
use super::{KIND, description, live_collections, resolve_help_center};
use crate::config::Diagnostic;
use crate::config::help_center::{CollectionSource, LocaleContent};
use crate::model::change::{FieldChange, Op};
use crate::model::{
    Address, Article, FALLBACK_LOCALE, GroupContent, HelpCenter, HelpCenterCollection, Kind, Live,
    Translations,
};

/// The locale rules of one help center for one object.
pub(in crate::kinds) struct Locales<'l> {
    /// The default locale.
    pub default: String,
    /// The help center, when known.
    center: Option<&'l HelpCenter>,
}

impl<'l> Locales<'l> {
    /// The rules for an object in the collection at `path` (`""`: standing alone), whose own
    /// `default_locale` is `own` (a live object's).
    pub fn of(ctx: &PlanCtx<'l>, path: &str, own: Option<&str>) -> Locales<'l> {
        let live: &'l Live = ctx.live;
        let default = own
            .or_else(|| {
                live_collections(live)
                    .iter()
                    .find_map(|c| c.default_locale.as_deref())
            })
            .or_else(|| {
                live.objects::<Article>(Kind::Articles)
                    .iter()
                    .find_map(|a| a.default_locale.as_deref())
            })
            .unwrap_or(FALLBACK_LOCALE)
            .to_string();
        Locales {
            default,
            center: help_center_of(ctx, path),
        }
    }

    /// What is wrong with translating into `locale` here: the message and what to do.
    pub fn problem(&self, locale: &str, own_content: &str) -> Option<(String, String)> {
        if locale == self.default {
            return Some((
                format!("`{locale}` is the help center's default locale: it needs no translation"),
                format!("put this content in {own_content} and remove the translation"),
            ));
        }
        let center = self.center?;
        if center.locales.is_empty() || center.locales.iter().any(|l| l == locale) {
            return None;
        }
        Some((
            format!(
                "help center `{}` is not available in `{locale}` (its locales: {})",
                center.identifier,
                center.locales.join(", ")
            ),
            "turn the locale on in Intercom's Help Center settings, or remove the translation"
                .to_string(),
        ))
    }

    /// Notes each live locale that is not declared (left as it is).
    pub fn note_undeclared<'a>(
        ctx: &mut PlanCtx<'_>,
        address: &Address,
        live: impl Iterator<Item = &'a String>,
        declared: &[&str],
    ) {
        for locale in live.filter(|l| !declared.contains(&l.as_str())) {
            ctx.note(
                address.clone(),
                &format!(
                    "its `{locale}` translation is in Intercom but not declared: left as it is"
                ),
            );
        }
    }
}

/// The help center of the collection at `path` (its top-level collection's, live or declared),
/// else the default one.
fn help_center_of<'l>(ctx: &PlanCtx<'l>, path: &str) -> Option<&'l HelpCenter> {
    let live: &'l Live = ctx.live;
    let top = path.split('/').next().unwrap_or("");
    let centers = &live.help_centers;
    let from_live = live_collections(live)
        .iter()
        .find(|c| !top.is_empty() && c.path == top)
        .and_then(|c| c.help_center_id.as_deref())
        .and_then(|id| centers.iter().find(|h| h.id == id));
    let declared = || {
        ctx.d
            .help_center
            .collections
            .iter()
            .find(|c| c.key == top)
            .and_then(|c| c.meta.help_center.as_deref())
            .and_then(|name| resolve_help_center(centers, name))
    };
    from_live
        .or_else(declared)
        .or_else(|| centers.iter().find(|h| h.default))
}

/// An error at the locale `locale` of a collection's `translated_content`.
fn locale_error(
    c: &CollectionSource,
    locale: &str,
    (message, help): (String, String),
) -> Diagnostic {
    let pos = c.translation_pos.get(locale).copied().unwrap_or(c.spot.pos);
    Diagnostic::error(&c.spot.file, Some(pos), message).with_help(help)
}

/// The declared locales of `c` that may be sent (the others are recorded as errors).
fn valid<'c>(
    ctx: &mut PlanCtx<'_>,
    c: &'c CollectionSource,
    own: Option<&str>,
) -> Vec<(&'c String, &'c LocaleContent)> {
    let locales = Locales::of(ctx, &c.key, own);
    let mut out = Vec::new();
    let own_content = "the collection's own `description` (and folder name)";
    for (locale, content) in &c.meta.translated_content {
        match locales.problem(locale, own_content) {
            Some(problem) => ctx.errors.push(locale_error(c, locale, problem)),
            None => out.push((locale, content)),
        }
    }
    out
}

fn content(c: &LocaleContent) -> GroupContent {
    GroupContent {
        name: c.name.clone(),
        description: c.description.clone(),
    }
}

/// A new collection's translations and the fields that show them.
pub(super) fn for_create(
    ctx: &mut PlanCtx<'_>,
    c: &CollectionSource,
) -> (Translations<GroupContent>, Vec<FieldChange>) {
    let mut fields = Vec::new();
    let mut out = Translations::new();
    for (locale, declared) in valid(ctx, c, None) {
        fields.push(field(
            &format!("translated_content.{locale}.name"),
            None,
            Some(json!(declared.name)),
        ));
        if let Some(d) = &declared.description {
            fields.push(field(
                &format!("translated_content.{locale}.description"),
                None,
                Some(json!(d)),
            ));
        }
        out.insert(locale.clone(), content(declared));
    }
    (out, fields)
}

/// The changes to a live collection's translations: fields, and one update of the changed
/// locales.
pub(super) fn for_update(
    ctx: &mut PlanCtx<'_>,
    c: &CollectionSource,
    live: &HelpCenterCollection,
    fields: &mut Vec<FieldChange>,
    ops: &mut Vec<Op>,
) {
    let mut changed = Translations::new();
    for (locale, declared) in valid(ctx, c, live.default_locale.as_deref()) {
        let have = live.translations.get(locale);
        let name = |f: &str| format!("translated_content.{locale}.{f}");
        let mut differs = false;
        if have.map(|h| h.name.as_str()) != Some(declared.name.as_str()) {
            let old = have.map(|h| json!(h.name));
            fields.push(field(&name("name"), old, Some(json!(declared.name))));
            differs = true;
        }
        let old_description = have.map(|h| description(&h.description));
        if let Some(want) = &declared.description
            && old_description != Some(want.as_str())
        {
            fields.push(field(
                &name("description"),
                old_description.map(|d| json!(d)),
                Some(json!(want)),
            ));
            differs = true;
        }
        if differs {
            let mut sent = content(declared);
            // Sent whole, so that Intercom keeps a description this file does not manage
            // whether it merges a locale's content or replaces it.
            if sent.description.is_none() {
                sent.description = have.and_then(|h| h.description.clone());
            }
            changed.insert(locale.clone(), sent);
        }
    }
    let declared: Vec<&str> = c
        .meta
        .translated_content
        .keys()
        .map(String::as_str)
        .collect();
    let address = Address::new(KIND, &c.key);
    Locales::note_undeclared(ctx, &address, live.translations.keys(), &declared);
    if !changed.is_empty() {
        ops.push(Op::UpdateHelpCenterCollectionTranslations {
            id: live.id.clone(),
            translated_content: changed,
        });
    }
}

/// A fingerprint `own` of an object's own fields, extended by its translations (unchanged
/// when it has none, so fingerprints from before translations still match).
pub(in crate::kinds) fn with_translations<T: serde::Serialize>(
    own: String,
    translations: &Translations<T>,
) -> String {
    if translations.is_empty() {
        own
    } else {
        crate::model::change::fingerprint(&(own, translations))
    }
}

/// A live collection's translations as its `_collection.yaml` writes them.
pub(super) fn export(
    c: &HelpCenterCollection,
) -> std::collections::BTreeMap<String, LocaleContent> {
    c.translations
        .iter()
        .filter(|(locale, t)| crate::model::is_supported_locale(locale) && !t.name.is_empty())
        .map(|(locale, t)| {
            let content = LocaleContent {
                name: t.name.clone(),
                description: t.description.clone().filter(|d| !d.is_empty()),
            };
            (locale.clone(), content)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn center(locales: &[&str]) -> HelpCenter {
        HelpCenter {
            id: "501".into(),
            identifier: "acme".into(),
            display_name: "Acme Help".into(),
            default: true,
            locales: locales.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn the_default_locale_and_locales_not_turned_on_are_problems() {
        let hc = center(&["en", "fr"]);
        let locales = Locales {
            default: "en".into(),
            center: Some(&hc),
        };
        assert_eq!(locales.problem("fr", "x"), None);
        let (message, help) = locales.problem("en", "`a.md`").unwrap();
        assert_eq!(
            message,
            "`en` is the help center's default locale: it needs no translation"
        );
        assert_eq!(
            help,
            "put this content in `a.md` and remove the translation"
        );
        let (message, _) = locales.problem("de", "x").unwrap();
        assert_eq!(
            message,
            "help center `acme` is not available in `de` (its locales: en, fr)"
        );
        // Intercom did not list the locales: only the default locale is refused.
        let silent = center(&[]);
        let locales = Locales {
            default: "fr".into(),
            center: Some(&silent),
        };
        assert_eq!(locales.problem("de", "x"), None);
        assert!(locales.problem("fr", "x").is_some());
    }

    #[test]
    fn translations_extend_a_fingerprint_only_when_there_are_some() {
        let none: Translations<GroupContent> = Translations::new();
        assert_eq!(with_translations("abc".into(), &none), "abc");
        let some: Translations<GroupContent> = [(
            "fr".to_string(),
            GroupContent {
                name: "Guides".into(),
                description: None,
            },
        )]
        .into();
        assert_ne!(with_translations("abc".into(), &some), "abc");
    }
}
