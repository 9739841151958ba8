//! The `brands` kind end to end against `sandbox serve` (seeded with the brands "Sandbox Co",
//! the default, and "Sandbox Premium"): located validation errors, a missing brand as a
//! manual step, export that plans empty, and unmanaged brands in drift.

mod support;

use support::{Cli, Served, TOKEN, write_file};

#[test]
fn a_duplicate_or_misspelt_brand_key_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "b.yaml",
        "brands:\n  - name: Acme\n  - name: acme\n  - {name: Other, colour: red}\n",
    );
    let r = Cli::new(dir.path())
        .args(["validate", "-c", "b.yaml"])
        .run();
    r.code(1);
    r.stderr_has("b.yaml:4:19: error: unknown key `colour` in brands[2]");
    // Names are case-sensitive: `Acme` and `acme` are two brands.
    assert!(!r.stderr.contains("duplicate brand"), "{}", r.stderr);
    write_file(
        dir.path(),
        "c.yaml",
        "brands:\n  - name: Acme\n  - name: Acme\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "c.yaml"])
        .run()
        .code(1)
        .stderr_has("c.yaml:3:11: error: duplicate brand `Acme`: also declared at c.yaml:2:11");
    write_file(dir.path(), "p.yaml", "prune: [brands]\n");
    Cli::new(dir.path())
        .args(["validate", "-c", "p.yaml"])
        .run()
        .code(1)
        .stderr_has("`brands` cannot be pruned: brands are read-only in the Intercom API");
}

#[test]
fn a_declared_brand_must_exist_and_a_present_one_plans_nothing() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "ok.yaml",
        "brands:\n  - name: Sandbox Co\n  - name: Sandbox Premium\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "ok.yaml", "--detailed-exitcode"])
        .run()
        .code(0)
        .stdout_has("No changes.");
    write_file(
        dir.path(),
        "missing.yaml",
        "brands:\n  - name: Sandbox Premum\n",
    );
    let r = Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "missing.yaml", "--detailed-exitcode"])
        .run();
    r.code(2)
        .stdout_has("! brand[\"Sandbox Premum\"]: create the brand `Sandbox Premum`")
        .stdout_has("did you mean `Sandbox Premium`?");
    // Read-only, with the fewest calls: each plan read `GET /me` and the brands list, and
    // nothing was written.
    let stats = sb.stats();
    assert_eq!(sb.writes(), 0, "{stats}");
    assert_eq!(stats["calls"]["GET /brands"], 2, "{stats}");
    assert_eq!(stats["total_calls"], 4, "{stats}");
}

#[test]
fn export_writes_brands_and_drift_reports_undeclared_ones() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["export", "--out", "intercom"])
        .run()
        .code(0);
    let brands = std::fs::read_to_string(dir.path().join("intercom/brands.yaml")).unwrap();
    assert!(
        brands.contains("brands:\n- name: Sandbox Co\n- name: Sandbox Premium\n"),
        "{brands}"
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "intercom", "--detailed-exitcode"])
        .run()
        .code(0);
    write_file(dir.path(), "one.yaml", "brands:\n  - name: Sandbox Co\n");
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["drift", "-c", "one.yaml", "--fail-on-unmanaged"])
        .run()
        .code(2)
        .stdout_has("? brand[\"Sandbox Premium\"]");
}
