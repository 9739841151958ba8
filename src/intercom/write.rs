//! Writes: one `Client` method per action, each returning the normalised model object Intercom
//! answered with. Creates that are not idempotent go through `Client::create`, which reads back
//! by natural key after an ambiguous failure instead of sending the create blindly again.

use reqwest::Method;
use serde_json::{Map, Value};

use super::client::{Client, Reply, Request};
use super::error::{ApiError, CallInfo};
use super::fetch::{self, FetchError};
use super::wire::{self, ListForm};
use crate::model::{
    Address, AttributeModel, Audience, ConversationAttribute, ConversationAttributeOption,
    ConversationAttributeType, DataAttribute, DataAttributeType, Kind, OfficeHoursException,
    OfficeHoursSchedule, Predicate, Tag, Team, WeeklyInterval,
};

/// A contact or company attribute to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDataAttribute {
    /// Contact or company.
    pub model: AttributeModel,
    /// Name (cannot be changed later).
    pub name: String,
    /// Type (cannot be changed later).
    pub data_type: DataAttributeType,
    /// Options of a list attribute (at least two); ignored for other types.
    pub options: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// Whether the Messenger may write it.
    pub messenger_writable: bool,
}

/// Changes to a data attribute; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataAttributeChanges {
    /// New description.
    pub description: Option<String>,
    /// New Messenger writability.
    pub messenger_writable: Option<bool>,
    /// The complete new option list (replaces the old one).
    pub options: Option<Vec<String>>,
    /// Archive (`true`) or unarchive (`false`).
    pub archived: Option<bool>,
}

/// A conversation attribute to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversationAttribute {
    /// Name.
    pub name: String,
    /// Type (cannot be changed later).
    pub data_type: ConversationAttributeType,
    /// Description.
    pub description: Option<String>,
    /// Whether teammates must fill it in.
    pub required: bool,
    /// Team ids that see it; empty means all teams.
    pub visible_to_team_ids: Vec<String>,
    /// Multi-line text (string attributes only).
    pub multiline: Option<bool>,
    /// Option labels of a list attribute.
    pub options: Vec<String>,
}

/// Changes to a conversation attribute; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationAttributeChanges {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Whether teammates must fill it in.
    pub required: Option<bool>,
    /// Team ids that see it; empty means all teams.
    pub visible_to_team_ids: Option<Vec<String>>,
    /// Multi-line text (string attributes only).
    pub multiline: Option<bool>,
}

/// A team's complete membership and the priority levels to set (Preview `PUT /teams/{id}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamMembers {
    /// Every admin id that should be on the team (at least one).
    pub admin_ids: Vec<String>,
    /// Admins to make primary; `None` leaves levels alone.
    pub primary_admin_ids: Option<Vec<String>>,
    /// Admins to make secondary (load-balanced teams only).
    pub secondary_admin_ids: Option<Vec<String>>,
}

/// An audience to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudience {
    /// Name.
    pub name: String,
    /// Contact predicates.
    pub predicates: Vec<Predicate>,
    /// Role predicates.
    pub role_predicates: Vec<Predicate>,
}

/// Changes to an audience; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AudienceChanges {
    /// New name.
    pub name: Option<String>,
    /// New contact predicates.
    pub predicates: Option<Vec<Predicate>>,
    /// New role predicates.
    pub role_predicates: Option<Vec<Predicate>>,
}

/// An office-hours schedule to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOfficeHoursSchedule {
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Weekly open intervals.
    pub intervals: Vec<WeeklyInterval>,
}

/// Changes to a schedule; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeHoursScheduleChanges {
    /// New name.
    pub name: Option<String>,
    /// New time zone.
    pub time_zone: Option<String>,
    /// New weekly intervals.
    pub intervals: Option<Vec<WeeklyInterval>>,
}

/// An office-hours exception to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOfficeHoursException {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Display name.
    pub name: Option<String>,
    /// Closed all day; otherwise `intervals` apply.
    pub closed: bool,
    /// Open intervals in minutes from midnight.
    pub intervals: Vec<WeeklyInterval>,
    /// Repeats every year.
    pub recurring: bool,
}

/// Changes to an exception; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeHoursExceptionChanges {
    /// New date.
    pub date: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// Closed all day (`true`) or custom hours (`false`, with `intervals`).
    pub closed: Option<bool>,
    /// New open intervals.
    pub intervals: Option<Vec<WeeklyInterval>>,
    /// Repeats every year.
    pub recurring: Option<bool>,
}

/// Who an event happened to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventUser {
    /// Your `user_id` for the contact.
    UserId(String),
    /// The contact's e-mail.
    Email(String),
    /// Intercom's contact id (required for leads).
    Id(String),
}

/// One event occurrence for `POST /events`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Event name.
    pub event_name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The contact.
    pub user: EventUser,
    /// Metadata (at most 10 keys are kept by Intercom).
    pub metadata: Map<String, Value>,
}

fn data_attribute_address(model: AttributeModel, name: &str) -> Address {
    Address::new(model.kind(), name)
}

/// Maps a read-back failure during create recovery to an `ApiError`.
fn recovery_error(call: CallInfo, e: FetchError) -> ApiError {
    match e {
        FetchError::Api(e) => e,
        other => ApiError::Decode {
            call: Box::new(call),
            status: 200,
            reason: format!("reading back after an ambiguous failure: {other}"),
            snippet: None,
        },
    }
}

fn ids_as_integers(call: &CallInfo, ids: &[String]) -> Result<Vec<u64>, ApiError> {
    ids.iter()
        .map(|id| {
            id.trim().parse::<u64>().map_err(|_| ApiError::NotSent {
                call: Box::new(call.clone()),
                reason: format!("admin id `{id}` is not numeric"),
            })
        })
        .collect()
}

fn same_name(kind: Kind, a: &str, b: &str) -> bool {
    if kind.case_insensitive_names() {
        a.to_lowercase() == b.to_lowercase()
    } else {
        a == b
    }
}

impl Client {
    fn parse_data_attribute(
        &self,
        reply: &Reply,
        model: AttributeModel,
    ) -> Result<DataAttribute, ApiError> {
        let raw: wire::DataAttribute = self.decode(reply)?;
        raw.into_model(model).map_err(|reason| ApiError::Decode {
            call: Box::new(reply.call.clone()),
            status: reply.status.as_u16(),
            reason,
            snippet: None,
        })
    }

    fn parse_conversation_attribute(
        &self,
        reply: &Reply,
    ) -> Result<ConversationAttribute, ApiError> {
        let raw: wire::ConversationAttribute = self.decode(reply)?;
        raw.into_model().map_err(|reason| ApiError::Decode {
            call: Box::new(reply.call.clone()),
            status: reply.status.as_u16(),
            reason,
            snippet: None,
        })
    }

    /// `POST /data_attributes`. A list is sent as `data_type: "options"`; if Intercom answers
    /// 400 `parameter_invalid` (not about another field), it is sent once more in the older
    /// `"string"` + options form.
    pub async fn create_data_attribute(
        &self,
        new: &NewDataAttribute,
    ) -> Result<DataAttribute, ApiError> {
        let first = self.create_data_attribute_in(new, ListForm::Options).await;
        match first {
            Err(ApiError::Rejected(r))
                if new.data_type == DataAttributeType::List
                    && r.status == 400
                    && r.code.as_deref() == Some("parameter_invalid")
                    && r.field.as_deref().is_none_or(|f| f == "data_type") =>
            {
                tracing::debug!(
                    address = %data_attribute_address(new.model, &new.name),
                    "list create refused in the `options` form; trying the older `string` form"
                );
                self.create_data_attribute_in(new, ListForm::String).await
            }
            other => other,
        }
    }

    async fn create_data_attribute_in(
        &self,
        new: &NewDataAttribute,
        form: ListForm,
    ) -> Result<DataAttribute, ApiError> {
        let address = data_attribute_address(new.model, &new.name);
        let body = wire::CreateDataAttribute::new(
            &new.name,
            new.model,
            new.data_type,
            &new.options,
            new.description.as_deref(),
            new.messenger_writable,
            form,
        );
        let req = Request::new(
            Method::POST,
            "/data_attributes",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| self.parse_data_attribute(reply, new.model),
            || async {
                let all = fetch::data_attributes(self, new.model)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|a| {
                    a.custom
                        && a.model == new.model
                        && same_name(new.model.kind(), &a.name, &new.name)
                }))
            },
        )
        .await
    }

    /// `PUT /data_attributes/{id}`.
    pub async fn update_data_attribute(
        &self,
        current: &DataAttribute,
        changes: &DataAttributeChanges,
    ) -> Result<DataAttribute, ApiError> {
        let address = data_attribute_address(current.model, &current.name);
        let Some(id) = current.id.as_deref() else {
            return Err(ApiError::NotSent {
                call: Box::new(CallInfo {
                    what: format!("update {address}"),
                    method: "PUT".into(),
                    path: "/data_attributes/{id}".into(),
                }),
                reason: "built-in attributes have no id and cannot be changed".into(),
            });
        };
        self.update_data_attribute_at(id, &address.to_string(), current.model, changes)
            .await
    }

    /// `PUT /data_attributes/{id}` by id; `label` names the attribute in messages, `model` is
    /// assumed when the answer does not say.
    pub(crate) async fn update_data_attribute_at(
        &self,
        id: &str,
        label: &str,
        model: AttributeModel,
        changes: &DataAttributeChanges,
    ) -> Result<DataAttribute, ApiError> {
        let what = match changes.archived {
            Some(true) => format!("archive {label}"),
            Some(false) => format!("unarchive {label}"),
            None => format!("update {label}"),
        };
        let body = wire::UpdateDataAttribute {
            description: changes.description.as_deref(),
            messenger_writable: changes.messenger_writable,
            options: changes
                .options
                .as_ref()
                .map(|o| o.iter().map(|v| wire::OptionValue { value: v }).collect()),
            archived: changes.archived,
        };
        let req = Request::new(Method::PUT, format!("/data_attributes/{id}"), what).json(&body);
        let reply = self.send(&req).await?;
        self.parse_data_attribute(&reply, model)
    }

    /// `POST /conversations/attributes`.
    pub async fn create_conversation_attribute(
        &self,
        new: &NewConversationAttribute,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &new.name);
        let is_list = new.data_type == ConversationAttributeType::List;
        let body = wire::CreateConversationAttribute {
            name: &new.name,
            data_type: new.data_type.as_str(),
            description: new.description.as_deref(),
            required: new.required,
            visible_to_team_ids: &new.visible_to_team_ids,
            multiline: new.multiline,
            options: is_list.then(|| {
                new.options
                    .iter()
                    .map(|l| wire::LabelBody { label: l })
                    .collect()
            }),
        };
        let req = Request::new(
            Method::POST,
            "/conversations/attributes",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| self.parse_conversation_attribute(reply),
            || async {
                let all = fetch::conversation_attributes(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all
                    .into_iter()
                    .find(|a| !a.archived && a.name == new.name && a.data_type == new.data_type))
            },
        )
        .await
    }

    /// `PUT /conversations/attributes/{id}` (renames are allowed here).
    pub async fn update_conversation_attribute(
        &self,
        current: &ConversationAttribute,
        changes: &ConversationAttributeChanges,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &current.name);
        self.update_conversation_attribute_at(&current.id, &address.to_string(), changes)
            .await
    }

    pub(crate) async fn update_conversation_attribute_at(
        &self,
        id: &str,
        label: &str,
        changes: &ConversationAttributeChanges,
    ) -> Result<ConversationAttribute, ApiError> {
        let body = wire::UpdateConversationAttribute {
            name: changes.name.as_deref(),
            description: changes.description.as_deref(),
            required: changes.required,
            visible_to_team_ids: changes.visible_to_team_ids.as_deref(),
            multiline: changes.multiline,
        };
        let req = Request::new(
            Method::PUT,
            format!("/conversations/attributes/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `DELETE /conversations/attributes/{id}`: archives (there is no unarchive).
    pub async fn archive_conversation_attribute(
        &self,
        current: &ConversationAttribute,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &current.name);
        self.archive_conversation_attribute_at(&current.id, &address.to_string())
            .await
    }

    pub(crate) async fn archive_conversation_attribute_at(
        &self,
        id: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::DELETE,
            format!("/conversations/attributes/{id}"),
            format!("archive {label}"),
        );
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `POST /conversations/attributes/{id}/options`: adds a list option. Not idempotent: after
    /// an ambiguous failure the attribute is read back and the label looked for.
    pub async fn add_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        self.add_conversation_attribute_option_at(&attribute.id, &address.to_string(), label)
            .await
    }

    pub(crate) async fn add_conversation_attribute_option_at(
        &self,
        attribute_id: &str,
        attribute_label: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::POST,
            format!("/conversations/attributes/{attribute_id}/options"),
            format!("add option {label:?} to {attribute_label}"),
        )
        .json(&wire::LabelBody { label })
        .once();
        let read = Request::new(
            Method::GET,
            format!("/conversations/attributes/{attribute_id}"),
            format!("read {attribute_label}"),
        );
        self.create(
            &req,
            |reply| self.parse_conversation_attribute(reply),
            || async {
                let reply = self.send(&read).await?;
                let current = self.parse_conversation_attribute(&reply)?;
                let added = current
                    .options
                    .iter()
                    .any(|o| !o.archived && o.label == label);
                Ok(added.then_some(current))
            },
        )
        .await
    }

    /// `PUT /conversations/attributes/{id}/options/{option_id}`: renames a list option.
    pub async fn rename_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        option: &ConversationAttributeOption,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        let req = Request::new(
            Method::PUT,
            format!(
                "/conversations/attributes/{}/options/{}",
                attribute.id, option.id
            ),
            format!("rename option {:?} of {address} to {label:?}", option.label),
        )
        .json(&wire::LabelBody { label });
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `DELETE /conversations/attributes/{id}/options/{option_id}`: archives a list option.
    pub async fn archive_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        option: &ConversationAttributeOption,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        self.archive_conversation_attribute_option_at(
            &attribute.id,
            &option.id,
            &format!("option {:?} of {address}", option.label),
        )
        .await
    }

    pub(crate) async fn archive_conversation_attribute_option_at(
        &self,
        attribute_id: &str,
        option_id: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::DELETE,
            format!("/conversations/attributes/{attribute_id}/options/{option_id}"),
            format!("archive {label}"),
        );
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `POST /tags {name}`: an upsert by name, so safe to retry.
    pub async fn create_tag(&self, name: &str) -> Result<Tag, ApiError> {
        let address = Address::new(Kind::Tags, name);
        let req = Request::new(Method::POST, "/tags", format!("create {address}"))
            .json(&wire::TagBody { id: None, name });
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Tag>(&reply)?.into())
    }

    /// `POST /tags {id, name}`: renames a tag.
    pub async fn rename_tag(&self, current: &Tag, new_name: &str) -> Result<Tag, ApiError> {
        let address = Address::new(Kind::Tags, &current.name);
        self.rename_tag_at(&current.id, &address.to_string(), new_name)
            .await
    }

    pub(crate) async fn rename_tag_at(
        &self,
        id: &str,
        label: &str,
        new_name: &str,
    ) -> Result<Tag, ApiError> {
        let req = Request::new(
            Method::POST,
            "/tags",
            format!("rename {label} to {new_name:?}"),
        )
        .json(&wire::TagBody {
            id: Some(id),
            name: new_name,
        });
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Tag>(&reply)?.into())
    }

    /// `DELETE /tags/{id}`. 400 `tag_has_dependent_objects` when a segment uses it.
    pub async fn delete_tag(&self, current: &Tag) -> Result<(), ApiError> {
        let address = Address::new(Kind::Tags, &current.name);
        self.delete_at(format!("/tags/{}", current.id), &address.to_string())
            .await
    }

    /// A DELETE that answers with nothing the caller needs; a 404 after an ambiguous earlier
    /// attempt counts as done.
    pub(crate) async fn delete_at(&self, path: String, label: &str) -> Result<(), ApiError> {
        let req = Request::new(Method::DELETE, path, format!("delete {label}")).gone_ok();
        self.send(&req).await.map(drop)
    }

    /// `PUT /teams/{id}` under `Intercom-Version: Preview`: sets the complete membership (and,
    /// optionally, priority levels). 409 → `ApiError::Conflict` (read the team again, then
    /// retry); 403 `api_plan_restricted` → `ApiError::PlanRestricted`.
    pub async fn update_team_members(
        &self,
        team: &Team,
        members: &TeamMembers,
    ) -> Result<Team, ApiError> {
        let address = Address::new(Kind::Teams, &team.name);
        self.update_team_members_at(&team.id, &address.to_string(), members)
            .await
    }

    pub(crate) async fn update_team_members_at(
        &self,
        id: &str,
        label: &str,
        members: &TeamMembers,
    ) -> Result<Team, ApiError> {
        let mut req = Request::new(
            Method::PUT,
            format!("/teams/{id}"),
            format!("update members of {label}"),
        )
        .preview();
        let call = req.call_info();
        let level = match (&members.primary_admin_ids, &members.secondary_admin_ids) {
            (None, None) => None,
            (p, s) => Some(wire::PriorityLevelBody {
                primary_admin_ids: p
                    .as_deref()
                    .map(|v| ids_as_integers(&call, v))
                    .transpose()?,
                secondary_admin_ids: s
                    .as_deref()
                    .map(|v| ids_as_integers(&call, v))
                    .transpose()?,
            }),
        };
        let body = wire::UpdateTeamMembers {
            admin_ids: ids_as_integers(&call, &members.admin_ids)?,
            admin_priority_level: level,
        };
        req = req.json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Team>(&reply)?.into())
    }

    /// `POST /audiences` (201).
    pub async fn create_audience(&self, new: &NewAudience) -> Result<Audience, ApiError> {
        let address = Address::new(Kind::Audiences, &new.name);
        let body = wire::AudienceBody {
            name: Some(&new.name),
            predicates: Some(&new.predicates),
            role_predicates: Some(&new.role_predicates),
        };
        let req = Request::new(Method::POST, "/audiences", format!("create {address}"))
            .json(&body)
            .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<wire::Audience>(reply)?.into()),
            || async {
                let all = fetch::audiences(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|a| a.name == new.name))
            },
        )
        .await
    }

    /// `PUT /audiences/{id}` (partial).
    pub async fn update_audience(
        &self,
        current: &Audience,
        changes: &AudienceChanges,
    ) -> Result<Audience, ApiError> {
        let address = Address::new(Kind::Audiences, &current.name);
        self.update_audience_at(&current.id, &address.to_string(), changes)
            .await
    }

    pub(crate) async fn update_audience_at(
        &self,
        id: &str,
        label: &str,
        changes: &AudienceChanges,
    ) -> Result<Audience, ApiError> {
        let body = wire::AudienceBody {
            name: changes.name.as_deref(),
            predicates: changes.predicates.as_deref(),
            role_predicates: changes.role_predicates.as_deref(),
        };
        let req = Request::new(
            Method::PUT,
            format!("/audiences/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Audience>(&reply)?.into())
    }

    /// `DELETE /audiences/{id}` (204).
    pub async fn delete_audience(&self, current: &Audience) -> Result<(), ApiError> {
        let address = Address::new(Kind::Audiences, &current.name);
        self.delete_at(format!("/audiences/{}", current.id), &address.to_string())
            .await
    }

    /// `POST /office_hours_schedules` (201).
    pub async fn create_office_hours_schedule(
        &self,
        new: &NewOfficeHoursSchedule,
    ) -> Result<OfficeHoursSchedule, ApiError> {
        let address = Address::new(Kind::OfficeHours, &new.name);
        let body = wire::ScheduleBody {
            name: Some(&new.name),
            time_zone_name: Some(&new.time_zone),
            time_intervals: Some(new.intervals.iter().map(Into::into).collect()),
        };
        let req = Request::new(
            Method::POST,
            "/office_hours_schedules",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<wire::OfficeHoursSchedule>(reply)?.into()),
            || async {
                let all = fetch::office_hours_schedules(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|s| s.name == new.name))
            },
        )
        .await
    }

    /// `PUT /office_hours_schedules/{id}` (partial).
    pub async fn update_office_hours_schedule(
        &self,
        current: &OfficeHoursSchedule,
        changes: &OfficeHoursScheduleChanges,
    ) -> Result<OfficeHoursSchedule, ApiError> {
        let address = Address::new(Kind::OfficeHours, &current.name);
        self.update_office_hours_schedule_at(&current.id, &address.to_string(), changes)
            .await
    }

    pub(crate) async fn update_office_hours_schedule_at(
        &self,
        id: &str,
        label: &str,
        changes: &OfficeHoursScheduleChanges,
    ) -> Result<OfficeHoursSchedule, ApiError> {
        let body = wire::ScheduleBody {
            name: changes.name.as_deref(),
            time_zone_name: changes.time_zone.as_deref(),
            time_intervals: changes
                .intervals
                .as_ref()
                .map(|v| v.iter().map(Into::into).collect()),
        };
        let req = Request::new(
            Method::PUT,
            format!("/office_hours_schedules/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::OfficeHoursSchedule>(&reply)?.into())
    }

    /// `DELETE /office_hours_schedules/{id}`.
    pub async fn delete_office_hours_schedule(
        &self,
        current: &OfficeHoursSchedule,
    ) -> Result<(), ApiError> {
        let address = Address::new(Kind::OfficeHours, &current.name);
        self.delete_at(
            format!("/office_hours_schedules/{}", current.id),
            &address.to_string(),
        )
        .await
    }

    /// `POST /office_hours_schedules/{id}/office_hours_exceptions` (201).
    pub async fn create_office_hours_exception(
        &self,
        schedule: &OfficeHoursSchedule,
        new: &NewOfficeHoursException,
    ) -> Result<OfficeHoursException, ApiError> {
        let address = Address::new(Kind::OfficeHours, &schedule.name);
        self.create_office_hours_exception_at(&schedule.id, &address.to_string(), new)
            .await
    }

    pub(crate) async fn create_office_hours_exception_at(
        &self,
        schedule_id: &str,
        schedule_label: &str,
        new: &NewOfficeHoursException,
    ) -> Result<OfficeHoursException, ApiError> {
        let body = wire::ExceptionBody {
            exception_date: Some(&new.date),
            exception_type: Some(if new.closed { "closed" } else { "custom_hours" }),
            name: new.name.as_deref(),
            time_intervals: (!new.closed).then(|| new.intervals.iter().map(Into::into).collect()),
            recurring_annually: Some(new.recurring),
        };
        let req = Request::new(
            Method::POST,
            format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions"),
            format!("create exception {} of {schedule_label}", new.date),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<wire::OfficeHoursException>(reply)?.into()),
            || async {
                let all = fetch::office_hours_exceptions(self, schedule_id)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|e| e.date == new.date))
            },
        )
        .await
    }

    /// `PUT /office_hours_schedules/{id}/office_hours_exceptions/{id}` (partial).
    pub async fn update_office_hours_exception(
        &self,
        schedule: &OfficeHoursSchedule,
        current: &OfficeHoursException,
        changes: &OfficeHoursExceptionChanges,
    ) -> Result<OfficeHoursException, ApiError> {
        let address = Address::new(Kind::OfficeHours, &schedule.name);
        self.update_office_hours_exception_at(
            &schedule.id,
            &current.id,
            &format!("exception {} of {address}", current.date),
            changes,
        )
        .await
    }

    pub(crate) async fn update_office_hours_exception_at(
        &self,
        schedule_id: &str,
        id: &str,
        label: &str,
        changes: &OfficeHoursExceptionChanges,
    ) -> Result<OfficeHoursException, ApiError> {
        let closed = changes.closed;
        let body = wire::ExceptionBody {
            exception_date: changes.date.as_deref(),
            exception_type: closed.map(|c| if c { "closed" } else { "custom_hours" }),
            name: changes.name.as_deref(),
            // Intervals go with custom hours only; a switch to `closed` drops them.
            time_intervals: if closed == Some(true) {
                None
            } else {
                changes
                    .intervals
                    .as_ref()
                    .map(|v| v.iter().map(Into::into).collect())
            },
            recurring_annually: changes.recurring,
        };
        let req = Request::new(
            Method::PUT,
            format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::OfficeHoursException>(&reply)?.into())
    }

    /// `DELETE /office_hours_schedules/{id}/office_hours_exceptions/{id}`.
    pub async fn delete_office_hours_exception(
        &self,
        schedule: &OfficeHoursSchedule,
        current: &OfficeHoursException,
    ) -> Result<(), ApiError> {
        let address = Address::new(Kind::OfficeHours, &schedule.name);
        self.delete_at(
            format!(
                "/office_hours_schedules/{}/office_hours_exceptions/{}",
                schedule.id, current.id
            ),
            &format!("exception {} of {address}", current.date),
        )
        .await
    }

    /// `POST /events` (202). Intercom de-duplicates on (contact, name, `created_at`), so the
    /// call is retried like an idempotent one. 404 → `ApiError::UnknownUser`, not retried.
    pub async fn submit_event(&self, event: &Event) -> Result<(), ApiError> {
        let address = Address::new(Kind::Events, &event.event_name);
        let (user_id, email, id) = match &event.user {
            EventUser::UserId(v) => (Some(v.as_str()), None, None),
            EventUser::Email(v) => (None, Some(v.as_str()), None),
            EventUser::Id(v) => (None, None, Some(v.as_str())),
        };
        let body = wire::EventBody {
            event_name: &event.event_name,
            created_at: event.created_at,
            user_id,
            email,
            id,
            metadata: &event.metadata,
        };
        let req = Request::new(Method::POST, "/events", format!("submit {address}")).json(&body);
        match self.send(&req).await {
            Ok(_) => Ok(()),
            Err(ApiError::NotFound(r)) => Err(ApiError::UnknownUser(r)),
            Err(e) => Err(e),
        }
    }
}

/// How often a team update that Intercom answered with 409 `conflict` is tried again.
const TEAM_CONFLICT_RETRIES: u32 = 3;

impl Client {
    /// `PUT /teams/{id}`; on 409 `conflict` (declined, or partly applied) reads the team again,
    /// as Intercom asks, then sends the same complete membership again. The body is the whole
    /// desired membership, so repeating it is safe.
    pub(crate) async fn set_team_members(
        &self,
        id: &str,
        label: &str,
        members: &TeamMembers,
    ) -> Result<(), ApiError> {
        let mut attempt = 0;
        loop {
            match self.update_team_members_at(id, label, members).await {
                Err(ApiError::Conflict(_)) if attempt < TEAM_CONFLICT_RETRIES => {
                    attempt += 1;
                    tracing::debug!(
                        team = label,
                        attempt,
                        "409 conflict on a team update: reading the team again"
                    );
                    let req = Request::new(
                        Method::GET,
                        format!("/teams/{id}"),
                        format!("read {label} again after a conflict"),
                    );
                    self.send(&req).await?;
                }
                other => return other.map(drop),
            }
        }
    }
}
