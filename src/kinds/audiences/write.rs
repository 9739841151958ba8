//! The write half of audiences: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, done, misrouted};
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    match op {
        Op::CreateAudience(new) => Ok(Some(client.create_audience(new).await?.id)),
        Op::UpdateAudience { id, changes } => done(client.update_audience_at(id, changes)).await,
        Op::DeleteAudience { id } => done(client.delete_audience_at(id)).await,
        other => Err(misrouted(other)),
    }
}
