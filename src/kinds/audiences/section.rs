//! The `audiences` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::kinds::declaration::declaration;

declaration! {
    /// An audience: contacts matching all predicates.
    pub struct Audience {
        /// Audience name.
        pub name: String,
    } optional {
        /// Contact predicates, compared in order. Absent: not managed.
        pub predicates: Vec<Predicate>,
        /// Role predicates (e.g. `role eq user`), compared in order. Absent: not managed.
        pub role_predicates: Vec<Predicate>,
        /// The audience's previous name: rename it instead of creating a new one.
        pub renamed_from: String,
    }
}

declaration! {
    /// One audience condition. Intercom treats every field as text.
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
}
