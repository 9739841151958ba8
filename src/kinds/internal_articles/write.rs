//! The write half of internal articles: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, done, misrouted};
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    match op {
        Op::CreateInternalArticle(new) => Ok(Some(client.create_internal_article(new).await?.id)),
        Op::UpdateInternalArticle { id, changes } => {
            done(client.update_internal_article(id, changes)).await
        }
        Op::DeleteInternalArticle { id } => done(client.delete_internal_article(id)).await,
        other => Err(misrouted(other)),
    }
}
