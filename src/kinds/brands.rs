//! Brands (API 2.15+): read-only in Intercom, so a declared brand must exist (a manual step
//! when it does not) and nothing is ever written. The workspace's default brand is listed too.

use serde::Deserialize;

use super::listed::{Listed, ReadOnly};
use crate::intercom::{self, Client, FetchError};
use crate::model::Kind;

/// Brands.
pub type Brands = ReadOnly<BrandList>;

/// The description of the brands kind.
pub struct BrandList;

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

impl Listed for BrandList {
    type Live = Brand;
    const KIND: Kind = Kind::Brands;
    const SECTION: &'static str =
        "Brands (API 2.15+). Read-only in Intercom: a declared brand must exist.";
    const CREATE_IN: &'static str = "Settings → Brands";

    fn name(live: &Brand) -> &str {
        &live.name
    }

    async fn read(client: Client) -> Result<Vec<Brand>, FetchError> {
        intercom::read::list(&client, "/brands", "list brands").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_sources;
    use crate::kinds::spec;
    use crate::model::{Filter, Live};
    use crate::plan::diff;

    fn brand(id: &str, name: &str) -> Brand {
        Brand {
            id: intercom::read::Id(id.into()),
            name: name.into(),
            is_default: id == "app1",
        }
    }

    #[test]
    fn a_missing_brand_is_a_manual_step_and_an_extra_one_is_unmanaged() {
        let desired = load_sources(vec![(
            "b.yaml".into(),
            b"brands:\n  - name: Acme\n  - name: Acme Premum\n".to_vec(),
        )])
        .unwrap()
        .desired;
        let mut live = Live::default().with(
            Kind::Brands,
            vec![
                brand("app1", "Acme"),
                brand("7", "Acme Premium"),
                brand("8", "Other"),
            ],
        );
        live.fetched.insert(Kind::Brands);
        let plan = diff(&desired, &live, &Filter::default(), &[]).unwrap();
        assert!(plan.changes.is_empty());
        assert_eq!(plan.manual_steps.len(), 1);
        assert_eq!(
            plan.manual_steps[0].address.to_string(),
            "brand[\"Acme Premum\"]"
        );
        assert!(
            plan.manual_steps[0]
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `Acme Premium`?")),
            "{:?}",
            plan.manual_steps[0].help
        );
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
