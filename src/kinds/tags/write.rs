//! The write half of tags: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    let label = |id: &str| by_id(Kind::Tags, id);
    match op {
        Op::CreateTag { name } => Ok(Some(client.create_tag(name).await?.id)),
        Op::RenameTag { id, name } => done(client.rename_tag_at(id, &label(id), name)).await,
        Op::DeleteTag { id } => done(client.delete_tag_at(id)).await,
        other => Err(misrouted(other)),
    }
}
