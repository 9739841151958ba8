//! The `audiences` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An audience: contacts matching all predicates.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Audience name.
    pub name: String,
    /// Contact predicates, compared in order. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicates: Option<Vec<Predicate>>,
    /// Role predicates (e.g. `role eq user`), compared in order. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_predicates: Option<Vec<Predicate>>,
    /// The audience's previous name: rename it instead of creating a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// One audience condition. Intercom treats every field as text.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Predicate {
    /// Attribute path, e.g. `company.plan` or `role`.
    pub attribute: String,
    /// Value type, e.g. `string`, `integer`, `role`.
    #[serde(rename = "type")]
    pub value_type: String,
    /// Comparison, e.g. `eq`, `ne`, `contains`, `gt`.
    pub comparison: String,
    /// The value compared against (quote numbers: it is text).
    pub value: String,
}
