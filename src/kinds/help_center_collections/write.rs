//! The write half of Help Center collections: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::{CollectionRef, Op};

/// Performs one planned call of this kind; `created` is the id of the new parent that an
/// earlier operation of the same change created. Returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op, created: Option<&str>) -> Written {
    let label = |id: &str| by_id(Kind::HelpCenterCollections, id);
    match op {
        Op::CreateHelpCenterCollection(new) => {
            let parent_id = match &new.parent {
                None => None,
                Some(CollectionRef::Id(id)) => Some(id.as_str()),
                Some(CollectionRef::Created(_)) => Some(created.ok_or_else(|| misrouted(op))?),
            };
            let c = client.create_help_center_collection(new, parent_id).await?;
            Ok(Some(c.id))
        }
        Op::UpdateHelpCenterCollection { id, description } => {
            done(client.update_help_center_collection(id, &label(id), description)).await
        }
        Op::UpdateHelpCenterCollectionTranslations {
            id,
            translated_content,
        } => {
            let label = label(id);
            done(client.update_help_center_collection_translations(id, &label, translated_content))
                .await
        }
        Op::DeleteHelpCenterCollection { id } => {
            done(client.delete_help_center_collection_at(id)).await
        }
        other => Err(misrouted(other)),
    }
}
