//! Help Center articles end to end against `sandbox serve` (seeded with five articles in
//! `Getting started`, `Billing` and `Billing/Invoices`, two of them HTML only): export then
//! plan empty, one edited paragraph in the plan, renames and moves that keep the id, `draft`
//! unpublishing, new articles in new collections, prune, and located errors.

mod support;

use serde_json::Value;
use support::{Project, Served};

/// The seeded article ids (fixed in the sandbox's seed).
const INVITE: &str = "800002";
const CHANGE_PLAN: &str = "800003";
const DOWNLOAD: &str = "800004";

fn article(sb: &Served, id: &str) -> Value {
    sb.get(&format!("/articles/{id}"))
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
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    // Written in Intercom's editor: no body_markdown, converted from the HTML.
    assert_eq!(article(&sb, INVITE)["body_markdown"], Value::Null);
    let invite = p.read("cfg/help_center/Getting started/invite-your-team.md");
    assert_eq!(
        invite,
        "---\ntitle: Invite your team\nstate: published\nauthor: alice@example.com\n---\n## Invite your team\n\nGo to **Settings** and choose [Invite](https://example.com/invite).\n\n- Teammates get an e-mail\n- Links expire after 7 days\n"
    );
    let draft = p.read("cfg/help_center/Billing/Invoices/refund-policy.md");
    assert!(draft.contains("state: draft\n"), "{draft}");
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn an_edited_paragraph_is_exactly_what_the_plan_shows() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/help_center/Billing/change-your-plan.md";
    let text = p.read(file);
    let edited = text.replace(
        "Open **Billing** and pick a plan.",
        "Open **Billing**, pick a plan\nand confirm.",
    );
    assert_ne!(edited, text);
    p.write(file, &edited);
    let run = p.plan("cfg");
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
    let md = p.run(&["plan", "-c", "cfg", "--format", "markdown"]);
    md.code(0)
        .stdout_has("\n-           Open **Billing** and pick a plan.\n")
        .stdout_has("\n+           and confirm.\n");
    p.apply("cfg");
    assert_eq!(
        article(&sb, CHANGE_PLAN)["body_markdown"],
        "Plans change at the end of the billing period.\n\nOpen **Billing**, pick a plan\nand confirm.\n"
    );
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn an_edited_html_only_article_is_compared_as_markdown() {
    let (_sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/help_center/Billing/Invoices/download-an-invoice.md";
    // Line endings and trailing spaces of the body are normalised away; the new sentence
    // is not.
    let text = p.read(file);
    let (front, body) = text.split_at(text.rfind("---\n").unwrap() + 4);
    let edited = format!(
        "{front}{}Invoices are kept for 7 years.\r\n\r\n",
        body.replace('\n', "  \r\n")
    );
    p.write(file, &edited);
    let run = p.plan("cfg");
    run.code(2);
    assert_eq!(
        changed_lines(&run.stdout),
        ["+ Invoices are kept for 7 years."]
    );
    p.apply("cfg");
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn renames_and_moves_keep_the_id() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let old = "cfg/help_center/Billing/change-your-plan.md";
    let renamed = p.read(old).replace(
        "title: Change your plan\n",
        "title: Switch plans\nrenamed_from: Change your plan\n",
    );
    p.remove(old);
    p.write("cfg/help_center/Billing/switch-plans.md", &renamed);
    // Moved from Billing/Invoices to Billing.
    std::fs::rename(
        p.path("cfg/help_center/Billing/Invoices/download-an-invoice.md"),
        p.path("cfg/help_center/Billing/download-an-invoice.md"),
    )
    .unwrap();
    p.plan("cfg")
        .code(2)
        .stdout_has(
            "± article[\"Billing/Switch plans\"]  # renamed from \"Billing/Change your plan\"",
        )
        .stdout_has("~ article[\"Billing/Download an invoice\"]")
        .stdout_has("~ collection = \"Billing/Invoices\" -> \"Billing\"")
        .stdout_has("0 to create");
    p.apply("cfg");
    assert_eq!(article(&sb, CHANGE_PLAN)["title"], "Switch plans");
    let moved = article(&sb, DOWNLOAD);
    let billing = 700_002;
    assert_eq!(moved["parent_ids"], serde_json::json!([billing]));
    // The HTML body was not sent again.
    assert_eq!(moved["body_markdown"], Value::Null);
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn draft_unpublishes_a_published_article_and_says_so() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/help_center/Getting started/invite-your-team.md";
    p.edit(file, "state: published", "state: draft");
    p.plan("cfg")
        .code(2)
        .stdout_has("~ state = \"published\" -> \"draft\"")
        .stdout_has("unpublishes the article");
    p.apply("cfg");
    assert_eq!(article(&sb, INVITE)["state"], "draft");
    p.plan("cfg").code(0);
}

#[test]
fn new_articles_in_new_collections_apply_in_one_run_then_plan_empty() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write("cfg/help_center/Guides/Setup/install.md",
        "---\ntitle: Install the app\ndescription: On every platform\nstate: published\n---\n# Install\n\nDownload it.\n",
    );
    p.write(
        "cfg/help_center/Billing/taxes.md",
        "---\ntitle: Taxes\nauthor: alice@example.com\n---\nVAT is included.\n",
    );
    p.plan("cfg")
        .code(2)
        .stdout_has("+ help_center_collection[\"Guides\"]")
        .stdout_has("+ article    = \"Guides/Setup/Install the app\"")
        .stdout_has("+ article[\"Billing/Taxes\"]")
        .stdout_has("+ state  = \"draft\"");
    p.apply("cfg");
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
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn article_errors_are_located() {
    let (_sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Refunds\nauthor: alice@exampel.com\n---\nBody\n",
    );
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("help_center/Billing/a.md:3:9: error: no teammate has the e-mail address `alice@exampel.com`")
        .stderr_has("did you mean `alice@example.com`?");
    p.write(
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Refunds\n---\nSee the chart:\n\n![chart](img/chart.png)\n",
    );
    p.write("cfg/help_center/Billing/b.md", "---\ntitle: refunds\n---\n");
    p.validate("cfg")
        .code(1)
        .stderr_has("help_center/Billing/a.md:6:1: error: a local image cannot be published")
        .stderr_has("help_center/Billing/b.md:2:1: error: the title `refunds` is already used in this collection");
}

#[test]
fn an_article_in_an_ignored_collection_is_an_error() {
    let (_sb, p) = Project::with_served(&[]);
    p.write(
        "cfg/main.yaml",
        "version: 1\nignore:\n  help_center_collections: [\"Billing*\"]\n",
    );
    p.write("cfg/help_center/Billing/a.md", "---\ntitle: Taxes\n---\n");
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("help_center/Billing/a.md:2:1: error: the article's collection help_center_collection[\"Billing\"] is ignored");
}

#[test]
fn drift_lists_unmanaged_articles_and_only_narrows_the_plan() {
    let (_sb, p) = Project::with_served(&[]);
    p.export("cfg");
    p.remove("cfg/help_center/Billing/change-your-plan.md");
    let file = "cfg/help_center/Getting started/invite-your-team.md";
    p.edit(file, "state: published", "state: draft");
    p.run(&["drift", "-c", "cfg"])
        .code(2)
        .stdout_has("? article[\"Billing/Change your plan\"]")
        .stdout_has("~ article[\"Getting started/Invite your team\"]");
    p.run(&["plan", "-c", "cfg", "--only", "tags"])
        .code(0)
        .stdout_has("No changes.");
    p.run(&["plan", "-c", "cfg", "--only", "articles"])
        .code(0)
        .stdout_has("~ article[\"Getting started/Invite your team\"]");
    // An ignored article (without a file: declaring it too is an error) is neither planned
    // nor reported.
    p.remove("cfg/help_center/Getting started");
    p.write(
        "cfg/ignore.yaml",
        "ignore:\n  articles: [\"Getting started/*\", \"Billing/Change your plan\"]\n",
    );
    let run = p.run(&["drift", "-c", "cfg"]);
    run.code(0);
    assert!(!run.stdout.contains("article["), "{}", run.stdout);
}

#[test]
fn a_collection_holding_kept_articles_is_not_deleted() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    p.remove("cfg/help_center/Billing");
    // Articles are not pruned: Billing's three articles stay, so Billing cannot go.
    p.write("cfg/prune.yaml", "prune: [help_center_collections]\n");
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds 3 article(s) that this plan keeps (`Billing/Change your plan`, `Billing/Invoices/Download an invoice`, `Billing/Invoices/Refund policy`)")
        .stderr_has("help: declare the collection");
    // Planned without articles, any article is one too many.
    p.run(&["plan", "-c", "cfg", "--only", "help_center_collections"])
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds 3 article(s)");
    // Moving one article out is not enough; deleting the others too is.
    p.write("cfg/help_center/Getting started/plans.md",
        "---\ntitle: Change your plan\n---\nPlans change at the end of the billing period.\n\nOpen **Billing** and pick a plan.\n",
    );
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("it holds 2 article(s) that this plan keeps");
    p.write(
        "cfg/prune.yaml",
        "prune: [help_center_collections, articles]\n",
    );
    let run = p.run(&["plan", "-c", "cfg"]);
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
    p.apply("cfg");
    assert_eq!(
        article(&sb, CHANGE_PLAN)["parent_ids"],
        serde_json::json!([700_001])
    );
    let (status, _) = sb.api("GET", &format!("/articles/{DOWNLOAD}"), None);
    assert_eq!(status, 404);
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn pruning_articles_respects_the_deletion_thresholds() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    for f in [
        "Billing/change-your-plan.md",
        "Billing/Invoices/download-an-invoice.md",
        "Billing/Invoices/refund-policy.md",
    ] {
        p.remove(&format!("cfg/help_center/{f}"));
    }
    // Without prune, undeclared articles stay.
    p.plan("cfg").code(0).stdout_has("No changes.");
    p.write("cfg/prune.yaml", "prune: [articles]\n");
    p.plan("cfg")
        .code(2)
        .stdout_has("- article[\"Billing/Change your plan\"]")
        .stdout_has("3 to delete");
    p.run(&["apply", "-c", "cfg", "--auto-approve", "--max-delete", "2"])
        .code(1)
        .stderr_has("articles");
    let (_, list) = sb.api("GET", "/articles", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 5);
    p.run(&["apply", "-c", "cfg", "--auto-approve", "--max-delete", "3"])
        .code(0);
    let (_, list) = sb.api("GET", "/articles", None);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn a_move_or_rename_that_could_mean_two_articles_is_an_error() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    // Two files claim the seeded `Billing/Change your plan`: one by its title, one by
    // `renamed_from`.
    p.write(
        "cfg/help_center/Billing/a.md",
        "---\ntitle: Change your plan\n---\n",
    );
    p.write(
        "cfg/help_center/Billing/b.md",
        "---\ntitle: Plans\nrenamed_from: Change your plan\n---\n",
    );
    p.run(&["plan", "-c", "cfg"])
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
    p.remove("cfg/help_center/Billing");
    p.write(
        "cfg/help_center/Billing/refunds.md",
        "---\ntitle: Refund policy\n---\n",
    );
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("help_center/Billing/refunds.md:2:1: error: the article could have moved from any of `Billing/Invoices/Refund policy`, `Getting started/Refund policy`");
}

#[test]
fn a_saved_plan_is_stale_once_its_article_changed() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/help_center/Billing/change-your-plan.md";
    p.edit(file, "pick a plan", "choose a plan");
    p.run(&["plan", "-c", "cfg", "--out", "saved.json"]).code(0);
    // Someone edits the article in Intercom's editor meanwhile.
    sb.put(
        &format!("/articles/{CHANGE_PLAN}"),
        serde_json::json!({"body": "<p>Edited by hand.</p>"}),
    );
    p.run(&["apply", "saved.json"]).code(1).stderr_has(
        "plan is stale: article[\"Billing/Change your plan\"] changed since the plan was made",
    );
    assert_eq!(article(&sb, CHANGE_PLAN)["body"], "<p>Edited by hand.</p>");
}

#[test]
fn a_declared_and_ignored_article_is_a_located_error() {
    let p = Project::in_process();
    p.write("c/main.yaml", "ignore:\n  articles: [\"Guides/Draft*\"]\n")
        .write(
            "c/help_center/Guides/draft.md",
            "---\ntitle: Draft notes\n---\nText.\n",
        );
    p.validate("c")
        .code(1)
        .stderr_has("c/help_center/Guides/draft.md:2:1: error: `Guides/Draft notes` is both declared and ignored (pattern `Guides/Draft*`");
}
