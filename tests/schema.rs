//! The committed JSON Schemas are exactly what the code generates, and they accept the examples.

use std::path::Path;

#[test]
fn committed_schemas_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    for (name, generated) in intercom_iac::commands::schema_files() {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            committed == generated,
            "schemas/{name} is stale: run `cargo run -- schema --out schemas` and commit the result"
        );
    }
}

#[test]
fn schema_is_draft_07_with_descriptions_everywhere() {
    let schema = intercom_iac::config::config_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    // Every property of every definition carries help for editors.
    let mut missing = Vec::new();
    let defs = schema["definitions"].as_object().unwrap();
    let roots =
        std::iter::once(("(root)", &schema)).chain(defs.iter().map(|(k, v)| (k.as_str(), v)));
    for (name, def) in roots {
        for (prop, s) in def["properties"].as_object().into_iter().flatten() {
            if s.get("description").is_none() {
                missing.push(format!("{name}.{prop}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:?}"
    );
}

#[test]
fn schema_validates_documents_independently() {
    let v = jsonschema::options()
        .build(&intercom_iac::config::config_schema())
        .unwrap();
    assert!(v.is_valid(&serde_json::json!({"tags": [{"name": "VIP"}]})));
    assert!(!v.is_valid(&serde_json::json!({"tags": [{"name": "VIP", "color": "red"}]})));
    assert!(!v.is_valid(
        &serde_json::json!({"data_attributes": {"contact": [{"name": "x", "type": "lst"}]}})
    ));
}
