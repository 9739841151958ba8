//! Internal articles and content snippets end to end against `sandbox serve` (seeded with the
//! internal articles `Escalation policy` and `Refund exceptions`, the latter HTML only, and the
//! snippets `Reset a password` and `Horaires du support`): export then plan empty, new files
//! applied and read back over plain HTTP, renames that keep the id, body edits as line diffs,
//! drift, `ignore`, prune under the deletion thresholds, stale saved plans, a refused scope
//! and located errors.

mod support;

use serde_json::Value;
use support::{Project, Served, find};

/// The seeded ids (fixed in the sandbox's seed).
const ESCALATION: &str = "850001";
const REFUND_EXCEPTIONS: &str = "850002";
const RESET: &str = "860001";

#[test]
fn export_then_plan_is_empty_including_an_html_only_internal_article() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    assert_eq!(
        sb.get(&format!("/internal_articles/{REFUND_EXCEPTIONS}"))["body_markdown"],
        Value::Null
    );
    assert_eq!(
        p.read("cfg/internal_articles/refund-exceptions.md"),
        "---\ntitle: Refund exceptions\nauthor: alice@example.com\nowner: bob@example.com\n---\nRefunds after 14 days need a **manager's** approval.\n"
    );
    assert_eq!(
        p.read("cfg/content_snippets/horaires-du-support.md"),
        "---\ntitle: Horaires du support\nlocale: fr\n---\nLe support répond du lundi au vendredi, de 9 h à 18 h.\n"
    );
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn new_files_are_applied_read_back_over_http_and_then_plan_empty() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/internal_articles/vpn.md",
        "---\ntitle: VPN setup\nowner: carol@example.com\n---\n# VPN\n\nUse WireGuard.\n",
    );
    p.write(
        "cfg/content_snippets/shipping.md",
        "---\ntitle: Délais de livraison\nlocale: fr\n---\nTrois jours ouvrés.\n",
    );
    p.plan("cfg")
        .code(2)
        .stdout_has("+ internal_article[\"VPN setup\"]")
        .stdout_has("+ owner = \"carol@example.com\"")
        .stdout_has("+ content_snippet[\"Délais de livraison\"]")
        .stdout_has("+ locale = \"fr\"")
        .stdout_has("2 to create");
    p.apply("cfg");
    let me = sb.get("/me");
    let admins = sb.get("/admins");
    let carol = find(&admins["admins"], "email", "carol@example.com");
    let article = find(&sb.get("/internal_articles")["data"], "title", "VPN setup").clone();
    assert_eq!(article["body_markdown"], "# VPN\n\nUse WireGuard.\n");
    assert_eq!(
        article["owner_id"].to_string(),
        carol["id"].as_str().unwrap()
    );
    assert_eq!(article["author_id"].to_string(), me["id"].as_str().unwrap());
    let snippets = sb.get("/content_snippets?per_page=50");
    let snippet = find(&snippets["data"], "title", "Délais de livraison");
    assert_eq!(snippet["locale"], "fr");
    assert_eq!(snippet["body_markdown"], "Trois jours ouvrés.\n");
    assert_eq!(snippet["json_blocks"][0]["text"], "Trois jours ouvrés.");
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn renames_keep_the_id_and_body_edits_are_line_diffs() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/content_snippets/reset-a-password.md";
    p.edit(
        file,
        "title: Reset a password\n",
        "title: Password reset\nrenamed_from: Reset a password\n",
    )
    .edit(file, "after an hour", "after two hours");
    let file = "cfg/internal_articles/escalation-policy.md";
    p.edit(
        file,
        "title: Escalation policy\n",
        "title: Escalations\nrenamed_from: Escalation policy\n",
    )
    .edit(file, "owner: bob@example.com", "owner: dave@example.com");
    let run = p.plan("cfg");
    run.code(2)
        .stdout_has("± content_snippet[\"Password reset\"]  # renamed from \"Reset a password\"")
        .stdout_has("- The link expires after an hour.")
        .stdout_has("+ The link expires after two hours.")
        .stdout_has("± internal_article[\"Escalations\"]  # renamed from \"Escalation policy\"")
        .stdout_has("~ owner = \"bob@example.com\" -> \"dave@example.com\"")
        .stdout_has("0 to create");
    p.apply("cfg");
    let snippet = sb.get(&format!("/content_snippets/{RESET}"));
    assert_eq!(snippet["title"], "Password reset");
    assert!(
        snippet["body_markdown"]
            .as_str()
            .unwrap()
            .contains("after two hours")
    );
    let article = sb.get(&format!("/internal_articles/{ESCALATION}"));
    assert_eq!(article["title"], "Escalations");
    // The body did not change, so it was not sent again.
    assert!(article["body_markdown"].is_string());
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn drift_ignore_and_prune_under_the_thresholds() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    for f in [
        "internal_articles/refund-exceptions.md",
        "content_snippets/horaires-du-support.md",
        "content_snippets/reset-a-password.md",
    ] {
        p.remove(&format!("cfg/{f}"));
    }
    p.run(&["drift", "-c", "cfg"])
        .code(0)
        .stdout_has("? internal_article[\"Refund exceptions\"]")
        .stdout_has("? content_snippet[\"Horaires du support\"]")
        .stdout_has("? content_snippet[\"Reset a password\"]");
    // Without prune, undeclared ones stay.
    p.plan("cfg").code(0).stdout_has("No changes.");
    p.write(
        "cfg/prune.yaml",
        "prune: [internal_articles, content_snippets]\n",
    );
    p.plan("cfg")
        .code(2)
        .stdout_has("- internal_article[\"Refund exceptions\"]")
        .stdout_has("- content_snippet[\"Horaires du support\"]")
        .stdout_has("3 to delete");
    // Two snippets are more than one: nothing is written.
    p.run(&["apply", "-c", "cfg", "--auto-approve", "--max-delete", "1"])
        .code(1)
        .stderr_has("content_snippets");
    assert_eq!(sb.get("/content_snippets")["total_count"], 2);
    assert_eq!(sb.get("/internal_articles")["total_count"], 2);
    // An ignored snippet is neither pruned nor reported.
    p.write("cfg/prune.yaml",
        "prune: [internal_articles, content_snippets]\nignore:\n  content_snippets: [\"Horaires*\"]\n",
    );
    let run = p.plan("cfg");
    run.code(2)
        .stdout_has("- content_snippet[\"Reset a password\"]")
        .stdout_has("2 to delete");
    assert!(!run.stdout.contains("Horaires"), "{}", run.stdout);
    p.run(&["apply", "-c", "cfg", "--auto-approve", "--max-delete", "1"])
        .code(0);
    sb.expect("GET", &format!("/content_snippets/{RESET}"), None, 404);
    let path = format!("/internal_articles/{REFUND_EXCEPTIONS}");
    sb.expect("GET", &path, None, 404);
    assert_eq!(sb.get("/content_snippets")["total_count"], 1);
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn a_saved_plan_is_stale_once_its_snippet_changed() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/content_snippets/reset-a-password.md";
    p.edit(file, "an hour", "a day");
    p.run(&["plan", "-c", "cfg", "--out", "saved.json"]).code(0);
    sb.put(
        &format!("/content_snippets/{RESET}"),
        serde_json::json!({"body_markdown": "Edited by hand.\n"}),
    );
    p.run(&["apply", "saved.json"]).code(1).stderr_has(
        "plan is stale: content_snippet[\"Reset a password\"] changed since the plan was made",
    );
    assert_eq!(
        sb.get(&format!("/content_snippets/{RESET}"))["body_markdown"],
        "Edited by hand.\n"
    );
}

#[test]
fn errors_are_located_and_nothing_is_written() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/internal_articles/a.md",
        "---\ntitle: On call\nowner: bob@exampel.com\n---\nPage the on-call engineer.\n",
    );
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("internal_articles/a.md:3:8: error: no teammate has the e-mail address `bob@exampel.com`")
        .stderr_has("did you mean `bob@example.com`?");
    p.write(
        "cfg/internal_articles/a.md",
        "---\ntitle: On call\nowners: bob@example.com\n---\n",
    );
    p.write(
        "cfg/content_snippets/a.md",
        "---\ntitle: Hours\n---\nNine to five.\n",
    );
    p.write(
        "cfg/content_snippets/b.md",
        "---\ntitle: hours\n---\nNine to five.\n",
    );
    p.validate("cfg")
        .code(1)
        .stderr_has("internal_articles/a.md:3:1: error: unknown key `owners`")
        .stderr_has("did you mean `owner`?")
        .stderr_has("content_snippets/b.md:2:1: error: the title `hours` is already used by");
    // Declared and ignored.
    p.remove("cfg/content_snippets/b.md");
    p.remove("cfg/internal_articles/a.md");
    p.write(
        "cfg/main.yaml",
        "version: 1\nignore:\n  content_snippets: [\"Hour*\"]\n",
    );
    p.validate("cfg").code(1).stderr_has(
        "content_snippets/a.md:2:1: error: `Hours` is both declared and ignored (pattern `Hour*`",
    );
    assert_eq!(sb.writes(), 0);
}

#[test]
fn a_token_without_the_scopes_leaves_them_out_or_refuses() {
    let (sb, p) = Project::with_served(&[
        "--deny-scope",
        "content_snippets",
        "--deny-scope",
        "internal_articles",
    ]);
    p.run(&["export", "--out", "cfg"])
        .code(0)
        .stderr_has("note: content_snippets cannot be read (HTTP 401 token_unauthorized)")
        .stderr_has("`read_write_content_snippets` OAuth scope")
        .stderr_has("note: internal_articles cannot be read (HTTP 401 token_unauthorized)");
    assert!(!p.path("cfg/content_snippets").exists());
    assert!(!p.path("cfg/internal_articles").exists());
    assert!(p.path("cfg/tags.yaml").exists());
    p.plan("cfg").code(0).stdout_has("No changes.");
    p.write(
        "cfg/content_snippets/a.md",
        "---\ntitle: Hours\n---\nNine to five.\n",
    );
    p.plan("cfg")
        .code(1)
        .stderr_has("content_snippets cannot be read (HTTP 401 token_unauthorized)");
    assert_eq!(sb.writes(), 0);
}

/// What the description requires and its conformance scenarios cannot send (they stay inside
/// it): a create without its owner, or a snippet without content.
#[test]
fn the_sandbox_refuses_creates_missing_required_fields() {
    let sb = Served::start(&[]);
    let body = sb.expect(
        "POST",
        "/internal_articles",
        Some(serde_json::json!({"title": "No owner", "author_id": 1001})),
        400,
    );
    assert_eq!(body["errors"][0]["code"], "parameter_not_found");
    let body = sb.expect(
        "POST",
        "/content_snippets",
        Some(serde_json::json!({"title": "Empty"})),
        422,
    );
    assert_eq!(body["errors"][0]["code"], "validation_error");
    assert_eq!(sb.get("/internal_articles")["total_count"], 2);
    assert_eq!(sb.get("/content_snippets")["total_count"], 2);
}

#[test]
fn documents_take_the_environment_variables_with_located_errors() {
    let (_sb, p) = Project::with_served(&[]);
    p.write(
        "cfg/main.yaml",
        "environments:\n  staging:\n    variables:\n      TRACKER: Linear (staging)\n",
    );
    p.write(
        "cfg/content_snippets/bugs.md",
        "---\ntitle: Report a bug\n---\nFile it in ${TRACKER}.\nThen ${NOPE} here.\n",
    );
    p.run_bare(&["validate", "-c", "cfg", "--env", "staging"])
        .code(1)
        .stderr_has("content_snippets/bugs.md:5:6: error: the variable `NOPE` is not defined");
    p.write(
        "cfg/content_snippets/bugs.md",
        "---\ntitle: Report a bug in ${TRACKER}\n---\nFile it in ${TRACKER}.\n",
    );
    p.run(&["plan", "-c", "cfg", "--env", "staging"])
        .code(0)
        .stdout_has("+ content_snippet[\"Report a bug in Linear (staging)\"]")
        .stdout_has("+ File it in Linear (staging).");
}
