//! The `office_hours` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::office_hours::{DayHours, WeeklyHours};

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
