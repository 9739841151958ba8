//! The `ticket_types` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::engine::Declaration;
use crate::model::{TicketAttributeType, TicketTypeCategory};

/// A ticket type. Its name identifies it; a field left out is not managed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketType {
    /// Ticket type name.
    pub name: String,

    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Category: `Customer`, `Back-office` or `Tracker` (Intercom's default: `Customer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TicketTypeCategory>,

    /// Icon: one emoji (Intercom's default: 🎟️).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,

    /// Tickets of this type are for internal use only (a limited feature in Intercom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_internal: Option<bool>,

    /// `true` archives the type (Intercom cannot delete ticket types); `false` unarchives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,

    /// Its attributes, by name within the type. Absent: not managed. Intercom's default
    /// attributes (`_default_title_`, `_default_description_`) are never listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<TicketTypeAttribute>>,
}

/// An attribute of a ticket type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketTypeAttribute {
    /// Attribute name (unique within its type).
    pub name: String,

    /// Description shown to teammates and contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Data type. Cannot be changed after creation (a manual step).
    pub data_type: TicketAttributeType,

    /// Teammates must fill it in to create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create: Option<bool>,

    /// Contacts must fill it in to create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create_for_contacts: Option<bool>,

    /// Shown to teammates when they create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_on_create: Option<bool>,

    /// Shown to contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_to_contacts: Option<bool>,

    /// Multi-line text box (`string` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,

    /// Several files may be attached (`files` only). Set when the attribute is created; later
    /// compared only when Intercom shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_multiple_values: Option<bool>,

    /// The items of a `list` attribute (required to create one; no commas in an item). Set
    /// when the attribute is created only: Intercom does not document how it reads them back,
    /// so they are never compared afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_items: Option<Vec<String>>,

    /// `true` archives the attribute; `false` unarchives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl Declaration for TicketType {
    fn name(&self) -> &str {
        &self.name
    }
}
