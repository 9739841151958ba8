//! CPU benchmark of the core (run by `bench/run.py`, never by the tests): `plan` (diff + text
//! render) on an in-memory desired/live pair of 20,000 objects, and loading + validating a
//! 5,000-line configuration. Prints one JSON object with the timings.

use std::time::Instant;

use intercom_iac::config::load_sources;
use intercom_iac::model::*;
use intercom_iac::plan::{Filter, diff};
use intercom_iac::render::render_text;

fn predicate(v: &str) -> Predicate {
    Predicate {
        attribute: "company.plan".into(),
        value_type: "string".into(),
        comparison: "eq".into(),
        value: v.into(),
    }
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "both".into());
    let mut out = serde_json::Map::new();
    if mode == "plan" || mode == "both" {
        // 15,000 tags, 4,800 audiences, 200 contact attributes = 20,000 declared objects. Live
        // holds 95 % of them (5 % are creates), 10 % of audiences differ, and 500 extra tags
        // are pruned.
        let mut yaml = String::from("prune: [tags]\ntags:\n");
        for i in 0..15_000 {
            yaml.push_str(&format!("  - name: tag-{i:05}\n"));
        }
        yaml.push_str("audiences:\n");
        for i in 0..4_800 {
            yaml.push_str(&format!("  - name: audience-{i:05}\n    predicates: [{{attribute: company.plan, type: string, comparison: eq, value: p{i}}}]\n"));
        }
        yaml.push_str("data_attributes:\n  contact:\n");
        for i in 0..200 {
            yaml.push_str(&format!(
                "    - {{name: attr_{i:03}, type: string, description: d{i}}}\n"
            ));
        }
        let desired = load_sources(vec![("bench.yaml".into(), yaml.into_bytes())])
            .expect("valid")
            .desired;
        let (mut tags, mut audiences, mut attributes) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..15_000 {
            if i % 20 != 0 {
                tags.push(Tag {
                    id: format!("t{i}"),
                    name: format!("tag-{i:05}"),
                });
            }
        }
        for i in 0..500 {
            tags.push(Tag {
                id: format!("x{i}"),
                name: format!("stale-{i}"),
            });
        }
        for i in 0..4_800 {
            if i % 20 != 0 {
                let v = if i % 10 == 1 {
                    format!("old{i}")
                } else {
                    format!("p{i}")
                };
                audiences.push(Audience {
                    id: format!("a{i}"),
                    name: format!("audience-{i:05}"),
                    predicates: vec![predicate(&v)],
                    role_predicates: vec![],
                });
            }
        }
        for i in 0..200 {
            attributes.push(DataAttribute {
                id: Some(format!("{i}")),
                model: AttributeModel::Contact,
                name: format!("attr_{i:03}"),
                data_type: DataAttributeType::String,
                options: vec![],
                description: if i % 4 == 0 {
                    "old".into()
                } else {
                    format!("d{i}")
                },
                messenger_writable: false,
                archived: false,
                custom: true,
            });
        }
        let live = Live::default()
            .with(Kind::Tags, tags)
            .with(Kind::Audiences, audiences)
            .with(Kind::ContactAttributes, attributes);
        let start = Instant::now();
        let plan = diff(&desired, &live, &Filter::default(), &[]).expect("plans");
        let text = render_text(&plan, false);
        let elapsed = start.elapsed();
        out.insert("plan_objects".into(), 20_000.into());
        out.insert("plan_changes".into(), plan.changes.len().into());
        out.insert("plan_rendered_bytes".into(), text.len().into());
        out.insert("plan_seconds".into(), elapsed.as_secs_f64().into());
    }
    if mode == "validate" || mode == "both" {
        let mut yaml = String::from("# 5,000-line configuration\nversion: 1\ntags:\n");
        let mut lines = 3;
        let mut i = 0;
        while lines + 4 <= 5_000 {
            yaml.push_str(&format!("  - name: tag-{i}\n"));
            yaml.push_str(&format!("  - name: other-{i}\n    renamed_from: old-{i}\n"));
            lines += 3;
            i += 1;
        }
        while lines < 5_000 {
            yaml.push_str("# padding\n");
            lines += 1;
        }
        let bytes = yaml.into_bytes();
        let start = Instant::now();
        let loaded = load_sources(vec![("big.yaml".into(), bytes)]);
        let elapsed = start.elapsed();
        assert!(loaded.is_ok(), "the generated configuration is valid");
        out.insert("validate_lines".into(), lines.into());
        out.insert("validate_seconds".into(), elapsed.as_secs_f64().into());
    }
    println!("{}", serde_json::Value::Object(out));
}
