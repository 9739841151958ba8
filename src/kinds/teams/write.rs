//! The write half of teams: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::intercom::TeamMembers;
use crate::kinds::write::{by_id, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::SetTeamMembers {
            id,
            admin_ids,
            secondary_admin_ids,
        } => {
            // Levels are a partial update: to make them exact, name every member's level
            // whenever levels are managed.
            let primary_admin_ids = secondary_admin_ids.as_ref().map(|secondary| {
                admin_ids
                    .iter()
                    .filter(|a| !secondary.contains(a))
                    .cloned()
                    .collect()
            });
            let members = TeamMembers {
                admin_ids: admin_ids.clone(),
                primary_admin_ids,
                secondary_admin_ids: secondary_admin_ids.clone(),
            };
            client
                .set_team_members(id, &by_id(Kind::Teams, id), &members)
                .await?;
            Ok(None)
        }
        other => Err(misrouted(other)),
    }
}
