//! The `office_hours` section of the configuration: what a declaration says, as the schema and
//! serde read it.

use crate::config::office_hours::{DayHours, WeeklyHours};
use crate::kinds::declaration::declaration;

declaration! {
    /// An office-hours schedule.
    pub struct OfficeHours {
        /// Schedule name.
        pub name: String,
        /// IANA time zone, e.g. `Europe/Dublin`.
        pub time_zone: String,
        /// Weekly open hours. Keys: `mon` … `sun`, or a range such as `mon-fri`. Values: intervals
        /// `"HH:MM-HH:MM"` on 15-minute boundaries (`24:00` ends a day), not overlapping.
        pub hours: WeeklyHours,
    } optional {
        /// Days that differ from the weekly hours. Absent: not managed.
        pub exceptions: Vec<OfficeHoursException>,
        /// The schedule's previous name: rename it instead of creating a new one.
        pub renamed_from: String,
    }
}

declaration! {
    /// A day that differs from the weekly hours: closed, or open at other hours.
    pub struct OfficeHoursException {
        /// The day, `YYYY-MM-DD` (quoting is optional).
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        pub date: String,
    } optional {
        /// Closed all day. Set either `closed: true` or `hours`.
        pub closed: bool,
        /// Open intervals that day, `"HH:MM-HH:MM"` on 15-minute boundaries.
        pub hours: DayHours,
        /// Name shown in Intercom, e.g. `Christmas`.
        pub name: String,
        /// Repeats every year on the same date.
        pub recurring: bool,
    }
}
