//! The `brands` kind end to end against `sandbox serve` (seeded with the brands "Sandbox Co",
//! the default, and "Sandbox Premium"): located validation errors, a missing brand as a
//! manual step, export that plans empty, and unmanaged brands in drift.

mod support;

use support::Project;

#[test]
fn a_duplicate_or_misspelt_brand_key_is_a_located_error() {
    let p = Project::in_process();
    p.write(
        "b.yaml",
        "brands:\n  - name: Acme\n  - name: acme\n  - {name: Other, colour: red}\n",
    );
    let r = p.validate("b.yaml");
    r.code(1);
    r.stderr_has("b.yaml:4:19: error: unknown key `colour` in brands[2]");
    // Names are case-sensitive: `Acme` and `acme` are two brands.
    assert!(!r.stderr.contains("duplicate brand"), "{}", r.stderr);
    p.write("c.yaml", "brands:\n  - name: Acme\n  - name: Acme\n");
    p.validate("c.yaml")
        .code(1)
        .stderr_has("c.yaml:3:11: error: duplicate brand `Acme`: also declared at c.yaml:2:11");
    p.write("p.yaml", "prune: [brands]\n");
    p.validate("p.yaml")
        .code(1)
        .stderr_has("`brands` cannot be pruned: brands are read-only in the Intercom API");
}

#[test]
fn a_declared_brand_must_exist_and_a_present_one_plans_nothing() {
    let (sb, p) = Project::with_served(&[]);
    p.write(
        "ok.yaml",
        "brands:\n  - name: Sandbox Co\n  - name: Sandbox Premium\n",
    );
    p.plan("ok.yaml").code(0).stdout_has("No changes.");
    p.write("missing.yaml", "brands:\n  - name: Sandbox Premum\n");
    let r = p.plan("missing.yaml");
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
    let (_sb, p) = Project::with_served(&[]);
    p.export("intercom");
    let brands = p.read("intercom/brands.yaml");
    assert!(
        brands.contains("brands:\n- name: Sandbox Co\n- name: Sandbox Premium\n"),
        "{brands}"
    );
    p.plan("intercom").code(0);
    p.write("one.yaml", "brands:\n  - name: Sandbox Co\n");
    p.run(&["drift", "-c", "one.yaml", "--fail-on-unmanaged"])
        .code(2)
        .stdout_has("? brand[\"Sandbox Premium\"]");
}
