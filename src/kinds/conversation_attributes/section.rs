//! The `conversation_attributes` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A conversation attribute (API 2.16+). Its name identifies it; `renamed_from` renames an
/// existing one instead of creating a new one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationAttribute {
    /// Attribute name.
    pub name: String,

    /// Data type. Cannot be changed after creation (a manual step).
    #[serde(rename = "type")]
    pub data_type: ConversationAttributeType,

    /// Options of a `list` attribute (at least two, unique). Options missing here are
    /// archived, new ones added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,

    /// Description. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Whether teammates must fill the attribute in before closing a conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,

    /// Names of the teams that see the attribute; `[]` means all teams. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_to_teams: Option<Vec<String>>,

    /// Multi-line text box (`string` attributes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,

    /// `true` archives the attribute. Intercom cannot unarchive conversation attributes through
    /// the API (a manual step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,

    /// The attribute's previous name: rename it instead of creating a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
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
