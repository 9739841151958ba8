//! Macros (saved replies, API 2.16+): read-only in Intercom, so a declared macro must exist (a
//! manual step when it does not) and nothing is ever written. Reading them needs the
//! `read_conversations` OAuth scope; Intercom lists only the macros the token's admin may see.

use serde::Deserialize;

use super::listed::{Listed, ReadOnly};
use crate::intercom::{self, Client, FetchError};
use crate::model::Kind;

/// Macros.
pub type Macros = ReadOnly<MacroList>;

/// The description of the macros kind.
pub struct MacroList;

/// The most macros Intercom sends on one page.
const PER_PAGE: u32 = 150;

/// A macro as `GET /macros` lists it (the fields the tool uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Macro {
    /// Intercom id.
    pub id: intercom::read::Id,
    /// Name (the natural key).
    pub name: String,
}

impl Listed for MacroList {
    type Live = Macro;
    const KIND: Kind = Kind::Macros;
    const SECTION: &'static str = "Macros (saved replies, API 2.16+). Read-only in Intercom: a declared macro must exist.\nReading them needs the `read_conversations` scope.";
    const CREATE_IN: &'static str = "Inbox settings → Macros";

    fn name(live: &Macro) -> &str {
        &live.name
    }

    async fn read(client: Client) -> Result<Vec<Macro>, FetchError> {
        intercom::read::list_per_page(&client, "/macros", PER_PAGE, "list macros").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_sources;
    use crate::model::{Filter, Live};
    use crate::plan::diff;

    #[test]
    fn a_missing_macro_is_a_manual_step_with_a_suggestion() {
        let desired = load_sources(vec![(
            "m.yaml".into(),
            b"macros:\n  - name: Refund Proces\n  - name: Thank You Response\n".to_vec(),
        )])
        .unwrap()
        .desired;
        let mut live = Live::default().with(
            Kind::Macros,
            vec![
                Macro {
                    id: intercom::read::Id("1".into()),
                    name: "Refund Process".into(),
                },
                Macro {
                    id: intercom::read::Id("2".into()),
                    name: "Thank You Response".into(),
                },
            ],
        );
        live.fetched.insert(Kind::Macros);
        let plan = diff(&desired, &live, &Filter::default(), &[]).unwrap();
        assert!(plan.changes.is_empty());
        assert_eq!(plan.manual_steps.len(), 1);
        assert_eq!(
            plan.manual_steps[0].address.to_string(),
            "macro[\"Refund Proces\"]"
        );
        assert!(
            plan.manual_steps[0]
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `Refund Process`?")),
            "{:?}",
            plan.manual_steps[0].help
        );
    }
}
