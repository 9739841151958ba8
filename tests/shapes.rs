//! The shapes the tool sends, end to end against `sandbox serve`: list data attributes in the
//! form a workspace accepts (`--refuse-options-form`), event metadata in its declared order,
//! and contact attributes named like a company built-in.

mod support;

use intercom_iac::intercom::{ApiError, ClientOptions, NewDataAttribute};
use intercom_iac::model::{AttributeModel, DataAttributeType};
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
        messenger_writable: false,
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
