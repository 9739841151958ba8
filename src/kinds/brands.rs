//! Brands (API 2.15+): read-only in Intercom, so a declared brand must exist (a manual step
//! when it does not) and nothing is ever written. The workspace's default brand is listed too.

use serde::Deserialize;

use crate::intercom;
use crate::model::Kind;

/// A brand as `GET /brands` lists it (the fields the tool uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Brand {
    /// Intercom id (the default brand's is the workspace's app id).
    pub id: intercom::read::Id,
    /// Name (the natural key).
    pub name: String,
    /// Whether it is the workspace's default brand.
    #[serde(default)]
    pub is_default: bool,
}

super::listed::listed_kind! {
    /// Brands.
    Brands = BrandList(Brand, Kind::Brands) in "Settings → Brands",
    name: name, read: list("/brands", "list brands"),
    section: "Brands (API 2.15+). Read-only in Intercom: a declared brand must exist.",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_sources;
    use crate::kinds::listed::testing::{assert_one_manual_step, plan_of};
    use crate::kinds::spec;

    fn brand(id: &str, name: &str) -> Brand {
        Brand {
            id: intercom::read::Id(id.into()),
            name: name.into(),
            is_default: id == "app1",
        }
    }

    #[test]
    fn a_missing_brand_is_a_manual_step_and_an_extra_one_is_unmanaged() {
        let (desired, live, plan) = plan_of(
            "brands:\n  - name: Acme\n  - name: Acme Premum\n",
            Kind::Brands,
            vec![
                brand("app1", "Acme"),
                brand("7", "Acme Premium"),
                brand("8", "Other"),
            ],
        );
        assert_one_manual_step(&plan, "brand[\"Acme Premum\"]", "Acme Premium");
        let unmanaged = crate::drift::unmanaged(&desired, &live, &[]);
        let names: Vec<String> = unmanaged.iter().map(|a| a.to_string()).collect();
        assert_eq!(names, ["brand[\"Acme Premium\"]", "brand[\"Other\"]"]);
        assert_eq!(spec(Kind::Brands).live_count(&live, Kind::Brands), Some(3));
    }

    #[test]
    fn brands_cannot_be_pruned() {
        let errors = load_sources(vec![("b.yaml".into(), b"prune: [brands]\n".to_vec())])
            .unwrap_err()
            .diagnostics;
        assert!(
            errors[0].message.contains("brands are read-only"),
            "{errors:?}"
        );
    }
}
