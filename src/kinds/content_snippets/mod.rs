//! Content snippets (2.16+), declared as the Markdown files of `content_snippets/` (read by
//! `config::knowledge`) and keyed by title (`content_snippet["Reset a password"]`). Title (by
//! `renamed_from`), locale (absent: not managed; a new snippet is `en`) and the body are
//! compared; the body, sent as `body_markdown`, as Markdown line by line (a snippet written
//! as content blocks only is compared as the text of its blocks, one paragraph each).
//! Matching, prune and export are `documents`'.

mod write;
pub(super) use write::write;

use serde_json::json;

use super::Scope;
use super::documents::{Documents, Planning};
use super::engine::{Fields, field, named_object};
use crate::config::Diagnostic;
use crate::config::knowledge::SnippetFront;
use crate::intercom::{self, Client};
use crate::model::change::{Op, fingerprint};
use crate::model::{ContentSnippet, ContentSnippetChanges, Kind, Live, NewContentSnippet};

/// Content snippets.
pub struct ContentSnippets;

impl Documents for ContentSnippets {
    type Front = SnippetFront;
    type Object = ContentSnippet;
    type Changes = ContentSnippetChanges;
    const KIND: Kind = Kind::ContentSnippets;

    fn live_body(o: &ContentSnippet) -> String {
        let text = match &o.body_markdown {
            Some(md) => md.clone(),
            None => o.block_text.join("\n\n"),
        };
        super::articles::body::normalize(&text)
    }

    fn create(p: &mut Planning<'_, '_, SnippetFront>) -> Result<Op, Box<Diagnostic>> {
        let locale = p.doc.front.locale.clone();
        if let Some(l) = &locale {
            p.fields.push(field("locale", None, Some(json!(l))));
        }
        Ok(Op::CreateContentSnippet(NewContentSnippet {
            title: p.title.clone().unwrap_or_default(),
            body_markdown: p.body.clone().unwrap_or_default(),
            locale,
        }))
    }

    fn update(
        p: &mut Planning<'_, '_, SnippetFront>,
        live: &ContentSnippet,
    ) -> Result<ContentSnippetChanges, Box<Diagnostic>> {
        let locale = p.doc.front.locale.as_ref();
        Ok(ContentSnippetChanges {
            locale: p.fields.changed("locale", locale, &live.locale),
            title: p.title.clone(),
            body_markdown: p.body.clone(),
        })
    }

    const UPDATE: fn(String, ContentSnippetChanges) -> Op =
        |id, changes| Op::UpdateContentSnippet { id, changes };
    const DELETE: fn(String) -> Op = |id| Op::DeleteContentSnippet { id };

    fn export_front(_live: &Live, o: &ContentSnippet) -> SnippetFront {
        SnippetFront {
            title: o.title.clone(),
            locale: Some(o.locale.clone()),
            renamed_from: None,
        }
    }

    fn read(client: &Client, _scope: &Scope) -> Option<super::read::ReadFuture> {
        super::read::with(client, Self::KIND, |c| async move {
            intercom::read::content_snippets(&c).await
        })
    }
}

named_object!(titled ContentSnippet, |s| fingerprint(&(
    &s.title,
    &s.body_markdown,
    &s.block_text,
    &s.locale
)));
