//! Office-hours intervals end to end against `sandbox serve`, which (like Intercom, as far as the
//! description tells: each interval has one derived `day_of_week`) refuses an interval that
//! spans midnight: the tool sends one interval per day and compares schedules after joining
//! touching intervals on both sides.

mod support;

use serde_json::{Value, json};
use support::{Project, Served};

/// The intervals of the live schedule `name`, as `(start, end)` minutes from Monday.
fn intervals(server: &Served, name: &str) -> Vec<(u64, u64)> {
    let (status, list) = server.api("GET", "/office_hours_schedules", None);
    assert_eq!(status, 200, "{list}");
    let schedule = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no schedule {name}: {list}"));
    let minute = |i: &Value, key: &str| i[key].as_u64().unwrap();
    let mut out: Vec<(u64, u64)> = schedule["time_intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (minute(i, "start_minute"), minute(i, "end_minute")))
        .collect();
    out.sort();
    out
}

#[test]
fn a_weekend_open_around_the_clock_is_sent_one_interval_per_day() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(
        "office_hours:\n  - name: Weekend\n    time_zone: UTC\n    hours:\n      fri: [\"18:00-24:00\"]\n      sat-sun: [\"00:00-24:00\"]\n",
    );
    let plan = p.run(&["plan", "--format", "json"]);
    plan.code(0);
    let ops = &plan.json()["changes"][0]["ops"][0];
    assert_eq!(ops["op"], "create_office_hours");
    assert_eq!(
        ops["intervals"],
        json!([
            {"start_minute": 6840, "end_minute": 7200},
            {"start_minute": 7200, "end_minute": 8640},
            {"start_minute": 8640, "end_minute": 10080},
        ])
    );
    p.run(&["apply", "--auto-approve"]).code(0);
    assert_eq!(
        intervals(&server, "Weekend"),
        [(6840, 7200), (7200, 8640), (8640, 10080)]
    );
    // Read back split, compared joined: nothing left to do.
    p.run(&["plan", "--detailed-exitcode"]).code(0);
}

#[test]
fn a_schedule_split_differently_in_the_ui_shows_no_drift() {
    let server = Served::start(&[]);
    // Monday 09:00-17:00 saved as two touching intervals.
    let (status, body) = server.api(
        "POST",
        "/office_hours_schedules",
        Some(json!({
            "name": "Split",
            "time_zone_name": "UTC",
            "time_intervals": [
                {"start_minute": 540, "end_minute": 720},
                {"start_minute": 720, "end_minute": 1020},
            ],
        })),
    );
    assert_eq!(status, 201, "{body}");
    let p = Project::served(&server);
    p.config(
        "office_hours:\n  - name: Split\n    time_zone: UTC\n    hours:\n      mon: [\"09:00-17:00\"]\n",
    );
    p.run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes");
    // A real change is still seen, and sent per day.
    p.config(
        "office_hours:\n  - name: Split\n    time_zone: UTC\n    hours:\n      mon: [\"09:00-24:00\"]\n      tue: [\"00:00-02:00\"]\n",
    );
    p.run(&["apply", "--auto-approve"]).code(0);
    assert_eq!(intervals(&server, "Split"), [(540, 1440), (1440, 1560)]);
    p.run(&["plan", "--detailed-exitcode"]).code(0);
}
