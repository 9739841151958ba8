//! Ticket types end to end against `sandbox serve` (seeded with `Bug Report`, whose attributes
//! are the list `Severity` and the multi-line `Steps to reproduce`, and `Billing Dispute`, with
//! `Invoice number` and `Amount`; each also has Intercom's two default attributes): a new type
//! with its attributes applied in one run then planned empty, export that plans empty, a data
//! type change as a manual step, archiving by prune, default attributes never shown, and
//! located validation errors.

mod support;

use serde_json::Value;
use support::{Project, Served};

/// The seeded `Bug Report` as declared, with `extra` attribute lines appended.
const BUG_REPORT: &str = "\
ticket_types:
  - name: Bug Report
    description: Bugs reported by customers
    category: Customer
    attributes:
      - name: Severity
        data_type: list
        description: How badly the bug hurts
        required_to_create: true
      - name: Steps to reproduce
        data_type: string
        multiline: true
";

fn ticket_types(sb: &Served) -> Value {
    sb.get("/ticket_types")
}

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name && t["archived"] == false)
        .unwrap_or_else(|| panic!("no active ticket type {name} in {list}"))
}

fn attributes(t: &Value) -> &Vec<Value> {
    t["ticket_type_attributes"]["ticket_type_attributes"]
        .as_array()
        .unwrap()
}

#[test]
fn a_new_type_with_attributes_applies_in_one_run_then_plans_empty() {
    let (sb, p) = Project::with_served(&[]);
    let config = format!(
        "{BUG_REPORT}  - name: Feature Request
    description: Ideas from customers
    category: Tracker
    icon: \"💡\"
    attributes:
      - name: Area
        data_type: list
        description: Product area
        list_items: [Inbox, Messenger, Help Center]
      - name: Votes
        data_type: integer
        description: How many asked
        visible_to_contacts: false
"
    );
    p.write("t.yaml", &config);
    // Saved and applied from the file: the plan's operations read back as planned.
    let plan = p.run(&[
        "plan",
        "-c",
        "t.yaml",
        "--detailed-exitcode",
        "--out",
        "p.json",
    ]);
    plan.code(2)
        .stdout_has("+ ticket_type[\"Feature Request\"]")
        .stdout_has("+ attributes[\"Area\"]")
        .stdout_has("Plan: 1 to create, 0 to update");
    // The seeded type already matches.
    assert!(!plan.all().contains("~ ticket_type"), "{}", plan.all());
    p.run(&["apply", "p.json", "--auto-approve"]).code(0);
    let list = ticket_types(&sb);
    let created = find(&list, "Feature Request");
    assert_eq!(created["category"], "Tracker");
    assert_eq!(created["icon"], "💡");
    let names: Vec<&str> = attributes(created)
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // The defaults first, then the declared attributes in declared order.
    assert_eq!(
        names,
        ["_default_title_", "_default_description_", "Area", "Votes"]
    );
    assert_eq!(attributes(created)[3]["visible_to_contacts"], false);
    let again = p.plan("t.yaml");
    again
        .code(0)
        .stdout_has("No changes.")
        .stdout_has("`list_items` of attribute `Area` are written when it is created only");
}

#[test]
fn fields_and_attributes_of_an_existing_type_are_updated_and_archived() {
    let (sb, p) = Project::with_served(&[]);
    let config = BUG_REPORT
        .replace(
            "category: Customer",
            "category: Back-office\n    icon: \"🪲\"",
        )
        .replace(
            "multiline: true",
            "multiline: false\n        archived: true",
        )
        + "      - name: Browser\n        data_type: string\n        description: Which browser\n";
    p.write("t.yaml", &config);
    p.run(&["plan", "-c", "t.yaml"])
        .code(0)
        .stdout_has("= \"Customer\" -> \"Back-office\"")
        .stdout_has("~ attributes[\"Steps to reproduce\"].multiline = true -> false")
        .stdout_has("~ attributes[\"Steps to reproduce\"].archived  = false -> true")
        .stdout_has("+ attributes[\"Browser\"]                      = {\"data_type\": \"string\", \"description\": \"Which browser\"}")
        .stdout_has("Plan: 0 to create, 1 to update");
    p.run(&["plan", "-c", "t.yaml", "--out", "p.json"]).code(0);
    p.run(&["apply", "p.json", "--auto-approve"]).code(0);
    let list = ticket_types(&sb);
    let bug = find(&list, "Bug Report");
    assert_eq!(bug["category"], "Back-office");
    let steps = attributes(bug)
        .iter()
        .find(|a| a["name"] == "Steps to reproduce")
        .unwrap();
    assert_eq!(steps["archived"], true);
    assert_eq!(steps["input_options"]["multiline"], false);
    assert!(attributes(bug).iter().any(|a| a["name"] == "Browser"));
    p.plan("t.yaml").code(0);
}

#[test]
fn a_data_type_change_is_a_manual_step() {
    let (sb, p) = Project::with_served(&[]);
    p.write(
        "t.yaml",
        &BUG_REPORT.replace(
            "data_type: string\n        multiline: true",
            "data_type: integer",
        ),
    );
    let r = p.plan("t.yaml");
    r.code(2)
        .stdout_has("! ticket_type[\"Bug Report\"]: change the data type of attribute `Steps to reproduce` from `string` to `integer`")
        .stdout_has("0 to create, 0 to update, 0 to rename, 0 to archive, 0 to delete; 1 manual step");
    // Apply writes nothing for it.
    let before = sb.writes();
    p.apply("t.yaml");
    assert_eq!(sb.writes(), before);
}

#[test]
fn prune_archives_undeclared_types_and_attributes() {
    let (sb, p) = Project::with_served(&[]);
    let config = BUG_REPORT.replace(
        "      - name: Steps to reproduce\n        data_type: string\n        multiline: true\n",
        "",
    ) + "prune: [ticket_types]\n";
    p.write("t.yaml", &config);
    let plan = p.run(&["plan", "-c", "t.yaml"]);
    plan.code(0)
        .stdout_has("- ticket_type[\"Billing Dispute\"]  # will be archived")
        .stdout_has("~ attributes[\"Steps to reproduce\"].archived = false -> true")
        .stdout_has("1 to update, 0 to rename, 1 to archive, 0 to delete");
    assert!(!plan.all().contains("_default_"), "{}", plan.all());
    p.apply("t.yaml");
    let list = ticket_types(&sb);
    let dispute = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Billing Dispute")
        .unwrap();
    assert_eq!(dispute["archived"], true);
    // The default attributes were left alone.
    let bug = find(&list, "Bug Report");
    for a in attributes(bug) {
        let default = a["default"] == true;
        let expected_archived = a["name"] == "Steps to reproduce";
        assert_eq!(a["archived"], expected_archived, "{a}");
        assert_eq!(
            default,
            a["name"].as_str().unwrap().starts_with("_default_"),
            "{a}"
        );
    }
    p.plan("t.yaml").code(0);
}

#[test]
fn export_plans_empty_and_never_shows_default_attributes() {
    let (_sb, p) = Project::with_served(&[]);
    p.export("intercom");
    let exported = p.read("intercom/ticket_types.yaml");
    assert!(exported.contains("- name: Billing Dispute\n"), "{exported}");
    assert!(exported.contains("category: Back-office\n"), "{exported}");
    assert!(exported.contains("- name: Severity\n"), "{exported}");
    assert!(!exported.contains("_default_"), "{exported}");
    assert!(!exported.contains("list_items"), "{exported}");
    p.plan("intercom").code(0).stdout_has("No changes.");
    // Drift of the exported configuration: nothing, and no ticket type is unmanaged.
    let drift = p.run(&["drift", "-c", "intercom"]);
    drift.code(0);
    assert!(!drift.all().contains("ticket_type["), "{}", drift.all());
}

#[test]
fn undeclared_types_are_unmanaged_and_only_narrows_the_plan() {
    let (_sb, p) = Project::with_served(&[]);
    p.write(
        "t.yaml",
        "ticket_types:\n  - name: Bug Report\n    category: Tracker\ntags:\n  - name: Fresh\n",
    );
    let drift = p.run(&["drift", "-c", "t.yaml"]);
    drift
        .code(2)
        .stdout_has("? ticket_type[\"Billing Dispute\"]");
    assert!(!drift.all().contains("_default_"), "{}", drift.all());
    let only = p.run(&["plan", "-c", "t.yaml", "--only", "ticket_types"]);
    only.code(0)
        .stdout_has("~ ticket_type[\"Bug Report\"]")
        .stdout_has("Plan: 0 to create, 1 to update");
    assert!(!only.all().contains("tag["), "{}", only.all());
    // Ignored, an undeclared type is neither pruned nor reported.
    p.write("t.yaml",
        "ticket_types:\n  - name: Bug Report\nprune: [ticket_types]\nignore:\n  ticket_types: [\"Billing*\"]\n",
    );
    p.plan("t.yaml").code(0);
}

#[test]
fn bad_declarations_are_located_errors() {
    let p = Project::in_process();
    p.write(
        "t.yaml",
        "\
ticket_types:
  - name: Bug Report
    attributes:
      - name: Severity
        data_type: string
        list_items: [Low, High]
      - name: Severity
        data_type: integer
        multiline: true
      - name: _default_title_
        data_type: string
      - name: Platform
        data_type: list
        list_items: [Web, \"iOS, Android\"]
      - name: Logs
        data_type: boolean
        allow_multiple_values: true
  - name: Bug Report
",
    );
    let r = p.validate("t.yaml");
    r.code(1)
        .stderr_has("t.yaml:6:21: error: `list_items` only applies to attributes of data type `list`")
        .stderr_has("t.yaml:7:15: error: attribute `Severity` is declared twice in ticket type `Bug Report`")
        .stderr_has("t.yaml:9:20: error: `multiline` only applies to attributes of data type `string`")
        .stderr_has("t.yaml:10:15: error: `_default_title_` is one of the attributes Intercom adds to every ticket type")
        .stderr_has("t.yaml:14:27: error: list item `iOS, Android` contains a comma")
        .stderr_has("t.yaml:17:32: error: `allow_multiple_values` only applies to attributes of data type `files`")
        .stderr_has("t.yaml:18:11: error:");
    // A new list attribute without items is refused when planned (an existing one may omit
    // them: they are never compared).
    p.write("n.yaml",
        "ticket_types:\n  - name: New Type\n    attributes:\n      - name: Tier\n        data_type: list\n",
    );
    p.run(&["plan", "-c", "n.yaml"])
        .code(1)
        .stderr_has("n.yaml:5:20: error: the new list attribute `Tier` needs `list_items`");
}

#[test]
fn a_saved_plan_is_stale_once_an_attribute_changed_in_intercom() {
    let (sb, p) = Project::with_served(&[]);
    p.write(
        "t.yaml",
        &BUG_REPORT.replace("category: Customer", "category: Tracker"),
    );
    p.run(&["plan", "-c", "t.yaml", "--out", "p.json"]).code(0);
    // Someone edits an attribute of the planned type in Intercom meanwhile.
    let list = ticket_types(&sb);
    let bug = find(&list, "Bug Report");
    let steps = attributes(bug)
        .iter()
        .find(|a| a["name"] == "Steps to reproduce")
        .unwrap();
    let path = format!(
        "/ticket_types/{}/attributes/{}",
        bug["id"].as_str().unwrap(),
        steps["id"].as_str().unwrap()
    );
    sb.put(
        &path,
        serde_json::json!({"description": "Edited in Intercom"}),
    );
    p.run(&["apply", "p.json", "--auto-approve"])
        .code(1)
        .stderr_has("plan is stale: ticket_type[\"Bug Report\"]");
    assert_eq!(
        find(&ticket_types(&sb), "Bug Report")["category"],
        "Customer"
    );
}

#[test]
fn a_token_refused_on_ticket_types_is_told_so_and_export_skips_them() {
    let (_sb, p) = Project::with_served(&["--deny-scope", "ticket_types"]);
    p.write("t.yaml", BUG_REPORT);
    p.run(&["plan", "-c", "t.yaml"])
        .code(1)
        .stderr_has("ticket_types cannot be read (HTTP 401 token_unauthorized)");
    let export = p.run(&["export", "--out", "intercom"]);
    export.code(0);
    assert!(export.all().contains("ticket_types"), "{}", export.all());
    assert!(!p.path("intercom/ticket_types.yaml").exists());
}

#[test]
fn an_archived_type_is_noted_and_unarchived_by_archived_false() {
    let (sb, p) = Project::with_served(&[]);
    let id = find(&ticket_types(&sb), "Billing Dispute")["id"]
        .as_str()
        .unwrap()
        .to_string();
    sb.put(
        &format!("/ticket_types/{id}"),
        serde_json::json!({"archived": true}),
    );
    p.write(
        "t.yaml",
        "ticket_types:\n  - name: Billing Dispute\n    category: Back-office\n",
    );
    p.plan("t.yaml")
        .code(0)
        .stdout_has("ticket_type[\"Billing Dispute\"]: archived in Intercom: set `archived: false` to unarchive it");
    p.write(
        "t.yaml",
        "ticket_types:\n  - name: Billing Dispute\n    archived: false\n",
    );
    p.run(&["apply", "-c", "t.yaml", "--auto-approve"])
        .code(0)
        .stdout_has("~ archived = true -> false")
        .stderr_has("~ ticket_type[\"Billing Dispute\"]: done");
    assert_eq!(
        find(&ticket_types(&sb), "Billing Dispute")["archived"],
        false
    );
    p.plan("t.yaml").code(0);
}
