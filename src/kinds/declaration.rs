//! The shape every configuration declaration shares, written once: [`declaration!`]; and
//! [`Declarable`], the schema of a model enum where a declaration may name only some variants.

use std::marker::PhantomData;

use serde::Serialize;

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

/// A model enum that a declaration names (`type: list`), of which the configuration offers only
/// some variants, each with its own help. Declarations hold the model's enum itself; its schema
/// in the configuration is [`Declared`]'s (`#[schemars(with = "Declared<T>")]`), and the
/// schema check refuses the other variants before serde reads the value.
pub trait Declarable: Serialize + Sized + 'static {
    /// The schema's name (`DataAttributeType`).
    const NAME: &'static str;
    /// The schema's description.
    const DESCRIPTION: &'static str;
    /// The variants a declaration may name, each with its help.
    const VARIANTS: &'static [(Self, &'static str)];
}

/// Implements [`Declarable`] for a model enum: the schema's description, then each variant a
/// declaration may name with its help.
macro_rules! declarable {
    ($t:ident, $description:literal, [$($variant:ident: $help:literal),* $(,)?]) => {
        impl crate::kinds::declaration::Declarable for $t {
            const NAME: &'static str = stringify!($t);
            const DESCRIPTION: &'static str = $description;
            const VARIANTS: &'static [(Self, &'static str)] = &[$((Self::$variant, $help)),*];
        }
    };
}
pub(crate) use declarable;

/// The configuration's schema of a [`Declarable`] enum: one string constant per variant.
pub struct Declared<T>(PhantomData<T>);

impl<T: Declarable> schemars::JsonSchema for Declared<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::NAME.into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let variants: Vec<serde_json::Value> = T::VARIANTS
            .iter()
            .map(|(variant, help)| {
                serde_json::json!({
                    "description": help,
                    "type": "string",
                    "const": serde_json::to_value(variant).unwrap_or_default(),
                })
            })
            .collect();
        schemars::json_schema!({
            "description": T::DESCRIPTION,
            "oneOf": variants,
        })
    }
}
