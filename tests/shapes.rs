//! The shapes the tool sends, end to end against `sandbox serve`: list data attributes in the
//! form a workspace accepts (`--refuse-options-form`), event metadata in its declared order,
//! and contact attributes named like a company built-in.

mod support;

use intercom_iac::intercom::{ApiError, ClientOptions};
use intercom_iac::model::{AttributeModel, DataAttributeType, NewDataAttribute};
use serde_json::Value;
use support::{Project, Served, TOKEN, endpoint_client};

const CREATE_ATTRIBUTE: &str = "POST /data_attributes";

/// How often the sandbox was called with `op` (`"POST /data_attributes"`).
fn calls(server: &Served, op: &str) -> u64 {
    server.stats()["calls"][op].as_u64().unwrap_or(0)
}

/// How often `op` succeeded.
fn succeeded(server: &Served, op: &str) -> u64 {
    server.stats()["succeeded"][op].as_u64().unwrap_or(0)
}

/// The custom data attribute `name` in the sandbox, as `GET /data_attributes` lists it.
fn listed_attribute(server: &Served, name: &str) -> Option<Value> {
    let (status, body) = server.api("GET", "/data_attributes", None);
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["custom"] == true && a["name"] == name)
        .cloned()
}

fn list_attribute(name: &str) -> NewDataAttribute {
    NewDataAttribute {
        model: AttributeModel::Contact,
        name: name.into(),
        data_type: DataAttributeType::List,
        options: vec!["free".into(), "pro".into()],
        description: None,
        messenger_writable: None,
    }
}

/// Creates a list attribute with the library's client against a served sandbox.
fn create(server: &Served, new: &NewDataAttribute) -> Result<(), ApiError> {
    let client = endpoint_client(&server.url, TOKEN, ClientOptions::default());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(client.create_data_attribute(new))
        .map(|_| ())
}

const LIST_ATTRIBUTE: &str =
    "data_attributes:\n  contact:\n    - {name: billing_tier, type: list, options: [free, pro]}\n";

#[test]
fn a_workspace_refusing_the_options_form_gets_the_older_form_once() {
    let server = Served::start(&["--refuse-options-form"]);
    // The sandbox answers as the description's "Invalid Data Type" example.
    let (status, body) = server.api(
        "POST",
        "/data_attributes",
        Some(
            serde_json::json!({"name": "x", "model": "contact", "data_type": "options",
            "options": [{"value": "a"}, {"value": "b"}]}),
        ),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["code"], "parameter_invalid");
    assert_eq!(body["errors"][0]["message"], "Data Type isn't an option");
    assert!(body["errors"][0].get("field").is_none(), "{body}");
    assert!(listed_attribute(&server, "x").is_none());

    let p = Project::served(&server);
    p.config(LIST_ATTRIBUTE);
    let before = calls(&server, CREATE_ATTRIBUTE);
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(0);
    assert_eq!(calls(&server, CREATE_ATTRIBUTE) - before, 2, "{}", r.all());
    assert_eq!(succeeded(&server, CREATE_ATTRIBUTE), 1);
    let created = listed_attribute(&server, "billing_tier").expect("created");
    assert_eq!(created["data_type"], "string");
    assert_eq!(created["options"], serde_json::json!(["free", "pro"]));
    p.run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn a_taken_name_is_refused_after_one_create_with_intercom_s_first_answer() {
    let server = Served::start(&[]);
    // `seats` is a custom contact attribute of the default seed.
    let err = create(&server, &list_attribute("seats")).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ApiError::Rejected(_)), "{err:?}");
    assert!(
        text.contains("create contact_attribute[\"seats\"] (POST /data_attributes): Intercom answered 400 parameter_invalid: You already have 'seats' in your people data"),
        "{text}"
    );
    assert_eq!(calls(&server, CREATE_ATTRIBUTE), 1);
    assert_eq!(succeeded(&server, CREATE_ATTRIBUTE), 0);
}

#[test]
fn a_taken_name_in_a_workspace_refusing_the_options_form_reports_the_second_answer() {
    // The form is refused first (the body is checked before the workspace), so the older form
    // is sent, and its answer is the one that says what is wrong.
    let server = Served::start(&["--refuse-options-form"]);
    let err = create(&server, &list_attribute("seats")).unwrap_err();
    assert!(
        err.to_string().contains("You already have 'seats'"),
        "{err}"
    );
    assert_eq!(calls(&server, CREATE_ATTRIBUTE), 2);
    assert_eq!(succeeded(&server, CREATE_ATTRIBUTE), 0);
}

#[test]
fn a_refused_list_attribute_is_reported_after_one_create() {
    // `/` passes the tool's name rules and not Intercom's: a 400 `parameter_invalid` without a
    // field that is not about the form.
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(
        "data_attributes:\n  contact:\n    - {name: plan/tier, type: list, options: [free, pro]}\n",
    );
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(1).stderr_has(
        "Intercom answered 400 parameter_invalid: Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens",
    );
    assert_eq!(calls(&server, CREATE_ATTRIBUTE), 1, "{}", r.all());
    assert!(listed_attribute(&server, "plan/tier").is_none());
}

/// Ten metadata keys whose text order is not their declared order.
const EVENT_IN_FILE_ORDER: &str = "events:\n  - name: signed-up\n    metadata:\n      zeta: {type: string}\n      alpha: {type: number, required: true}\n      k10: {type: link}\n      k2: {type: string, required: true}\n";

#[test]
fn an_eleventh_metadata_key_is_located_as_written() {
    // Sorted as text, `k10` and `k11` come before `k2`, and the error used to point at `k9`.
    let mut config = String::from("events:\n  - name: wide\n    metadata:\n");
    for i in 1..=11 {
        config.push_str(&format!("      k{i}: {{type: string}}\n"));
    }
    let p = Project::in_process();
    p.config(&config);
    let r = p.run_bare(&["validate"]);
    r.code(1)
        .stderr_has("intercom/main.yaml:14:7: error: event `wide` declares 11 metadata keys; Intercom keeps at most 10\n  help: Intercom silently drops keys past the tenth");
    assert!(!r.stderr.contains(":12:7:"), "{}", r.stderr);
}

#[test]
fn the_event_schema_lists_metadata_keys_in_file_order() {
    let p = Project::in_process();
    p.config(EVENT_IN_FILE_ORDER);
    let r = p.run_bare(&["events", "schema"]);
    r.code(0);
    let schemas: Value = serde_json::from_str(&r.stdout).unwrap();
    let metadata = &schemas["signed-up"]["properties"]["metadata"];
    let keys: Vec<&str> = metadata["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["zeta", "alpha", "k10", "k2"]);
    assert_eq!(metadata["required"], serde_json::json!(["alpha", "k2"]));
}

#[test]
fn a_plan_lists_the_event_contract_in_file_order() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(EVENT_IN_FILE_ORDER);
    p.run(&["plan", "--detailed-exitcode"]).code(0).stdout_has(
        "  = event[\"signed-up\"] {zeta: string, alpha: number*, k10: link, k2: string*}\n",
    );
    let r = p.run(&["plan", "--format", "json"]);
    r.code(0);
    let plan = r.json();
    let keys: Vec<&str> = plan["contract"][0]["metadata"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["zeta", "alpha", "k10", "k2"]);
    assert_eq!(server.writes(), 0);
}

const WEBSITE: &str = "data_attributes:\n  contact:\n    - {name: website, type: string}\n";

#[test]
fn a_contact_attribute_named_like_a_company_built_in_is_a_warning_and_created() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(WEBSITE);
    let warning = "intercom/main.yaml:3:14: warning: contact attribute `website` has the name of Intercom's built-in company attribute `website`; Intercom may refuse to create it\n  help: no documented rule forbids it; if Intercom refuses the create, rename it (e.g. `contact_website`)\n";
    p.run_bare(&["validate"])
        .code(0)
        .stderr_has(warning)
        .stderr_has("The configuration is valid: 1 file(s), 1 warning(s).");
    p.run_bare(&["validate", "--deny-warnings"])
        .code(1)
        .stderr_has("intercom/main.yaml:3:14: error: contact attribute `website` has the name of Intercom's built-in company attribute `website`; Intercom may refuse to create it\n  help: ")
        .stderr_has("1 error(s), 0 warning(s)");

    let r = p.run(&["apply", "--auto-approve"]);
    r.code(0).stderr_has(warning);
    // Said once: the plan does not repeat the configuration's warning.
    assert_eq!(r.all().matches("may refuse").count(), 1, "{}", r.all());
    assert_eq!(succeeded(&server, CREATE_ATTRIBUTE), 1, "{}", r.all());
    let created = listed_attribute(&server, "website").expect("created");
    assert_eq!(created["model"], "contact");
    p.run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn a_company_attribute_named_like_a_contact_built_in_is_a_plan_warning() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("data_attributes:\n  company:\n    - {name: phone, type: string}\n");
    // No static list of contact built-ins: only the live workspace knows.
    p.run_bare(&["validate", "--deny-warnings"]).code(0);
    p.run(&["plan", "--detailed-exitcode"])
        .code(2)
        .stdout_has("  + company_attribute[\"phone\"]")
        .stdout_has("Warning: company_attribute[\"phone\"]: `phone` is also the name of Intercom's built-in contact attribute `phone`; Intercom may refuse to create it");
    p.run(&["apply", "--auto-approve"]).code(0);
    assert_eq!(
        listed_attribute(&server, "phone").expect("created")["model"],
        "company"
    );
    // Once it exists, there is nothing to warn about.
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(0).stdout_has("No changes.");
    assert!(!r.all().contains("may refuse"), "{}", r.all());
}

#[test]
fn a_built_in_name_of_the_same_model_is_still_refused() {
    let server = Served::start(&[]);
    for (model, name, noun) in [
        ("contact", "email", "people"),
        ("company", "website", "company"),
    ] {
        let (status, body) = server.api(
            "POST",
            "/data_attributes",
            Some(serde_json::json!({"name": name, "model": model, "data_type": "string"})),
        );
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body["errors"][0]["message"],
            format!(
                "'{name}' is one of our standard attributes for your {noun} data. Please use a different name."
            )
        );
    }
    let p = Project::served(&server);
    p.config("data_attributes:\n  contact:\n    - {name: Email, type: string}\n");
    p.run(&["plan"]).code(1).stderr_has(
        "intercom/main.yaml:3:14: error: `Email` is one of Intercom's built-in contact attributes",
    );
    assert_eq!(calls(&server, CREATE_ATTRIBUTE), 2);
}
