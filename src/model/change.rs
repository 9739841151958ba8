//! The plan's vocabulary: what a change does (`Action`), the write calls (`Op`), one object's
//! change (`Change`), manual steps and the whole `Plan`. Kinds produce these values, `plan`
//! assembles and checks them, `render` shows them and `apply` performs them.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Address, ArticleChanges, AudienceChanges, ContentSnippetChanges, ConversationAttributeChanges,
    DataAttributeChanges, InternalArticleChanges, IpAllowlist, Kind, NewArticle, NewAudience,
    NewContentSnippet, NewConversationAttribute, NewDataAttribute, NewHelpCenterCollection,
    NewInternalArticle, NewOfficeHoursException, NewOfficeHoursSchedule, NewTicketType,
    NewTicketTypeAttribute, OfficeHoursExceptionChanges, OfficeHoursScheduleChanges, TeamMembers,
    TicketTypeAttributeChanges, TicketTypeChanges, TicketTypeRef,
};

/// What a change does to an object.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new object.
    Create,
    /// Fields of an existing object change.
    Update,
    /// An existing object gets a new name (same id); fields may change too.
    Rename,
    /// An attribute is archived (Intercom cannot delete attributes).
    Archive,
    /// An object is deleted.
    Delete,
}

impl Action {
    /// The symbol a plan shows before the address.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Rename => "±",
            Action::Archive | Action::Delete => "-",
        }
    }
}

/// One field that changes: `None` on a side means "not set".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldChange {
    /// Field name as in the configuration.
    pub name: String,
    /// Live value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// Desired value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// Which schedule an office-hours exception belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleRef {
    /// An existing schedule.
    Id(String),
    /// The schedule that the same change creates first.
    Created,
}

/// Which collection a new Help Center collection goes in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollectionRef {
    /// An existing collection.
    Id(String),
    /// The collection that operation `op` of the same change creates first.
    Created(usize),
}

/// One write call. The plan lists them; apply performs exactly these. A create or update
/// carries the client's request type (`model::request`), flattened, so the plan's JSON is one
/// flat object per call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// `PUT /ip_allowlist` (2.16): the whole allowlist.
    SetIpAllowlist(IpAllowlist),
    /// `POST /data_attributes`.
    CreateDataAttribute(NewDataAttribute),
    /// `PUT /data_attributes/{id}`.
    UpdateDataAttribute {
        /// Attribute id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: DataAttributeChanges,
    },
    /// `POST /conversations/attributes`.
    CreateConversationAttribute(NewConversationAttribute),
    /// `PUT /conversations/attributes/{id}`.
    UpdateConversationAttribute {
        /// Attribute id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: ConversationAttributeChanges,
    },
    /// `DELETE /conversations/attributes/{id}` (archives).
    ArchiveConversationAttribute {
        /// Attribute id.
        id: String,
    },
    /// `POST /conversations/attributes/{id}/options`.
    AddConversationAttributeOption {
        /// Attribute id.
        attribute_id: String,
        /// Option label.
        label: String,
    },
    /// `DELETE /conversations/attributes/{id}/options/{option_id}` (archives).
    ArchiveConversationAttributeOption {
        /// Attribute id.
        attribute_id: String,
        /// Option id.
        option_id: String,
        /// Option label, for messages.
        label: String,
    },
    /// `POST /tags {name}`.
    CreateTag {
        /// Name.
        name: String,
    },
    /// `POST /tags {id, name}`.
    RenameTag {
        /// Tag id.
        id: String,
        /// New name.
        name: String,
    },
    /// `DELETE /tags/{id}`.
    DeleteTag {
        /// Tag id.
        id: String,
    },
    /// `PUT /teams/{id}` (Intercom-Version: Preview).
    SetTeamMembers {
        /// Team id.
        id: String,
        /// The membership.
        #[serde(flatten)]
        members: TeamMembers,
    },
    /// `POST /audiences`.
    CreateAudience(NewAudience),
    /// `PUT /audiences/{id}` (partial).
    UpdateAudience {
        /// Audience id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: AudienceChanges,
    },
    /// `DELETE /audiences/{id}`.
    DeleteAudience {
        /// Audience id.
        id: String,
    },
    /// `POST /office_hours_schedules`.
    CreateOfficeHours(NewOfficeHoursSchedule),
    /// `PUT /office_hours_schedules/{id}` (partial).
    UpdateOfficeHours {
        /// Schedule id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: OfficeHoursScheduleChanges,
    },
    /// `DELETE /office_hours_schedules/{id}`.
    DeleteOfficeHours {
        /// Schedule id.
        id: String,
    },
    /// `POST …/office_hours_exceptions`.
    CreateOfficeHoursException {
        /// The schedule.
        schedule: ScheduleRef,
        /// The exception.
        #[serde(flatten)]
        exception: NewOfficeHoursException,
    },
    /// `PUT …/office_hours_exceptions/{id}`.
    UpdateOfficeHoursException {
        /// Schedule id.
        schedule_id: String,
        /// Exception id.
        id: String,
        /// Its new state.
        #[serde(flatten)]
        changes: OfficeHoursExceptionChanges,
    },
    /// `DELETE …/office_hours_exceptions/{id}`.
    DeleteOfficeHoursException {
        /// Schedule id.
        schedule_id: String,
        /// Exception id.
        id: String,
    },
    /// `POST /help_center/collections`.
    CreateHelpCenterCollection(NewHelpCenterCollection),
    /// `PUT /help_center/collections/{id}`.
    UpdateHelpCenterCollection {
        /// Collection id.
        id: String,
        /// New description.
        description: String,
    },
    /// `PUT /help_center/collections/{id}` with `translated_content`: the locales whose name
    /// or description changes.
    UpdateHelpCenterCollectionTranslations {
        /// Collection id.
        id: String,
        /// Each changed locale's name and description.
        translated_content: crate::model::Translations<crate::model::GroupContent>,
    },
    /// `DELETE /help_center/collections/{id}` (its sub-collections go with it).
    DeleteHelpCenterCollection {
        /// Collection id.
        id: String,
    },
    /// `POST /ticket_types`.
    CreateTicketType(NewTicketType),
    /// `PUT /ticket_types/{id}` (archiving and unarchiving included).
    UpdateTicketType {
        /// Ticket type id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: TicketTypeChanges,
    },
    /// `POST /ticket_types/{id}/attributes`.
    CreateTicketTypeAttribute {
        /// The ticket type (one the same change creates first, or an existing one).
        ticket_type: TicketTypeRef,
        /// The attribute.
        #[serde(flatten)]
        attribute: NewTicketTypeAttribute,
    },
    /// `PUT /ticket_types/{id}/attributes/{attribute_id}` (archiving included).
    UpdateTicketTypeAttribute {
        /// Ticket type id.
        ticket_type_id: String,
        /// Attribute id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: TicketTypeAttributeChanges,
    },
    /// `POST /articles`.
    CreateArticle(NewArticle),
    /// `PUT /articles/{id}`.
    UpdateArticle {
        /// Article id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: ArticleChanges,
    },
    /// `DELETE /articles/{id}`.
    DeleteArticle {
        /// Article id.
        id: String,
    },
    /// `PUT /articles/{id}` of a body linking to articles this plan creates or renames, once
    /// their writes are done (their URLs are read then).
    LinkArticle(super::ArticleLinks),
    /// `POST /internal_articles`.
    CreateInternalArticle(NewInternalArticle),
    /// `PUT /internal_articles/{id}`.
    UpdateInternalArticle {
        /// Internal article id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: InternalArticleChanges,
    },
    /// `DELETE /internal_articles/{id}`.
    DeleteInternalArticle {
        /// Internal article id.
        id: String,
    },
    /// `POST /content_snippets`.
    CreateContentSnippet(NewContentSnippet),
    /// `PUT /content_snippets/{id}`.
    UpdateContentSnippet {
        /// Snippet id.
        id: String,
        /// What changes.
        #[serde(flatten)]
        changes: ContentSnippetChanges,
    },
    /// `DELETE /content_snippets/{id}`.
    DeleteContentSnippet {
        /// Snippet id.
        id: String,
    },
}

impl Op {
    /// The kind whose module performs it (data attributes by id: the contact kind, whose module
    /// writes both models).
    pub fn kind(&self) -> Kind {
        match self {
            Op::CreateDataAttribute(new) => new.model.kind(),
            Op::UpdateDataAttribute { .. } => Kind::ContactAttributes,
            Op::CreateConversationAttribute(_)
            | Op::UpdateConversationAttribute { .. }
            | Op::ArchiveConversationAttribute { .. }
            | Op::AddConversationAttributeOption { .. }
            | Op::ArchiveConversationAttributeOption { .. } => Kind::ConversationAttributes,
            Op::CreateTag { .. } | Op::RenameTag { .. } | Op::DeleteTag { .. } => Kind::Tags,
            Op::SetTeamMembers { .. } => Kind::Teams,
            Op::CreateAudience(_) | Op::UpdateAudience { .. } | Op::DeleteAudience { .. } => {
                Kind::Audiences
            }
            Op::CreateOfficeHours(_)
            | Op::UpdateOfficeHours { .. }
            | Op::DeleteOfficeHours { .. }
            | Op::CreateOfficeHoursException { .. }
            | Op::UpdateOfficeHoursException { .. }
            | Op::DeleteOfficeHoursException { .. } => Kind::OfficeHours,
            Op::SetIpAllowlist(_) => Kind::Workspace,
            Op::CreateHelpCenterCollection(_)
            | Op::UpdateHelpCenterCollection { .. }
            | Op::UpdateHelpCenterCollectionTranslations { .. }
            | Op::DeleteHelpCenterCollection { .. } => Kind::HelpCenterCollections,
            Op::CreateTicketType(_)
            | Op::UpdateTicketType { .. }
            | Op::CreateTicketTypeAttribute { .. }
            | Op::UpdateTicketTypeAttribute { .. } => Kind::TicketTypes,
            Op::CreateArticle(_)
            | Op::UpdateArticle { .. }
            | Op::DeleteArticle { .. }
            | Op::LinkArticle(_) => Kind::Articles,
            Op::CreateInternalArticle(_)
            | Op::UpdateInternalArticle { .. }
            | Op::DeleteInternalArticle { .. } => Kind::InternalArticles,
            Op::CreateContentSnippet(_)
            | Op::UpdateContentSnippet { .. }
            | Op::DeleteContentSnippet { .. } => Kind::ContentSnippets,
        }
    }
}

/// What step a change is, and so what waits for it: a kind's other changes wait for its renames
/// (so nothing collides with an old name), creates wait for the archives in their section
/// (which free attribute slots); nothing waits for creates, updates or deletes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Renames.
    Rename,
    /// Attribute archives.
    Free,
    /// Creates and updates.
    Write,
    /// Deletes.
    Delete,
    /// After every other change (the IP allowlist, which may lock the caller out).
    Last,
}

/// One object's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// The object (by its new name for renames).
    pub address: Address,
    /// What happens.
    pub action: Action,
    /// The live id, for existing objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The previous name, for renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The fields that change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// The write calls, in order.
    pub ops: Vec<Op>,
    /// When the change runs relative to others.
    pub phase: Phase,
    /// Fingerprint of the live object's compared fields (`absent` for creates), checked again
    /// before a saved plan is applied.
    pub fingerprint: String,
}

impl Change {
    /// The earlier operation of this change that operation `i` waits for: by default the one
    /// before it, so a change's writes keep their order. The exceptions of an office-hours
    /// schedule (each on its own date) need only their schedule: the create that gives them its
    /// id, or nothing when the schedule exists; they are written at once. A new Help Center
    /// collection or article inside a collection the same change creates waits for that create
    /// (its parent's id).
    pub fn op_prerequisite(&self, i: usize) -> Option<usize> {
        let op = self.ops.get(i)?;
        if i == 0 {
            return None;
        }
        // A new article's links wait for its create (its id).
        if let Op::LinkArticle(l) = op
            && let super::ArticleRef::Created(k) = l.article
        {
            return (k < i).then_some(k);
        }
        let new_parent = match op {
            Op::CreateHelpCenterCollection(new) => Some(&new.parent),
            Op::CreateArticle(new) => Some(&new.parent),
            Op::UpdateArticle { changes, .. } => Some(&changes.parent),
            _ => None,
        };
        if let Some(parent) = new_parent {
            return match parent {
                Some(CollectionRef::Created(p)) if *p < i => Some(*p),
                _ => None,
            };
        }
        let exception = matches!(
            op,
            Op::CreateOfficeHoursException { .. }
                | Op::UpdateOfficeHoursException { .. }
                | Op::DeleteOfficeHoursException { .. }
        );
        if !exception {
            return Some(i - 1);
        }
        match self.ops.first() {
            Some(Op::CreateOfficeHours(_)) => Some(0),
            _ => None,
        }
    }
}

/// Something the API cannot do, with what to do in the Intercom UI instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ManualStep {
    /// The object.
    pub address: Address,
    /// What is needed.
    pub message: String,
    /// How to do it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A warning or note about a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Remark {
    /// The object.
    pub address: Address,
    /// The text.
    pub message: String,
}

/// A declared event, listed as the tracking-plan contract (never a change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EventContract {
    /// Event name.
    pub name: String,
    /// Metadata keys with their types, in declared order (Intercom keeps the first 10 sent).
    pub metadata: IndexMap<String, String>,
    /// Keys every event must carry.
    pub required: Vec<String>,
}

/// The difference between configuration and workspace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// Changes in address order.
    pub changes: Vec<Change>,
    /// Manual steps in address order.
    pub manual_steps: Vec<ManualStep>,
    /// Warnings about risky changes.
    pub warnings: Vec<Remark>,
    /// Notes (no action needed).
    pub notes: Vec<Remark>,
    /// The event contract.
    pub contract: Vec<EventContract>,
    /// Live object counts per kind (managed objects only), for safety thresholds.
    pub live_counts: BTreeMap<Kind, usize>,
}

/// Counts per action, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Creates.
    pub create: usize,
    /// Updates.
    pub update: usize,
    /// Renames.
    pub rename: usize,
    /// Archives.
    pub archive: usize,
    /// Deletes.
    pub delete: usize,
    /// Manual steps.
    pub manual: usize,
}

impl Plan {
    /// Whether there is nothing to do and nothing to do by hand.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.manual_steps.is_empty()
    }

    /// Counts per action.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            manual: self.manual_steps.len(),
            ..Summary::default()
        };
        for c in &self.changes {
            match c.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Rename => s.rename += 1,
                Action::Archive => s.archive += 1,
                Action::Delete => s.delete += 1,
            }
        }
        s
    }

    /// The number of write calls apply will make.
    pub fn write_calls(&self) -> usize {
        self.changes.iter().map(|c| c.ops.len()).sum()
    }

    /// A short digest of the actions (addresses and operations): the same actions always give
    /// the same digest, whatever the rendering.
    pub fn digest(&self) -> String {
        let actions: Vec<(&Address, Action, &Vec<Op>)> = self
            .changes
            .iter()
            .map(|c| (&c.address, c.action, &c.ops))
            .collect();
        let manual: Vec<(&Address, &str)> = self
            .manual_steps
            .iter()
            .map(|m| (&m.address, m.message.as_str()))
            .collect();
        let bytes = serde_json::to_vec(&(actions, manual)).unwrap_or_default();
        blake3::hash(&bytes).to_hex()[..12].to_string()
    }
}

/// A stable fingerprint of a value's compared fields.
pub fn fingerprint<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    blake3::hash(&bytes).to_hex()[..16].to_string()
}

/// The fingerprint of "no such object".
pub const ABSENT: &str = "absent";

#[cfg(test)]
mod tests {
    use super::*;

    fn change(ops: Vec<Op>) -> Change {
        Change {
            address: Address::new(Kind::OfficeHours, "EU"),
            action: Action::Create,
            id: None,
            renamed_from: None,
            fields: vec![],
            ops,
            phase: Phase::Write,
            fingerprint: ABSENT.into(),
        }
    }

    fn exception(schedule: ScheduleRef) -> Op {
        Op::CreateOfficeHoursException {
            schedule,
            exception: NewOfficeHoursException {
                date: "2026-12-25".into(),
                closed: true,
                name: None,
                intervals: vec![],
                recurring: None,
            },
        }
    }

    #[test]
    fn exceptions_wait_only_for_the_create_of_their_schedule() {
        let created = change(vec![
            Op::CreateOfficeHours(NewOfficeHoursSchedule {
                name: "EU".into(),
                time_zone: "UTC".into(),
                intervals: vec![],
            }),
            exception(ScheduleRef::Created),
            exception(ScheduleRef::Created),
        ]);
        assert_eq!(
            (0..4)
                .map(|i| created.op_prerequisite(i))
                .collect::<Vec<_>>(),
            [None, Some(0), Some(0), None]
        );
        let existing = change(vec![
            Op::UpdateOfficeHours {
                id: "1".into(),
                changes: OfficeHoursScheduleChanges {
                    time_zone: Some("UTC".into()),
                    ..Default::default()
                },
            },
            exception(ScheduleRef::Id("1".into())),
            Op::DeleteOfficeHoursException {
                schedule_id: "1".into(),
                id: "9".into(),
            },
        ]);
        assert_eq!(
            (0..3)
                .map(|i| existing.op_prerequisite(i))
                .collect::<Vec<_>>(),
            [None, None, None]
        );
    }

    #[test]
    fn other_operations_keep_their_order() {
        let c = change(vec![
            Op::UpdateConversationAttribute {
                id: "1".into(),
                changes: ConversationAttributeChanges {
                    name: Some("New".into()),
                    ..Default::default()
                },
            },
            Op::AddConversationAttributeOption {
                attribute_id: "1".into(),
                label: "A".into(),
            },
            Op::ArchiveConversationAttribute { id: "1".into() },
        ]);
        assert_eq!(
            (0..3).map(|i| c.op_prerequisite(i)).collect::<Vec<_>>(),
            [None, Some(0), Some(1)]
        );
    }
}
