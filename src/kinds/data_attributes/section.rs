//! The `data_attributes` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::{Declared, declarable, declaration};
use crate::model::DataAttributeType;

declarable!(DataAttributeType, "Data types of contact and company attributes.", [
    String: "Text.", Integer: "Whole number.", Float: "Decimal number.", Boolean: "true/false.",
    Date: "Date (stored as a Unix timestamp).", List: "A fixed list of text values; set `options`.",
]);

declaration! {
    /// Custom data attributes, per model.
    #[derive(Default)]
    pub struct DataAttributes {} optional {
        /// Custom attributes of contacts (users and leads).
        pub contact: Vec<DataAttribute>,
        /// Custom attributes of companies.
        pub company: Vec<DataAttribute>,
    }
}

declaration! {
    /// A custom contact or company data attribute. Its name and model identify it; Intercom cannot
    /// rename an attribute or change its type or model (those become manual steps).
    pub struct DataAttribute {
        /// Attribute name, unique across contact and company attributes. Intercom refuses empty
        /// names, leading or trailing spaces, and `.` (it denotes nested attribute paths).
        pub name: String,
        /// Data type. `list` needs `options`. Changing the type of an existing attribute is a
        /// manual step in the Intercom UI.
        #[serde(rename = "type")]
        #[schemars(with = "Declared<DataAttributeType>")]
        pub data_type: DataAttributeType,
    } optional {
        /// Allowed values of a `list` attribute (at least two, unique). The list replaces the live
        /// one; removing a value makes Intercom refuse writers that still send it.
        pub options: Vec<String>,
        /// Description shown in Intercom. Absent: not managed.
        pub description: String,
        /// Whether the Messenger (JavaScript API) may write the attribute. Absent: not managed.
        pub messenger_writable: bool,
        /// `true` archives the attribute (Intercom cannot delete attributes); `false` unarchives
        /// it. Absent: not managed. Archiving an attribute that does not exist is a no-op.
        pub archived: bool,
    }
}
