//! The write half of data attributes: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, done, misrouted};
use crate::model::AttributeModel;
use crate::model::change::Op;

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    match op {
        Op::CreateDataAttribute(new) => Ok(client.create_data_attribute(new).await?.id),
        // The answer names its model; contact is only the fallback for decoding.
        Op::UpdateDataAttribute { id, changes } => {
            let label = format!("data attribute {id}");
            done(client.update_data_attribute_at(id, &label, AttributeModel::Contact, changes))
                .await
        }
        other => Err(misrouted(other)),
    }
}
