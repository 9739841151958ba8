//! The live state of a workspace, normalised: what the client reads and the planner compares.
//! Intercom's wire quirks (ids as strings or numbers, list attributes read back as `"string"`
//! plus options) are resolved by the client before values reach these types.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Kind;

/// The workspace a token belongs to (`GET /me` → `app`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct App {
    /// The app's `id_code` (e.g. `ab12cd34`).
    pub id_code: String,
    /// The app's display name.
    pub name: String,
    /// The region Intercom reports (`US`, `EU`, `AU`).
    pub region: String,
    /// Whether identity verification is on for the Messenger (`None`: `GET /me` did not say).
    #[serde(default)]
    pub identity_verification: Option<bool>,
}

/// The workspace's IP allowlist (`GET /ip_allowlist`, API 2.16); also what `PUT` sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct IpAllowlist {
    /// Whether only the listed addresses may reach the workspace.
    pub enabled: bool,
    /// Addresses and CIDR ranges, as Intercom sends them.
    pub ranges: Vec<String>,
}

/// The admin who owns the token (`GET /me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Me {
    /// Admin id.
    pub id: String,
    /// Admin e-mail.
    pub email: String,
    /// The workspace.
    pub app: App,
}

/// Which model a data attribute belongs to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AttributeModel {
    /// Contacts (users and leads).
    Contact,
    /// Companies.
    Company,
}

impl AttributeModel {
    /// The kind that holds attributes of this model.
    pub fn kind(self) -> Kind {
        match self {
            AttributeModel::Contact => Kind::ContactAttributes,
            AttributeModel::Company => Kind::CompanyAttributes,
        }
    }

    /// The wire name (`contact`, `company`).
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeModel::Contact => "contact",
            AttributeModel::Company => "company",
        }
    }
}

/// The data type of a contact or company attribute, as the configuration names it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
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
    /// Date (Unix timestamp).
    Date,
    /// Date and time (Preview; may read back as `date`).
    Datetime,
    /// A list of allowed text values (`options`).
    List,
}

impl DataAttributeType {
    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DataAttributeType::String => "string",
            DataAttributeType::Integer => "integer",
            DataAttributeType::Float => "float",
            DataAttributeType::Boolean => "boolean",
            DataAttributeType::Date => "date",
            DataAttributeType::Datetime => "datetime",
            DataAttributeType::List => "list",
        }
    }
}

/// Intercom's cap on non-archived custom data attributes per workspace (contacts and
/// companies together).
pub const MAX_CUSTOM_ATTRIBUTES: usize = 250;

/// Why Intercom refuses a data attribute name, or `None` when it accepts it.
pub fn attribute_name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("an attribute name must not be empty")
    } else if name.trim() != name {
        Some("an attribute name must not start or end with spaces")
    } else if name.contains('.') {
        Some(
            "an attribute name must not contain `.` (Intercom uses dots for nested attribute paths)",
        )
    } else {
        None
    }
}

/// Intercom's built-in company attributes that contacts have no built-in of (names from the
/// 2.16 description's `GET /data_attributes` example). Nothing documents whether a custom
/// contact attribute may take one of these names (the documented refusals are a name taken
/// by a custom attribute of either model, and a built-in name of the same model), so such a
/// name is a warning, never an error.
pub const COMPANY_ONLY_BUILTIN_NAMES: [&str; 9] = [
    "company_id",
    "last_request_at",
    "remote_created_at",
    "user_count",
    "monthly_spend",
    "size",
    "industry",
    "website",
    "app_id",
];

/// Whether `name` is (case-insensitively) one of [`COMPANY_ONLY_BUILTIN_NAMES`].
pub fn is_company_only_builtin(name: &str) -> bool {
    COMPANY_ONLY_BUILTIN_NAMES
        .iter()
        .any(|b| b.eq_ignore_ascii_case(name))
}

/// A contact or company data attribute (custom or built-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataAttribute {
    /// Intercom id; built-in attributes have none.
    pub id: Option<String>,
    /// Contact or company.
    pub model: AttributeModel,
    /// The attribute name (the natural key together with the model).
    pub name: String,
    /// Normalised type: a list attribute is `List` with its options.
    pub data_type: DataAttributeType,
    /// Allowed values of a list attribute, in Intercom's order.
    pub options: Vec<String>,
    /// Description (empty when none).
    pub description: String,
    /// Whether the Messenger may write it.
    pub messenger_writable: bool,
    /// Whether it is archived.
    pub archived: bool,
    /// `true` for custom attributes; built-ins are never managed.
    pub custom: bool,
}

/// The data type of a conversation attribute.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
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
    /// A list of options.
    List,
    /// A reference to a custom object (not manageable from the configuration).
    Relationship,
    /// File attachments (not manageable from the configuration).
    Files,
}

impl ConversationAttributeType {
    /// The configuration and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationAttributeType::String => "string",
            ConversationAttributeType::Integer => "integer",
            ConversationAttributeType::Decimal => "decimal",
            ConversationAttributeType::Boolean => "boolean",
            ConversationAttributeType::Datetime => "datetime",
            ConversationAttributeType::List => "list",
            ConversationAttributeType::Relationship => "relationship",
            ConversationAttributeType::Files => "files",
        }
    }
}

/// One option of a conversation list attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationAttributeOption {
    /// Option id (a UUID string).
    pub id: String,
    /// The label, which is the option's natural key.
    pub label: String,
    /// Archived options stay listed.
    pub archived: bool,
}

/// A conversation attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationAttribute {
    /// Intercom id.
    pub id: String,
    /// Name (natural key; not guaranteed unique by Intercom).
    pub name: String,
    /// Type.
    pub data_type: ConversationAttributeType,
    /// Description (empty when none).
    pub description: String,
    /// Whether teammates must fill it in.
    pub required: bool,
    /// Team ids that see it; empty means all teams.
    pub visible_to_team_ids: Vec<String>,
    /// Whether it is archived.
    pub archived: bool,
    /// Multi-line text (string attributes only).
    pub multiline: Option<bool>,
    /// Options of a list attribute, archived ones included.
    pub options: Vec<ConversationAttributeOption>,
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Intercom id.
    pub id: String,
    /// Name (natural key, case-insensitive).
    pub name: String,
}

/// A teammate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admin {
    /// Intercom id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// E-mail (natural key, case-insensitive).
    pub email: String,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Intercom id.
    pub id: String,
    /// Name (natural key).
    pub name: String,
    /// Member admin ids.
    pub admin_ids: Vec<String>,
    /// Secondary-priority admin ids (load-balanced teams only).
    pub secondary_admin_ids: Vec<String>,
    /// `round_robin`, `load_balanced`, … when Intercom reports one.
    pub distribution_method: Option<String>,
}

impl Team {
    /// Whether the team distributes load by priority level (and so accepts secondary members).
    pub fn is_load_balanced(&self) -> bool {
        self.distribution_method.as_deref() == Some("load_balanced")
    }
}

/// A segment (read-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Intercom id.
    pub id: String,
    /// Name (natural key).
    pub name: String,
}

/// One audience predicate; Intercom treats every field as an opaque string.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Predicate {
    /// Attribute path, e.g. `company.plan`.
    pub attribute: String,
    /// Value type, e.g. `string`, `role`.
    #[serde(rename = "type")]
    pub value_type: String,
    /// Comparison, e.g. `eq`, `contains`.
    pub comparison: String,
    /// Value compared against.
    pub value: String,
}

/// A Help Center collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpCenterCollection {
    /// Intercom id.
    pub id: String,
    /// Its own name.
    pub name: String,
    /// Its path of names from the top of its help center, joined by `/` (natural key).
    pub path: String,
    /// Its parent collection's id (`None`: top level).
    pub parent_id: Option<String>,
    /// Its help center's id (top-level collections; nested ones are in their parent's).
    pub help_center_id: Option<String>,
    /// Its description (`None` or empty: none).
    pub description: Option<String>,
    /// How many articles it and its sub-collections hold.
    pub articles: usize,
    /// Its help center's default locale, when Intercom says (multilingual help centers).
    #[serde(default)]
    pub default_locale: Option<String>,
    /// Its name and description in the other locales.
    #[serde(default)]
    pub translations: crate::model::Translations<crate::model::GroupContent>,
}

/// A help center (read with the collections; collections name theirs in `_collection.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpCenter {
    /// Intercom id.
    pub id: String,
    /// The identifier in its URL (`https://intercom.help/<identifier>`).
    pub identifier: String,
    /// The name teammates see.
    pub display_name: String,
    /// Whether new collections go to it when none is named.
    pub default: bool,
    /// The locales it is available in (empty: Intercom did not say).
    #[serde(default)]
    pub locales: Vec<String>,
}

/// An audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// Intercom id.
    pub id: String,
    /// Name (natural key).
    pub name: String,
    /// Contact predicates, in order.
    pub predicates: Vec<Predicate>,
    /// Role predicates, in order.
    pub role_predicates: Vec<Predicate>,
}

/// An open interval of a weekly schedule, in minutes from Monday 00:00.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct WeeklyInterval {
    /// Start minute (0..=10080, multiple of 15).
    pub start_minute: u32,
    /// End minute (exclusive).
    pub end_minute: u32,
}

impl WeeklyInterval {
    /// These intervals cut at every midnight, as Intercom keeps them: each interval belongs to
    /// one day (its answer derives one `day_of_week` from it).
    pub fn split_at_midnight(intervals: &[WeeklyInterval]) -> Vec<WeeklyInterval> {
        const DAY: u32 = 24 * 60;
        let mut out = Vec::with_capacity(intervals.len());
        for i in intervals {
            let mut start = i.start_minute;
            while start < i.end_minute {
                let end = i.end_minute.min((start / DAY + 1) * DAY);
                out.push(WeeklyInterval {
                    start_minute: start,
                    end_minute: end,
                });
                start = end;
            }
        }
        out
    }
}

/// An exception to an office-hours schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHoursException {
    /// Intercom id.
    pub id: String,
    /// `YYYY-MM-DD` (natural key within the schedule).
    pub date: String,
    /// Display name (empty when none).
    pub name: String,
    /// Closed all day when true; otherwise `intervals` apply.
    pub closed: bool,
    /// Open intervals in minutes from midnight (0..=1440).
    pub intervals: Vec<WeeklyInterval>,
    /// Repeats every year.
    pub recurring: bool,
}

/// An office-hours schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHoursSchedule {
    /// Intercom id.
    pub id: String,
    /// Name (natural key).
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Weekly open intervals, sorted.
    pub intervals: Vec<WeeklyInterval>,
    /// Exceptions; `None` when they were not read.
    pub exceptions: Option<Vec<OfficeHoursException>>,
}

/// One kind's live objects, of the type its kinds module reads (shared, cheap to clone).
#[derive(Clone)]
struct Objects(Arc<dyn Any + Send + Sync>);

impl std::fmt::Debug for Objects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Objects(..)")
    }
}

/// Everything read from a workspace. Kinds that were not in scope stay empty and are absent
/// from `fetched`, so the planner can tell "none live" from "not read". Each kind's objects
/// are kept as the type its kinds module reads; `objects` hands them back typed.
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// `GET /me`.
    pub me: Me,
    /// Kinds that were read (admins are read whenever teams are).
    pub fetched: BTreeSet<Kind>,
    /// Admins, read when teams are in scope.
    pub admins: Vec<Admin>,
    /// Help centers, read with the Help Center collections.
    pub help_centers: Vec<HelpCenter>,
    objects: BTreeMap<Kind, Objects>,
}

impl Live {
    /// The live objects of `kind` (empty when they were not read).
    pub fn objects<T: Any>(&self, kind: Kind) -> &[T] {
        self.objects
            .get(&kind)
            .and_then(|o| o.0.downcast_ref::<Vec<T>>())
            .map_or(&[], Vec::as_slice)
    }

    /// Sets the live objects of `kind`.
    pub fn set_objects<T: Any + Send + Sync>(&mut self, kind: Kind, items: Vec<T>) {
        self.objects.insert(kind, Objects(Arc::new(items)));
    }

    /// The same workspace with the objects of `kind` set, for building one by hand.
    pub fn with<T: Any + Send + Sync>(mut self, kind: Kind, items: Vec<T>) -> Self {
        self.set_objects(kind, items);
        self
    }
}
