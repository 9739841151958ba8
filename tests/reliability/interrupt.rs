//! Interruption: `apply` of a few hundred changes, killed with SIGKILL at pseudo-random points
//! (after a seeded number of changes reported done). After each kill the next plan is exactly
//! what is left: a subset of the original plan that shrinks and no longer holds what was
//! reported done. A final apply converges without duplicates.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};

use crate::fixtures::{
    assert_no_duplicates, big_config, large, plan_addresses, read_live, write_config,
};
use crate::support::{Cli, Served, StatsExt};

const TOKEN: &str = "rel-interrupt-token";

/// A tiny deterministic generator (xorshift64*), so kill points are reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Runs apply until `kill_after` changes are reported done (or it ends by itself); returns
/// the addresses reported done and whether the process was killed.
fn apply_and_kill(cli: &Cli, kill_after: usize) -> (Vec<String>, bool) {
    let mut child = cli
        .clone()
        .args(["apply", "--auto-approve", "--concurrency", "4"])
        .spawn();
    // The rendered plan goes to stdout first: drain it, or a large one fills the pipe and
    // apply blocks before its first change.
    let mut stdout = child.stdout.take().unwrap();
    let drain = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut done = Vec::new();
    let mut killed = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        assert!(!line.contains("panicked"), "{line}");
        if let Some(address) = line.trim().strip_suffix(": done") {
            // `+ tag["x"]`: the action symbol, then the address.
            let address = address.split_once(' ').map_or(address, |(_, a)| a);
            done.push(address.to_string());
            if done.len() >= kill_after {
                child.kill().unwrap();
                killed = true;
                break;
            }
        }
    }
    let status = child.wait().unwrap();
    let _ = drain.join();
    if !killed {
        assert!(status.success(), "apply failed before the kill: {status}");
    }
    (done, killed)
}

#[test]
fn apply_killed_at_random_points_leaves_exactly_the_remainder_and_converges() {
    let (tags, audiences, schedules, attributes) = if large() {
        (1500, 300, 120, 120)
    } else {
        (150, 45, 30, 24)
    };
    let served = Served::start_quiet(&["--latency-ms", "20"]);
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &big_config(tags, audiences, schedules, attributes),
    );
    let cli = Cli::against(dir.path(), &served.url, TOKEN);
    let plan = || {
        let run = cli.clone().args(["plan", "--format", "json"]).run();
        run.code(0);
        plan_addresses(&run.stdout)
    };

    let original: BTreeSet<String> = plan().into_iter().collect();
    assert_eq!(original.len(), tags + audiences + schedules + attributes);
    let mut left = original.len();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut kills = 0;
    for _ in 0..4 {
        let kill_after = 3 + rng.below((left as u64 / 4).max(1)) as usize;
        let (done, killed) = apply_and_kill(&cli, kill_after);
        let now: Vec<String> = plan();
        let now_set: BTreeSet<String> = now.iter().cloned().collect();
        assert_eq!(
            now.len(),
            now_set.len(),
            "an address is planned twice: {now:?}"
        );
        let extra: Vec<_> = now_set.difference(&original).collect();
        assert!(
            extra.is_empty(),
            "planned after a kill but not before: {extra:?}"
        );
        let redone: Vec<_> = done.iter().filter(|a| now_set.contains(*a)).collect();
        assert!(
            redone.is_empty(),
            "reported done, yet planned again: {redone:?}"
        );
        if !killed {
            assert!(now.is_empty(), "apply finished, yet {now:?} is left");
            break;
        }
        kills += 1;
        assert!(
            now.len() < left,
            "the plan did not shrink: {} then {}",
            left,
            now.len()
        );
        left = now.len();
    }
    assert!(kills >= 2, "apply was killed only {kills} time(s)");

    cli.clone().args(["apply", "--auto-approve"]).run().code(0);
    cli.clone()
        .args(["plan", "--detailed-exitcode"])
        .run()
        .code(0);
    let live = read_live(&served.url, TOKEN);
    assert_no_duplicates(&live);

    // Whatever the kills interrupted, each object was created exactly once.
    let stats = served.stats();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for (op, n) in [
        ("POST /tags", tags),
        ("POST /audiences", audiences),
        ("POST /office_hours_schedules", schedules),
        (
            "POST /office_hours_schedules/{id}/office_hours_exceptions",
            schedules.div_ceil(3),
        ),
        ("POST /data_attributes", attributes),
    ] {
        expected.insert(op.to_string(), n as u64);
    }
    assert_eq!(stats.successful_writes(), expected);
}
