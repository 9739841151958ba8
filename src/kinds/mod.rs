//! The kinds registry: one module per kind of object, each with a pure half (how its
//! declarations meet live objects: matching, renames, plan, fingerprints for stale plans,
//! export, unmanaged detection, live counts) used by `plan`, `export`, `drift` and the
//! commands, and a write half (operation → client call, `write`) that only `apply` reaches.
//!
//! Code outside this folder (and `model`, `intercom`, `sandbox`) never matches on kinds: it
//! loops over [`REGISTRY`] or asks [`spec`].

mod articles;
mod audiences;
mod away_status_reasons;
mod brands;
pub mod checks;
mod content_snippets;
mod conversation_attributes;
mod data_attributes;
mod declaration;
mod documents;
pub mod engine;
pub mod events;
mod export;
mod help_center_collections;
mod internal_articles;
mod listed;
mod macros;
mod office_hours;
pub mod read;
mod segments;
mod subscription_types;
mod tags;
mod teams;
mod ticket_types;
mod workspace;
pub mod write;

use std::collections::BTreeSet;

use crate::config::types::ConfigFile;
use crate::config::{Desired, Diagnostic, SectionError};
use crate::intercom::Client;
use crate::model::change::{ABSENT, Change};
use crate::model::{Filter, Kind, Live};

pub use checks::Entry;
use engine::live_object;
pub use engine::{LiveObject, PlanCtx};
pub use read::{Fetched, Scope, fetch_live, fetch_live_partial};

/// What export builds for one file: its configuration, and the objects left out so far.
#[derive(Debug, Default)]
pub struct Exported {
    /// The file's configuration.
    pub cfg: ConfigFile,
    /// Live objects the language cannot represent (all files so far).
    pub ignored: Vec<Ignored>,
    /// Files outside the YAML sections (path relative to the configuration directory, text):
    /// the `help_center/` folder tree.
    pub extra_files: Vec<(String, String)>,
}

/// A live object that export leaves out (under `ignore:`), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Why the configuration language cannot represent it.
    pub why: String,
}

/// A top-level section of the configuration language that a kinds module reads.
#[derive(Clone, Copy)]
pub struct Section {
    /// Its key (`tags`).
    pub key: &'static str,
    /// The help an editor shows for it.
    pub description: &'static str,
    /// The JSON Schema of its value (registering the definitions it uses).
    pub schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    /// How deep below the file's root a schema error's unit lies: what is dropped from the
    /// file so the rest still gets checked (2: a list item, `/tags/3`).
    pub unit_depth: usize,
}

/// The methods of a kind whose section is a list of declarations of one type, stored under
/// its kind: `kinds`, `section`, `read_section` and `entries`.
macro_rules! list_section {
    ($kind:expr, $decl:ty, $description:expr) => {
        fn kinds(&self) -> &'static [crate::model::Kind] {
            std::slice::from_ref(&$kind)
        }

        fn section(&self) -> Option<crate::kinds::Section> {
            Some(crate::kinds::Section {
                key: $kind.plural(),
                description: $description,
                schema: crate::kinds::list_schema::<$decl>,
                unit_depth: 2,
            })
        }

        fn read_section(
            &self,
            desired: &mut crate::config::Desired,
            file: usize,
            value: serde_json::Value,
        ) -> Result<(), crate::config::SectionError> {
            let base = format!("/{}", $kind.plural());
            desired.read_list::<$decl>($kind, file, &base, value)
        }

        fn entries<'a>(
            &self,
            desired: &'a crate::config::Desired,
            _kind: crate::model::Kind,
        ) -> Vec<crate::kinds::Entry<'a>> {
            crate::kinds::engine::entries(desired.declarations::<$decl>($kind))
        }
    };
}
pub(crate) use list_section;

/// The `KindSpec` methods of a kind declared as files of the `help_center/` folder rather than
/// YAML items: no entries for the name checks (the folder reader checks, located), the count
/// of `$items` (a field of `desired.help_center`) and the natural keys each one claims.
macro_rules! folder_kind {
    ($kind:expr, $items:ident, |$item:ident| $keys:expr) => {
        fn kinds(&self) -> &'static [crate::model::Kind] {
            &[$kind]
        }

        fn entries<'a>(
            &self,
            _desired: &'a crate::config::Desired,
            _kind: crate::model::Kind,
        ) -> Vec<crate::kinds::Entry<'a>> {
            Vec::new()
        }

        fn declared(&self, desired: &crate::config::Desired, _kind: crate::model::Kind) -> usize {
            desired.help_center.$items.len()
        }

        fn claimed_names<'a>(
            &self,
            desired: &'a crate::config::Desired,
            _kind: crate::model::Kind,
        ) -> Vec<&'a str> {
            desired
                .help_center
                .$items
                .iter()
                .flat_map(|$item| $keys)
                .collect()
        }

        fn names_keep_spaces(&self) -> bool {
            true
        }

        fn plan(&self, ctx: &mut crate::kinds::engine::PlanCtx<'_>) {
            if ctx.filter.touches($kind) {
                plan_kind(ctx);
            }
        }
    };
}
pub(crate) use folder_kind;

/// The methods of a kind whose section is a list of declarations of one type, planned (when `--only`
/// touches it) by the module's `plan_kind(ctx, kind)`: those of [`list_section!`], `plan`, and on request `objects`
/// (`live:` the live object type), a `check` that adds the module's own checks to the name
/// rules (`check:`), `read` of one list (`read:` the client's list function) and `export`
/// (`export:` a function with its arguments).
macro_rules! list_kind {
    (
        kind: $kind:expr, decl: $decl:ty $(, live: $live:ty)? $(, check: $check:path)?
        $(, read: $read:path)? $(, export: $export:path)?, section: $description:expr $(,)?
    ) => {
        crate::kinds::list_section!($kind, $decl, $description);

        fn plan(&self, ctx: &mut crate::kinds::PlanCtx<'_>) {
            if ctx.filter.touches($kind) {
                plan_kind(ctx, $kind);
            }
        }

        $(
            fn objects<'a>(
                &self,
                live: &'a crate::model::Live,
                kind: crate::model::Kind,
            ) -> Vec<&'a dyn crate::kinds::LiveObject> {
                crate::kinds::engine::objects::<$live>(live, kind)
            }
        )?

        $(
            fn check(&self, desired: &crate::config::Desired, out: &mut Vec<crate::config::Diagnostic>) {
                self.check_names(desired, out);
                $check(desired, out);
            }
        )?

        $(
            fn export(
                &self,
                live: &crate::model::Live,
                kind: crate::model::Kind,
                out: &mut crate::kinds::Exported,
            ) -> bool {
                $export(live, kind, out)
            }
        )?

        $(
            fn read(
                &self,
                client: &crate::intercom::Client,
                kind: crate::model::Kind,
                _scope: &crate::kinds::Scope,
            ) -> Option<crate::kinds::read::ReadFuture> {
                crate::kinds::read::with(client, kind, |c| async move { $read(&c).await })
            }
        )?
    };
}
pub(crate) use list_kind;

/// The schema of a list of `T`, for [`Section::schema`].
pub fn list_schema<T: schemars::JsonSchema>(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    g.subschema_for::<Vec<T>>()
}

/// The behaviour of one kind (or, for data attributes, of the two kinds that share a section).
/// Default methods hold what most kinds share; kinds that differ override them.
pub trait KindSpec: Sync {
    /// The kinds this module handles, in plan order.
    fn kinds(&self) -> &'static [Kind];

    /// The configuration section this module reads (`None`: it has none).
    fn section(&self) -> Option<Section> {
        None
    }

    /// Reads one file's section value (already checked against the schema) into `desired`,
    /// each declaration located in file `file`. A value serde refuses is a located error.
    fn read_section(
        &self,
        _desired: &mut Desired,
        _file: usize,
        _value: serde_json::Value,
    ) -> Result<(), SectionError> {
        Ok(())
    }

    /// The declarations of `kind`: name, `renamed_from` and where each was written.
    fn entries<'a>(&self, desired: &'a Desired, kind: Kind) -> Vec<Entry<'a>>;

    /// How many objects of `kind` the configuration declares.
    fn declared(&self, desired: &Desired, kind: Kind) -> usize {
        self.entries(desired, kind).len()
    }

    /// The semantic checks of the kind's declarations (what the schema cannot say), each
    /// problem located at its node. By default the name rules of [`checks::named`].
    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        self.check_names(desired, out);
    }

    /// The name rules of [`checks::named`] for each of the module's kinds.
    fn check_names(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        for kind in self.kinds() {
            let entries = self.entries(desired, *kind);
            checks::named(desired, out, *kind, &entries, self.names_keep_spaces());
        }
    }

    /// Whether Intercom keeps spaces around names (so they are not refused).
    fn names_keep_spaces(&self) -> bool {
        false
    }

    /// Plans the kind: matches declarations with live objects and records changes, manual
    /// steps, warnings and located errors in `ctx`.
    fn plan(&self, ctx: &mut PlanCtx<'_>);

    /// The live objects of `kind`, archived ones included (none for kinds with no live side).
    fn objects<'a>(&self, _live: &'a Live, _kind: Kind) -> Vec<&'a dyn LiveObject> {
        Vec::new()
    }

    /// Names of the live objects of `kind` that the tool manages (custom and not archived):
    /// what is pruned, counted for the safety thresholds and reported as unmanaged.
    fn live_names<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a str> {
        self.objects(live, kind)
            .into_iter()
            .filter(|o| o.managed())
            .map(|o| o.name())
            .collect()
    }

    /// The names the configuration claims for `kind`: names and `renamed_from`.
    fn claimed_names<'a>(&self, desired: &'a Desired, kind: Kind) -> Vec<&'a str> {
        self.entries(desired, kind)
            .into_iter()
            .flat_map(|e| std::iter::once(e.name).chain(e.renamed_from))
            .collect()
    }

    /// Live objects of `kind` for the safety thresholds; `None` for kinds with no live side.
    fn live_count(&self, live: &Live, kind: Kind) -> Option<usize> {
        self.readable().then(|| self.live_names(live, kind).len())
    }

    /// The fingerprint the object of a saved change has in `live` now (`absent` when gone).
    fn current_fingerprint(&self, live: &Live, change: &Change) -> String {
        let objects = self.objects(live, change.address.kind);
        live_object(
            objects,
            change,
            |o| o.id(),
            |o| o.named(&change.address.key),
        )
        .map_or_else(|| ABSENT.to_string(), |o| o.fingerprint())
    }

    /// Why one change of this kind removes too much to apply without `--force`, if it does.
    fn too_much(&self, _change: &Change) -> Option<String> {
        None
    }

    /// Writes the live objects of `kind` into `out`'s configuration; what the language cannot
    /// represent goes to its `ignored`. Returns whether `kind` has a section.
    fn export(&self, _live: &Live, _kind: Kind, _out: &mut Exported) -> bool {
        false
    }

    /// The exported file's name and the title its header comment uses (default: the first
    /// kind's plural, `office_hours.yaml` and "office hours").
    fn export_file(&self) -> (String, String) {
        let plural = self.kinds().first().map_or("objects", |k| k.plural());
        (format!("{plural}.yaml"), plural.replace('_', " "))
    }

    /// Adds what reading the kind needs beyond its own list (related kinds, nested lists) to a
    /// scope that already holds it: for `desired`'s declarations, or for anything (`None`:
    /// export, a saved plan).
    fn widen_scope(&self, _desired: Option<&Desired>, _scope: &mut Scope) {}

    /// Whether the kind has a list endpoint that is read.
    fn readable(&self) -> bool {
        true
    }

    /// Starts reading the live objects of `kind` (`None` for kinds with nothing to read).
    fn read(&self, _client: &Client, _kind: Kind, _scope: &Scope) -> Option<read::ReadFuture> {
        None
    }
}

/// Every kind, in plan order.
pub static REGISTRY: &[&dyn KindSpec] = &[
    &data_attributes::DataAttributes,
    &conversation_attributes::ConversationAttributes,
    &tags::Tags,
    &teams::Teams,
    &segments::Segments::new(),
    &audiences::Audiences,
    &office_hours::OfficeHours,
    &events::Events,
    &brands::Brands::new(),
    &macros::Macros::new(),
    &subscription_types::SubscriptionTypes::new(),
    &away_status_reasons::AwayStatusReasons::new(),
    &workspace::WorkspaceSecurity,
    &help_center_collections::HelpCenterCollections,
    &ticket_types::TicketTypes,
    &articles::Articles,
    &internal_articles::InternalArticles,
    &content_snippets::ContentSnippets,
];

/// The module that handles `kind`.
pub fn spec(kind: Kind) -> &'static dyn KindSpec {
    REGISTRY
        .iter()
        .copied()
        .find(|s| s.kinds().contains(&kind))
        .expect("every kind is registered")
}

/// Every kind with its module, in plan order.
pub fn all() -> impl Iterator<Item = (Kind, &'static dyn KindSpec)> {
    REGISTRY
        .iter()
        .flat_map(|s| s.kinds().iter().map(move |k| (*k, *s)))
}

/// The kinds the configuration declares at least one object of.
pub fn declared_kinds(desired: &Desired) -> Vec<Kind> {
    all()
        .filter(|(k, s)| s.declared(desired, *k) > 0)
        .map(|(k, _)| k)
        .collect()
}

/// What to read for these kinds (those that have a list), plus what they need: for
/// `desired`'s declarations, or for anything they can hold (`None`).
pub fn scope_of(kinds: impl IntoIterator<Item = Kind>, desired: Option<&Desired>) -> Scope {
    let kinds: BTreeSet<Kind> = kinds.into_iter().filter(|k| spec(*k).readable()).collect();
    let mut scope = Scope::only(kinds.iter().copied());
    for s in REGISTRY {
        if s.kinds().iter().any(|k| kinds.contains(k)) {
            s.widen_scope(desired, &mut scope);
        }
    }
    scope
}

/// The prunable kinds, for help texts.
pub fn prunable() -> String {
    all()
        .filter(|(k, _)| k.is_prunable())
        .map(|(k, _)| k.plural())
        .collect::<Vec<_>>()
        .join(", ")
}
