//! The write half of Help Center collections: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::{Client, NewHelpCenterCollection};
use crate::kinds::write::{by_id, delete, misrouted};
use crate::model::Kind;
use crate::model::change::{CollectionRef, Op};

/// Performs one planned call of this kind; `created` is the id of the new parent that an
/// earlier operation of the same change created. Returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
    created: Option<&str>,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateHelpCenterCollection {
            name,
            description,
            parent,
            help_center_id,
        } => {
            let parent_id = match parent {
                None => None,
                Some(CollectionRef::Id(id)) => Some(id.clone()),
                Some(CollectionRef::Created(_)) => {
                    Some(created.map(str::to_string).ok_or_else(|| misrouted(op))?)
                }
            };
            let c = client
                .create_help_center_collection(&NewHelpCenterCollection {
                    path: name.clone(),
                    name: name.clone(),
                    description: description.clone(),
                    parent_id,
                    help_center_id: help_center_id.clone(),
                })
                .await?;
            Ok(Some(c.id))
        }
        Op::UpdateHelpCenterCollection { id, description } => {
            client
                .update_help_center_collection(
                    id,
                    &by_id(Kind::HelpCenterCollections, id),
                    description,
                )
                .await?;
            Ok(None)
        }
        Op::DeleteHelpCenterCollection { id } => {
            delete(
                client,
                format!("/help_center/collections/{id}"),
                &by_id(Kind::HelpCenterCollections, id),
            )
            .await
        }
        other => Err(misrouted(other)),
    }
}
