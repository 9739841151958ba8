//! The `tags` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A tag. Names are case-insensitive: `vip` and `VIP` are the same tag, and a differing case
/// is fixed by renaming.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// Tag name.
    pub name: String,
    /// The tag's previous name: rename it (keeping its id and taggings) instead of creating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}
