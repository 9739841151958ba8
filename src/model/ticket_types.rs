//! Ticket types and their attributes (`/ticket_types`, API 2.14+): the live objects as the
//! client reads them, and the requests that write them. A request type is the payload of its
//! `Op` and serialises to Intercom's request body as it is.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Names of the attributes Intercom adds to every ticket type (`default: true` in reads): they
/// are Intercom's, never planned, exported or reported as unmanaged.
pub const DEFAULT_TICKET_ATTRIBUTES: [&str; 2] = ["_default_title_", "_default_description_"];

/// The category of a ticket type (the 2.16 description's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TicketTypeCategory {
    /// Tickets shared with customers.
    Customer,
    /// Internal tickets behind a customer's conversation.
    #[serde(rename = "Back-office")]
    BackOffice,
    /// Tickets that track an issue across many customers.
    Tracker,
}

impl TicketTypeCategory {
    /// Intercom's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketTypeCategory::Customer => "Customer",
            TicketTypeCategory::BackOffice => "Back-office",
            TicketTypeCategory::Tracker => "Tracker",
        }
    }
}

/// The data type of a ticket type attribute (the 2.16 description's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketAttributeType {
    /// Text (`multiline` applies).
    String,
    /// One of `list_items`.
    List,
    /// Whole number.
    Integer,
    /// Decimal number.
    Decimal,
    /// true/false.
    Boolean,
    /// Date and time.
    Datetime,
    /// Attached files (`allow_multiple_values` applies).
    Files,
}

impl TicketAttributeType {
    /// Intercom's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketAttributeType::String => "string",
            TicketAttributeType::List => "list",
            TicketAttributeType::Integer => "integer",
            TicketAttributeType::Decimal => "decimal",
            TicketAttributeType::Boolean => "boolean",
            TicketAttributeType::Datetime => "datetime",
            TicketAttributeType::Files => "files",
        }
    }
}

/// A ticket type as read, with its attributes (default ones included, flagged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketType {
    /// Intercom id.
    pub id: String,
    /// Name (the natural key).
    pub name: String,
    /// Description (empty when none).
    pub description: String,
    /// Category as Intercom spells it (`Customer`, `Back-office`, `Tracker`; empty if unsaid).
    pub category: String,
    /// Icon (an emoji).
    pub icon: String,
    /// Internal use only; `None` when the answer did not say (the 2.16 read schema lacks it).
    pub is_internal: Option<bool>,
    /// Archived.
    pub archived: bool,
    /// Its attributes, in Intercom's order.
    pub attributes: Vec<TicketTypeAttribute>,
}

/// An attribute of a ticket type, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTypeAttribute {
    /// Intercom id.
    pub id: String,
    /// Name (the natural key within its type).
    pub name: String,
    /// Description (empty when none).
    pub description: String,
    /// Data type as Intercom spells it.
    pub data_type: String,
    /// Required when teammates create a ticket.
    pub required_to_create: bool,
    /// Required when contacts create a ticket.
    pub required_to_create_for_contacts: bool,
    /// Shown to teammates when they create a ticket.
    pub visible_on_create: bool,
    /// Shown to contacts.
    pub visible_to_contacts: bool,
    /// `input_options.multiline`, when the answer shows it.
    pub multiline: Option<bool>,
    /// `input_options.allow_multiple_values`, when the answer shows it (undocumented).
    pub allow_multiple_values: Option<bool>,
    /// One of the attributes Intercom adds to every type (read-only).
    pub default: bool,
    /// Archived.
    pub archived: bool,
}

/// `POST /ticket_types`: a ticket type to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NewTicketType {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Category (Intercom's default: `Customer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TicketTypeCategory>,
    /// Icon (an emoji).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Internal use only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_internal: Option<bool>,
}

/// `PUT /ticket_types/{id}`: the fields that change (`None` leaves one alone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TicketTypeChanges {
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TicketTypeCategory>,
    /// New icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// New internal flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_internal: Option<bool>,
    /// Archive (`true`) or unarchive (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl TicketTypeChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == TicketTypeChanges::default()
    }
}

/// Which ticket type a new attribute goes in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketTypeRef {
    /// An existing ticket type.
    Id(String),
    /// The ticket type that the same change creates first.
    Created,
}

/// `POST /ticket_types/{id}/attributes`: an attribute to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NewTicketTypeAttribute {
    /// Name.
    pub name: String,
    /// Description (Intercom requires one; may be empty).
    pub description: String,
    /// Data type (cannot be changed later).
    pub data_type: TicketAttributeType,
    /// Required when teammates create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create: Option<bool>,
    /// Required when contacts create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create_for_contacts: Option<bool>,
    /// Shown to teammates when they create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_on_create: Option<bool>,
    /// Shown to contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_to_contacts: Option<bool>,
    /// Multi-line text (`string` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
    /// The items of a `list`, comma-delimited as Intercom takes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_items: Option<String>,
    /// Several files (`files` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_multiple_values: Option<bool>,
}

/// `PUT /ticket_types/{id}/attributes/{attribute_id}`: the fields that change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TicketTypeAttributeChanges {
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Required when teammates create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create: Option<bool>,
    /// Required when contacts create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_to_create_for_contacts: Option<bool>,
    /// Shown to teammates when they create a ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_on_create: Option<bool>,
    /// Shown to contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_to_contacts: Option<bool>,
    /// Multi-line text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
    /// Several files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_multiple_values: Option<bool>,
    /// Archive (`true`) or unarchive (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl TicketTypeAttributeChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == TicketTypeAttributeChanges::default()
    }
}
