//! Internal articles, declared as the Markdown files of `internal_articles/` (read by
//! `config::knowledge`) and keyed by title (`internal_article["Escalation policy"]`). Title
//! (by `renamed_from`), author and owner (teammates' e-mail addresses; absent: not managed) and
//! the body are compared; the body as Markdown, line by line: the live `body_markdown` when
//! Intercom keeps one, else the live HTML converted with the function export uses. Matching,
//! prune and export are `documents`'.

mod write;
pub(super) use write::write;

use serde_json::json;

use super::Scope;
use super::documents::{Documents, Planning, admin, email_of};
use super::engine::{field, named_object};
use crate::config::Diagnostic;
use crate::config::knowledge::InternalArticleFront;
use crate::intercom::{self, Client};
use crate::model::change::{Op, fingerprint};
use crate::model::{InternalArticle, InternalArticleChanges, Kind, Live, NewInternalArticle};

/// Internal articles.
pub struct InternalArticles;

impl Documents for InternalArticles {
    const KIND: Kind = Kind::InternalArticles;
    type Object = InternalArticle;
    type Front = InternalArticleFront;
    type Changes = InternalArticleChanges;

    fn live_body(o: &InternalArticle) -> String {
        super::articles::body::live_markdown(o.body_markdown.as_deref(), &o.body)
    }

    /// A new article is written and owned by the token's admin unless the file names others.
    fn create(p: &mut Planning<'_, '_, InternalArticleFront>) -> Result<Op, Box<Diagnostic>> {
        let mut people = [None, None];
        for (slot, (name, email)) in people.iter_mut().zip([
            ("author", &p.doc.front.author),
            ("owner", &p.doc.front.owner),
        ]) {
            let Some(email) = email else { continue };
            let a = admin(p.ctx.live, p.doc, &format!("/{name}"), email)?;
            p.fields.push(field(name, None, Some(json!(a.email))));
            *slot = Some(a.id.clone());
        }
        let [author_id, owner_id] = people.map(|id| id.unwrap_or_else(|| p.ctx.live.me.id.clone()));
        Ok(Op::CreateInternalArticle(NewInternalArticle {
            title: p.title.clone().unwrap_or_default(),
            body_markdown: p.body.clone().unwrap_or_default(),
            author_id,
            owner_id,
        }))
    }

    fn update(
        p: &mut Planning<'_, '_, InternalArticleFront>,
        live: &InternalArticle,
    ) -> Result<InternalArticleChanges, Box<Diagnostic>> {
        let front = &p.doc.front;
        let author_id = p.admin_change("author", front.author.as_deref(), &live.author_id)?;
        let owner_id = p.admin_change("owner", front.owner.as_deref(), &live.owner_id)?;
        Ok(InternalArticleChanges {
            title: p.title.clone(),
            body_markdown: p.body.clone(),
            author_id,
            owner_id,
        })
    }

    const UPDATE: fn(String, InternalArticleChanges) -> Op =
        |id, changes| Op::UpdateInternalArticle { id, changes };
    const DELETE: fn(String) -> Op = |id| Op::DeleteInternalArticle { id };

    fn export_front(live: &Live, o: &InternalArticle) -> InternalArticleFront {
        let known = |id: &str| live.admins.iter().any(|a| a.id == id);
        InternalArticleFront {
            title: o.title.clone(),
            author: known(&o.author_id).then(|| email_of(live, &o.author_id)),
            owner: known(&o.owner_id).then(|| email_of(live, &o.owner_id)),
            renamed_from: None,
        }
    }

    /// Lists the internal articles and, unless teams read them, the admins (authors and
    /// owners are named by e-mail).
    fn read(client: &Client, scope: &Scope) -> Option<super::read::ReadFuture> {
        super::read::with_admins(
            client,
            !scope.kinds.contains(&Kind::Teams),
            |c| async move { intercom::read::internal_articles(&c).await },
            |live, items: Vec<InternalArticle>| live.set_objects(Self::KIND, items),
        )
    }
}

named_object!(titled InternalArticle, |a| fingerprint(&(
    &a.title,
    &a.body,
    &a.body_markdown,
    &a.author_id,
    &a.owner_id
)));
