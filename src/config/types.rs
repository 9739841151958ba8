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

use super::office_hours::{DayHours, WeeklyHours};
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

/// Custom data attributes, per model.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataAttributes {
    /// Custom attributes of contacts (users and leads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Vec<DataAttribute>>,
    /// Custom attributes of companies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Vec<DataAttribute>>,
}

/// A custom contact or company data attribute. Its name and model identify it; Intercom cannot
/// rename an attribute or change its type or model (those become manual steps).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataAttribute {
    /// Attribute name, unique across contact and company attributes. Intercom refuses empty
    /// names, leading or trailing spaces, and `.` (it denotes nested attribute paths).
    pub name: String,

    /// Data type. `list` needs `options`. Changing the type of an existing attribute is a
    /// manual step in the Intercom UI.
    #[serde(rename = "type")]
    pub data_type: DataAttributeType,

    /// Allowed values of a `list` attribute (at least two, unique). The list replaces the live
    /// one; removing a value makes Intercom refuse writers that still send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,

    /// Description shown in Intercom. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Whether the Messenger (JavaScript API) may write the attribute. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messenger_writable: Option<bool>,

    /// `true` archives the attribute (Intercom cannot delete attributes); `false` unarchives
    /// it. Absent: not managed. Archiving an attribute that does not exist is a no-op.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

/// Data types of contact and company attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataAttributeType {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Decimal number.
    Float,
    /// true/false.
    Boolean,
    /// Date (stored as a Unix timestamp).
    Date,
    /// A fixed list of text values; set `options`.
    List,
}

/// A conversation attribute (API 2.16+). Its name identifies it; `renamed_from` renames an
/// existing one instead of creating a new one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationAttribute {
    /// Attribute name.
    pub name: String,

    /// Data type. Cannot be changed after creation (a manual step).
    #[serde(rename = "type")]
    pub data_type: ConversationAttributeType,

    /// Options of a `list` attribute (at least two, unique). Options missing here are
    /// archived, new ones added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,

    /// Description. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Whether teammates must fill the attribute in before closing a conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,

    /// Names of the teams that see the attribute; `[]` means all teams. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_to_teams: Option<Vec<String>>,

    /// Multi-line text box (`string` attributes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,

    /// `true` archives the attribute. Intercom cannot unarchive conversation attributes through
    /// the API (a manual step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,

    /// The attribute's previous name: rename it instead of creating a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// Data types of conversation attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationAttributeType {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Decimal number.
    Decimal,
    /// true/false.
    Boolean,
    /// Date and time.
    Datetime,
    /// A list of options; set `options`.
    List,
}

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

/// An office-hours schedule.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeHours {
    /// Schedule name.
    pub name: String,
    /// IANA time zone, e.g. `Europe/Dublin`.
    pub time_zone: String,
    /// Weekly open hours. Keys: `mon` … `sun`, or a range such as `mon-fri`. Values: intervals
    /// `"HH:MM-HH:MM"` on 15-minute boundaries (`24:00` ends a day), not overlapping.
    pub hours: WeeklyHours,
    /// Days that differ from the weekly hours. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<Vec<OfficeHoursException>>,
    /// The schedule's previous name: rename it instead of creating a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// A day that differs from the weekly hours: closed, or open at other hours.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeHoursException {
    /// The day, `YYYY-MM-DD` (quoting is optional).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: String,
    /// Closed all day. Set either `closed: true` or `hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
    /// Open intervals that day, `"HH:MM-HH:MM"` on 15-minute boundaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<DayHours>,
    /// Name shown in Intercom, e.g. `Christmas`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Repeats every year on the same date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<bool>,
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
