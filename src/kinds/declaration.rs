//! The shape every configuration declaration shares, written once: [`declaration!`].

/// Declares a configuration declaration type (a list item or section of a kind): a struct that
/// serde reads refusing unknown fields and the schema describes, with its fields in two groups.
/// The first are required; those after `optional` may be absent, which means "not managed":
/// each is an `Option` left out when exported. Doc comments and other attributes pass through.
macro_rules! declaration {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident: $ty:ty, )*
        } $( optional {
            $( $(#[$optional_meta:meta])* pub $optional:ident: $optional_ty:ty, )*
        } )?
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
        )]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            $($(
                $(#[$optional_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $optional: Option<$optional_ty>,
            )*)?
        }
    };
}
pub(crate) use declaration;
