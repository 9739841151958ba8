//! The `tags` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::declaration;

declaration! {
    /// A tag. Names are case-insensitive: `vip` and `VIP` are the same tag, and a differing case
    /// is fixed by renaming.
    pub struct Tag {
        /// Tag name.
        pub name: String,
    } optional {
        /// The tag's previous name: rename it (keeping its id and taggings) instead of creating.
        pub renamed_from: String,
    }
}
