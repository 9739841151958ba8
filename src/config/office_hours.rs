//! The office-hours notation of the configuration (`mon-fri: ["09:00-17:30"]`) and its
//! translation into Intercom's minutes from Monday 00:00.

use std::collections::BTreeMap;

use crate::model::WeeklyInterval;

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
}
