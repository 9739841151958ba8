//! The write half of office hours: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::Kind;
use crate::model::change::{Op, ScheduleRef};

/// Performs one planned call of this kind; `created` is the id of the schedule that an earlier
/// operation of the same change created. Returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op, created: Option<&str>) -> Written {
    let label = |id: &str| by_id(Kind::OfficeHours, id);
    match op {
        Op::CreateOfficeHours(new) => Ok(Some(client.create_office_hours_schedule(new).await?.id)),
        Op::UpdateOfficeHours { id, changes } => {
            done(client.update_office_hours_schedule_at(id, changes)).await
        }
        Op::DeleteOfficeHours { id } => done(client.delete_office_hours_schedule_at(id)).await,
        Op::CreateOfficeHoursException {
            schedule,
            exception,
        } => {
            let schedule_id = match schedule {
                ScheduleRef::Id(id) => id.as_str(),
                ScheduleRef::Created => created.ok_or_else(|| WriteError::Api {
                    status: None,
                    code: None,
                    request_id: None,
                    message: format!(
                        "cannot create exception {}: the schedule it belongs to was not created",
                        exception.date
                    ),
                })?,
            };
            let what = label(schedule_id);
            let e = client
                .create_office_hours_exception_at(schedule_id, &what, exception)
                .await?;
            Ok(Some(e.id))
        }
        Op::UpdateOfficeHoursException {
            schedule_id,
            id,
            changes,
        } => {
            let what = exception_label(schedule_id, id);
            done(client.update_office_hours_exception_at(schedule_id, id, &what, changes)).await
        }
        Op::DeleteOfficeHoursException { schedule_id, id } => {
            let what = exception_label(schedule_id, id);
            done(client.delete_office_hours_exception_at(schedule_id, id, &what)).await
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
