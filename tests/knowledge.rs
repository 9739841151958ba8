//! Internal articles and content snippets end to end against `sandbox serve` (seeded with the
//! internal articles `Escalation policy` and `Refund exceptions`, the latter HTML only, and the
//! snippets `Reset a password` and `Horaires du support`): export then plan empty, new files
//! applied and read back over plain HTTP, renames that keep the id, body edits as line diffs,
//! drift, `ignore`, prune under the deletion thresholds, stale saved plans, a refused scope
//! and located errors.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{Cli, Served, TOKEN, write_file};

/// The seeded ids (fixed in the sandbox's seed).
const ESCALATION: &str = "850001";
const REFUND_EXCEPTIONS: &str = "850002";
const RESET: &str = "860001";

fn cli(dir: &Path, sb: &Served) -> Cli {
    Cli::against(dir, &sb.url, TOKEN)
}

fn export(dir: &Path, sb: &Served) {
    cli(dir, sb).args(["export", "--out", "cfg"]).run().code(0);
}

fn plan(dir: &Path, sb: &Served) -> support::Run {
    cli(dir, sb)
        .args(["plan", "-c", "cfg", "--detailed-exitcode"])
        .run()
}

fn apply(dir: &Path, sb: &Served) {
    cli(dir, sb)
        .args(["apply", "-c", "cfg", "--auto-approve"])
        .run()
        .code(0);
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// `GET path` over plain HTTP (the sandbox's own API, not the tool's client).
fn get(sb: &Served, path: &str) -> Value {
    let (status, body) = sb.api("GET", path, None);
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The item of a list answer whose title is `title`.
fn titled<'a>(list: &'a Value, title: &str) -> &'a Value {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no {title} in {list}"))
}

#[test]
fn export_then_plan_is_empty_including_an_html_only_internal_article() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    assert_eq!(
        get(&sb, &format!("/internal_articles/{REFUND_EXCEPTIONS}"))["body_markdown"],
        Value::Null
    );
    assert_eq!(
        read(dir.path(), "cfg/internal_articles/refund-exceptions.md"),
        "---\ntitle: Refund exceptions\nauthor: alice@example.com\nowner: bob@example.com\n---\nRefunds after 14 days need a **manager's** approval.\n"
    );
    assert_eq!(
        read(dir.path(), "cfg/content_snippets/horaires-du-support.md"),
        "---\ntitle: Horaires du support\nlocale: fr\n---\nLe support répond du lundi au vendredi, de 9 h à 18 h.\n"
    );
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn new_files_are_applied_read_back_over_http_and_then_plan_empty() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    write_file(
        dir.path(),
        "cfg/internal_articles/vpn.md",
        "---\ntitle: VPN setup\nowner: carol@example.com\n---\n# VPN\n\nUse WireGuard.\n",
    );
    write_file(
        dir.path(),
        "cfg/content_snippets/shipping.md",
        "---\ntitle: Délais de livraison\nlocale: fr\n---\nTrois jours ouvrés.\n",
    );
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has("+ internal_article[\"VPN setup\"]")
        .stdout_has("+ owner = \"carol@example.com\"")
        .stdout_has("+ content_snippet[\"Délais de livraison\"]")
        .stdout_has("+ locale = \"fr\"")
        .stdout_has("2 to create");
    apply(dir.path(), &sb);
    let me = get(&sb, "/me");
    let admins = get(&sb, "/admins");
    let carol = admins["admins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "carol@example.com")
        .unwrap();
    let article = titled(&get(&sb, "/internal_articles"), "VPN setup").clone();
    assert_eq!(article["body_markdown"], "# VPN\n\nUse WireGuard.\n");
    assert_eq!(
        article["owner_id"].to_string(),
        carol["id"].as_str().unwrap()
    );
    assert_eq!(article["author_id"].to_string(), me["id"].as_str().unwrap());
    let snippets = get(&sb, "/content_snippets?per_page=50");
    let snippet = titled(&snippets, "Délais de livraison");
    assert_eq!(snippet["locale"], "fr");
    assert_eq!(snippet["body_markdown"], "Trois jours ouvrés.\n");
    assert_eq!(snippet["json_blocks"][0]["text"], "Trois jours ouvrés.");
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn renames_keep_the_id_and_body_edits_are_line_diffs() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/content_snippets/reset-a-password.md";
    let text = read(dir.path(), file)
        .replace(
            "title: Reset a password\n",
            "title: Password reset\nrenamed_from: Reset a password\n",
        )
        .replace("after an hour", "after two hours");
    write_file(dir.path(), file, &text);
    let file = "cfg/internal_articles/escalation-policy.md";
    let text = read(dir.path(), file)
        .replace(
            "title: Escalation policy\n",
            "title: Escalations\nrenamed_from: Escalation policy\n",
        )
        .replace("owner: bob@example.com", "owner: dave@example.com");
    write_file(dir.path(), file, &text);
    let run = plan(dir.path(), &sb);
    run.code(2)
        .stdout_has("± content_snippet[\"Password reset\"]  # renamed from \"Reset a password\"")
        .stdout_has("- The link expires after an hour.")
        .stdout_has("+ The link expires after two hours.")
        .stdout_has("± internal_article[\"Escalations\"]  # renamed from \"Escalation policy\"")
        .stdout_has("~ owner = \"bob@example.com\" -> \"dave@example.com\"")
        .stdout_has("0 to create");
    apply(dir.path(), &sb);
    let snippet = get(&sb, &format!("/content_snippets/{RESET}"));
    assert_eq!(snippet["title"], "Password reset");
    assert!(
        snippet["body_markdown"]
            .as_str()
            .unwrap()
            .contains("after two hours")
    );
    let article = get(&sb, &format!("/internal_articles/{ESCALATION}"));
    assert_eq!(article["title"], "Escalations");
    // The body did not change, so it was not sent again.
    assert!(article["body_markdown"].is_string());
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn drift_ignore_and_prune_under_the_thresholds() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    for f in [
        "internal_articles/refund-exceptions.md",
        "content_snippets/horaires-du-support.md",
        "content_snippets/reset-a-password.md",
    ] {
        std::fs::remove_file(dir.path().join("cfg").join(f)).unwrap();
    }
    cli(dir.path(), &sb)
        .args(["drift", "-c", "cfg"])
        .run()
        .code(0)
        .stdout_has("? internal_article[\"Refund exceptions\"]")
        .stdout_has("? content_snippet[\"Horaires du support\"]")
        .stdout_has("? content_snippet[\"Reset a password\"]");
    // Without prune, undeclared ones stay.
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
    write_file(
        dir.path(),
        "cfg/prune.yaml",
        "prune: [internal_articles, content_snippets]\n",
    );
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has("- internal_article[\"Refund exceptions\"]")
        .stdout_has("- content_snippet[\"Horaires du support\"]")
        .stdout_has("3 to delete");
    // Two snippets are more than one: nothing is written.
    cli(dir.path(), &sb)
        .args(["apply", "-c", "cfg", "--auto-approve", "--max-delete", "1"])
        .run()
        .code(1)
        .stderr_has("content_snippets");
    assert_eq!(get(&sb, "/content_snippets")["total_count"], 2);
    assert_eq!(get(&sb, "/internal_articles")["total_count"], 2);
    // An ignored snippet is neither pruned nor reported.
    write_file(
        dir.path(),
        "cfg/prune.yaml",
        "prune: [internal_articles, content_snippets]\nignore:\n  content_snippets: [\"Horaires*\"]\n",
    );
    let run = plan(dir.path(), &sb);
    run.code(2)
        .stdout_has("- content_snippet[\"Reset a password\"]")
        .stdout_has("2 to delete");
    assert!(!run.stdout.contains("Horaires"), "{}", run.stdout);
    cli(dir.path(), &sb)
        .args(["apply", "-c", "cfg", "--auto-approve", "--max-delete", "1"])
        .run()
        .code(0);
    let (status, _) = sb.api("GET", &format!("/content_snippets/{RESET}"), None);
    assert_eq!(status, 404);
    let (status, _) = sb.api(
        "GET",
        &format!("/internal_articles/{REFUND_EXCEPTIONS}"),
        None,
    );
    assert_eq!(status, 404);
    assert_eq!(get(&sb, "/content_snippets")["total_count"], 1);
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn a_saved_plan_is_stale_once_its_snippet_changed() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/content_snippets/reset-a-password.md";
    let text = read(dir.path(), file).replace("an hour", "a day");
    write_file(dir.path(), file, &text);
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--out", "saved.json"])
        .run()
        .code(0);
    let (status, _) = sb.api(
        "PUT",
        &format!("/content_snippets/{RESET}"),
        Some(serde_json::json!({"body_markdown": "Edited by hand.\n"})),
    );
    assert_eq!(status, 200);
    cli(dir.path(), &sb)
        .args(["apply", "saved.json"])
        .run()
        .code(1)
        .stderr_has(
            "plan is stale: content_snippet[\"Reset a password\"] changed since the plan was made",
        );
    assert_eq!(
        get(&sb, &format!("/content_snippets/{RESET}"))["body_markdown"],
        "Edited by hand.\n"
    );
}

#[test]
fn errors_are_located_and_nothing_is_written() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    write_file(
        dir.path(),
        "cfg/internal_articles/a.md",
        "---\ntitle: On call\nowner: bob@exampel.com\n---\nPage the on-call engineer.\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("internal_articles/a.md:3:8: error: no teammate has the e-mail address `bob@exampel.com`")
        .stderr_has("did you mean `bob@example.com`?");
    write_file(
        dir.path(),
        "cfg/internal_articles/a.md",
        "---\ntitle: On call\nowners: bob@example.com\n---\n",
    );
    write_file(
        dir.path(),
        "cfg/content_snippets/a.md",
        "---\ntitle: Hours\n---\nNine to five.\n",
    );
    write_file(
        dir.path(),
        "cfg/content_snippets/b.md",
        "---\ntitle: hours\n---\nNine to five.\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("internal_articles/a.md:3:1: error: unknown key `owners`")
        .stderr_has("did you mean `owner`?")
        .stderr_has("content_snippets/b.md:2:1: error: the title `hours` is already used by");
    // Declared and ignored.
    std::fs::remove_file(dir.path().join("cfg/content_snippets/b.md")).unwrap();
    std::fs::remove_file(dir.path().join("cfg/internal_articles/a.md")).unwrap();
    write_file(
        dir.path(),
        "cfg/main.yaml",
        "version: 1\nignore:\n  content_snippets: [\"Hour*\"]\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("content_snippets/a.md:2:1: error: `Hours` is both declared and ignored (pattern `Hour*`");
    assert_eq!(sb.writes(), 0);
}

#[test]
fn a_token_without_the_scopes_leaves_them_out_or_refuses() {
    let sb = Served::start(&[
        "--deny-scope",
        "content_snippets",
        "--deny-scope",
        "internal_articles",
    ]);
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &sb)
        .args(["export", "--out", "cfg"])
        .run()
        .code(0)
        .stderr_has("note: content_snippets cannot be read (HTTP 401 token_unauthorized)")
        .stderr_has("`read_write_content_snippets` OAuth scope")
        .stderr_has("note: internal_articles cannot be read (HTTP 401 token_unauthorized)");
    assert!(!dir.path().join("cfg/content_snippets").exists());
    assert!(!dir.path().join("cfg/internal_articles").exists());
    assert!(dir.path().join("cfg/tags.yaml").exists());
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
    write_file(
        dir.path(),
        "cfg/content_snippets/a.md",
        "---\ntitle: Hours\n---\nNine to five.\n",
    );
    plan(dir.path(), &sb)
        .code(1)
        .stderr_has("content_snippets cannot be read (HTTP 401 token_unauthorized)");
    assert_eq!(sb.writes(), 0);
}

/// What the description requires and its conformance scenarios cannot send (they stay inside
/// it): a create without its owner, or a snippet without content.
#[test]
fn the_sandbox_refuses_creates_missing_required_fields() {
    let sb = Served::start(&[]);
    let (status, body) = sb.api(
        "POST",
        "/internal_articles",
        Some(serde_json::json!({"title": "No owner", "author_id": 1001})),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["code"], "parameter_not_found");
    let (status, body) = sb.api(
        "POST",
        "/content_snippets",
        Some(serde_json::json!({"title": "Empty"})),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["code"], "validation_error");
    assert_eq!(get(&sb, "/internal_articles")["total_count"], 2);
    assert_eq!(get(&sb, "/content_snippets")["total_count"], 2);
}

#[test]
fn documents_take_the_environment_variables_with_located_errors() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "cfg/main.yaml",
        "environments:\n  staging:\n    variables:\n      TRACKER: Linear (staging)\n",
    );
    write_file(
        dir.path(),
        "cfg/content_snippets/bugs.md",
        "---\ntitle: Report a bug\n---\nFile it in ${TRACKER}.\nThen ${NOPE} here.\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "cfg", "--env", "staging"])
        .run()
        .code(1)
        .stderr_has("content_snippets/bugs.md:5:6: error: the variable `NOPE` is not defined");
    write_file(
        dir.path(),
        "cfg/content_snippets/bugs.md",
        "---\ntitle: Report a bug in ${TRACKER}\n---\nFile it in ${TRACKER}.\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--env", "staging"])
        .run()
        .code(0)
        .stdout_has("+ content_snippet[\"Report a bug in Linear (staging)\"]")
        .stdout_has("+ File it in Linear (staging).");
}
