//! Help Center collections end to end against `sandbox serve` (seeded with `Getting started`,
//! `Billing` and `Billing/Invoices`, which hold articles, in help center `sandbox-co`, and
//! `Premium support` in `sandbox-premium`): a new nested tree applied in one run then planned
//! empty, `help_center` resolved by identifier or display name (unknown ones are located
//! errors), export as a folder tree that plans empty, and the prune refusal for collections
//! that hold articles.

mod support;

use support::{Project, Served};

/// The seeded collections, declared as folders.
fn seeded(p: &Project) {
    p.write("cfg/help_center/Getting started/_collection.yaml", "{}\n");
    p.write("cfg/help_center/Billing/Invoices/_collection.yaml", "{}\n");
}

#[test]
fn a_new_nested_tree_applies_in_one_run_then_plans_empty() {
    let (_sb, p) = Project::with_served(&[]);
    seeded(&p);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Guides/_collection.yaml",
        "description: How-to guides\n",
    );
    p.write(
        "cfg/help_center/Guides/Setup/Mobile/_collection.yaml",
        "description: Phones and tablets\n",
    );
    p.write("cfg/help_center/Billing/Refunds/_collection.yaml", "{}\n");
    p.run(&["plan", "-c", "cfg"])
        .code(0)
        .stdout_has("+ help_center_collection[\"Guides\"]")
        .stdout_has("\"Guides/Setup/Mobile\"")
        .stdout_has("+ help_center_collection[\"Billing/Refunds\"]");
    p.apply("cfg");
    p.plan("cfg").code(0).stdout_has("No changes.");
    // A changed description is an update of that field.
    p.write(
        "cfg/help_center/Guides/Setup/Mobile/_collection.yaml",
        "description: Phones\n",
    );
    p.plan("cfg")
        .code(2)
        .stdout_has("~ help_center_collection[\"Guides/Setup/Mobile\"]")
        .stdout_has("description = \"Phones and tablets\" -> \"Phones\"");
}

/// The collections of the sandbox, by name: their help center id (`null` when nested).
fn help_center_ids(sb: &Served) -> std::collections::BTreeMap<String, serde_json::Value> {
    sb.get("/help_center/collections?per_page=50")["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["help_center_id"].clone(),
            )
        })
        .collect()
}

#[test]
fn help_center_names_the_help_center_a_new_collection_goes_to() {
    let (sb, p) = Project::with_served(&[]);
    seeded(&p);
    p.write("cfg/main.yaml", "version: 1\n");
    // By identifier, by display name (case aside), and none: the default help center.
    p.write(
        "cfg/help_center/VIP guides/_collection.yaml",
        "help_center: sandbox-premium\n",
    );
    p.write(
        "cfg/help_center/Partners/_collection.yaml",
        "description: For partners\nhelp_center: sandbox premium help\n",
    );
    p.write(
        "cfg/help_center/Partners/Onboarding/_collection.yaml",
        "{}\n",
    );
    p.write("cfg/help_center/FAQ/_collection.yaml", "{}\n");
    p.run(&["plan", "-c", "cfg"])
        .code(0)
        .stdout_has("+ help_center_collection[\"VIP guides\"]")
        .stdout_has("help_center = \"sandbox-premium\"");
    p.apply("cfg");
    let ids = help_center_ids(&sb);
    assert_eq!(ids["VIP guides"], 502);
    assert_eq!(ids["Partners"], 502);
    assert!(ids["Onboarding"].is_null(), "{ids:?}");
    assert_eq!(ids["FAQ"], 501);
    p.plan("cfg").code(0).stdout_has("No changes.");
}

#[test]
fn an_unknown_help_center_is_a_located_error() {
    let (sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/VIP guides/_collection.yaml",
        "description: For VIPs\nhelp_center: sandbox-premum\n",
    );
    // One located error, then the summary.
    p.run(&["plan", "-c", "cfg"])
        .one_error(
            "VIP guides/_collection.yaml:2:14: error: unknown help center `sandbox-premum` for help_center_collection[\"VIP guides\"]",
        )
        .stderr_has("did you mean `sandbox-premium`?")
        .stderr_has("cannot plan: 1 error(s); nothing was written");
    assert_eq!(sb.writes(), 0);
}

#[test]
fn a_nested_collection_cannot_name_a_help_center() {
    let p = Project::in_process();
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Guides/Setup/_collection.yaml",
        "help_center: sandbox-co\n",
    );
    p.validate("cfg")
        .code(1)
        .stderr_has(
            "Setup/_collection.yaml:1:14: error: a nested collection cannot name a help center",
        )
        .stderr_has("top-level folder `Guides`");
}

#[test]
fn a_collection_in_another_help_center_is_a_manual_step() {
    let (_sb, p) = Project::with_served(&[]);
    p.write("cfg/main.yaml", "version: 1\n");
    p.write(
        "cfg/help_center/Premium support/_collection.yaml",
        "help_center: sandbox-co\n",
    );
    p.plan("cfg")
        .code(2)
        .stdout_has("move it from help center `sandbox-premium` to `sandbox-co`")
        .stdout_has("1 manual step");
}

#[test]
fn export_writes_the_folder_tree_and_plans_empty() {
    let (_sb, p) = Project::with_served(&[]);
    p.export("intercom");
    // Two help centers: each top-level collection names its own by identifier; nested ones
    // are in their parent's.
    assert_eq!(
        p.read("intercom/help_center/Billing/Invoices/_collection.yaml"),
        "{}\n"
    );
    assert!(
        p.read("intercom/help_center/Billing/_collection.yaml")
            .contains("help_center: sandbox-co\n")
    );
    assert!(
        p.read("intercom/help_center/Premium support/_collection.yaml")
            .contains("help_center: sandbox-premium\n")
    );
    p.plan("intercom").code(0).stdout_has("No changes.");
}

#[test]
fn pruning_a_collection_that_holds_articles_is_refused() {
    let (_sb, p) = Project::with_served(&[]);
    p.write(
        "cfg/main.yaml",
        "version: 1\nprune: [help_center_collections]\n",
    );
    p.write("cfg/help_center/Getting started/_collection.yaml", "{}\n");
    p.run(&["plan", "-c", "cfg"])
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds")
        .stderr_has("that this plan keeps");
}
