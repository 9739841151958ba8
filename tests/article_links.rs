//! Links between Help Center articles end to end against `sandbox serve`: the example's link
//! follows its renamed target in one plan and exports back as a relative path; a broken link
//! is an error at its own position with a "did you mean"; anchors are kept; a target created
//! in the same run gets its URL from a dependent write; links to articles outside the
//! configuration (or written as URLs) stay absolute.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{Cli, Project, Served, TOKEN, find};

/// The seeded `Billing/Change your plan`.
const CHANGE_PLAN: &str = "800003";

fn article(sb: &Served, id: &str) -> Value {
    sb.get(&format!("/articles/{id}"))
}

fn by_title(sb: &Served, title: &str) -> Value {
    find(&sb.get("/articles?per_page=150")["data"], "title", title).clone()
}

fn url(a: &Value) -> String {
    a["url"].as_str().unwrap().to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_examples_link_follows_its_renamed_target_and_exports_back() {
    let (sb, p) = Project::with_served(&["--token", TOKEN, "--identity-verification"]);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    copy_dir(&example, &p.path("acme"));
    let run = |args: &[&str]| {
        Cli::new(p.dir())
            .args(["-c", "acme", "--env", "staging"])
            .args(["--endpoint", &format!("staging={}", sb.url)])
            .args(args)
            .env("INTERCOM_ACCESS_TOKEN", TOKEN)
            .run()
    };
    run(&["apply", "--auto-approve"]).code(0);
    let dashboard = by_title(&sb, "Build your first dashboard");
    let target = url(&article(&sb, CHANGE_PLAN));
    assert!(
        target.ends_with("/articles/800003-change-your-plan"),
        "{target}"
    );
    assert!(
        dashboard["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("[change your plan]({target}) to edit them.")),
        "{dashboard}"
    );
    run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    // The target's new title changes its URL: the linking article follows in the same plan.
    let file = p.path("acme/help_center/Billing/change-your-plan.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "title: Change your plan\n",
        "title: Switch plans\nrenamed_from: Change your plan\n",
    );
    std::fs::write(&file, text).unwrap();
    run(&["plan", "--detailed-exitcode"])
        .code(2)
        .stdout_has("± article[\"Billing/Switch plans\"]")
        .stdout_has("~ article[\"Getting started/Build your first dashboard\"]")
        .stdout_has("~ link = \"Billing/Change your plan\" -> \"Billing/Switch plans\"")
        .stdout_has("link to article[\"Billing/Switch plans\"] follows its new title")
        // The French translation of `Invite your team` links to it too (it has no French
        // translation: its own URL).
        .stdout_has("~ article[\"Getting started/Invite your team\"]")
        .stdout_has(
            "~ translated_content.fr.link = \"Billing/Change your plan\" -> \"Billing/Switch plans\"",
        )
        .stdout_has("2 to update, 1 to rename");
    run(&["apply", "--auto-approve"]).code(0);
    let renamed = url(&article(&sb, CHANGE_PLAN));
    assert!(
        renamed.ends_with("/articles/800003-switch-plans"),
        "{renamed}"
    );
    let dashboard = article(&sb, dashboard["id"].as_str().unwrap());
    assert!(
        dashboard["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("]({renamed}) to edit them.")),
        "{dashboard}"
    );
    let invite = by_title(&sb, "Invite your team");
    assert!(
        invite["translated_content"]["fr"]["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("[changez de forfait]({renamed}) pour en ajouter.")),
        "{invite}"
    );
    run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    // Export writes the link as a relative path, and the export plans empty.
    p.export("cfg");
    let exported = p.read("cfg/help_center/Getting started/build-your-first-dashboard.md");
    assert!(
        exported.contains("[change your plan](../Billing/switch-plans.md) to edit them."),
        "{exported}"
    );
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn a_broken_link_is_an_error_at_its_position_with_a_did_you_mean() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Billing/change-your-plan.md",
        "---\ntitle: Change your plan\n---\nPlans change.\n",
    );
    p.write("cfg/help_center/Getting started/start.md",
        "---\ntitle: Start\n---\nIntro.\n\nSee [plans](../billing/change-your-plan.md#fees) and [x](nowhere/at-all.md).\n",
    );
    p.validate("cfg")
        .code(1)
        .stderr_has("help_center/Getting started/start.md:6:13: error: broken link: `../billing/change-your-plan.md#fees` is not an article of the help center")
        .stderr_has("help: did you mean `../Billing/change-your-plan.md`?")
        .stderr_has("help_center/Getting started/start.md:6:58: error: broken link: `nowhere/at-all.md`")
        .stderr_has("help: link the Markdown file of an article of the help center, relative to this file");
    // Nothing is applied.
    p.run(&["apply", "-c", "cfg", "--auto-approve"])
        .code(1)
        .stderr_has("start.md:6:13: error: broken link");
    assert_eq!(sb.writes(), 0);
}

#[test]
fn links_to_articles_created_in_the_same_run_wait_for_their_create_and_keep_anchors() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    // A live article links to a new one; the new one links back to a live one; a new article
    // in a new collection links to the new one too (both written in this run).
    let file = "cfg/help_center/Billing/change-your-plan.md";
    let text = p.read(file);
    p.write(
        file,
        &format!("{text}\nRefunds: see [the rules](Invoices/refunds-explained.md#fees).\n"),
    );
    p.write("cfg/help_center/Billing/Invoices/refunds-explained.md",
        "---\ntitle: Refunds explained\nstate: published\n---\n## Fees\n\nBack to [plans](../change-your-plan.md).\n",
    );
    p.write("cfg/help_center/Guides/start.md",
        "---\ntitle: Start here\n---\nRead [refunds](<../Billing/Invoices/refunds-explained.md>) first.\n",
    );
    let run = p.plan("cfg");
    run.code(2)
        .stdout_has("~ article[\"Billing/Change your plan\"]")
        .stdout_has("+ link = \"Billing/Invoices/Refunds explained\"")
        .stdout_has("+ article[\"Billing/Invoices/Refunds explained\"]")
        .stdout_has("+ help_center_collection[\"Guides\"]");
    let json = p.run(&["plan", "-c", "cfg", "--format", "json"]).json();
    let ops: Vec<&Value> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["ops"].as_array().unwrap())
        .filter(|o| o["op"] == "link_article")
        .collect();
    assert_eq!(ops.len(), 2, "{json}");
    p.apply("cfg");
    let refunds = by_title(&sb, "Refunds explained");
    let plans = article(&sb, CHANGE_PLAN);
    assert!(
        plans["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("[the rules]({}#fees)", url(&refunds))),
        "{plans}"
    );
    assert!(
        refunds["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("[plans]({})", url(&plans))),
        "{refunds}"
    );
    // The brackets around a destination stay around its URL.
    let start = by_title(&sb, "Start here");
    assert_eq!(
        start["body_markdown"],
        format!("Read [refunds](<{}>) first.\n", url(&refunds))
    );
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn links_to_articles_outside_the_configuration_stay_absolute() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    let account = url(&article(&sb, "800001"));
    let plans = url(&article(&sb, CHANGE_PLAN));
    // `Create your account` is not declared; `Change your plan` is, and is linked by its URL.
    p.write(
        "cfg/help_center/Billing/change-your-plan.md",
        "---\ntitle: Change your plan\n---\nPlans change.\n",
    );
    p.write("cfg/help_center/Guides/start.md",
        &format!(
            "---\ntitle: Start here\n---\nFirst [sign up]({account}), then [pick a plan]({plans}).\n"
        ),
    );
    p.apply("cfg");
    let start = by_title(&sb, "Start here");
    assert_eq!(
        start["body_markdown"],
        format!("First [sign up]({account}), then [pick a plan]({plans}).\n")
    );
    p.plan("cfg").code(0).stdout_has("No changes.");
    // Export writes a link to an exported article as a relative path; one to an article that
    // is gone stays absolute.
    sb.api("DELETE", "/articles/800001", None);
    p.export("exported");
    let exported = p.read("exported/help_center/Guides/start-here.md");
    assert!(
        exported.contains(&format!(
            "First [sign up]({account}), then [pick a plan](../Billing/change-your-plan.md)."
        )),
        "{exported}"
    );
}

#[test]
fn a_renamed_article_linking_to_a_new_one_gets_its_body_after_both_writes() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    let file = "cfg/help_center/Billing/change-your-plan.md";
    let text = p.read(file).replace(
        "title: Change your plan\n",
        "title: Switch plans\nrenamed_from: Change your plan\n",
    );
    p.write(
        file,
        &format!("{text}\nSee [refunds](Invoices/refunds-explained.md).\n"),
    );
    p.write(
        "cfg/help_center/Billing/Invoices/refunds-explained.md",
        "---\ntitle: Refunds explained\n---\nBack to [plans](../change-your-plan.md#top).\n",
    );
    // The rename runs before the kind's other changes; the body waits for the new article in
    // an update of its own.
    p.plan("cfg")
        .code(2)
        .stdout_has("± article[\"Billing/Switch plans\"]  # renamed from \"Billing/Change your plan\"")
        .stdout_has("~ article[\"Billing/Switch plans\"]\n      + link = \"Billing/Invoices/Refunds explained\"")
        .stdout_has("+ link  = \"Billing/Switch plans\"")
        .stdout_has("1 to create, 1 to update, 1 to rename");
    p.apply("cfg");
    let refunds = by_title(&sb, "Refunds explained");
    let plans = article(&sb, CHANGE_PLAN);
    assert!(
        plans["body_markdown"]
            .as_str()
            .unwrap()
            .ends_with(&format!("See [refunds]({}).\n", url(&refunds))),
        "{plans}"
    );
    assert_eq!(
        refunds["body_markdown"],
        format!("Back to [plans]({}#top).\n", url(&plans))
    );
    assert!(url(&plans).ends_with("800003-switch-plans"));
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn a_link_to_an_article_the_plan_leaves_out_is_a_located_error() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Guides/a.md",
        "---\ntitle: Start here\n---\nRead [b](b.md) first.\n",
    );
    p.write("cfg/help_center/Guides/b.md", "---\ntitle: Bee\n---\nB.\n");
    p.run(&[
        "plan",
        "-c",
        "cfg",
        "--only",
        "article[\"Guides/Start here\"]",
        "--only",
        "help_center_collections",
    ])
        .code(1)
        .stderr_has("help_center/Guides/a.md:4:10: error: the link's target article[\"Guides/Bee\"] is not in Intercom and this plan does not write it")
        .stderr_has("help: plan the target article too");
    assert_eq!(sb.writes(), 0);
}

#[test]
fn a_broken_links_position_counts_the_lines_as_written_not_as_expanded() {
    let p = Project::in_process();
    p.write("cfg/main.yaml",
        "version: 1\nenvironments:\n  staging:\n    app_id: sbx4c0de\n    variables:\n      NOTE: \"one\\ntwo\\nthree\"\n",
    );
    p.write(
        "cfg/help_center/Guides/start.md",
        "---\ntitle: Start here\n---\nIntro.\n\n${NOTE}\n\nSee [x](nowhere.md).\n",
    );
    p.write(
        "cfg/help_center/Guides/start.fr.md",
        "---\ntitle: Commencez ici\n---\n${NOTE} et [y](nulle-part.md).\n",
    );
    p.validate("cfg")
        .code(1)
        .stderr_has("help_center/Guides/start.md:8:9: error: broken link: `nowhere.md`")
        .stderr_has("help_center/Guides/start.fr.md:4:16: error: broken link: `nulle-part.md`");
}
