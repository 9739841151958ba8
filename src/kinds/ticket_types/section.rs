//! The `ticket_types` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::declaration;
use crate::kinds::engine::Declaration;
use crate::model::{TicketAttributeType, TicketTypeCategory};

declaration! {
    /// A ticket type. Its name identifies it; a field left out is not managed.
    pub struct TicketType {
        /// Ticket type name.
        pub name: String,
    } optional {
        /// Description.
        pub description: String,

        /// Category: `Customer`, `Back-office` or `Tracker` (Intercom's default: `Customer`).
        pub category: TicketTypeCategory,

        /// Icon: one emoji (Intercom's default: 🎟️).
        pub icon: String,

        /// Tickets of this type are for internal use only (a limited feature in Intercom).
        pub is_internal: bool,

        /// `true` archives the type (Intercom cannot delete ticket types); `false` unarchives it.
        pub archived: bool,

        /// Its attributes, by name within the type. Absent: not managed. Intercom's default
        /// attributes (`_default_title_`, `_default_description_`) are never listed.
        pub attributes: Vec<TicketTypeAttribute>,
    }
}

declaration! {
    /// An attribute of a ticket type.
    pub struct TicketTypeAttribute {
        /// Attribute name (unique within its type).
        pub name: String,

        /// Data type. Cannot be changed after creation (a manual step).
        pub data_type: TicketAttributeType,
    } optional {
        /// Description shown to teammates and contacts.
        pub description: String,

        /// Teammates must fill it in to create a ticket.
        pub required_to_create: bool,

        /// Contacts must fill it in to create a ticket.
        pub required_to_create_for_contacts: bool,

        /// Shown to teammates when they create a ticket.
        pub visible_on_create: bool,

        /// Shown to contacts.
        pub visible_to_contacts: bool,

        /// Multi-line text box (`string` only).
        pub multiline: bool,

        /// Several files may be attached (`files` only). Set when the attribute is created; later
        /// compared only when Intercom shows it.
        pub allow_multiple_values: bool,

        /// The items of a `list` attribute (required to create one; no commas in an item). Set
        /// when the attribute is created only: Intercom does not document how it reads them back,
        /// so they are never compared afterwards.
        pub list_items: Vec<String>,

        /// `true` archives the attribute; `false` unarchives it.
        pub archived: bool,
    }
}

impl Declaration for TicketType {
    fn name(&self) -> &str {
        &self.name
    }
}
