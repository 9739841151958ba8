//! The office-hours notation of the configuration (`mon-fri: ["09:00-17:30"]`) and its
//! translation into Intercom's minutes from Monday 00:00.

use std::collections::BTreeMap;

use crate::model::WeeklyInterval;

/// Weekly open hours as written (`mon-fri: ["09:00-17:30"]`) and as Intercom counts them
/// (parsed once, when the file is read; entries that do not parse are reported with their
/// location by the kind's checks and left out of `intervals`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    written: BTreeMap<String, Vec<String>>,
    intervals: Vec<WeeklyInterval>,
}

impl WeeklyHours {
    /// The hours of these weekly intervals, written with day ranges (`mon-fri`).
    pub fn of(intervals: &[WeeklyInterval]) -> Self {
        let written = hours_map(intervals);
        WeeklyHours {
            intervals: weekly_intervals(&written),
            written,
        }
    }

    /// As written: day key → intervals.
    pub fn written(&self) -> &BTreeMap<String, Vec<String>> {
        &self.written
    }

    /// Minutes from Monday 00:00, sorted, touching intervals joined.
    pub fn intervals(&self) -> &[WeeklyInterval] {
        &self.intervals
    }
}

/// One day's open hours as written (`["09:00-12:00"]`) and as minutes from midnight (parsed
/// once, like [`WeeklyHours`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayHours {
    written: Vec<String>,
    intervals: Vec<WeeklyInterval>,
}

impl DayHours {
    /// The hours of these intervals of one day.
    pub fn of(intervals: &[WeeklyInterval]) -> Self {
        let written = day_hours(intervals);
        DayHours {
            intervals: day_intervals(&written),
            written,
        }
    }

    /// As written.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Minutes from midnight, sorted, touching intervals joined.
    pub fn intervals(&self) -> &[WeeklyInterval] {
        &self.intervals
    }
}

/// Serde and schema support for a parsed notation: it reads and writes `$written`, and its
/// schema is that of `$written`.
macro_rules! written_as {
    ($t:ty, $written:ty, $parse:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.written.serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let written = <$written>::deserialize(d)?;
                Ok(Self {
                    intervals: $parse(&written),
                    written,
                })
            }
        }

        impl schemars::JsonSchema for $t {
            fn inline_schema() -> bool {
                <$written>::inline_schema()
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                <$written>::schema_name()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                <$written>::schema_id()
            }

            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <$written>::json_schema(g)
            }
        }
    };
}

written_as!(WeeklyHours, BTreeMap<String, Vec<String>>, weekly_intervals);
written_as!(DayHours, Vec<String>, |w: &Vec<String>| day_intervals(w));

/// Day keys, Monday first (Intercom counts minutes from Monday 00:00).
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes in a day.
pub const DAY_MINUTES: u32 = 24 * 60;

/// The days (0 = Monday) that an `hours` key names: `mon` or a forward range `mon-fri`.
pub fn parse_days(key: &str) -> Result<Vec<u32>, String> {
    let index = |d: &str| {
        DAYS.iter()
            .position(|x| *x == d)
            .map(|i| i as u32)
            .ok_or_else(|| format!("`{d}` is not a day"))
    };
    match key.split_once('-') {
        None => Ok(vec![index(key)?]),
        Some((a, b)) => {
            let (a, b) = (index(a)?, index(b)?);
            if a > b {
                return Err(format!("the range `{key}` runs backwards"));
            }
            Ok((a..=b).collect())
        }
    }
}

fn parse_time(s: &str) -> Result<u32, String> {
    let bad = || format!("`{s}` is not a time of day (HH:MM)");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Parses `"09:00-17:30"` into minutes from midnight, enforcing 15-minute boundaries and a
/// start before the end.
pub fn parse_interval(s: &str) -> Result<(u32, u32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("`{s}` is not an interval; write it as \"HH:MM-HH:MM\""))?;
    let (start, end) = (parse_time(a.trim())?, parse_time(b.trim())?);
    for t in [start, end] {
        if t % 15 != 0 {
            return Err(format!(
                "`{s}` is not on a 15-minute boundary (Intercom counts office hours in quarters of an hour)"
            ));
        }
    }
    if end <= start {
        return Err(format!("`{s}` ends before it starts"));
    }
    Ok((start, end))
}

/// Weekly intervals (minutes from Monday 00:00) of valid `hours`, sorted, with touching
/// intervals joined the way Intercom stores them. Invalid entries are skipped (validation
/// reports them).
pub fn weekly_intervals(hours: &BTreeMap<String, Vec<String>>) -> Vec<WeeklyInterval> {
    let mut out = Vec::new();
    for (key, intervals) in hours {
        let Ok(days) = parse_days(key) else { continue };
        for day in days {
            for i in intervals {
                if let Ok((s, e)) = parse_interval(i) {
                    out.push(WeeklyInterval {
                        start_minute: day * DAY_MINUTES + s,
                        end_minute: day * DAY_MINUTES + e,
                    });
                }
            }
        }
    }
    normalize(out)
}

/// Sorts intervals and joins those that touch or overlap.
pub fn normalize(mut intervals: Vec<WeeklyInterval>) -> Vec<WeeklyInterval> {
    intervals.sort();
    let mut out: Vec<WeeklyInterval> = Vec::with_capacity(intervals.len());
    for i in intervals {
        match out.last_mut() {
            Some(last) if i.start_minute <= last.end_minute => {
                last.end_minute = last.end_minute.max(i.end_minute);
            }
            _ => out.push(i),
        }
    }
    out
}

/// Formats minutes from midnight as `HH:MM`.
pub fn format_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Splits weekly intervals into per-day `HH:MM-HH:MM` lists and joins identical consecutive
/// days into ranges (`mon-fri`).
pub fn hours_map(intervals: &[WeeklyInterval]) -> BTreeMap<String, Vec<String>> {
    let mut days: Vec<Vec<String>> = vec![Vec::new(); 7];
    for i in intervals {
        let first = i.start_minute / DAY_MINUTES;
        let last = i.end_minute.saturating_sub(1) / DAY_MINUTES;
        for d in first..=last.min(6) {
            let start = i.start_minute.max(d * DAY_MINUTES) - d * DAY_MINUTES;
            let end = i.end_minute.min((d + 1) * DAY_MINUTES) - d * DAY_MINUTES;
            if end > start {
                days[d as usize].push(format!("{}-{}", format_time(start), format_time(end)));
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut d = 0;
    while d < 7 {
        if days[d].is_empty() {
            d += 1;
            continue;
        }
        let mut e = d;
        while e + 1 < 7 && days[e + 1] == days[d] {
            e += 1;
        }
        let k = if e == d {
            DAYS[d].to_string()
        } else {
            format!("{}-{}", DAYS[d], DAYS[e])
        };
        out.insert(k, days[d].clone());
        d = e + 1;
    }
    out
}
/// A day's intervals (minutes from midnight) as `HH:MM-HH:MM`.
pub fn day_hours(intervals: &[WeeklyInterval]) -> Vec<String> {
    intervals
        .iter()
        .map(|i| {
            format!(
                "{}-{}",
                format_time(i.start_minute),
                format_time(i.end_minute)
            )
        })
        .collect()
}
/// A day's `HH:MM-HH:MM` intervals (already checked) as minutes from midnight, merged.
pub fn day_intervals(hours: &[String]) -> Vec<WeeklyInterval> {
    normalize(
        hours
            .iter()
            .filter_map(|h| parse_interval(h).ok())
            .map(|(s, e)| WeeklyInterval {
                start_minute: s,
                end_minute: e,
            })
            .collect(),
    )
}
/// Weekly intervals as `day HH:MM-HH:MM` (or `day HH:MM - day HH:MM` across days), for plans.
pub fn render_weekly(intervals: &[WeeklyInterval]) -> Vec<String> {
    intervals
        .iter()
        .map(|i| {
            let (sd, ed) = (
                i.start_minute / DAY_MINUTES,
                (i.end_minute.saturating_sub(1)) / DAY_MINUTES,
            );
            let day = |d: u32| DAYS.get(d as usize).copied().unwrap_or("?");
            let end = i.end_minute - ed * DAY_MINUTES;
            if sd == ed {
                format!(
                    "{} {}-{}",
                    day(sd),
                    format_time(i.start_minute - sd * DAY_MINUTES),
                    format_time(end)
                )
            } else {
                format!(
                    "{} {} - {} {}",
                    day(sd),
                    format_time(i.start_minute - sd * DAY_MINUTES),
                    day(ed),
                    format_time(end)
                )
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_ranges() {
        assert_eq!(parse_days("mon-fri").unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(parse_days("sun").unwrap(), vec![6]);
        assert!(parse_days("fri-mon").unwrap_err().contains("backwards"));
        assert!(parse_days("monday").is_err());
    }

    #[test]
    fn parses_intervals_on_quarters() {
        assert_eq!(parse_interval("09:00-17:30").unwrap(), (540, 1050));
        assert_eq!(parse_interval("00:00-24:00").unwrap(), (0, 1440));
        assert!(
            parse_interval("09:10-17:00")
                .unwrap_err()
                .contains("15-minute")
        );
        assert!(
            parse_interval("17:00-09:00")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(parse_interval("9:00-17:00").is_err());
        assert!(parse_interval("24:15-24:30").is_err());
    }

    #[test]
    fn weekly_intervals_join_across_midnight() {
        let mut hours = BTreeMap::new();
        hours.insert("mon-tue".to_string(), vec!["00:00-24:00".to_string()]);
        hours.insert("sat".to_string(), vec!["10:00-14:00".to_string()]);
        let w = weekly_intervals(&hours);
        assert_eq!(
            w,
            vec![
                WeeklyInterval {
                    start_minute: 0,
                    end_minute: 2880
                },
                WeeklyInterval {
                    start_minute: 5 * 1440 + 600,
                    end_minute: 5 * 1440 + 840
                },
            ]
        );
    }

    #[test]
    fn hours_are_parsed_once_when_read_and_written_back_as_written() {
        let hours: WeeklyHours = serde_json::from_value(
            serde_json::json!({"mon-tue": ["00:00-24:00"], "sat": ["10:00-14:00", "nonsense"]}),
        )
        .unwrap();
        assert_eq!(
            hours.intervals(),
            [
                WeeklyInterval {
                    start_minute: 0,
                    end_minute: 2880
                },
                WeeklyInterval {
                    start_minute: 5 * 1440 + 600,
                    end_minute: 5 * 1440 + 840
                },
            ]
        );
        let back = serde_json::to_value(&hours).unwrap();
        assert_eq!(back["sat"][1], "nonsense");
        let day: DayHours =
            serde_json::from_value(serde_json::json!(["12:00-13:00", "09:00-12:00"])).unwrap();
        assert_eq!(
            day.intervals(),
            [WeeklyInterval {
                start_minute: 540,
                end_minute: 780
            }]
        );
        assert_eq!(DayHours::of(day.intervals()).written(), ["09:00-13:00"]);
        assert_eq!(
            WeeklyHours::of(hours.intervals()).written()["mon-tue"],
            ["00:00-24:00"]
        );
    }

    #[test]
    fn intervals_are_cut_at_each_midnight() {
        let cut = WeeklyInterval::split_at_midnight(&[
            WeeklyInterval {
                start_minute: 1320,
                end_minute: 2 * 1440 + 120,
            },
            WeeklyInterval {
                start_minute: 5 * 1440,
                end_minute: 6 * 1440,
            },
        ]);
        let pairs: Vec<(u32, u32)> = cut.iter().map(|i| (i.start_minute, i.end_minute)).collect();
        assert_eq!(
            pairs,
            [(1320, 1440), (1440, 2880), (2880, 3000), (7200, 8640)]
        );
        assert_eq!(
            normalize(cut),
            weekly_intervals(&{
                let mut m = BTreeMap::new();
                m.insert("mon".to_string(), vec!["22:00-24:00".to_string()]);
                m.insert("tue".to_string(), vec!["00:00-24:00".to_string()]);
                m.insert("wed".to_string(), vec!["00:00-02:00".to_string()]);
                m.insert("sat".to_string(), vec!["00:00-24:00".to_string()]);
                m
            })
        );
    }

    #[test]
    fn hours_join_identical_days_into_ranges() {
        let w: Vec<WeeklyInterval> = (0..5)
            .map(|d| WeeklyInterval {
                start_minute: d * 1440 + 540,
                end_minute: d * 1440 + 1050,
            })
            .chain([WeeklyInterval {
                start_minute: 5 * 1440 + 600,
                end_minute: 5 * 1440 + 840,
            }])
            .collect();
        let h = hours_map(&w);
        assert_eq!(h.len(), 2);
        assert_eq!(h["mon-fri"], ["09:00-17:30"]);
        assert_eq!(h["sat"], ["10:00-14:00"]);
        // An interval across midnight splits per day.
        let h = hours_map(&[WeeklyInterval {
            start_minute: 1320,
            end_minute: 1440 + 120,
        }]);
        assert_eq!(h["mon"], ["22:00-24:00"]);
        assert_eq!(h["tue"], ["00:00-02:00"]);
    }
}
