//! `--since`: how far back a report reads the activity log, as a duration back from now
//! (`7d`, `12h`, `2w`) or a day or instant (`2026-11-01`, `2026-11-01T09:00:00Z`), checked once
//! into a Unix timestamp; anything else is an error saying what was meant, when that is clear.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Why a `--since` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--since `{raw}`: {reason}\n  help: {help}")]
pub struct SinceError {
    /// As given.
    pub raw: String,
    /// What is wrong with it.
    pub reason: String,
    /// What to write instead.
    pub help: String,
}

const FORMS: &str = "give a duration back from now (`7d`, `12h`, `2w`) or a UTC day (`2026-11-01`) or instant (`2026-11-01T09:00:00Z`)";

/// The start of the period `raw` names, in Unix seconds, for a run at `now`.
pub fn parse_since(raw: &str, now: Timestamp) -> Result<i64, SinceError> {
    let s = raw.trim();
    let refuse = |reason: String, help: String| SinceError {
        raw: raw.to_string(),
        reason,
        help,
    };
    let start = if s.starts_with(|c: char| c.is_ascii_digit())
        && let Some(split) = s.find(|c: char| !c.is_ascii_digit())
        && !s[split..].starts_with(['-', '/', '.'])
    {
        let (number, unit) = s.split_at(split);
        let unit = unit.trim();
        let seconds_per = match unit {
            "h" => 3_600,
            "d" => 86_400,
            "w" => 7 * 86_400,
            other => {
                let help = match unit_meant(other) {
                    Some(meant) => format!("did you mean `{number}{meant}`? Otherwise {FORMS}"),
                    None => FORMS.to_string(),
                };
                return Err(refuse(format!("unknown unit `{other}`"), help));
            }
        };
        let n: i64 = number
            .parse()
            .map_err(|_| refuse("the number is too large".into(), FORMS.into()))?;
        if n == 0 {
            return Err(refuse(
                "the period is empty".into(),
                "give at least `1h`".into(),
            ));
        }
        now.as_second()
            .checked_sub(n.saturating_mul(seconds_per))
            .filter(|t| *t >= 0)
            .ok_or_else(|| refuse("that is before 1970".into(), FORMS.into()))?
    } else if let Ok(date) = s.parse::<Date>() {
        TimeZone::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .map(|t| t.as_second())
            .map_err(|e| refuse(e.to_string(), FORMS.into()))?
    } else if let Ok(t) = s.parse::<Timestamp>() {
        t.as_second()
    } else {
        let normalised = s.replace(['/', '.'], "-");
        let help = match normalised.parse::<Date>() {
            Ok(date) if normalised != s => format!("did you mean `{date}`? Otherwise {FORMS}"),
            _ => FORMS.to_string(),
        };
        return Err(refuse("not a duration or a date".into(), help));
    };
    if start > now.as_second() {
        return Err(refuse(
            "that is in the future".into(),
            "give a day up to today".into(),
        ));
    }
    Ok(start)
}

/// The unit a misspelt one most likely meant.
fn unit_meant(unit: &str) -> Option<&'static str> {
    match unit.to_ascii_lowercase().as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" => Some("h"),
        "d" | "day" | "days" | "dy" => Some("d"),
        "w" | "wk" | "wks" | "week" | "weeks" => Some("w"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-29T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn durations_and_dates() {
        let now = now();
        assert_eq!(parse_since("7d", now), Ok(now.as_second() - 7 * 86_400));
        assert_eq!(parse_since("12h", now), Ok(now.as_second() - 12 * 3_600));
        assert_eq!(parse_since("2w", now), Ok(now.as_second() - 14 * 86_400));
        let day: Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
        assert_eq!(parse_since("2026-11-01", now), Ok(day.as_second()));
        let at: Timestamp = "2026-11-01T09:00:00Z".parse().unwrap();
        assert_eq!(parse_since("2026-11-01T09:00:00Z", now), Ok(at.as_second()));
    }

    #[test]
    fn bad_values_say_what_was_meant() {
        let now = now();
        let e = parse_since("7days", now).unwrap_err();
        assert!(e.to_string().contains("did you mean `7d`?"), "{e}");
        let e = parse_since("3 weeks", now).unwrap_err();
        assert!(e.to_string().contains("did you mean `3w`?"), "{e}");
        let e = parse_since("2026/11/01", now).unwrap_err();
        assert!(e.to_string().contains("did you mean `2026-11-01`?"), "{e}");
        let e = parse_since("yesterday", now).unwrap_err();
        assert!(e.to_string().contains("help: give a duration"), "{e}");
        assert!(parse_since("0d", now).is_err());
        assert!(parse_since("2027-01-01", now).is_err());
        assert!(parse_since("99999999999999999999d", now).is_err());
        assert!(parse_since("", now).is_err());
        assert!(parse_since("7x", now).is_err());
    }
}
