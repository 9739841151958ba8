//! The write half of data attributes: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::intercom::{DataAttributeChanges, NewDataAttribute};
use crate::kinds::write::misrouted;
use crate::model::AttributeModel;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateDataAttribute {
            model,
            name,
            data_type,
            options,
            description,
            messenger_writable,
        } => {
            let a = client
                .create_data_attribute(&NewDataAttribute {
                    model: *model,
                    name: name.clone(),
                    data_type: *data_type,
                    options: options.clone(),
                    description: description.clone(),
                    messenger_writable: messenger_writable.unwrap_or(false),
                })
                .await?;
            Ok(a.id)
        }
        Op::UpdateDataAttribute {
            id,
            description,
            messenger_writable,
            options,
            archived,
        } => {
            let changes = DataAttributeChanges {
                description: description.clone(),
                messenger_writable: *messenger_writable,
                options: options.clone(),
                archived: *archived,
            };
            // The answer names its model; contact is only the fallback for decoding.
            client
                .update_data_attribute_at(
                    id,
                    &format!("data attribute {id}"),
                    AttributeModel::Contact,
                    &changes,
                )
                .await?;
            Ok(None)
        }
        other => Err(misrouted(other)),
    }
}
