//! The kinds' write half: the client as `apply`'s `Writer`. Each planned `Op` becomes one
//! client call (or, for a create, a create that reads back after an ambiguous failure), and
//! `ApiError` becomes the `WriteError` the apply report carries. Only `apply` uses this.

use crate::apply::{WriteError, Writer};
use crate::intercom::{ApiError, Client};
use crate::model::change::{Op, ScheduleRef};

use crate::intercom::{
    AudienceChanges, ConversationAttributeChanges, DataAttributeChanges, NewAudience,
    NewConversationAttribute, NewDataAttribute, NewOfficeHoursException, NewOfficeHoursSchedule,
    OfficeHoursExceptionChanges, OfficeHoursScheduleChanges, TeamMembers,
};
use crate::model::{AttributeModel, Kind};

impl From<ApiError> for WriteError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::PlanRestricted(_) => WriteError::PlanRestricted {
                message: e.to_string(),
            },
            other => WriteError::Api {
                status: other.status(),
                code: other.code().map(str::to_string),
                request_id: other.request_id().map(str::to_string),
                message: other.to_string(),
            },
        }
    }
}

/// A label for an object known only by id, for messages (`tag 123`).
fn by_id(kind: Kind, id: &str) -> String {
    format!("{} {id}", kind.singular())
}

impl Writer for Client {
    /// Runs one planned operation; returns the id of what it created.
    async fn write(&self, op: &Op, created: Option<&str>) -> Result<Option<String>, WriteError> {
        match op {
            Op::CreateDataAttribute {
                model,
                name,
                data_type,
                options,
                description,
                messenger_writable,
            } => {
                let a = self
                    .create_data_attribute(&NewDataAttribute {
                        model: *model,
                        name: name.clone(),
                        data_type: *data_type,
                        options: options.clone(),
                        description: description.clone(),
                        messenger_writable: messenger_writable.unwrap_or(false),
                    })
                    .await?;
                Ok(a.id)
            }
            Op::UpdateDataAttribute {
                id,
                description,
                messenger_writable,
                options,
                archived,
            } => {
                let changes = DataAttributeChanges {
                    description: description.clone(),
                    messenger_writable: *messenger_writable,
                    options: options.clone(),
                    archived: *archived,
                };
                // The answer names its model; contact is only the fallback for decoding.
                self.update_data_attribute_at(
                    id,
                    &format!("data attribute {id}"),
                    AttributeModel::Contact,
                    &changes,
                )
                .await?;
                Ok(None)
            }
            Op::CreateConversationAttribute {
                name,
                data_type,
                options,
                description,
                required,
                visible_to_team_ids,
                multiline,
            } => {
                let a = self
                    .create_conversation_attribute(&NewConversationAttribute {
                        name: name.clone(),
                        data_type: *data_type,
                        description: description.clone(),
                        required: required.unwrap_or(false),
                        visible_to_team_ids: visible_to_team_ids.clone().unwrap_or_default(),
                        multiline: *multiline,
                        options: options.clone(),
                    })
                    .await?;
                Ok(Some(a.id))
            }
            Op::UpdateConversationAttribute {
                id,
                name,
                description,
                required,
                visible_to_team_ids,
                multiline,
            } => {
                let changes = ConversationAttributeChanges {
                    name: name.clone(),
                    description: description.clone(),
                    required: *required,
                    visible_to_team_ids: visible_to_team_ids.clone(),
                    multiline: *multiline,
                };
                self.update_conversation_attribute_at(
                    id,
                    &by_id(Kind::ConversationAttributes, id),
                    &changes,
                )
                .await?;
                Ok(None)
            }
            Op::ArchiveConversationAttribute { id } => {
                self.archive_conversation_attribute_at(
                    id,
                    &by_id(Kind::ConversationAttributes, id),
                )
                .await?;
                Ok(None)
            }
            Op::AddConversationAttributeOption {
                attribute_id,
                label,
            } => {
                self.add_conversation_attribute_option_at(
                    attribute_id,
                    &by_id(Kind::ConversationAttributes, attribute_id),
                    label,
                )
                .await?;
                Ok(None)
            }
            Op::ArchiveConversationAttributeOption {
                attribute_id,
                option_id,
                label,
            } => {
                let what = format!(
                    "option {label:?} of {}",
                    by_id(Kind::ConversationAttributes, attribute_id)
                );
                self.archive_conversation_attribute_option_at(attribute_id, option_id, &what)
                    .await?;
                Ok(None)
            }
            Op::CreateTag { name } => Ok(Some(self.create_tag(name).await?.id)),
            Op::RenameTag { id, name } => {
                self.rename_tag_at(id, &by_id(Kind::Tags, id), name).await?;
                Ok(None)
            }
            Op::DeleteTag { id } => {
                self.delete_at(format!("/tags/{id}"), &by_id(Kind::Tags, id))
                    .await?;
                Ok(None)
            }
            Op::SetTeamMembers {
                id,
                admin_ids,
                secondary_admin_ids,
            } => {
                // Levels are a partial update: to make them exact, name every member's level
                // whenever levels are managed.
                let primary_admin_ids = secondary_admin_ids.as_ref().map(|secondary| {
                    admin_ids
                        .iter()
                        .filter(|a| !secondary.contains(a))
                        .cloned()
                        .collect()
                });
                let members = TeamMembers {
                    admin_ids: admin_ids.clone(),
                    primary_admin_ids,
                    secondary_admin_ids: secondary_admin_ids.clone(),
                };
                self.set_team_members(id, &by_id(Kind::Teams, id), &members)
                    .await?;
                Ok(None)
            }
            Op::CreateAudience {
                name,
                predicates,
                role_predicates,
            } => {
                let a = self
                    .create_audience(&NewAudience {
                        name: name.clone(),
                        predicates: predicates.clone().unwrap_or_default(),
                        role_predicates: role_predicates.clone().unwrap_or_default(),
                    })
                    .await?;
                Ok(Some(a.id))
            }
            Op::UpdateAudience {
                id,
                name,
                predicates,
                role_predicates,
            } => {
                let changes = AudienceChanges {
                    name: name.clone(),
                    predicates: predicates.clone(),
                    role_predicates: role_predicates.clone(),
                };
                self.update_audience_at(id, &by_id(Kind::Audiences, id), &changes)
                    .await?;
                Ok(None)
            }
            Op::DeleteAudience { id } => {
                self.delete_at(format!("/audiences/{id}"), &by_id(Kind::Audiences, id))
                    .await?;
                Ok(None)
            }
            Op::CreateOfficeHours {
                name,
                time_zone,
                intervals,
            } => {
                let s = self
                    .create_office_hours_schedule(&NewOfficeHoursSchedule {
                        name: name.clone(),
                        time_zone: time_zone.clone(),
                        intervals: intervals.clone(),
                    })
                    .await?;
                Ok(Some(s.id))
            }
            Op::UpdateOfficeHours {
                id,
                name,
                time_zone,
                intervals,
            } => {
                let changes = OfficeHoursScheduleChanges {
                    name: name.clone(),
                    time_zone: time_zone.clone(),
                    intervals: intervals.clone(),
                };
                self.update_office_hours_schedule_at(id, &by_id(Kind::OfficeHours, id), &changes)
                    .await?;
                Ok(None)
            }
            Op::DeleteOfficeHours { id } => {
                self.delete_at(
                    format!("/office_hours_schedules/{id}"),
                    &by_id(Kind::OfficeHours, id),
                )
                .await?;
                Ok(None)
            }
            Op::CreateOfficeHoursException {
                schedule,
                date,
                closed,
                name,
                intervals,
                recurring,
            } => {
                let schedule_id = match schedule {
                    ScheduleRef::Id(id) => id.as_str(),
                    ScheduleRef::Created => created.ok_or_else(|| WriteError::Api {
                        status: None,
                        code: None,
                        request_id: None,
                        message: format!(
                            "cannot create exception {date}: the schedule it belongs to was not created"
                        ),
                    })?,
                };
                let e = self
                    .create_office_hours_exception_at(
                        schedule_id,
                        &by_id(Kind::OfficeHours, schedule_id),
                        &NewOfficeHoursException {
                            date: date.clone(),
                            name: name.clone(),
                            closed: *closed,
                            intervals: intervals.clone(),
                            recurring: recurring.unwrap_or(false),
                        },
                    )
                    .await?;
                Ok(Some(e.id))
            }
            Op::UpdateOfficeHoursException {
                schedule_id,
                id,
                closed,
                name,
                intervals,
                recurring,
            } => {
                let changes = OfficeHoursExceptionChanges {
                    date: None,
                    name: name.clone(),
                    closed: Some(*closed),
                    intervals: (!closed).then(|| intervals.clone()),
                    recurring: *recurring,
                };
                let label = format!(
                    "exception {id} of {}",
                    by_id(Kind::OfficeHours, schedule_id)
                );
                self.update_office_hours_exception_at(schedule_id, id, &label, &changes)
                    .await?;
                Ok(None)
            }
            Op::DeleteOfficeHoursException { schedule_id, id } => {
                let label = format!(
                    "exception {id} of {}",
                    by_id(Kind::OfficeHours, schedule_id)
                );
                self.delete_at(
                    format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions/{id}"),
                    &label,
                )
                .await?;
                Ok(None)
            }
        }
    }
}
