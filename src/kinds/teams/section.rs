//! The `teams` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A team. Teams cannot be created through the API; a declared team must exist.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Team name, as in Intercom.
    pub name: String,

    /// The complete membership, by teammate e-mail (case-insensitive). Absent: membership is
    /// not managed. Intercom cannot empty a team, so `[]` is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(email))]
    pub members: Option<Vec<String>>,

    /// Members at secondary priority (load-balanced teams only); each must be in `members`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(email))]
    pub secondary: Option<Vec<String>>,
}
