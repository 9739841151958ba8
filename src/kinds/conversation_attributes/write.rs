//! The write half of conversation attributes: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    let label = |id: &str| by_id(Kind::ConversationAttributes, id);
    match op {
        Op::CreateConversationAttribute(new) => {
            Ok(Some(client.create_conversation_attribute(new).await?.id))
        }
        Op::UpdateConversationAttribute { id, changes } => {
            done(client.update_conversation_attribute_at(id, &label(id), changes)).await
        }
        Op::ArchiveConversationAttribute { id } => {
            done(client.archive_conversation_attribute_at(id, &label(id))).await
        }
        Op::AddConversationAttributeOption {
            attribute_id: id,
            label: option,
        } => done(client.add_conversation_attribute_option_at(id, &label(id), option)).await,
        Op::ArchiveConversationAttributeOption {
            attribute_id: id,
            option_id,
            label: option,
        } => {
            let what = format!("option {option:?} of {}", label(id));
            done(client.archive_conversation_attribute_option_at(id, option_id, &what)).await
        }
        other => Err(misrouted(other)),
    }
}
