//! The `teams` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::declaration;

declaration! {
    /// A team. Teams cannot be created through the API; a declared team must exist.
    pub struct Team {
        /// Team name, as in Intercom.
        pub name: String,
    } optional {
        /// The complete membership, by teammate e-mail (case-insensitive). Absent: membership is
        /// not managed. Intercom cannot empty a team, so `[]` is an error.
        #[schemars(inner(email))]
        pub members: Vec<String>,
        /// Members at secondary priority (load-balanced teams only); each must be in `members`.
        #[schemars(inner(email))]
        pub secondary: Vec<String>,
    }
}
