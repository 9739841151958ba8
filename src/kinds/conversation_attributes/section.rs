//! The `conversation_attributes` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::{Declared, declarable, declaration};
use crate::model::ConversationAttributeType;

declarable!(ConversationAttributeType, "Data types of conversation attributes.", [
    String: "Text.", Integer: "Whole number.", Decimal: "Decimal number.", Boolean: "true/false.",
    Datetime: "Date and time.", List: "A list of options; set `options`.",
]);

declaration! {
    /// A conversation attribute (API 2.16+). Its name identifies it; `renamed_from` renames an
    /// existing one instead of creating a new one.
    pub struct ConversationAttribute {
        /// Attribute name.
        pub name: String,
        /// Data type. Cannot be changed after creation (a manual step).
        #[serde(rename = "type")]
        #[schemars(with = "Declared<ConversationAttributeType>")]
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
