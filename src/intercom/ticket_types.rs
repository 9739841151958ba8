//! Ticket types as Intercom sends them (`/ticket_types`), mapped to the model, and their list.
//!
//! Read leniently where the 2.16 description contradicts itself: a type's attributes come as
//! the schema's `{type: "ticket_type_attributes.list", ticket_type_attributes: [...]}` or as
//! the examples' `{type: "list", data: [...]}`; `is_internal` (in every example, not in the
//! read schema) may be missing; `input_options` is an undocumented object from which only
//! `multiline` (shown by the examples) and `allow_multiple_values` are taken.

use serde::Deserialize;
use serde_json::Value;

use super::client::Client;
use super::fetch::{FetchError, list};
use super::wire::WireId;
use crate::model::{TicketType, TicketTypeAttribute};

/// A ticket type on the wire.
#[derive(Debug, Deserialize)]
pub(crate) struct WireTicketType {
    id: WireId,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    icon: Option<String>,
    #[serde(default)]
    is_internal: Option<bool>,
    #[serde(default)]
    archived: Option<bool>,
    #[serde(default)]
    ticket_type_attributes: Option<WireAttributeList>,
}

/// A type's attributes, in either of the description's shapes.
#[derive(Debug, Default, Deserialize)]
struct WireAttributeList {
    #[serde(default)]
    ticket_type_attributes: Option<Vec<Option<WireAttribute>>>,
    #[serde(default)]
    data: Option<Vec<Option<WireAttribute>>>,
}

/// An attribute on the wire.
#[derive(Debug, Deserialize)]
pub(crate) struct WireAttribute {
    id: WireId,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    data_type: Option<String>,
    #[serde(default)]
    input_options: Option<Value>,
    #[serde(default)]
    required_to_create: Option<bool>,
    #[serde(default)]
    required_to_create_for_contacts: Option<bool>,
    #[serde(default)]
    visible_on_create: Option<bool>,
    #[serde(default)]
    visible_to_contacts: Option<bool>,
    #[serde(default)]
    default: Option<bool>,
    #[serde(default)]
    archived: Option<bool>,
}

impl WireAttribute {
    /// The model attribute; absent flags take the description's defaults.
    pub(crate) fn into_model(self) -> TicketTypeAttribute {
        let option = |key: &str| {
            self.input_options
                .as_ref()
                .and_then(|o| o.get(key))
                .and_then(Value::as_bool)
        };
        TicketTypeAttribute {
            id: self.id.0.clone(),
            multiline: option("multiline"),
            allow_multiple_values: option("allow_multiple_values"),
            name: self.name.unwrap_or_default(),
            description: self.description.unwrap_or_default(),
            data_type: self.data_type.unwrap_or_default(),
            required_to_create: self.required_to_create.unwrap_or(false),
            required_to_create_for_contacts: self.required_to_create_for_contacts.unwrap_or(false),
            visible_on_create: self.visible_on_create.unwrap_or(true),
            visible_to_contacts: self.visible_to_contacts.unwrap_or(true),
            default: self.default.unwrap_or(false),
            archived: self.archived.unwrap_or(false),
        }
    }
}

impl WireTicketType {
    /// The model ticket type, its attributes in Intercom's order.
    pub(crate) fn into_model(self) -> TicketType {
        let list = self.ticket_type_attributes.unwrap_or_default();
        let attributes = list
            .ticket_type_attributes
            .or(list.data)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .map(WireAttribute::into_model)
            .collect();
        TicketType {
            id: self.id.0,
            name: self.name.unwrap_or_default(),
            description: self.description.unwrap_or_default(),
            category: self.category.unwrap_or_default(),
            icon: self.icon.unwrap_or_default(),
            is_internal: self.is_internal,
            archived: self.archived.unwrap_or(false),
            attributes,
        }
    }
}

/// Every ticket type (`GET /ticket_types`, archived ones included) with its attributes.
pub async fn ticket_types(client: &Client) -> Result<Vec<TicketType>, FetchError> {
    let raw: Vec<WireTicketType> = list(client, "/ticket_types", "list ticket types").await?;
    Ok(raw.into_iter().map(WireTicketType::into_model).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attribute(name: &str) -> Value {
        json!({"type": "ticket_type_attribute", "id": "7", "name": name, "data_type": "string",
               "input_options": {"multiline": true}, "default": false, "ticket_type_id": 3})
    }

    #[test]
    fn both_attribute_list_shapes_are_read() {
        for list in [
            json!({"type": "ticket_type_attributes.list", "ticket_type_attributes": [attribute("A")]}),
            json!({"type": "list", "data": [attribute("A")]}),
        ] {
            let raw: WireTicketType = serde_json::from_value(
                json!({"type": "ticket_type", "id": 3, "name": "Bug", "ticket_type_attributes": list}),
            )
            .unwrap();
            let t = raw.into_model();
            assert_eq!(t.id, "3");
            assert_eq!(t.is_internal, None);
            assert_eq!(t.attributes.len(), 1);
            assert_eq!(t.attributes[0].multiline, Some(true));
            assert!(t.attributes[0].visible_to_contacts);
        }
    }

    #[test]
    fn an_attribute_without_input_options_shows_no_multiline() {
        let mut a = attribute("B");
        a["input_options"] = Value::Null;
        let raw: WireAttribute = serde_json::from_value(a).unwrap();
        assert_eq!(raw.into_model().multiline, None);
    }
}
