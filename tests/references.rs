//! The read-only references `macros`, `subscription_types` and `away_status_reasons` end to
//! end against `sandbox serve` (default seed: macros `Thank You Response`, `Refund Process`,
//! `Welcome Aboard`, and `Discount Offer` that the token's admin cannot see; subscription types
//! `Newsletters`, `Product updates` and the archived `Webinars`; away status reasons `On a
//! break`, `In a meeting`, `Focus time` and the deleted `Out for lunch`): located validation
//! errors, a missing one as a manual step with a suggestion, export that plans empty, unmanaged
//! ones in drift, and a token without the macros scope.

mod support;

use support::Project;

const PRESENT: &str = "macros:\n  - name: Thank You Response\n  - name: Refund Process\nsubscription_types:\n  - name: Newsletters\naway_status_reasons:\n  - name: On a break\n";

#[test]
fn misspelt_keys_duplicates_and_prune_are_located_errors() {
    let p = Project::in_process();
    p.write("r.yaml",
        "macros:\n  - name: A\n  - {name: B, body: x}\naway_status_reasons:\n  - name: On a break\n  - name: On a break\n",
    );
    let r = p.validate("r.yaml");
    r.code(1)
        .stderr_has("r.yaml:3:15: error: unknown key `body` in macros[1]")
        .stderr_has(
            "r.yaml:6:11: error: duplicate away status reason `On a break`: also declared at r.yaml:5:11",
        );
    for kind in ["macros", "subscription_types", "away_status_reasons"] {
        p.write("p.yaml", &format!("prune: [{kind}]\n"));
        p.validate("p.yaml")
            .code(1)
            .stderr_has(&format!("`{kind}` cannot be pruned: "))
            .stderr_has("are read-only in the Intercom API");
    }
}

#[test]
fn declared_references_must_exist_and_be_active() {
    let (sb, p) = Project::with_served(&[]);
    p.write("ok.yaml", PRESENT);
    p.plan("ok.yaml").code(0).stdout_has("No changes.");
    p.write("missing.yaml",
        "macros:\n  - name: Refund Proces\n  - name: Discount Offer\nsubscription_types:\n  - name: Webinars\n  - name: Lettres d'information\naway_status_reasons:\n  - name: Out for lunch\n  - name: In a meting\n",
    );
    let r = p.plan("missing.yaml");
    r.code(2)
        .stdout_has("! macro[\"Refund Proces\"]: create the macro `Refund Proces`")
        .stdout_has("did you mean `Refund Process`?")
        // Visible only to a team the token's admin is not in: Intercom does not list it.
        .stdout_has("! macro[\"Discount Offer\"]: create the macro `Discount Offer`")
        // Archived, and named in another locale than the default: neither counts.
        .stdout_has("! subscription_type[\"Webinars\"]")
        .stdout_has("! subscription_type[\"Lettres d'information\"]")
        // Deleted reasons are still listed by Intercom, but no longer exist for the tool.
        .stdout_has("! away_status_reason[\"Out for lunch\"]")
        .stdout_has("did you mean `In a meeting`?")
        .stdout_has("6 manual steps");
    // Read-only: nothing was written.
    let stats = sb.stats();
    assert_eq!(sb.writes(), 0, "{stats}");
    assert_eq!(stats["calls"]["GET /macros"], 2, "{stats}");
}

#[test]
fn export_writes_references_and_drift_reports_undeclared_ones() {
    let (_sb, p) = Project::with_served(&[]);
    p.export("intercom");
    let read = |name: &str| p.read(&format!("intercom/{name}"));
    let macros = read("macros.yaml");
    assert!(
        macros.contains("- name: Refund Process\n")
            && macros.contains("- name: Thank You Response\n")
            && macros.contains("- name: Welcome Aboard\n")
            && !macros.contains("Discount Offer"),
        "{macros}"
    );
    assert!(
        read("subscription_types.yaml")
            .contains("subscription_types:\n- name: Newsletters\n- name: Product updates\n"),
        "{}",
        read("subscription_types.yaml")
    );
    let reasons = read("away_status_reasons.yaml");
    assert!(
        reasons.contains("- name: Focus time\n") && !reasons.contains("Out for lunch"),
        "{reasons}"
    );
    p.plan("intercom").code(0);
    p.write("some.yaml", PRESENT);
    p.run(&["drift", "-c", "some.yaml", "--fail-on-unmanaged"])
        .code(2)
        .stdout_has("? macro[\"Welcome Aboard\"]")
        .stdout_has("? subscription_type[\"Product updates\"]")
        .stdout_has("? away_status_reason[\"Focus time\"]");
    p.write("ignored.yaml",
        &format!(
            "{PRESENT}ignore:\n  macros: [\"Welcome*\"]\n  subscription_types: [\"*\"]\n  away_status_reasons: [\"In a*\", \"Focus*\"]\n"
        ),
    );
    let r = p.run(&["drift", "-c", "ignored.yaml", "--fail-on-unmanaged"]);
    assert!(!r.stdout.contains("Welcome Aboard"), "{}", r.stdout);
    assert!(!r.stdout.contains("Focus time"), "{}", r.stdout);
}

#[test]
fn macros_without_the_read_conversations_scope() {
    let (sb, p) = Project::with_served(&["--deny-scope", "macros"]);
    let body = sb.expect("GET", "/macros", None, 403);
    assert_eq!(body["errors"][0]["code"], "forbidden", "{body}");
    // Declared: an error naming the scope.
    p.write("m.yaml", "macros:\n  - name: Refund Process\n");
    p.run(&["plan", "-c", "m.yaml"])
        .code(1)
        .stderr_has("macros cannot be read (HTTP 403 forbidden)")
        .stderr_has("`read_conversations` OAuth scope");
    // Export leaves them out with a note; everything else is exported.
    let r = p.run(&["export", "--out", "intercom"]);
    r.code(0)
        .stderr_has("note: macros cannot be read (HTTP 403 forbidden)");
    assert!(!p.path("intercom/macros.yaml").exists());
    assert!(p.path("intercom/subscription_types.yaml").exists());
}
