//! Faults: apply a plan of a few hundred changes against a sandbox that fails a fifth of its
//! calls (5xx, dropped connections, answers slower than the client's timeout) and allows only a
//! handful of requests per second; re-run apply until it succeeds. Every change must then be
//! applied exactly once, and a 429 must never surface as a failure.

use std::collections::BTreeMap;

use crate::fixtures::{
    Neighbour, assert_no_duplicates, big_config, large, names, plan_addresses, read_live,
    write_config,
};
use crate::support::{Cli, Served, StatsExt};

const TOKEN: &str = "rel-faults-token";

/// The sandbox operation that creates objects of an address's kind.
fn create_operation(address: &str) -> &'static str {
    match address.split('[').next().unwrap_or_default() {
        "tag" => "POST /tags",
        "audience" => "POST /audiences",
        "office_hours" => "POST /office_hours_schedules",
        "contact_attribute" | "company_attribute" => "POST /data_attributes",
        other => panic!("unexpected kind in the plan: {other}"),
    }
}

#[test]
fn apply_under_faults_and_a_small_rate_limit_applies_every_change_exactly_once() {
    let (tags, audiences, schedules, attributes) = if large() {
        (1200, 300, 150, 150)
    } else {
        (130, 40, 21, 21)
    };
    let served = Served::start_quiet(&[
        "--fault-rate",
        "0.2",
        "--fault-seed",
        "8",
        "--rate-limit",
        "60",
        "--rate-window-secs",
        "1",
    ]);
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &big_config(tags, audiences, schedules, attributes),
    );
    // A short timeout, so that the sandbox's slow answers (35 s) cost seconds, not minutes.
    let cli = || Cli::against(dir.path(), &served.url, TOKEN).args(["--timeout", "2"]);

    let planned = cli()
        .args(["plan", "--format", "json", "--detailed-exitcode"])
        .run();
    planned.code(2);
    let addresses = plan_addresses(&planned.stdout);
    assert_eq!(
        addresses.len(),
        tags + audiences + schedules + attributes,
        "every declared object is a create"
    );
    let mut creates: BTreeMap<&str, u64> = BTreeMap::new();
    for a in &addresses {
        *creates.entry(create_operation(a)).or_default() += 1;
    }
    // Every third schedule carries one exception, created by the schedule's change.
    creates.insert(
        "POST /office_hours_schedules/{id}/office_hours_exceptions",
        schedules.div_ceil(3) as u64,
    );

    // Another app burns most of each window, so the apply meets 429 storms.
    let neighbour = Neighbour::start(&served.url, "rel-neighbour-token");
    let mut attempts = Vec::new();
    loop {
        let run = cli().args(["apply", "--auto-approve"]).run();
        assert!(
            run.code == 0 || run.code == 1,
            "apply exits 0 or 1, not {}\n{}",
            run.code,
            run.stderr
        );
        for line in run.stderr.lines() {
            let lower = line.to_lowercase();
            assert!(
                !(lower.contains("answered 429")
                    || lower.contains("rate_limit")
                    || lower.contains("rate limit")),
                "a rate limit surfaced in the output of apply #{}: {line}",
                attempts.len() + 1
            );
            assert!(!lower.contains("panicked"), "{line}");
        }
        let done = run.code == 0;
        attempts.push(run);
        if done {
            break;
        }
        assert!(
            attempts.len() < 4,
            "apply did not converge in {} attempts; last stderr:\n{}",
            attempts.len(),
            attempts.last().unwrap().stderr
        );
    }
    let neighbour_refused = neighbour.stop();
    assert!(neighbour_refused > 0, "the neighbour never met the limit");
    // Every run accounts for each change; the last one applied the rest without a failure.
    let mut applied = 0;
    for run in &attempts {
        let summary = run
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("Apply finished: "))
            .unwrap_or_else(|| panic!("no summary:\n{}", run.stderr));
        let n: usize = summary.split(' ').next().unwrap().parse().unwrap();
        applied += n;
    }
    assert!(
        attempts
            .last()
            .unwrap()
            .stderr
            .contains(" applied, 0 failed, 0 skipped."),
        "{}",
        attempts.last().unwrap().stderr
    );
    assert_eq!(applied, addresses.len(), "changes applied over all runs");

    let stats = served.stats();
    assert!(
        stats.counter("faults_injected") > 0,
        "no fault was injected: {}",
        stats
    );
    assert!(
        stats.counter("rate_limited") > neighbour_refused,
        "the apply never met the rate limit: {}",
        stats
    );
    // Each create took effect exactly once: no other write succeeded, and each create
    // operation succeeded as many times as the plan creates objects through it.
    assert_eq!(
        stats.successful_writes(),
        creates
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
        "successful writes versus planned creates"
    );

    let live = read_live(&served.url, TOKEN);
    assert_no_duplicates(&live);
    let found = names(&live);
    for a in &addresses {
        let (kind, rest) = a.split_once("[\"").unwrap();
        let name = rest.trim_end_matches("\"]");
        let kind = match kind {
            "contact_attribute" | "company_attribute" => "data_attribute",
            k => k,
        };
        let key = (kind, name.to_string());
        assert!(
            found.keys().any(|(k, n)| *k == key.0 && *n == key.1),
            "{a} is missing after apply"
        );
    }

    cli().args(["plan", "--detailed-exitcode"]).run().code(0);
}
