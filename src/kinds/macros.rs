//! Macros (saved replies, API 2.16+): read-only in Intercom, so a declared macro must exist (a
//! manual step when it does not) and nothing is ever written. Reading them needs the
//! `read_conversations` OAuth scope; Intercom lists only the macros the token's admin may see.

use serde::Deserialize;

use crate::intercom;
use crate::model::Kind;

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

super::listed::listed_kind! {
    /// Macros.
    Macros = MacroList(Macro, Kind::Macros) in "Inbox settings → Macros",
    name: name, read: list_per_page("/macros", PER_PAGE, "list macros"),
    section: "Macros (saved replies, API 2.16+). Read-only in Intercom: a declared macro must \
        exist.\nReading them needs the `read_conversations` scope.",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::listed::testing::{assert_one_manual_step, plan_of};

    #[test]
    fn a_missing_macro_is_a_manual_step_with_a_suggestion() {
        let macro_ = |id: &str, name: &str| Macro {
            id: intercom::read::Id(id.into()),
            name: name.into(),
        };
        let (_, _, plan) = plan_of(
            "macros:\n  - name: Refund Proces\n  - name: Thank You Response\n",
            Kind::Macros,
            vec![
                macro_("1", "Refund Process"),
                macro_("2", "Thank You Response"),
            ],
        );
        assert_one_manual_step(&plan, "macro[\"Refund Proces\"]", "Refund Process");
    }
}
