//! Intercom's JSON shapes, private to the client, and their mapping to `crate::model` types.
//! Reading is tolerant: ids may be strings or numbers, unknown fields are ignored, and `null`
//! stands for "absent" everywhere. Quirks (list attributes read back as `"string"` plus plain
//! options, `admin_priority_level`, `null` intervals) end here.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model;

/// An id that Intercom sends as a string in some places and a number in others.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WireId(pub String);

impl<'de> Deserialize<'de> for WireId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = WireId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (string or integer)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireId, E> {
                Ok(WireId(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireId, E> {
                Ok(WireId(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireId, E> {
                Ok(WireId(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireId, E> {
                // Ids are integers; accept `12.0` but nothing with a fraction.
                if v.fract() == 0.0 && v.is_finite() && v.abs() < 9.0e15 {
                    Ok(WireId(format!("{}", v as i64)))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

impl From<WireId> for String {
    fn from(id: WireId) -> String {
        id.0
    }
}

/// `null` or absent → the type's default.
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn ids(v: Vec<WireId>) -> Vec<String> {
    v.into_iter().map(String::from).collect()
}

// ---------------------------------------------------------------------------------------------
// Lists and pages

/// A list answer. The items sit under `data`, `teams`, `admins` or `segments` depending on the
/// endpoint; page information is either top-level (`page`, `total_pages`) or in `pages`.
#[derive(Debug, Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub(super) struct Page<T> {
    #[serde(
        default,
        deserialize_with = "nullable",
        alias = "teams",
        alias = "admins",
        alias = "segments"
    )]
    pub data: Vec<T>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub total_pages: Option<u64>,
    #[serde(default)]
    pub pages: Option<Pages>,
}

/// The `pages` object (any of its fields may be missing; it may be `{}`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Pages {
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub total_pages: Option<u64>,
    #[serde(default)]
    pub next: Option<Next>,
}

/// `pages.next`: a full URL (older "link" style) or a cursor object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Next {
    Url(String),
    Cursor {
        #[serde(default)]
        page: Option<u64>,
        #[serde(default)]
        starting_after: Option<String>,
    },
}

// ---------------------------------------------------------------------------------------------
// Me and admins

#[derive(Debug, Deserialize)]
pub(super) struct Me {
    pub id: WireId,
    #[serde(default, deserialize_with = "nullable")]
    pub email: String,
    #[serde(default)]
    pub app: Option<App>,
}

#[derive(Debug, Deserialize)]
pub(super) struct App {
    #[serde(default, deserialize_with = "nullable")]
    pub id_code: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub region: String,
    #[serde(default)]
    pub identity_verification: Option<bool>,
}

impl From<Me> for model::Me {
    fn from(me: Me) -> Self {
        let app = me.app.map_or_else(model::App::default, |a| model::App {
            id_code: a.id_code,
            name: a.name,
            region: a.region,
            identity_verification: a.identity_verification,
        });
        model::Me {
            id: me.id.into(),
            email: me.email,
            app,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct Admin {
    pub id: WireId,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub email: String,
}

impl From<Admin> for model::Admin {
    fn from(a: Admin) -> Self {
        model::Admin {
            id: a.id.into(),
            name: a.name,
            email: a.email,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Data attributes

/// One entry of a data attribute's `options`: plain strings when read, `{value}` when written;
/// accept both (and `{label}`) when reading.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OptionEntry {
    Plain(String),
    Value { value: String },
    Label { label: String },
}

impl OptionEntry {
    fn into_string(self) -> String {
        match self {
            OptionEntry::Plain(s)
            | OptionEntry::Value { value: s }
            | OptionEntry::Label { label: s } => s,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DataAttribute {
    #[serde(default)]
    pub id: Option<WireId>,
    #[serde(default)]
    pub model: Option<String>,
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub data_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub options: Vec<OptionEntry>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: String,
    #[serde(default, deserialize_with = "nullable")]
    pub messenger_writable: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub archived: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub custom: bool,
}

/// The normalised type of a data attribute. A list reads back as `"string"` with options and is
/// written as `"options"`; both (and `"list"`) become `List`.
pub(super) fn data_attribute_type(
    data_type: &str,
    has_options: bool,
) -> Option<model::DataAttributeType> {
    use model::DataAttributeType as T;
    Some(match data_type {
        "options" | "list" => T::List,
        "string" if has_options => T::List,
        "string" => T::String,
        "integer" => T::Integer,
        "float" => T::Float,
        "boolean" => T::Boolean,
        "date" => T::Date,
        "datetime" => T::Datetime,
        _ => return None,
    })
}

impl DataAttribute {
    /// Maps to the model. `requested` is the model the list was asked for (used when the
    /// object does not say). Fails on a type this tool does not know.
    pub fn into_model(
        self,
        requested: model::AttributeModel,
    ) -> Result<model::DataAttribute, String> {
        let attribute_model = match self.model.as_deref() {
            Some("contact") => model::AttributeModel::Contact,
            Some("company") => model::AttributeModel::Company,
            _ => requested,
        };
        let options: Vec<String> = self
            .options
            .into_iter()
            .map(OptionEntry::into_string)
            .collect();
        let data_type =
            data_attribute_type(&self.data_type, !options.is_empty()).ok_or_else(|| {
                format!(
                    "attribute `{}` has data type `{}`, which this tool does not know",
                    self.name, self.data_type
                )
            })?;
        Ok(model::DataAttribute {
            id: self.id.map(String::from),
            model: attribute_model,
            name: self.name,
            // Non-list attributes keep no options (built-in booleans list "true"/"false").
            options: if data_type == model::DataAttributeType::List {
                options
            } else {
                Vec::new()
            },
            data_type,
            description: self.description,
            messenger_writable: self.messenger_writable,
            archived: self.archived,
            custom: self.custom,
        })
    }
}

/// `{value}`: how an option is written.
#[derive(Debug, Serialize)]
pub(super) struct OptionValue<'a> {
    pub value: &'a str,
}

/// How a list attribute's type is written on create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListForm {
    /// `data_type: "options"` (the current documented form).
    Options,
    /// `data_type: "string"` plus options (the older form).
    String,
}

#[derive(Debug, Serialize)]
pub(super) struct CreateDataAttribute<'a> {
    pub name: &'a str,
    pub model: &'static str,
    pub data_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionValue<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub messenger_writable: bool,
}

impl<'a> CreateDataAttribute<'a> {
    pub fn new(
        name: &'a str,
        attribute_model: model::AttributeModel,
        data_type: model::DataAttributeType,
        options: &'a [String],
        description: Option<&'a str>,
        messenger_writable: bool,
        form: ListForm,
    ) -> Self {
        use model::DataAttributeType as T;
        let wire_type = match (data_type, form) {
            (T::List, ListForm::Options) => "options",
            (T::List, ListForm::String) | (T::String, _) => "string",
            (T::Integer, _) => "integer",
            (T::Float, _) => "float",
            (T::Boolean, _) => "boolean",
            (T::Date, _) => "date",
            (T::Datetime, _) => "datetime",
        };
        CreateDataAttribute {
            name,
            model: attribute_model.as_str(),
            data_type: wire_type,
            options: (data_type == T::List)
                .then(|| options.iter().map(|o| OptionValue { value: o }).collect()),
            description,
            messenger_writable,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct UpdateDataAttribute<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messenger_writable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionValue<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Conversation attributes

#[derive(Debug, Deserialize)]
pub(super) struct ConversationAttributeOption {
    pub id: WireId,
    #[serde(default, deserialize_with = "nullable")]
    pub label: String,
    #[serde(default, deserialize_with = "nullable")]
    pub archived: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct ConversationAttribute {
    pub id: WireId,
    pub name: String,
    pub data_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub description: String,
    #[serde(default, deserialize_with = "nullable")]
    pub required: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub visible_to_team_ids: Vec<WireId>,
    #[serde(default, deserialize_with = "nullable")]
    pub archived: bool,
    #[serde(default)]
    pub multiline: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub options: Vec<ConversationAttributeOption>,
}

/// The model type for a conversation attribute's wire `data_type`.
pub(super) fn conversation_attribute_type(s: &str) -> Option<model::ConversationAttributeType> {
    use model::ConversationAttributeType as T;
    Some(match s {
        "string" => T::String,
        "integer" => T::Integer,
        "decimal" => T::Decimal,
        "boolean" => T::Boolean,
        "datetime" => T::Datetime,
        "list" => T::List,
        "relationship" => T::Relationship,
        "files" => T::Files,
        _ => return None,
    })
}

impl ConversationAttribute {
    /// Maps to the model; fails on an unknown data type.
    pub fn into_model(self) -> Result<model::ConversationAttribute, String> {
        let data_type = conversation_attribute_type(&self.data_type).ok_or_else(|| {
            format!(
                "conversation attribute `{}` has data type `{}`, which this tool does not know",
                self.name, self.data_type
            )
        })?;
        Ok(model::ConversationAttribute {
            id: self.id.into(),
            name: self.name,
            data_type,
            description: self.description,
            required: self.required,
            visible_to_team_ids: ids(self.visible_to_team_ids),
            archived: self.archived,
            multiline: self.multiline,
            options: self
                .options
                .into_iter()
                .map(|o| model::ConversationAttributeOption {
                    id: o.id.into(),
                    label: o.label,
                    archived: o.archived,
                })
                .collect(),
        })
    }
}

#[derive(Debug, Serialize)]
pub(super) struct LabelBody<'a> {
    pub label: &'a str,
}

#[derive(Debug, Serialize)]
pub(super) struct CreateConversationAttribute<'a> {
    pub name: &'a str,
    pub data_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub required: bool,
    pub visible_to_team_ids: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<LabelBody<'a>>>,
}

#[derive(Debug, Serialize)]
pub(super) struct UpdateConversationAttribute<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible_to_team_ids: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Tags

#[derive(Debug, Deserialize)]
pub(super) struct Tag {
    pub id: WireId,
    pub name: String,
}

impl From<Tag> for model::Tag {
    fn from(t: Tag) -> Self {
        model::Tag {
            id: t.id.into(),
            name: t.name,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct TagBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub name: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Teams

#[derive(Debug, Default, Deserialize)]
pub(super) struct PriorityLevel {
    // Primary members are the ones not listed as secondary; only secondaries are kept.
    #[serde(default, deserialize_with = "nullable")]
    pub secondary_admin_ids: Vec<WireId>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Team {
    pub id: WireId,
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub admin_ids: Vec<WireId>,
    #[serde(default, deserialize_with = "nullable")]
    pub admin_priority_level: PriorityLevel,
    #[serde(default)]
    pub distribution_method: Option<String>,
}

impl From<Team> for model::Team {
    fn from(t: Team) -> Self {
        let mut secondary = ids(t.admin_priority_level.secondary_admin_ids);
        secondary.sort();
        secondary.dedup();
        model::Team {
            id: t.id.into(),
            name: t.name,
            admin_ids: ids(t.admin_ids),
            secondary_admin_ids: secondary,
            distribution_method: t.distribution_method,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct PriorityLevelBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_admin_ids: Option<Vec<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_admin_ids: Option<Vec<u64>>,
}

/// `PUT /teams/{id}` (Preview): admin ids are integers on the wire.
#[derive(Debug, Serialize)]
pub(super) struct UpdateTeamMembers {
    pub admin_ids: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_priority_level: Option<PriorityLevelBody>,
}

// ---------------------------------------------------------------------------------------------
// Segments and audiences

#[derive(Debug, Deserialize)]
pub(super) struct Segment {
    pub id: WireId,
    pub name: String,
}

impl From<Segment> for model::Segment {
    fn from(s: Segment) -> Self {
        model::Segment {
            id: s.id.into(),
            name: s.name,
        }
    }
}

/// A predicate as read: every field is an opaque string, but be lenient about numbers and
/// booleans in `value`.
#[derive(Debug, Deserialize)]
pub(super) struct Predicate {
    #[serde(default, deserialize_with = "nullable")]
    pub attribute: String,
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub value_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub comparison: String,
    #[serde(default)]
    pub value: serde_json::Value,
}

impl From<Predicate> for model::Predicate {
    fn from(p: Predicate) -> Self {
        let value = match p.value {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        model::Predicate {
            attribute: p.attribute,
            value_type: p.value_type,
            comparison: p.comparison,
            value,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct Audience {
    pub id: WireId,
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub predicates: Vec<Predicate>,
    #[serde(default, deserialize_with = "nullable")]
    pub role_predicates: Vec<Predicate>,
}

impl From<Audience> for model::Audience {
    fn from(a: Audience) -> Self {
        model::Audience {
            id: a.id.into(),
            name: a.name,
            predicates: a.predicates.into_iter().map(Into::into).collect(),
            role_predicates: a.role_predicates.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct AudienceBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicates: Option<&'a [model::Predicate]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_predicates: Option<&'a [model::Predicate]>,
}

// ---------------------------------------------------------------------------------------------
// Help Center (2.16 `collection`, `article_list_item`)

/// A collection: `help_center_id` is an integer on top-level collections and `null` on
/// nested ones; `parent_id` a string or `null`.
#[derive(Debug, Deserialize)]
pub(super) struct Collection {
    pub id: WireId,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent_id: Option<WireId>,
    #[serde(default)]
    pub help_center_id: Option<WireId>,
    #[serde(default)]
    pub default_locale: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub translated_content: BTreeMap<String, Value>,
}

impl Collection {
    /// Its name and description in the locales other than the default one.
    pub fn translations(&self) -> model::Translations<model::GroupContent> {
        translations(&self.translated_content, self.default_locale.as_deref())
            .map(|(locale, c): (String, GroupContent)| {
                let content = model::GroupContent {
                    name: c.name,
                    description: c.description,
                };
                (locale, content)
            })
            .collect()
    }
}

/// One locale of a `translated_content` (its `type` key and null locales left out), without
/// the default locale, which repeats the object's own fields.
fn translations<'a, T: serde::de::DeserializeOwned>(
    content: &'a BTreeMap<String, Value>,
    default_locale: Option<&'a str>,
) -> impl Iterator<Item = (String, T)> + 'a {
    content.iter().filter_map(move |(locale, value)| {
        if locale == "type" || Some(locale.as_str()) == default_locale || !value.is_object() {
            return None;
        }
        T::deserialize(value).ok().map(|c| (locale.clone(), c))
    })
}

/// A collection's content in one locale (2.16 `group_content`).
#[derive(Debug, Deserialize, Serialize)]
pub(super) struct GroupContent {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An article's content in one locale (2.16 `article_content`).
#[derive(Debug, Deserialize)]
pub(super) struct ArticleContent {
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub body: String,
    #[serde(default)]
    pub body_markdown: Option<String>,
    #[serde(default)]
    pub author_id: Option<WireId>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// An article's content in one locale as sent (`author_id` an integer).
#[derive(Debug, Serialize)]
pub(super) struct ArticleContentBody<'a> {
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub body_markdown: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
}

fn article_state(state: Option<&str>) -> Option<model::ArticleState> {
    match state {
        Some("published") => Some(model::ArticleState::Published),
        Some("draft") => Some(model::ArticleState::Draft),
        _ => None,
    }
}

/// A help center (2.16 `help_center`, listed in a `help_center_list`).
#[derive(Debug, Deserialize)]
pub(super) struct HelpCenter {
    pub id: WireId,
    #[serde(default, deserialize_with = "nullable")]
    pub identifier: String,
    #[serde(default, deserialize_with = "nullable")]
    pub display_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub default: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub locales: Vec<String>,
}

impl From<HelpCenter> for model::HelpCenter {
    fn from(h: HelpCenter) -> Self {
        model::HelpCenter {
            id: h.id.0,
            identifier: h.identifier,
            display_name: h.display_name,
            default: h.default,
            locales: h.locales,
        }
    }
}

/// What the collections kind needs of an article: the collections it sits in, top down.
#[derive(Debug, Deserialize)]
pub(super) struct ArticleParents {
    #[serde(default, deserialize_with = "nullable")]
    pub parent_ids: Vec<WireId>,
}

/// The body of `POST` and `PUT /help_center/collections`.
#[derive(Debug, Serialize)]
pub(super) struct CollectionBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<&'a str>,
    /// An integer in 2.16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_center_id: Option<u64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translated_content: BTreeMap<&'a str, GroupContent>,
}

/// An article as listed (2.16 `article_list_item`): `parent_ids` are its collections, top
/// down; `body_markdown` is null for articles written in Intercom's editor.
#[derive(Debug, Deserialize)]
pub(super) struct Article {
    pub id: WireId,
    #[serde(default, deserialize_with = "nullable")]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub body: String,
    #[serde(default)]
    pub body_markdown: Option<String>,
    #[serde(default)]
    pub author_id: Option<WireId>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub parent_ids: Vec<WireId>,
    #[serde(default)]
    pub default_locale: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub translated_content: BTreeMap<String, Value>,
    #[serde(default)]
    pub url: Option<String>,
}

impl From<Article> for model::Article {
    fn from(a: Article) -> Self {
        let state = article_state(a.state.as_deref());
        let parent_id = a.parent_ids.last().map(|p| p.0.clone());
        let translations = translations(&a.translated_content, a.default_locale.as_deref())
            .map(|(locale, c): (String, ArticleContent)| {
                let content = model::ArticleTranslation {
                    state: article_state(c.state.as_deref()),
                    title: c.title,
                    description: c.description,
                    body: c.body,
                    body_markdown: c.body_markdown,
                    author_id: c.author_id.map(|i| i.0).unwrap_or_default(),
                    url: c.url,
                };
                (locale, content)
            })
            .collect();
        model::Article {
            default_locale: a.default_locale,
            translations,
            id: a.id.0,
            key: a.title.clone(),
            title: a.title,
            description: a.description,
            body: a.body,
            body_markdown: a.body_markdown,
            author_id: a.author_id.map(|i| i.0).unwrap_or_default(),
            state,
            parent_id,
            collection: None,
            url: a.url,
        }
    }
}

/// The body of `POST /articles` (`parent_id` an integer) and `PUT /articles/{id}`
/// (`parent_id` a string), as the 2.16 description types them.
#[derive(Debug, Serialize)]
pub(super) struct ArticleBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_type: Option<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translated_content: BTreeMap<&'a str, ArticleContentBody<'a>>,
}

// ---------------------------------------------------------------------------------------------
// Office hours

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub(super) struct Interval {
    pub start_minute: u32,
    pub end_minute: u32,
}

impl From<Interval> for model::WeeklyInterval {
    fn from(i: Interval) -> Self {
        model::WeeklyInterval {
            start_minute: i.start_minute,
            end_minute: i.end_minute,
        }
    }
}

impl From<&model::WeeklyInterval> for Interval {
    fn from(i: &model::WeeklyInterval) -> Self {
        Interval {
            start_minute: i.start_minute,
            end_minute: i.end_minute,
        }
    }
}

fn intervals(v: Vec<Interval>) -> Vec<model::WeeklyInterval> {
    let mut out: Vec<model::WeeklyInterval> = v.into_iter().map(Into::into).collect();
    out.sort();
    out
}

#[derive(Debug, Deserialize)]
pub(super) struct OfficeHoursSchedule {
    pub id: WireId,
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub time_zone_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub time_intervals: Vec<Interval>,
}

impl From<OfficeHoursSchedule> for model::OfficeHoursSchedule {
    fn from(s: OfficeHoursSchedule) -> Self {
        model::OfficeHoursSchedule {
            id: s.id.into(),
            name: s.name,
            time_zone: s.time_zone_name,
            intervals: intervals(s.time_intervals),
            exceptions: None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct OfficeHoursException {
    pub id: WireId,
    pub exception_date: String,
    #[serde(default, deserialize_with = "nullable")]
    pub exception_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub time_intervals: Vec<Interval>,
    #[serde(default, deserialize_with = "nullable")]
    pub recurring_annually: bool,
}

impl From<OfficeHoursException> for model::OfficeHoursException {
    fn from(e: OfficeHoursException) -> Self {
        let closed = e.exception_type != "custom_hours";
        model::OfficeHoursException {
            id: e.id.into(),
            date: e.exception_date,
            name: e.name,
            closed,
            intervals: if closed {
                Vec::new()
            } else {
                intervals(e.time_intervals)
            },
            recurring: e.recurring_annually,
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ScheduleBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_intervals: Option<Vec<Interval>>,
}

#[derive(Debug, Serialize)]
pub(super) struct ExceptionBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_intervals: Option<Vec<Interval>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_annually: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Debug, Serialize)]
pub(super) struct EventBody<'a> {
    pub event_name: &'a str,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub metadata: &'a serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{AttributeModel, DataAttributeType};

    #[test]
    fn ids_may_be_strings_or_numbers() {
        let v: Vec<WireId> = serde_json::from_value(json!(["7", 8, 9.0, -1])).unwrap();
        assert_eq!(
            v.into_iter().map(String::from).collect::<Vec<_>>(),
            ["7", "8", "9", "-1"]
        );
        assert!(serde_json::from_value::<WireId>(json!(1.5)).is_err());
        assert!(serde_json::from_value::<WireId>(json!(null)).is_err());
        assert!(serde_json::from_value::<WireId>(json!({"id": 1})).is_err());
    }

    #[test]
    fn list_attribute_reads_back_as_string_with_options() {
        let read: DataAttribute = serde_json::from_value(json!({
            "type": "data_attribute", "id": 12878, "model": "contact", "name": "plan_tier",
            "full_name": "custom_attributes.plan_tier", "data_type": "string",
            "options": ["free", "pro"], "description": null, "custom": true,
            "archived": false, "messenger_writable": null, "admin_id": "5712945",
            "brand_new_field": {"nested": true}
        }))
        .unwrap();
        let m = read.into_model(AttributeModel::Company).unwrap();
        assert_eq!(m.id.as_deref(), Some("12878"));
        assert_eq!(m.model, AttributeModel::Contact);
        assert_eq!(m.data_type, DataAttributeType::List);
        assert_eq!(m.options, ["free", "pro"]);
        assert_eq!(m.description, "");
        assert!(!m.messenger_writable);
        assert!(m.custom);
    }

    #[test]
    fn options_form_and_value_objects_also_read_as_list() {
        let read: DataAttribute = serde_json::from_value(json!({
            "name": "x", "data_type": "options", "options": [{"value": "a"}, {"value": "b"}]
        }))
        .unwrap();
        let m = read.into_model(AttributeModel::Company).unwrap();
        assert_eq!(m.model, AttributeModel::Company);
        assert_eq!(m.data_type, DataAttributeType::List);
        assert_eq!(m.options, ["a", "b"]);
        assert_eq!(m.id, None);
    }

    #[test]
    fn built_in_boolean_with_options_stays_boolean() {
        let read: DataAttribute = serde_json::from_value(json!({
            "name": "unsubscribed", "data_type": "boolean", "options": ["true", "false"],
            "custom": false
        }))
        .unwrap();
        let m = read.into_model(AttributeModel::Contact).unwrap();
        assert_eq!(m.data_type, DataAttributeType::Boolean);
        assert!(m.options.is_empty());
        let plain: DataAttribute =
            serde_json::from_value(json!({"name": "n", "data_type": "string", "options": null}))
                .unwrap();
        assert_eq!(
            plain.into_model(AttributeModel::Contact).unwrap().data_type,
            DataAttributeType::String
        );
        let odd: DataAttribute =
            serde_json::from_value(json!({"name": "n", "data_type": "geo"})).unwrap();
        assert!(
            odd.into_model(AttributeModel::Contact)
                .unwrap_err()
                .contains("geo")
        );
    }

    #[test]
    fn list_attribute_is_written_in_options_form_or_the_older_string_form() {
        let options = vec!["free".to_string(), "pro".to_string()];
        let body = CreateDataAttribute::new(
            "plan_tier",
            AttributeModel::Contact,
            DataAttributeType::List,
            &options,
            Some("Plan"),
            false,
            ListForm::Options,
        );
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"name": "plan_tier", "model": "contact", "data_type": "options",
                   "options": [{"value": "free"}, {"value": "pro"}],
                   "description": "Plan", "messenger_writable": false})
        );
        let older = CreateDataAttribute::new(
            "plan_tier",
            AttributeModel::Contact,
            DataAttributeType::List,
            &options,
            None,
            true,
            ListForm::String,
        );
        let v = serde_json::to_value(&older).unwrap();
        assert_eq!(v["data_type"], "string");
        assert_eq!(v["options"], json!([{"value": "free"}, {"value": "pro"}]));
        assert!(v.get("description").is_none());
        let scalar = CreateDataAttribute::new(
            "age",
            AttributeModel::Company,
            DataAttributeType::Integer,
            &[],
            None,
            false,
            ListForm::Options,
        );
        let v = serde_json::to_value(&scalar).unwrap();
        assert_eq!(v["data_type"], "integer");
        assert!(v.get("options").is_none());
    }

    #[test]
    fn teams_take_integer_ids_and_priority_levels() {
        let t: Team = serde_json::from_value(json!({
            "type": "team", "id": 814865, "name": "Tier 1", "admin_ids": [493881, "493882"],
            "admin_priority_level": {"primary_admin_ids": [493881], "secondary_admin_ids": [493882]},
            "assignment_limit": null, "distribution_method": "load_balanced"
        }))
        .unwrap();
        let m: model::Team = t.into();
        assert_eq!(m.id, "814865");
        assert_eq!(m.admin_ids, ["493881", "493882"]);
        assert_eq!(m.secondary_admin_ids, ["493882"]);
        assert!(m.is_load_balanced());
        let bare: Team = serde_json::from_value(
            json!({"id": "1", "name": "x", "admin_ids": null, "admin_priority_level": null}),
        )
        .unwrap();
        let m: model::Team = bare.into();
        assert!(m.admin_ids.is_empty() && m.secondary_admin_ids.is_empty());
        assert_eq!(m.distribution_method, None);
        let body = UpdateTeamMembers {
            admin_ids: vec![1, 2],
            admin_priority_level: Some(PriorityLevelBody {
                primary_admin_ids: None,
                secondary_admin_ids: Some(vec![2]),
            }),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"admin_ids": [1, 2], "admin_priority_level": {"secondary_admin_ids": [2]}})
        );
    }

    #[test]
    fn pages_read_every_style() {
        let p: Page<Tag> =
            serde_json::from_value(json!({"type": "list", "data": [{"id": 1, "name": "a"}]}))
                .unwrap();
        assert_eq!(p.data.len(), 1);
        assert!(p.pages.is_none());
        let p: Page<Team> =
            serde_json::from_value(json!({"type": "team.list", "teams": [{"id": 1, "name": "a"}]}))
                .unwrap();
        assert_eq!(p.data.len(), 1);
        let p: Page<Segment> =
            serde_json::from_value(json!({"type": "segment.list", "segments": [], "pages": {}}))
                .unwrap();
        assert!(p.pages.unwrap().next.is_none());
        let p: Page<Audience> = serde_json::from_value(json!({"type": "list", "data": [], "total_count": 70, "page": 1, "per_page": 50, "total_pages": 2})).unwrap();
        assert_eq!((p.page, p.total_pages), (Some(1), Some(2)));
        let p: Page<Tag> = serde_json::from_value(json!({"data": [], "pages": {"type": "pages", "next": {"page": 2, "starting_after": "WzE3MDAsMV0="}}})).unwrap();
        assert!(
            matches!(p.pages.unwrap().next, Some(Next::Cursor { starting_after: Some(ref s), .. }) if s == "WzE3MDAsMV0=")
        );
        let p: Page<Tag> = serde_json::from_value(
            json!({"data": null, "pages": {"next": "https://api.intercom.io/x?page=2"}}),
        )
        .unwrap();
        assert!(matches!(p.pages.unwrap().next, Some(Next::Url(_))));
        assert!(p.data.is_empty());
    }

    #[test]
    fn conversation_attributes_and_office_hours_normalise() {
        let c: ConversationAttribute = serde_json::from_value(json!({
            "type": "conversation_attribute", "id": 8, "name": "Priority", "data_type": "list",
            "description": null, "required": false, "visible_to_team_ids": ["1", 2],
            "archived": false, "options": [{"id": "a1b2", "label": "High", "archived": false}]
        }))
        .unwrap();
        let m = c.into_model().unwrap();
        assert_eq!(m.id, "8");
        assert_eq!(m.visible_to_team_ids, ["1", "2"]);
        assert_eq!(m.options[0].label, "High");
        assert_eq!(m.multiline, None);

        let s: OfficeHoursSchedule = serde_json::from_value(json!({
            "id": 123, "name": "Std", "time_zone_name": "Europe/Dublin", "twenty_four_seven": false,
            "time_intervals": [{"start_minute": 1980, "end_minute": 2460, "day_of_week": 1},
                               {"start_minute": 540, "end_minute": 1020, "day_of_week": 0}]
        }))
        .unwrap();
        let m: model::OfficeHoursSchedule = s.into();
        assert_eq!(m.intervals[0].start_minute, 540);
        assert_eq!(m.exceptions, None);

        let e: OfficeHoursException = serde_json::from_value(json!({
            "id": "456", "office_hours_schedule_id": "123", "exception_date": "2026-12-25",
            "exception_type": "closed", "name": null, "time_intervals": null,
            "recurring_annually": true
        }))
        .unwrap();
        let m: model::OfficeHoursException = e.into();
        assert!(m.closed && m.recurring && m.intervals.is_empty() && m.name.is_empty());

        let p: Predicate = serde_json::from_value(
            json!({"attribute": "n", "type": "integer", "comparison": "gt", "value": 5}),
        )
        .unwrap();
        assert_eq!(model::Predicate::from(p).value, "5");
    }
}

// ---------------------------------------------------------------------------------------------
// IP allowlist (2.16)

/// `GET`/`PUT /ip_allowlist`'s object (`{type, enabled, ip_allowlist}`).
#[derive(Debug, Deserialize, Serialize)]
pub(super) struct IpAllowlist {
    #[serde(default, skip_serializing)]
    #[allow(dead_code)]
    pub r#type: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub ip_allowlist: Vec<String>,
}

impl From<IpAllowlist> for model::IpAllowlist {
    fn from(a: IpAllowlist) -> Self {
        model::IpAllowlist {
            enabled: a.enabled,
            ranges: a.ip_allowlist,
        }
    }
}
