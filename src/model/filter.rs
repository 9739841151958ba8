//! `--only`: the kinds and single objects a run is narrowed to.

use std::collections::BTreeSet;

use super::{Address, Kind};

/// Narrows a plan to some kinds and addresses (`--only`). Empty means everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Whole kinds.
    pub kinds: BTreeSet<Kind>,
    /// Single objects.
    pub addresses: BTreeSet<Address>,
}

impl Filter {
    /// Whether the filter lets everything through.
    pub fn is_all(&self) -> bool {
        self.kinds.is_empty() && self.addresses.is_empty()
    }

    /// Whether an object is in scope.
    pub fn includes(&self, address: &Address) -> bool {
        self.is_all()
            || self.kinds.contains(&address.kind)
            || self.addresses.iter().any(|a| {
                a.kind == address.kind
                    && if a.kind.case_insensitive_names() {
                        a.key.to_lowercase() == address.key.to_lowercase()
                    } else {
                        a.key == address.key
                    }
            })
    }

    /// Whether any object of a kind can be in scope.
    pub fn touches(&self, kind: Kind) -> bool {
        self.is_all() || self.kinds.contains(&kind) || self.addresses.iter().any(|a| a.kind == kind)
    }
}
