//! The configuration language, version 1: the serde types of one configuration file. The JSON
//! Schema in `schemas/` is generated from these types, so every doc comment here is the help an
//! editor shows on hover.
//!
//! Semantics shared by every field: **an absent field is not managed**. It is never compared
//! and never sent, so adopting an existing workspace never wipes values nobody wrote down.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Kind, Region};

/// An intercom-iac configuration file (language version 1). A configuration is one file or a
/// directory of them: lists concatenate across files, mappings merge, and a scalar set in two
/// files is an error. Absent fields are not managed: only what the files say is enforced.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ConfigFile {
    /// Configuration language version. Optional; must be 1 where present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,

    /// Guard against touching the wrong workspace: intercom-iac refuses to run when the
    /// access token belongs to another app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<Workspace>,

    /// Kinds whose live objects that this configuration does not declare may be removed
    /// (archived where Intercom cannot delete). Default: none. The schema lists the prunable
    /// kinds (`kinds::prunable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prune: Option<Vec<Kind>>,

    /// Per kind, name patterns (globs, case-insensitive, `*` and `?`) of live objects managed
    /// elsewhere: they are never planned, pruned or reported as unmanaged. Declaring and
    /// ignoring the same object is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore: Option<Ignore>,

    /// The kinds' sections (`tags:`, `teams:`, …), each read by its kinds module; the schema
    /// lists them from the registry.
    #[serde(flatten)]
    pub sections: serde_json::Map<String, serde_json::Value>,
}

// The sections every configuration has, whatever the kinds: their schema is the root's, to
// which `ConfigFile`'s schema adds each registered kind's section. (Its doc comment is the
// schema's description.)
/// An intercom-iac configuration file (language version 1). A configuration is one file or a
/// directory of them: lists concatenate across files, mappings merge, and a scalar set in two
/// files is an error. Absent fields are not managed: only what the files say is enforced.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "intercom-iac configuration")]
struct Head {
    /// Configuration language version. Optional; must be 1 where present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [1]))]
    version: Option<u32>,

    /// Guard against touching the wrong workspace: intercom-iac refuses to run when the
    /// access token belongs to another app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workspace: Option<Workspace>,

    /// Kinds whose live objects that this configuration does not declare may be removed
    /// (archived where Intercom cannot delete). Default: none. The schema lists the prunable
    /// kinds (`kinds::prunable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prune: Option<Vec<Kind>>,

    /// Per kind, name patterns (globs, case-insensitive, `*` and `?`) of live objects managed
    /// elsewhere: they are never planned, pruned or reported as unmanaged. Declaring and
    /// ignoring the same object is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ignore: Option<Ignore>,

    /// Several workspaces from one configuration: each environment (by name) with its
    /// workspace, its variables and its overlay files. Commands then take `--env NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z0-9][a-z0-9_-]*$"}))]
    environments: Option<IndexMap<String, super::environments::Environment>>,

    /// Overlay files only: fields of base objects that differ in this environment, by address
    /// (`tag["VIP"]: {description: …}`) or by address and field (`team["Support"].members: […]`).
    #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z_]+\\[\".*\"\\](\\.[a-z0-9_]+)?$"}))]
    overrides: Option<IndexMap<String, serde_json::Value>>,

    /// Overlay files only: base objects that this environment does not have, by address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remove: Option<Vec<crate::model::Address>>,
}

impl JsonSchema for ConfigFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ConfigFile".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = Head::json_schema(generator);
        let sections: Vec<(String, serde_json::Value)> = crate::kinds::REGISTRY
            .iter()
            .filter_map(|k| k.section())
            .map(|section| {
                let mut property = serde_json::Map::new();
                property.insert("description".into(), section.description.into());
                if let serde_json::Value::Object(rest) = (section.schema)(generator).to_value() {
                    property.extend(rest);
                }
                (section.key.to_string(), serde_json::Value::Object(property))
            })
            .collect();
        if let Some(serde_json::Value::Object(properties)) = schema.get_mut("properties") {
            if let Some(serde_json::Value::Object(prune)) = properties.get_mut("prune") {
                let description = format!(
                    "Kinds whose live objects that this configuration does not declare may be \
                     removed (archived where Intercom cannot delete). Default: none. Prunable \
                     kinds: {}.",
                    crate::kinds::prunable()
                );
                prune.insert("description".into(), description.into());
            }
            properties.extend(sections);
        }
        schema
    }
}

/// Which workspace the configuration belongs to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    /// The Intercom app `id_code` (`GET /me` → `app.id_code`). When set, intercom-iac refuses
    /// to read or write a workspace whose token belongs to another app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub app_id: Option<String>,

    /// The region hosting the workspace, which picks the API host: `us` (default,
    /// api.intercom.io), `eu` (api.eu.intercom.io) or `au` (api.au.intercom.io).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,

    /// The IP allowlist (API 2.16; the token needs the `manage_ip_allowlist` scope): which
    /// addresses may reach the workspace. Applied after every other change; a plan that enables
    /// or narrows it warns, because the tool cannot know its own public address, and Intercom
    /// refuses a list that would lock the caller out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_allowlist: Option<IpAllowlist>,

    /// `true`: identity verification must be on for the Messenger (`GET /me` →
    /// `app.identity_verification`). The API cannot switch it on, so when it is off the plan
    /// shows a manual step and `drift` reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_identity_verification: Option<bool>,
}

/// The workspace's IP allowlist.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpAllowlist {
    /// Whether only the listed addresses may reach the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,

    /// IPv4 or IPv6 addresses and CIDR ranges (`10.0.0.1` is `10.0.0.1/32`), compared as
    /// canonical ranges in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Vec<String>>,
}

/// Name patterns of live objects managed elsewhere, per kind (keys: the kinds' plural names).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Ignore(pub BTreeMap<Kind, Vec<String>>);

impl JsonSchema for Ignore {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ignore".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut properties = serde_json::Map::new();
        for kind in Kind::ALL {
            let noun = kind.noun();
            let mut chars = noun.chars();
            let first = chars.next().map(|c| c.to_uppercase().to_string());
            properties.insert(
                kind.plural().to_string(),
                serde_json::json!({
                    "description": format!("{}{} name patterns.", first.unwrap_or_default(), chars.as_str()),
                    "type": "array",
                    "items": {"type": "string"},
                }),
            );
        }
        schemars::json_schema!({
            "description": "Name patterns of live objects managed elsewhere, per kind.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}

/// An event definition: its name and the metadata keys senders may use.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Event name as sent in `POST /events` (past-tense verb-noun, e.g. `upgraded-plan`).
    pub name: String,
    /// What the event means, for people reading the tracking plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata keys (at most 10: Intercom keeps the first 10 in the order sent and drops the
    /// rest). A key ending in `_date` must be of type `date` and a `date` key must end in
    /// `_date` (Intercom detects dates by the suffix).
    // Declared order, not sorted: it decides which keys are "the first 10".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<IndexMap<String, Metadata>>,
    /// Why producers should stop sending this event. `events validate` and `events send` warn
    /// on each one (an error under `--deny-warnings`); generated producers mark it deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub deprecated: Option<String>,
    /// Who owns the event (a team or person), for people reading the tracking plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub owner: Option<String>,
}

/// One metadata key of an event.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Value type: `string` (≤ 255 characters), `number`, `date` (Unix seconds), `link`
    /// (http/https URL), `rich_link` (`{url, value}`), `money` (`{amount: cents, currency}`).
    #[serde(rename = "type")]
    pub value_type: MetadataType,
    /// Every event must carry this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// What the value means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `string` keys only: the allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub allowed: Option<Vec<String>>,
    /// `string` keys only: a regular expression the value must contain a match of, as in JSON
    /// Schema (anchor it with `^…$` to match the whole value); Rust `regex` syntax, which has
    /// no look-around or back-references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `number` keys only: the smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// `number` keys only: the largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Why producers should stop sending this key. `events validate` and `events send` warn
    /// on each use (an error under `--deny-warnings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub deprecated: Option<String>,
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
