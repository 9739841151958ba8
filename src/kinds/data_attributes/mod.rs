//! Custom contact and company data attributes: two kinds in one section, because Intercom
//! keeps their names unique across both models and caps them together. Intercom cannot
//! delete or rename them, so removal archives and a type change is a manual step.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use serde_json::json;

use super::Scope;
use super::Section;
use super::checks::{Entry, at, check_options, duplicates, pii_warning};
use super::engine::entries;
use super::engine::{Fields, LiveObject, PlanCtx, Removal, eq_ci, field, index_by, objects};
use super::read::{self, ReadFuture};
use super::{Exported, Ignored, KindSpec};
use crate::config::Diagnostic;
use crate::config::SectionError;
use crate::config::{Desired, Located};
use crate::intercom::{self, Client};
use crate::model::change::{Action, Op, fingerprint};
use crate::model::{
    Address, AttributeModel, DataAttribute, DataAttributeChanges, DataAttributeType, Kind, Live,
    MAX_CUSTOM_ATTRIBUTES, NewDataAttribute, attribute_name_problem, is_company_only_builtin,
};

/// Contact and company attributes.
pub struct DataAttributes;

fn model_of(kind: Kind) -> AttributeModel {
    if kind == Kind::CompanyAttributes {
        AttributeModel::Company
    } else {
        AttributeModel::Contact
    }
}

fn decls(desired: &Desired, model: AttributeModel) -> &[Located<section::DataAttribute>] {
    match model {
        AttributeModel::Contact => desired.declarations(Kind::ContactAttributes),
        AttributeModel::Company => desired.declarations(Kind::CompanyAttributes),
    }
}

impl KindSpec for DataAttributes {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ContactAttributes, Kind::CompanyAttributes]
    }

    fn section(&self) -> Option<Section> {
        Some(Section {
            key: "data_attributes",
            description: "Custom data attributes of contacts and companies. Names are unique across both models\n(Intercom requires it). Data attributes cannot be renamed or deleted in Intercom, only\narchived.",
            schema: |g| g.subschema_for::<section::DataAttributes>(),
            unit_depth: 3,
        })
    }

    fn read_section(
        &self,
        desired: &mut Desired,
        file: usize,
        value: serde_json::Value,
    ) -> Result<(), SectionError> {
        let serde_json::Value::Object(mut models) = value else {
            return Ok(());
        };
        for model in [AttributeModel::Contact, AttributeModel::Company] {
            if let Some(list) = models.remove(model.as_str()) {
                let base = format!("/data_attributes/{}", model.as_str());
                desired.read_list::<section::DataAttribute>(model.kind(), file, &base, list)?;
            }
        }
        Ok(())
    }

    fn entries<'a>(&self, desired: &'a Desired, kind: Kind) -> Vec<Entry<'a>> {
        entries(decls(desired, model_of(kind)))
    }

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        check_declarations(desired, out);
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        plan_both(ctx);
    }

    fn objects<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a dyn LiveObject> {
        objects::<DataAttribute>(live, kind)
    }

    fn export(&self, live: &Live, kind: Kind, out: &mut Exported) -> bool {
        let (cfg, ignored) = (&mut out.cfg, &mut out.ignored);
        let model = model_of(kind);
        let mut list = Vec::new();
        for a in attributes(live).filter(|a| a.model == model && a.custom) {
            if let Some(why) = attribute_name_problem(&a.name) {
                ignored.push(Ignored {
                    kind,
                    name: a.name.clone(),
                    why: format!("the configuration language refuses it: {why}"),
                });
                continue;
            }
            list.push(section::DataAttribute {
                name: a.name.clone(),
                data_type: export_type(a.data_type),
                options: (a.data_type == DataAttributeType::List).then(|| a.options.clone()),
                description: Some(a.description.clone()),
                messenger_writable: Some(a.messenger_writable),
                archived: Some(a.archived),
            });
        }
        super::export::sort_ci(&mut list, |a| &a.name);
        let attrs = cfg
            .sections
            .entry("data_attributes")
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let serde_json::Value::Object(attrs) = attrs {
            attrs.insert(
                model.as_str().into(),
                serde_json::to_value(list).unwrap_or_default(),
            );
        }
        true
    }

    fn export_file(&self) -> (String, String) {
        (
            "data_attributes.yaml".into(),
            "Contact and company data attributes".into(),
        )
    }

    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<ReadFuture> {
        let client = client.clone();
        let model = model_of(kind);
        Some(read::list(kind, async move {
            intercom::read::data_attributes(&client, model).await
        }))
    }

    fn widen_scope(&self, desired: Option<&Desired>, scope: &mut super::Scope) {
        // Attribute names are unique across contacts and companies: checking declarations of
        // one model needs both.
        if desired.is_some() {
            scope.kinds.insert(Kind::ContactAttributes);
            scope.kinds.insert(Kind::CompanyAttributes);
        }
    }
}

/// How a live type is declared: a `datetime` (Preview) attribute as the `date` it reads back as.
fn export_type(t: DataAttributeType) -> DataAttributeType {
    match t {
        DataAttributeType::Datetime => DataAttributeType::Date,
        other => other,
    }
}

fn same_data_type(a: DataAttributeType, b: DataAttributeType) -> bool {
    use DataAttributeType as T;
    a == b || matches!((a, b), (T::Date, T::Datetime) | (T::Datetime, T::Date))
}

impl LiveObject for DataAttribute {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn managed(&self) -> bool {
        self.custom && !self.archived
    }

    fn named(&self, key: &str) -> bool {
        eq_ci(&self.name, key)
    }

    fn fingerprint(&self) -> String {
        fingerprint(&(
            self.data_type,
            &self.options,
            &self.description,
            self.messenger_writable,
            self.archived,
        ))
    }
}

fn plan_both(ctx: &mut PlanCtx<'_>) {
    let mut creates = 0usize;
    let mut frees = 0isize;
    for model in [AttributeModel::Contact, AttributeModel::Company] {
        let kind = model.kind();
        if !ctx.filter.touches(kind) {
            continue;
        }
        let decls = decls(ctx.d, model);
        let live = ctx.live;
        let same_model = index_by(
            attributes(live),
            |a| {
                if a.model == model {
                    a.name.as_str()
                } else {
                    ""
                }
            },
            true,
        );
        let other_model = index_by(
            attributes(live),
            |a| {
                if a.model != model {
                    a.name.as_str()
                } else {
                    ""
                }
            },
            true,
        );
        for decl in decls {
            let address = Address::new(kind, decl.name.clone());
            if !ctx.filter.includes(&address) {
                continue;
            }
            let folded = decl.name.to_lowercase();
            let other = other_model
                .get(&folded)
                .and_then(|v| v.iter().find(|a| a.model != model));
            if let Some(other) = other.filter(|o| o.custom) {
                ctx.error(
                    decl,
                    "/name",
                    format!("`{}` is already a custom {} attribute in Intercom", decl.name, other.model.as_str()),
                    Some("Intercom requires attribute names to be unique across contacts and companies; choose another name".into()),
                );
                continue;
            }
            // A built-in of the other model: no documented rule refuses the name, so warn
            // before creating it (unless `check_declarations` already warned about this name).
            let builtin_elsewhere = other.filter(|_| {
                !(model == AttributeModel::Contact && is_company_only_builtin(&decl.name))
            });
            let found = same_model
                .get(&folded)
                .and_then(|v| v.iter().copied().find(|a| a.model == model));
            match found {
                Some(l) if !l.custom => ctx.error(
                    decl,
                    "/name",
                    format!("`{}` is one of Intercom's built-in {} attributes", decl.name, model.as_str()),
                    Some("built-in attributes are not managed; choose another name for a custom attribute".into()),
                ),
                Some(l) => frees += update_data_attribute(ctx, &address, decl, l),
                None if decl.archived == Some(true) => ctx.note(
                    address,
                    "archived in the configuration and absent from Intercom: nothing to do",
                ),
                None => {
                    if let Some(other) = builtin_elsewhere {
                        ctx.warn(
                            &address,
                            format!(
                                "`{}` is also the name of Intercom's built-in {} attribute `{}`; Intercom may refuse to create it",
                                decl.name,
                                other.model.as_str(),
                                other.name
                            ),
                        );
                    }
                    creates += 1;
                    let data_type = decl.data_type;
                    let options = decl.options.clone().unwrap_or_default();
                    let mut fields = vec![field("type", None, Some(json!(data_type.as_str())))];
                    if !options.is_empty() {
                        fields.push(field("options", None, Some(json!(options))));
                    }
                    if let Some(desc) = &decl.description {
                        fields.push(field("description", None, Some(json!(desc))));
                    }
                    if let Some(m) = decl.messenger_writable {
                        fields.push(field("messenger_writable", None, Some(json!(m))));
                    }
                    let op = Op::CreateDataAttribute(NewDataAttribute {
                        model,
                        name: decl.name.clone(),
                        data_type,
                        options,
                        description: decl.description.clone(),
                        messenger_writable: decl.messenger_writable,
                    });
                    ctx.create(address, fields, vec![op]);
                }
            }
        }
        let claimed: Vec<&str> = decls.iter().map(|d| d.name.as_str()).collect();
        ctx.prune(
            kind,
            attributes(live).filter(|a| a.model == model && a.custom && !a.archived),
            |a| a.name.as_str(),
            &claimed,
            |l| {
                frees += 1;
                let id = l.id.clone()?;
                Some(Removal {
                    action: Action::Archive,
                    id: id.clone(),
                    fields: vec![field("archived", Some(json!(false)), Some(json!(true)))],
                    ops: vec![Op::UpdateDataAttribute {
                        id,
                        changes: DataAttributeChanges {
                            archived: Some(true),
                            ..DataAttributeChanges::default()
                        },
                    }],
                    fingerprint: l.fingerprint(),
                })
            },
        );
    }
    let active = attributes(ctx.live)
        .filter(|a| a.custom && !a.archived)
        .count() as isize;
    let after = active - frees + creates as isize;
    if creates > 0 && after > MAX_CUSTOM_ATTRIBUTES as isize {
        let first_create = ctx
            .plan
            .changes
            .iter()
            .find(|c| {
                c.action == Action::Create
                    && matches!(
                        c.address.kind,
                        Kind::ContactAttributes | Kind::CompanyAttributes
                    )
            })
            .map(|c| c.address.clone());
        let decl = first_create.and_then(|a| {
            decls(ctx.d, AttributeModel::Contact)
                .iter()
                .chain(decls(ctx.d, AttributeModel::Company))
                .find(|d| d.name == a.key)
                .cloned()
        });
        if let Some(decl) = decl {
            ctx.error(
                &decl,
                "",
                format!(
                    "this plan would leave {after} custom data attributes that are not archived; Intercom allows at most {MAX_CUSTOM_ATTRIBUTES} ({active} live, {creates} to create, {frees} to archive)"
                ),
                Some("archive attributes you no longer use (`archived: true`, or prune the kind)".into()),
            );
        }
    }
}

/// Plans an update of an existing custom attribute; returns how many cap slots it frees (1 for
/// an archive, -1 for an unarchive).
fn update_data_attribute(
    ctx: &mut PlanCtx<'_>,
    address: &Address,
    decl: &Located<section::DataAttribute>,
    l: &DataAttribute,
) -> isize {
    let want_type = decl.data_type;
    if !same_data_type(want_type, l.data_type) {
        let how = "the API cannot change an attribute's type: change it in Intercom (Settings → Data), or create a new attribute";
        ctx.manual_type_change(address, l.data_type.as_str(), want_type.as_str(), how);
    }
    let mut fields = Vec::new();
    let (mut options, mut archived) = (None, None);
    let description = fields.changed("description", decl.description.as_ref(), &l.description);
    let messenger_writable = fields.changed(
        "messenger_writable",
        decl.messenger_writable.as_ref(),
        &l.messenger_writable,
    );
    if let Some(opts) = &decl.options
        && same_data_type(want_type, l.data_type)
        && *opts != l.options
    {
        fields.push(field("options", Some(json!(l.options)), Some(json!(opts))));
        for removed in l.options.iter().filter(|o| !opts.contains(o)) {
            ctx.warn(address, format!("removing option `{removed}`: Intercom will refuse contact and company writes that still send it"));
        }
        options = Some(opts.clone());
    }
    let mut action = Action::Update;
    let mut freed = 0;
    match (decl.archived, l.archived) {
        (Some(true), false) => {
            archived = Some(true);
            action = Action::Archive;
            freed = 1;
            fields.push(field("archived", Some(json!(false)), Some(json!(true))));
        }
        (Some(false), true) => {
            archived = Some(false);
            freed = -1;
            fields.push(field("archived", Some(json!(true)), Some(json!(false))));
        }
        _ => {}
    }
    if fields.is_empty() {
        return 0;
    }
    let Some(id) = l.id.clone() else { return 0 };
    let op = Op::UpdateDataAttribute {
        id: id.clone(),
        changes: DataAttributeChanges {
            description,
            messenger_writable,
            options,
            archived,
        },
    };
    ctx.change(
        address.clone(),
        action,
        Some(id),
        None,
        fields,
        vec![op],
        l.fingerprint(),
    );
    freed
}

// ---------------------------------------------------------------------------------------------

fn check_declarations(d: &Desired, out: &mut Vec<Diagnostic>) {
    let all: Vec<(Kind, &Located<section::DataAttribute>)> = decls(d, AttributeModel::Contact)
        .iter()
        .map(|a| (Kind::ContactAttributes, a))
        .chain(
            decls(d, AttributeModel::Company)
                .iter()
                .map(|a| (Kind::CompanyAttributes, a)),
        )
        .collect();
    for (kind, a) in &all {
        if let Some(problem) = attribute_name_problem(&a.name) {
            out.push(
                d.error_at(&a.origin, "/name", problem)
                    .with_help("rename the attribute"),
            );
        }
        check_options(
            d,
            out,
            &a.origin,
            a.data_type == DataAttributeType::List,
            a.options.as_ref(),
        );
        out.extend(pii_warning(
            d,
            &a.origin,
            "/name",
            kind.singular().replace('_', " ").as_str(),
            &a.name,
        ));
        if *kind == Kind::ContactAttributes && is_company_only_builtin(&a.name) {
            out.push(
                d.warning_at(
                    &a.origin,
                    "/name",
                    format!(
                        "contact attribute `{}` has the name of Intercom's built-in company attribute `{}`; Intercom may refuse to create it",
                        a.name,
                        a.name.to_lowercase()
                    ),
                )
                .with_help(format!(
                    "no documented rule forbids it; if Intercom refuses the create, rename it (e.g. `contact_{}`)",
                    a.name.to_lowercase()
                )),
            );
        }
    }
    for kind in [Kind::ContactAttributes, Kind::CompanyAttributes] {
        duplicates(
            d,
            out,
            kind,
            all.iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, a)| (a.name.as_str(), &a.origin)),
        );
    }
    // Names are unique across both models in Intercom.
    for company in decls(d, AttributeModel::Company) {
        if let Some(contact) = decls(d, AttributeModel::Contact)
            .iter()
            .find(|c| c.name.to_lowercase() == company.name.to_lowercase())
        {
            out.push(
                d.error_at(
                    &company.origin,
                    "/name",
                    format!(
                        "`{}` is declared as both a company and a contact attribute (contact at {})",
                        company.name,
                        at(d, &contact.origin, "/name")
                    ),
                )
                .with_help("Intercom requires attribute names to be unique across contacts and companies; rename one"),
            );
        }
    }
    let active: Vec<_> = all
        .iter()
        .filter(|(_, a)| a.archived != Some(true))
        .collect();
    if active.len() > MAX_CUSTOM_ATTRIBUTES {
        let (_, first_over) = active[MAX_CUSTOM_ATTRIBUTES];
        out.push(
            d.error_at(
                &first_over.origin,
                "",
                format!(
                    "{} custom data attributes are declared; Intercom allows at most {MAX_CUSTOM_ATTRIBUTES} that are not archived",
                    active.len()
                ),
            )
            .with_help("archive attributes you no longer use (`archived: true`)"),
        );
    }
}

/// Every live contact and company attribute, built-ins and archived included.
fn attributes(live: &Live) -> impl Iterator<Item = &DataAttribute> {
    live.objects::<DataAttribute>(Kind::ContactAttributes)
        .iter()
        .chain(live.objects::<DataAttribute>(Kind::CompanyAttributes))
}
