//! The write half of tags: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::kinds::write::{by_id, delete, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateTag { name } => Ok(Some(client.create_tag(name).await?.id)),
        Op::RenameTag { id, name } => {
            client
                .rename_tag_at(id, &by_id(Kind::Tags, id), name)
                .await?;
            Ok(None)
        }
        Op::DeleteTag { id } => delete(client, format!("/tags/{id}"), &by_id(Kind::Tags, id)).await,
        other => Err(misrouted(other)),
    }
}
