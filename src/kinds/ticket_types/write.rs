//! The write half of ticket types: one planned call becomes one client call. Only `apply`
//! reaches it, through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, misrouted};
use crate::model::change::Op;
use crate::model::{Kind, TicketTypeRef};

/// Performs one planned call of this kind; `created` is the id of the ticket type that the
/// change's first operation created. Returns the id of the ticket type it created: an
/// attribute's create returns none, so that every later attribute of a new type is given the
/// type's id (the attributes of a change are created one after another, in declared order, which
/// is the order Intercom shows them in).
pub(in crate::kinds) async fn write(client: &Client, op: &Op, created: Option<&str>) -> Written {
    match op {
        Op::CreateTicketType(new) => Ok(Some(client.create_ticket_type(new).await?.id)),
        Op::UpdateTicketType { id, changes } => {
            let label = by_id(Kind::TicketTypes, id);
            client.update_ticket_type(id, &label, changes).await?;
            Ok(None)
        }
        Op::CreateTicketTypeAttribute {
            ticket_type,
            attribute,
        } => {
            let type_id = match ticket_type {
                TicketTypeRef::Id(id) => id.as_str(),
                TicketTypeRef::Created => created.ok_or_else(|| misrouted(op))?,
            };
            let label = by_id(Kind::TicketTypes, type_id);
            client
                .create_ticket_type_attribute(type_id, &label, attribute)
                .await?;
            Ok(None)
        }
        Op::UpdateTicketTypeAttribute {
            ticket_type_id,
            id,
            changes,
        } => {
            let label = format!(
                "attribute {id} of {}",
                by_id(Kind::TicketTypes, ticket_type_id)
            );
            client
                .update_ticket_type_attribute(ticket_type_id, id, &label, changes)
                .await?;
            Ok(None)
        }
        other => Err(misrouted(other)),
    }
}
