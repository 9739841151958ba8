//! Office-hours schedules and their exceptions: weekly intervals in minutes from Monday,
//! compared after normalising; exceptions are created with (after) their schedule.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use serde_json::{Value, json};

use std::collections::HashMap;

use super::Scope;
use super::checks::at;
use super::engine::{
    LiveObject, PlanCtx, field, live_object, matched_by_name, named_object, rename_fields,
};
use super::export::identifiable;
use super::list_kind;
use super::read::{self, ReadFuture};
use super::{Exported, KindSpec};
use crate::config::Diagnostic;
use crate::config::office_hours::{
    DAYS, DayHours, WeeklyHours, day_hours, normalize, parse_days, parse_interval, render_weekly,
};
use crate::config::{Desired, Located, did_you_mean};
use crate::intercom::{self, Client};
use crate::model::change::{ABSENT, Change, Op, ScheduleRef, fingerprint};
use crate::model::{
    Kind, Live, NewOfficeHoursException, NewOfficeHoursSchedule, OfficeHoursException,
    OfficeHoursExceptionChanges, OfficeHoursSchedule, OfficeHoursScheduleChanges, WeeklyInterval,
};

/// Office-hours schedules.
pub struct OfficeHours;

impl KindSpec for OfficeHours {
    list_kind!(
        kind: Kind::OfficeHours, decl: section::OfficeHours, live: OfficeHoursSchedule,
        check: check_schedules, export: export_kind,
        section: "Office-hours schedules.",
    );

    fn current_fingerprint(&self, live: &Live, change: &Change) -> String {
        let key = &change.address.key;
        let Some(s) = live_object(
            live_schedules(live),
            change,
            |s| Some(&s.id),
            |s| s.name == *key,
        ) else {
            return ABSENT.to_string();
        };
        // A plan whose configuration manages no exceptions never read them, so its fingerprint
        // leaves them out: compare like with like.
        let unread = OfficeHoursSchedule {
            exceptions: None,
            ..s.clone()
        };
        let without = unread.fingerprint();
        if without == change.fingerprint {
            without
        } else {
            s.fingerprint()
        }
    }

    fn read(&self, client: &Client, kind: Kind, scope: &Scope) -> Option<ReadFuture> {
        let (client, exceptions) = (client.clone(), scope.office_hours_exceptions);
        Some(read::list(kind, async move {
            intercom::read::office_hours(&client, exceptions).await
        }))
    }

    fn widen_scope(&self, desired: Option<&Desired>, scope: &mut super::Scope) {
        // Exceptions are one extra list per schedule: read them only when they are managed.
        scope.office_hours_exceptions =
            desired.is_none_or(|d| declared(d).iter().any(|o| o.exceptions.is_some()));
    }
}

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let mut list = Vec::new();
    for s in identifiable(kind, live_schedules(live), |s| &s.name, "schedules", out) {
        let exceptions = s.exceptions.as_ref().map(|ex| {
            let mut ex: Vec<section::OfficeHoursException> = ex
                .iter()
                .map(|e| section::OfficeHoursException {
                    date: e.date.clone(),
                    closed: e.closed.then_some(true),
                    hours: (!e.closed).then(|| DayHours::of(&e.intervals)),
                    name: (!e.name.is_empty()).then(|| e.name.clone()),
                    recurring: Some(e.recurring),
                })
                .collect();
            ex.sort_by(|a, b| a.date.cmp(&b.date));
            ex
        });
        list.push(section::OfficeHours {
            name: s.name.clone(),
            time_zone: s.time_zone.clone(),
            hours: WeeklyHours::of(&s.intervals),
            exceptions,
            renamed_from: None,
        });
    }
    super::export::put(&mut out.cfg, kind, list)
}

named_object!(OfficeHoursSchedule, |s| fingerprint(&(
    &s.name,
    &s.time_zone,
    &normalize(s.intervals.clone()),
    &s.exceptions,
)));

fn canonical_zone(name: &str) -> String {
    jiff::tz::TimeZone::get(name)
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .unwrap_or_else(|| name.to_string())
}

fn exception_json(
    closed: bool,
    intervals: &[WeeklyInterval],
    name: &str,
    recurring: bool,
) -> Value {
    let hours = day_hours(intervals);
    if closed {
        json!({"closed": true, "name": name, "recurring": recurring})
    } else {
        json!({"hours": hours, "name": name, "recurring": recurring})
    }
}

/// An exception as configured: date, closed, intervals, name and recurring (`None`: not
/// managed).
type WantedException = (
    String,
    bool,
    Vec<WeeklyInterval>,
    Option<String>,
    Option<bool>,
);

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let (decls, live) = (declared(ctx.d), ctx.live);
    for (address, decl, found) in matched_by_name(ctx, kind, decls, live_schedules(live)) {
        let want_zone = canonical_zone(&decl.time_zone);
        let want_intervals = decl.hours.intervals().to_vec();
        let want_exceptions: Option<Vec<WantedException>> = decl.exceptions.as_ref().map(|ex| {
            ex.iter()
                .map(|e| {
                    (
                        e.date.clone(),
                        e.closed == Some(true),
                        if e.closed == Some(true) {
                            vec![]
                        } else {
                            e.hours
                                .as_ref()
                                .map(|h| h.intervals().to_vec())
                                .unwrap_or_default()
                        },
                        e.name.clone(),
                        e.recurring,
                    )
                })
                .collect()
        });
        let Some((target, rename)) = found.live() else {
            let mut fields = vec![
                field("time_zone", None, Some(json!(want_zone))),
                field("hours", None, Some(json!(render_weekly(&want_intervals)))),
            ];
            let mut ops = vec![Op::CreateOfficeHours(NewOfficeHoursSchedule {
                name: decl.name.clone(),
                time_zone: want_zone,
                intervals: WeeklyInterval::split_at_midnight(&want_intervals),
            })];
            for (date, closed, intervals, name, recurring) in want_exceptions.into_iter().flatten()
            {
                let name = name.unwrap_or_default();
                let recurring = recurring.unwrap_or(false);
                fields.push(field(
                    &format!("exception {date}"),
                    None,
                    Some(exception_json(closed, &intervals, &name, recurring)),
                ));
                ops.push(Op::CreateOfficeHoursException {
                    schedule: ScheduleRef::Created,
                    exception: NewOfficeHoursException {
                        date,
                        closed,
                        name: (!name.is_empty()).then_some(name),
                        intervals,
                        recurring: Some(recurring),
                    },
                });
            }
            ctx.create(address, fields, ops);
            continue;
        };
        let mut fields = rename_fields(target, rename, &decl.name);
        let mut ops = Vec::new();
        let zone_changed = canonical_zone(&target.time_zone) != want_zone;
        if zone_changed {
            fields.push(field(
                "time_zone",
                Some(json!(target.time_zone)),
                Some(json!(want_zone)),
            ));
        }
        let live_intervals = normalize(target.intervals.clone());
        let intervals_changed = live_intervals != want_intervals;
        if intervals_changed {
            fields.push(field(
                "hours",
                Some(json!(render_weekly(&live_intervals))),
                Some(json!(render_weekly(&want_intervals))),
            ));
        }
        if rename || zone_changed || intervals_changed {
            ops.push(Op::UpdateOfficeHours {
                id: target.id.clone(),
                changes: OfficeHoursScheduleChanges {
                    name: rename.then(|| decl.name.clone()),
                    time_zone: zone_changed.then(|| want_zone.clone()),
                    intervals: intervals_changed
                        .then(|| WeeklyInterval::split_at_midnight(&want_intervals)),
                },
            });
        }
        if let Some(want) = want_exceptions {
            let live_ex: &[OfficeHoursException] = target.exceptions.as_deref().unwrap_or_default();
            for (date, closed, intervals, want_name, recurring) in &want {
                let current = live_ex.iter().find(|e| e.date == *date);
                // An absent name or `recurring` is not managed: compare (and send) the live one.
                let name = match (want_name, current) {
                    (Some(n), _) => n.clone(),
                    (None, Some(e)) => e.name.clone(),
                    (None, None) => String::new(),
                };
                let recurring = &recurring.or(current.map(|e| e.recurring)).unwrap_or(false);
                let new_json = exception_json(*closed, intervals, &name, *recurring);
                match current {
                    Some(e) => {
                        let old_json = exception_json(
                            e.closed,
                            &normalize(e.intervals.clone()),
                            &e.name,
                            e.recurring,
                        );
                        if old_json != new_json {
                            fields.push(field(
                                &format!("exception {date}"),
                                Some(old_json),
                                Some(new_json),
                            ));
                            ops.push(Op::UpdateOfficeHoursException {
                                schedule_id: target.id.clone(),
                                id: e.id.clone(),
                                changes: OfficeHoursExceptionChanges {
                                    closed: *closed,
                                    name: (!name.is_empty()).then(|| name.clone()),
                                    intervals: intervals.clone(),
                                    recurring: Some(*recurring),
                                },
                            });
                        }
                    }
                    None => {
                        fields.push(field(&format!("exception {date}"), None, Some(new_json)));
                        ops.push(Op::CreateOfficeHoursException {
                            schedule: ScheduleRef::Id(target.id.clone()),
                            exception: NewOfficeHoursException {
                                date: date.clone(),
                                closed: *closed,
                                name: (!name.is_empty()).then(|| name.clone()),
                                intervals: intervals.clone(),
                                recurring: Some(*recurring),
                            },
                        });
                    }
                }
            }
            for e in live_ex
                .iter()
                .filter(|e| !want.iter().any(|w| w.0 == e.date))
            {
                fields.push(field(
                    &format!("exception {}", e.date),
                    Some(exception_json(
                        e.closed,
                        &normalize(e.intervals.clone()),
                        &e.name,
                        e.recurring,
                    )),
                    None,
                ));
                ops.push(Op::DeleteOfficeHoursException {
                    schedule_id: target.id.clone(),
                    id: e.id.clone(),
                });
            }
        }
        if ops.is_empty() {
            continue;
        }
        ctx.modify(address, target, rename, fields, ops);
    }
    ctx.prune_by_deleting(kind, live_schedules(live), |id| Op::DeleteOfficeHours {
        id,
    });
}

// ---------------------------------------------------------------------------------------------

fn check_schedules(d: &Desired, out: &mut Vec<Diagnostic>) {
    for s in declared(d) {
        if jiff::tz::TimeZone::get(&s.time_zone).is_err() {
            let zones: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            let diag = d.error_at(
                &s.origin,
                "/time_zone",
                format!("`{}` is not an IANA time zone", s.time_zone),
            );
            out.push(
                match did_you_mean(&s.time_zone, zones.iter().map(String::as_str)) {
                    Some(z) => diag.with_help(format!("did you mean `{z}`?")),
                    None => {
                        diag.with_help("use a name such as `Europe/Dublin` or `America/New_York`")
                    }
                },
            );
        }
        if s.hours.written().is_empty() {
            out.push(
                d.error_at(&s.origin, "/hours", "a schedule needs open hours")
                    .with_help("add e.g. `mon-fri: [\"09:00-17:00\"]`"),
            );
        }
        // (day, start, end, key, index) of every valid interval, to find overlaps.
        let mut spans: Vec<(u32, u32, u32, &str, usize)> = Vec::new();
        for (key, intervals) in s.hours.written() {
            let key_ptr = format!("/hours/{}", key.replace('~', "~0").replace('/', "~1"));
            let days = match parse_days(key) {
                Ok(days) => days,
                Err(e) => {
                    let (file, pos) = d.locate_key(&s.origin, "/hours", key);
                    out.push(
                        Diagnostic::error(&file, pos, format!("invalid day key: {e}")).with_help(
                            format!("use {} or a range such as mon-fri", DAYS.join(", ")),
                        ),
                    );
                    continue;
                }
            };
            for (i, text) in intervals.iter().enumerate() {
                match parse_interval(text) {
                    Ok((start, end)) => {
                        for day in &days {
                            spans.push((*day, start, end, key.as_str(), i));
                        }
                    }
                    Err(e) => out.push(d.error_at(&s.origin, &format!("{key_ptr}/{i}"), e)),
                }
            }
        }
        spans.sort();
        let mut reported = Vec::new();
        for w in spans.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.0 == b.0 && b.1 < a.2 && !reported.contains(&(b.3, b.4)) {
                reported.push((b.3, b.4));
                let ptr = format!(
                    "/hours/{}/{}",
                    b.3.replace('~', "~0").replace('/', "~1"),
                    b.4
                );
                out.push(
                    d.error_at(
                        &s.origin,
                        &ptr,
                        format!(
                            "`{}` overlaps `{}` (from `{}`) on {}",
                            s.hours.written()[b.3][b.4],
                            s.hours.written()[a.3][a.4],
                            a.3,
                            DAYS[a.0 as usize]
                        ),
                    )
                    .with_help("office hours of one day must not overlap"),
                );
            }
        }
        check_exceptions(d, out, s);
    }
}

fn check_exceptions(d: &Desired, out: &mut Vec<Diagnostic>, s: &Located<section::OfficeHours>) {
    let mut dates: HashMap<&str, usize> = HashMap::new();
    for (i, e) in s.exceptions.iter().flatten().enumerate() {
        let base = format!("/exceptions/{i}");
        if e.date.parse::<jiff::civil::Date>().is_err() {
            out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/date"),
                    format!("`{}` is not a calendar date", e.date),
                )
                .with_help("write the date as YYYY-MM-DD"),
            );
        }
        if let Some(j) = dates.get(e.date.as_str()) {
            out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/date"),
                    format!(
                        "{} has two exceptions (also at {})",
                        e.date,
                        at(d, &s.origin, &format!("/exceptions/{j}/date"))
                    ),
                )
                .with_help("declare one exception per date"),
            );
        } else {
            dates.insert(&e.date, i);
        }
        match (e.closed, &e.hours) {
            (Some(true), Some(_)) => out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/hours"),
                    "a closed day has no hours",
                )
                .with_help("remove `hours`, or remove `closed: true`"),
            ),
            (Some(true), None) => {}
            (_, None) => out.push(
                d.error_at(
                    &s.origin,
                    &base,
                    "an exception needs `closed: true` or `hours`",
                )
                .with_help("add `closed: true` for a closed day, or the day's `hours`"),
            ),
            (_, Some(hours)) => {
                let mut parsed: Vec<(u32, u32, usize)> = Vec::new();
                for (j, h) in hours.written().iter().enumerate() {
                    match parse_interval(h) {
                        Ok((a, b)) => parsed.push((a, b, j)),
                        Err(msg) => {
                            out.push(d.error_at(&s.origin, &format!("{base}/hours/{j}"), msg))
                        }
                    }
                }
                parsed.sort();
                for w in parsed.windows(2) {
                    if w[1].0 < w[0].1 {
                        out.push(
                            d.error_at(
                                &s.origin,
                                &format!("{base}/hours/{}", w[1].2),
                                format!(
                                    "`{}` overlaps `{}`",
                                    hours.written()[w[1].2],
                                    hours.written()[w[0].2]
                                ),
                            )
                            .with_help("office hours of one day must not overlap"),
                        );
                    }
                }
            }
        }
    }
}

/// The live schedules (with their exceptions when they were read).
fn live_schedules(live: &Live) -> &[OfficeHoursSchedule] {
    live.objects(Kind::OfficeHours)
}

/// The declared office hours.
fn declared(desired: &Desired) -> &[Located<section::OfficeHours>] {
    desired.declarations(Kind::OfficeHours)
}
