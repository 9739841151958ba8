//! The write half of teams: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    match op {
        Op::SetTeamMembers { id, members } => {
            done(client.set_team_members(id, &by_id(Kind::Teams, id), members)).await
        }
        other => Err(misrouted(other)),
    }
}
