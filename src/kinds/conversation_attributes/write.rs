//! The write half of conversation attributes: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::intercom::{ConversationAttributeChanges, NewConversationAttribute};
use crate::kinds::write::{by_id, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateConversationAttribute {
            name,
            data_type,
            options,
            description,
            required,
            visible_to_team_ids,
            multiline,
        } => {
            let a = client
                .create_conversation_attribute(&NewConversationAttribute {
                    name: name.clone(),
                    data_type: *data_type,
                    description: description.clone(),
                    required: required.unwrap_or(false),
                    visible_to_team_ids: visible_to_team_ids.clone().unwrap_or_default(),
                    multiline: *multiline,
                    options: options.clone(),
                })
                .await?;
            Ok(Some(a.id))
        }
        Op::UpdateConversationAttribute {
            id,
            name,
            description,
            required,
            visible_to_team_ids,
            multiline,
        } => {
            let changes = ConversationAttributeChanges {
                name: name.clone(),
                description: description.clone(),
                required: *required,
                visible_to_team_ids: visible_to_team_ids.clone(),
                multiline: *multiline,
            };
            client
                .update_conversation_attribute_at(
                    id,
                    &by_id(Kind::ConversationAttributes, id),
                    &changes,
                )
                .await?;
            Ok(None)
        }
        Op::ArchiveConversationAttribute { id } => {
            client
                .archive_conversation_attribute_at(id, &by_id(Kind::ConversationAttributes, id))
                .await?;
            Ok(None)
        }
        Op::AddConversationAttributeOption {
            attribute_id,
            label,
        } => {
            client
                .add_conversation_attribute_option_at(
                    attribute_id,
                    &by_id(Kind::ConversationAttributes, attribute_id),
                    label,
                )
                .await?;
            Ok(None)
        }
        Op::ArchiveConversationAttributeOption {
            attribute_id,
            option_id,
            label,
        } => {
            let what = format!(
                "option {label:?} of {}",
                by_id(Kind::ConversationAttributes, attribute_id)
            );
            client
                .archive_conversation_attribute_option_at(attribute_id, option_id, &what)
                .await?;
            Ok(None)
        }
        other => Err(misrouted(other)),
    }
}
