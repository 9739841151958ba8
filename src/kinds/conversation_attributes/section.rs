//! The `conversation_attributes` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::declaration::declaration;

declaration! {
    /// A conversation attribute (API 2.16+). Its name identifies it; `renamed_from` renames an
    /// existing one instead of creating a new one.
    pub struct ConversationAttribute {
        /// Attribute name.
        pub name: String,
        /// Data type. Cannot be changed after creation (a manual step).
        #[serde(rename = "type")]
        pub data_type: ConversationAttributeType,
    } optional {
        /// Options of a `list` attribute (at least two, unique). Options missing here are
        /// archived, new ones added.
        pub options: Vec<String>,
        /// Description. Absent: not managed.
        pub description: String,
        /// Whether teammates must fill the attribute in before closing a conversation.
        pub required: bool,
        /// Names of the teams that see the attribute; `[]` means all teams. Absent: not managed.
        pub visible_to_teams: Vec<String>,
        /// Multi-line text box (`string` attributes only).
        pub multiline: bool,
        /// `true` archives the attribute. Intercom cannot unarchive conversation attributes through
        /// the API (a manual step).
        pub archived: bool,
        /// The attribute's previous name: rename it instead of creating a new one.
        pub renamed_from: String,
    }
}

/// Data types of conversation attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationAttributeType {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Decimal number.
    Decimal,
    /// true/false.
    Boolean,
    /// Date and time.
    Datetime,
    /// A list of options; set `options`.
    List,
}
