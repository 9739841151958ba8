//! The write half of content snippets: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, done, misrouted};
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created (a create
/// answers 201 with the snippet; a delete 204, a snippet already gone counting as deleted).
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    let created = match op {
        Op::CreateContentSnippet(new) => client.create_content_snippet(new).await?,
        Op::UpdateContentSnippet { id, changes } => {
            return done(client.update_content_snippet(id, changes)).await;
        }
        Op::DeleteContentSnippet { id } => return done(client.delete_content_snippet(id)).await,
        other => return Err(misrouted(other)),
    };
    Ok(Some(created.id))
}
