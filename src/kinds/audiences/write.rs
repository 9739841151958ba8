//! The write half of audiences: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    let label = |id: &str| by_id(Kind::Audiences, id);
    match op {
        Op::CreateAudience(new) => Ok(Some(client.create_audience(new).await?.id)),
        Op::UpdateAudience { id, changes } => {
            done(client.update_audience_at(id, &label(id), changes)).await
        }
        Op::DeleteAudience { id } => {
            done(client.delete_at(format!("/audiences/{id}"), &label(id))).await
        }
        other => Err(misrouted(other)),
    }
}
