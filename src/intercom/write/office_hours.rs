//! Writes of office-hours schedules and their exceptions.

use reqwest::Method;

use super::{by_id, recovery_error};
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch::{self};
use crate::intercom::wire::{self};
use crate::model::{
    Address, Kind, NewOfficeHoursException, NewOfficeHoursSchedule, OfficeHoursException,
    OfficeHoursExceptionChanges, OfficeHoursSchedule, OfficeHoursScheduleChanges,
};

impl Client {
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
        self.put_office_hours_schedule(&current.id, &address.to_string(), changes)
            .await
    }

    /// `PUT /office_hours_schedules/{id}` of a schedule known by id.
    pub(crate) async fn update_office_hours_schedule_at(
        &self,
        id: &str,
        changes: &OfficeHoursScheduleChanges,
    ) -> Result<OfficeHoursSchedule, ApiError> {
        self.put_office_hours_schedule(id, &by_id(Kind::OfficeHours, id), changes)
            .await
    }

    async fn put_office_hours_schedule(
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

    /// `DELETE /office_hours_schedules/{id}` of a schedule known by id.
    pub(crate) async fn delete_office_hours_schedule_at(&self, id: &str) -> Result<(), ApiError> {
        let label = by_id(Kind::OfficeHours, id);
        self.delete_at(format!("/office_hours_schedules/{id}"), &label)
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
            recurring_annually: Some(new.recurring.unwrap_or(false)),
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
            exception_date: None,
            exception_type: Some(if closed { "closed" } else { "custom_hours" }),
            name: changes.name.as_deref(),
            // Intervals go with custom hours only; a switch to `closed` drops them.
            time_intervals: (!closed).then(|| changes.intervals.iter().map(Into::into).collect()),
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

    /// `DELETE /office_hours_schedules/{id}/office_hours_exceptions/{id}` by ids; `label` names
    /// the exception in messages.
    pub(crate) async fn delete_office_hours_exception_at(
        &self,
        schedule_id: &str,
        id: &str,
        label: &str,
    ) -> Result<(), ApiError> {
        let path = format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions/{id}");
        self.delete_at(path, label).await
    }
}
