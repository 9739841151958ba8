//! Help Center articles end to end against `sandbox serve` (seeded with five articles in
//! `Getting started`, `Billing` and `Billing/Invoices`, two of them HTML only): export then
//! plan empty, one edited paragraph in the plan, renames and moves that keep the id, `draft`
//! unpublishing, new articles in new collections, prune, and located errors.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{Cli, Served, TOKEN, write_file};

/// The seeded article ids (fixed in the sandbox's seed).
const INVITE: &str = "800002";
const CHANGE_PLAN: &str = "800003";
const DOWNLOAD: &str = "800004";

fn cli(dir: &Path, sb: &Served) -> Cli {
    Cli::against(dir, &sb.url, TOKEN)
}

/// Exports the seeded workspace into `cfg/` of `dir`.
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

fn article(sb: &Served, id: &str) -> Value {
    let (status, body) = sb.api("GET", &format!("/articles/{id}"), None);
    assert_eq!(status, 200, "{body}");
    body
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// The lines of a plan that a line diff marks as removed or added.
fn changed_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("          - ") || l.starts_with("          + "))
        .map(|l| l.trim_start().to_string())
        .collect()
}

#[test]
fn export_then_plan_is_empty_including_html_only_articles() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    // Written in Intercom's editor: no body_markdown, converted from the HTML.
    assert_eq!(article(&sb, INVITE)["body_markdown"], Value::Null);
    let invite = read(
        dir.path(),
        "cfg/help_center/Getting started/invite-your-team.md",
    );
    assert_eq!(
        invite,
        "---\ntitle: Invite your team\nstate: published\nauthor: alice@example.com\n---\n## Invite your team\n\nGo to **Settings** and choose [Invite](https://example.com/invite).\n\n- Teammates get an e-mail\n- Links expire after 7 days\n"
    );
    let draft = read(
        dir.path(),
        "cfg/help_center/Billing/Invoices/refund-policy.md",
    );
    assert!(draft.contains("state: draft\n"), "{draft}");
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn an_edited_paragraph_is_exactly_what_the_plan_shows() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/help_center/Billing/change-your-plan.md";
    let text = read(dir.path(), file);
    let edited = text.replace(
        "Open **Billing** and pick a plan.",
        "Open **Billing**, pick a plan\nand confirm.",
    );
    assert_ne!(edited, text);
    write_file(dir.path(), file, &edited);
    let run = plan(dir.path(), &sb);
    run.code(2)
        .stdout_has("~ article[\"Billing/Change your plan\"]")
        .stdout_has("~ body");
    assert_eq!(
        changed_lines(&run.stdout),
        [
            "- Open **Billing** and pick a plan.",
            "+ Open **Billing**, pick a plan",
            "+ and confirm.",
        ]
    );
    // The pull-request form carries the same lines, symbols first.
    let md = cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--format", "markdown"])
        .run();
    md.code(0)
        .stdout_has("\n-           Open **Billing** and pick a plan.\n")
        .stdout_has("\n+           and confirm.\n");
    apply(dir.path(), &sb);
    assert_eq!(
        article(&sb, CHANGE_PLAN)["body_markdown"],
        "Plans change at the end of the billing period.\n\nOpen **Billing**, pick a plan\nand confirm.\n"
    );
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn an_edited_html_only_article_is_compared_as_markdown() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/help_center/Billing/Invoices/download-an-invoice.md";
    // Line endings and trailing spaces of the body are normalised away; the new sentence
    // is not.
    let text = read(dir.path(), file);
    let (front, body) = text.split_at(text.rfind("---\n").unwrap() + 4);
    let edited = format!(
        "{front}{}Invoices are kept for 7 years.\r\n\r\n",
        body.replace('\n', "  \r\n")
    );
    write_file(dir.path(), file, &edited);
    let run = plan(dir.path(), &sb);
    run.code(2);
    assert_eq!(
        changed_lines(&run.stdout),
        ["+ Invoices are kept for 7 years."]
    );
    apply(dir.path(), &sb);
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn renames_and_moves_keep_the_id() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let old = "cfg/help_center/Billing/change-your-plan.md";
    let renamed = read(dir.path(), old).replace(
        "title: Change your plan\n",
        "title: Switch plans\nrenamed_from: Change your plan\n",
    );
    std::fs::remove_file(dir.path().join(old)).unwrap();
    write_file(
        dir.path(),
        "cfg/help_center/Billing/switch-plans.md",
        &renamed,
    );
    // Moved from Billing/Invoices to Billing.
    std::fs::rename(
        dir.path()
            .join("cfg/help_center/Billing/Invoices/download-an-invoice.md"),
        dir.path()
            .join("cfg/help_center/Billing/download-an-invoice.md"),
    )
    .unwrap();
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has(
            "± article[\"Billing/Switch plans\"]  # renamed from \"Billing/Change your plan\"",
        )
        .stdout_has("~ article[\"Billing/Download an invoice\"]")
        .stdout_has("~ collection = \"Billing/Invoices\" -> \"Billing\"")
        .stdout_has("0 to create");
    apply(dir.path(), &sb);
    assert_eq!(article(&sb, CHANGE_PLAN)["title"], "Switch plans");
    let moved = article(&sb, DOWNLOAD);
    let billing = 700_002;
    assert_eq!(moved["parent_ids"], serde_json::json!([billing]));
    // The HTML body was not sent again.
    assert_eq!(moved["body_markdown"], Value::Null);
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn draft_unpublishes_a_published_article_and_says_so() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/help_center/Getting started/invite-your-team.md";
    let text = read(dir.path(), file).replace("state: published", "state: draft");
    write_file(dir.path(), file, &text);
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has("~ state = \"published\" -> \"draft\"")
        .stdout_has("unpublishes the article");
    apply(dir.path(), &sb);
    assert_eq!(article(&sb, INVITE)["state"], "draft");
    plan(dir.path(), &sb).code(0);
}

#[test]
fn new_articles_in_new_collections_apply_in_one_run_then_plan_empty() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    write_file(
        dir.path(),
        "cfg/help_center/Guides/Setup/install.md",
        "---\ntitle: Install the app\ndescription: On every platform\nstate: published\n---\n# Install\n\nDownload it.\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Billing/taxes.md",
        "---\ntitle: Taxes\nauthor: alice@example.com\n---\nVAT is included.\n",
    );
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has("+ help_center_collection[\"Guides\"]")
        .stdout_has("+ article    = \"Guides/Setup/Install the app\"")
        .stdout_has("+ article[\"Billing/Taxes\"]")
        .stdout_has("+ state  = \"draft\"");
    apply(dir.path(), &sb);
    let (_, list) = sb.api("GET", "/articles?per_page=50", None);
    let data = list["data"].as_array().unwrap();
    let install = data
        .iter()
        .find(|a| a["title"] == "Install the app")
        .unwrap();
    assert_eq!(install["state"], "published");
    assert_eq!(install["parent_ids"].as_array().unwrap().len(), 2);
    let taxes = data.iter().find(|a| a["title"] == "Taxes").unwrap();
    assert_eq!(taxes["state"], "draft");
    assert_eq!(taxes["parent_ids"], serde_json::json!([700_002]));
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn article_errors_are_located() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    write_file(
        dir.path(),
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Refunds\nauthor: alice@exampel.com\n---\nBody\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("help_center/Billing/a.md:3:9: error: no teammate has the e-mail address `alice@exampel.com`")
        .stderr_has("did you mean `alice@example.com`?");
    write_file(
        dir.path(),
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Refunds\n---\nSee the chart:\n\n![chart](img/chart.png)\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Billing/b.md",
        "---\ntitle: refunds\n---\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("help_center/Billing/a.md:6:1: error: a local image cannot be published")
        .stderr_has("help_center/Billing/b.md:2:1: error: the title `refunds` is already used in this collection");
}

#[test]
fn an_article_in_an_ignored_collection_is_an_error() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "cfg/main.yaml",
        "version: 1\nignore:\n  help_center_collections: [\"Billing*\"]\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Taxes\n---\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("help_center/Billing/a.md:2:1: error: the article's collection help_center_collection[\"Billing\"] is ignored");
}

#[test]
fn drift_lists_unmanaged_articles_and_only_narrows_the_plan() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    std::fs::remove_file(
        dir.path()
            .join("cfg/help_center/Billing/change-your-plan.md"),
    )
    .unwrap();
    let file = "cfg/help_center/Getting started/invite-your-team.md";
    let text = read(dir.path(), file).replace("state: published", "state: draft");
    write_file(dir.path(), file, &text);
    cli(dir.path(), &sb)
        .args(["drift", "-c", "cfg"])
        .run()
        .code(2)
        .stdout_has("? article[\"Billing/Change your plan\"]")
        .stdout_has("~ article[\"Getting started/Invite your team\"]");
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--only", "tags"])
        .run()
        .code(0)
        .stdout_has("No changes.");
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--only", "articles"])
        .run()
        .code(0)
        .stdout_has("~ article[\"Getting started/Invite your team\"]");
    // An ignored article (without a file: declaring it too is an error) is neither planned
    // nor reported.
    std::fs::remove_dir_all(dir.path().join("cfg/help_center/Getting started")).unwrap();
    write_file(
        dir.path(),
        "cfg/ignore.yaml",
        "ignore:\n  articles: [\"Getting started/*\", \"Billing/Change your plan\"]\n",
    );
    let run = cli(dir.path(), &sb).args(["drift", "-c", "cfg"]).run();
    run.code(0);
    assert!(!run.stdout.contains("article["), "{}", run.stdout);
}

#[test]
fn a_collection_holding_kept_articles_is_not_deleted() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    std::fs::remove_dir_all(dir.path().join("cfg/help_center/Billing")).unwrap();
    // Articles are not pruned: Billing's three articles stay, so Billing cannot go.
    write_file(
        dir.path(),
        "cfg/prune.yaml",
        "prune: [help_center_collections]\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds 3 article(s) that this plan keeps (`Billing/Change your plan`, `Billing/Invoices/Download an invoice`, `Billing/Invoices/Refund policy`)")
        .stderr_has("help: declare the collection");
    // Planned without articles, any article is one too many.
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--only", "help_center_collections"])
        .run()
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds 3 article(s)");
    // Moving one article out is not enough; deleting the others too is.
    write_file(
        dir.path(),
        "cfg/help_center/Getting started/plans.md",
        "---\ntitle: Change your plan\n---\nPlans change at the end of the billing period.\n\nOpen **Billing** and pick a plan.\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("it holds 2 article(s) that this plan keeps");
    write_file(
        dir.path(),
        "cfg/prune.yaml",
        "prune: [help_center_collections, articles]\n",
    );
    let run = cli(dir.path(), &sb).args(["plan", "-c", "cfg"]).run();
    run.code(0)
        .stdout_has("~ collection = \"Billing\" -> \"Getting started\"")
        .stdout_has("- help_center_collection[\"Billing\"]")
        .stdout_has("- article[\"Billing/Invoices/Refund policy\"]");
    // Its sub-collection goes with it, not in a delete of its own.
    assert!(
        !run.stdout
            .contains("help_center_collection[\"Billing/Invoices\"]"),
        "{}",
        run.stdout
    );
    apply(dir.path(), &sb);
    assert_eq!(
        article(&sb, CHANGE_PLAN)["parent_ids"],
        serde_json::json!([700_001])
    );
    let (status, _) = sb.api("GET", &format!("/articles/{DOWNLOAD}"), None);
    assert_eq!(status, 404);
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn pruning_articles_respects_the_deletion_thresholds() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    for f in [
        "Billing/change-your-plan.md",
        "Billing/Invoices/download-an-invoice.md",
        "Billing/Invoices/refund-policy.md",
    ] {
        std::fs::remove_file(dir.path().join("cfg/help_center").join(f)).unwrap();
    }
    // Without prune, undeclared articles stay.
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
    write_file(dir.path(), "cfg/prune.yaml", "prune: [articles]\n");
    plan(dir.path(), &sb)
        .code(2)
        .stdout_has("- article[\"Billing/Change your plan\"]")
        .stdout_has("3 to delete");
    cli(dir.path(), &sb)
        .args(["apply", "-c", "cfg", "--auto-approve", "--max-delete", "2"])
        .run()
        .code(1)
        .stderr_has("articles");
    let (_, list) = sb.api("GET", "/articles", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 5);
    cli(dir.path(), &sb)
        .args(["apply", "-c", "cfg", "--auto-approve", "--max-delete", "3"])
        .run()
        .code(0);
    let (_, list) = sb.api("GET", "/articles", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    plan(dir.path(), &sb).code(0).stdout_has("No changes.");
}

#[test]
fn a_move_or_rename_that_could_mean_two_articles_is_an_error() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    // Two files claim the seeded `Billing/Change your plan`: one by its title, one by
    // `renamed_from`.
    write_file(
        dir.path(),
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Change your plan\n---\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Billing/b.md",
        "---\ntitle: Plans\nrenamed_from: Change your plan\n---\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("help_center/Billing/b.md:3:15: error: article[\"Billing/Change your plan\"] is already claimed by")
        .stderr_has("help_center/Billing/a.md:2:1");
    // A file in a new place whose title two undeclared live articles have: which one moved?
    sb.api(
        "POST",
        "/articles",
        Some(serde_json::json!({
            "title": "Refund policy", "author_id": 1001, "parent_id": 700_001,
            "parent_type": "collection",
        })),
    );
    std::fs::remove_dir_all(dir.path().join("cfg/help_center/Billing")).unwrap();
    write_file(
        dir.path(),
        "cfg/help_center/Billing/refunds.md",
        "---\ntitle: Refund policy\n---\n",
    );
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("help_center/Billing/refunds.md:2:1: error: the article could have moved from any of `Billing/Invoices/Refund policy`, `Getting started/Refund policy`");
}

#[test]
fn a_saved_plan_is_stale_once_its_article_changed() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    export(dir.path(), &sb);
    let file = "cfg/help_center/Billing/change-your-plan.md";
    let text = read(dir.path(), file).replace("pick a plan", "choose a plan");
    write_file(dir.path(), file, &text);
    cli(dir.path(), &sb)
        .args(["plan", "-c", "cfg", "--out", "saved.json"])
        .run()
        .code(0);
    // Someone edits the article in Intercom's editor meanwhile.
    let (status, _) = sb.api(
        "PUT",
        &format!("/articles/{CHANGE_PLAN}"),
        Some(serde_json::json!({"body": "<p>Edited by hand.</p>"})),
    );
    assert_eq!(status, 200);
    cli(dir.path(), &sb)
        .args(["apply", "saved.json"])
        .run()
        .code(1)
        .stderr_has(
            "plan is stale: article[\"Billing/Change your plan\"] changed since the plan was made",
        );
    assert_eq!(article(&sb, CHANGE_PLAN)["body"], "<p>Edited by hand.</p>");
}

#[test]
fn a_declared_and_ignored_article_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_file(
        d,
        "c/main.yaml",
        "ignore:\n  articles: [\"Guides/Draft*\"]\n",
    );
    write_file(
        d,
        "c/help_center/Guides/draft.md",
        "---\ntitle: Draft notes\n---\nText.\n",
    );
    let r = Cli::new(d).args(["validate", "-c", "c"]).run();
    r.code(1)
        .stderr_has("c/help_center/Guides/draft.md:2:1: error: `Guides/Draft notes` is both declared and ignored (pattern `Guides/Draft*`");
}
