//! The write half of audiences: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::intercom::{AudienceChanges, NewAudience};
use crate::kinds::write::{by_id, delete, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateAudience {
            name,
            predicates,
            role_predicates,
        } => {
            let a = client
                .create_audience(&NewAudience {
                    name: name.clone(),
                    predicates: predicates.clone().unwrap_or_default(),
                    role_predicates: role_predicates.clone().unwrap_or_default(),
                })
                .await?;
            Ok(Some(a.id))
        }
        Op::UpdateAudience {
            id,
            name,
            predicates,
            role_predicates,
        } => {
            let changes = AudienceChanges {
                name: name.clone(),
                predicates: predicates.clone(),
                role_predicates: role_predicates.clone(),
            };
            client
                .update_audience_at(id, &by_id(Kind::Audiences, id), &changes)
                .await?;
            Ok(None)
        }
        Op::DeleteAudience { id } => {
            delete(
                client,
                format!("/audiences/{id}"),
                &by_id(Kind::Audiences, id),
            )
            .await
        }
        other => Err(misrouted(other)),
    }
}
