//! The write half of office hours: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::intercom::{
    NewOfficeHoursException, NewOfficeHoursSchedule, OfficeHoursExceptionChanges,
    OfficeHoursScheduleChanges,
};
use crate::kinds::write::{by_id, delete, misrouted};
use crate::model::Kind;
use crate::model::change::{Op, ScheduleRef};

/// Performs one planned call of this kind; returns the id of what it created.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
    created: Option<&str>,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::CreateOfficeHours {
            name,
            time_zone,
            intervals,
        } => {
            let s = client
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
            client
                .update_office_hours_schedule_at(id, &by_id(Kind::OfficeHours, id), &changes)
                .await?;
            Ok(None)
        }
        Op::DeleteOfficeHours { id } => {
            let path = format!("/office_hours_schedules/{id}");
            delete(client, path, &by_id(Kind::OfficeHours, id)).await
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
            let e = client
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
            let label = exception_label(schedule_id, id);
            client
                .update_office_hours_exception_at(schedule_id, id, &label, &changes)
                .await?;
            Ok(None)
        }
        Op::DeleteOfficeHoursException { schedule_id, id } => {
            let path =
                format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions/{id}");
            delete(client, path, &exception_label(schedule_id, id)).await
        }
        other => Err(misrouted(other)),
    }
}

/// How a message names an exception known by id.
fn exception_label(schedule_id: &str, id: &str) -> String {
    format!(
        "exception {id} of {}",
        by_id(Kind::OfficeHours, schedule_id)
    )
}
