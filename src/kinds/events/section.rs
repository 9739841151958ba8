//! The `events` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kinds::declaration::declaration;

declaration! {
    /// An event definition: its name and the metadata keys senders may use.
    pub struct Event {
        /// Event name as sent in `POST /events` (past-tense verb-noun, e.g. `upgraded-plan`).
        pub name: String,
    } optional {
        /// What the event means, for people reading the tracking plan.
        pub description: String,
        /// Metadata keys (at most 10: Intercom keeps the first 10 in the order sent and drops the
        /// rest). A key ending in `_date` must be of type `date` and a `date` key must end in
        /// `_date` (Intercom detects dates by the suffix).
        // Declared order, not sorted: it decides which keys are "the first 10".
        pub metadata: IndexMap<String, Metadata>,
        /// Why producers should stop sending this event. `events validate` and `events send`
        /// warn on each one (an error under `--deny-warnings`); generated producers mark it
        /// deprecated.
        #[schemars(length(min = 1))]
        pub deprecated: String,
        /// Who owns the event (a team or person), for people reading the tracking plan.
        #[schemars(length(min = 1))]
        pub owner: String,
    }
}

declaration! {
    /// One metadata key of an event.
    pub struct Metadata {
        /// Value type: `string` (≤ 255 characters), `number`, `date` (Unix seconds), `link`
        /// (http/https URL), `rich_link` (`{url, value}`), `money` (`{amount: cents, currency}`).
        #[serde(rename = "type")]
        pub value_type: MetadataType,
    } optional {
        /// Every event must carry this key.
        pub required: bool,
        /// What the value means.
        pub description: String,
        /// `string` keys only: the allowed values.
        #[serde(rename = "enum")]
        #[schemars(length(min = 1))]
        pub allowed: Vec<String>,
        /// `string` keys only: a regular expression the value must contain a match of, as in
        /// JSON Schema (anchor it with `^…$` to match the whole value); Rust `regex` syntax,
        /// which has no look-around or back-references.
        pub pattern: String,
        /// `number` keys only: the smallest allowed value.
        pub min: f64,
        /// `number` keys only: the largest allowed value.
        pub max: f64,
        /// Why producers should stop sending this key. `events validate` and `events send` warn
        /// on each use (an error under `--deny-warnings`).
        #[schemars(length(min = 1))]
        pub deprecated: String,
    }
}

/// Types of event metadata values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetadataType {
    /// Text up to 255 characters.
    String,
    /// A number.
    Number,
    /// A Unix timestamp in seconds; the key must end in `_date`.
    Date,
    /// An http(s) URL.
    Link,
    /// `{url, value}`.
    RichLink,
    /// `{amount: integer cents, currency: ISO 4217 lower-case}`.
    Money,
}
