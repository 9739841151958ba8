//! Writes of contact, company and conversation attributes and their options.

use reqwest::Method;

use super::{data_attribute_address, recovery_error, same_name};
use crate::intercom::client::{Client, Reply, Request};
use crate::intercom::error::{ApiError, CallInfo, Rejection};
use crate::intercom::fetch::{self};
use crate::intercom::wire::{self, ListForm};
use crate::model::{
    Address, AttributeModel, ConversationAttribute, ConversationAttributeChanges,
    ConversationAttributeOption, ConversationAttributeType, DataAttribute, DataAttributeChanges,
    DataAttributeType, Kind, NewConversationAttribute, NewDataAttribute,
};

/// Whether a refused list create means "the `options` form is not accepted", the one answer
/// after which the older `string` + options form is worth sending.
///
/// Every refusal of `POST /data_attributes` is the same 400 `parameter_invalid` without a
/// `field` (the 2.16 description's examples: same name, invalid name, invalid model, and
/// "Data Type isn't an option"), so the code alone cannot tell a form Intercom does not accept
/// from a name that is taken, and retrying on the code sent a duplicate twice. Only the
/// message tells them apart: the description's "Invalid Data Type" example is the only one
/// about the type, and the older documentation's list form was refused with these words
/// (`API-NOTES.md` §1). So this is the one place that reads a message: 400
/// `parameter_invalid` whose message is "Data Type isn't an option" (case, spacing,
/// apostrophe and a final period aside; "is not" too), or whose `field` is `data_type`.
pub(crate) fn refuses_the_options_form(r: &Rejection) -> bool {
    if r.status != 400 || r.code.as_deref() != Some("parameter_invalid") {
        return false;
    }
    if r.field.as_deref() == Some("data_type") {
        return true;
    }
    let Some(message) = r.message.as_deref() else {
        return false;
    };
    let words = message
        .to_lowercase()
        .replace(['\u{2019}', '`'], "'")
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words = words.trim_end_matches('.');
    words == "data type isn't an option" || words == "data type is not an option"
}

impl Client {
    fn parse_data_attribute(
        &self,
        reply: &Reply,
        model: AttributeModel,
    ) -> Result<DataAttribute, ApiError> {
        let raw: wire::DataAttribute = self.decode(reply)?;
        raw.into_model(model).map_err(|reason| ApiError::Decode {
            call: Box::new(reply.call.clone()),
            status: reply.status.as_u16(),
            reason,
            snippet: None,
        })
    }

    fn parse_conversation_attribute(
        &self,
        reply: &Reply,
    ) -> Result<ConversationAttribute, ApiError> {
        let raw: wire::ConversationAttribute = self.decode(reply)?;
        raw.into_model().map_err(|reason| ApiError::Decode {
            call: Box::new(reply.call.clone()),
            status: reply.status.as_u16(),
            reason,
            snippet: None,
        })
    }

    /// `POST /data_attributes`. A list is sent as `data_type: "options"`; if Intercom answers
    /// that this form is not accepted (see [`refuses_the_options_form`]), it is sent once more
    /// in the older `"string"` + options form. Any other refusal is reported as it came.
    pub async fn create_data_attribute(
        &self,
        new: &NewDataAttribute,
    ) -> Result<DataAttribute, ApiError> {
        let first = self.create_data_attribute_in(new, ListForm::Options).await;
        match first {
            Err(ApiError::Rejected(r))
                if new.data_type == DataAttributeType::List && refuses_the_options_form(&r) =>
            {
                tracing::debug!(
                    address = %data_attribute_address(new.model, &new.name),
                    "list create refused in the `options` form; trying the older `string` form"
                );
                self.create_data_attribute_in(new, ListForm::String).await
            }
            other => other,
        }
    }

    async fn create_data_attribute_in(
        &self,
        new: &NewDataAttribute,
        form: ListForm,
    ) -> Result<DataAttribute, ApiError> {
        let address = data_attribute_address(new.model, &new.name);
        let body = wire::CreateDataAttribute::new(
            &new.name,
            new.model,
            new.data_type,
            &new.options,
            new.description.as_deref(),
            new.messenger_writable.unwrap_or(false),
            form,
        );
        let req = Request::new(
            Method::POST,
            "/data_attributes",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| self.parse_data_attribute(reply, new.model),
            || async {
                let all = fetch::data_attributes(self, new.model)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|a| {
                    a.custom
                        && a.model == new.model
                        && same_name(new.model.kind(), &a.name, &new.name)
                }))
            },
        )
        .await
    }

    /// `PUT /data_attributes/{id}`.
    pub async fn update_data_attribute(
        &self,
        current: &DataAttribute,
        changes: &DataAttributeChanges,
    ) -> Result<DataAttribute, ApiError> {
        let address = data_attribute_address(current.model, &current.name);
        let Some(id) = current.id.as_deref() else {
            return Err(ApiError::NotSent {
                call: Box::new(CallInfo {
                    what: format!("update {address}"),
                    method: "PUT".into(),
                    path: "/data_attributes/{id}".into(),
                }),
                reason: "built-in attributes have no id and cannot be changed".into(),
            });
        };
        self.update_data_attribute_at(id, &address.to_string(), current.model, changes)
            .await
    }

    /// `PUT /data_attributes/{id}` by id; `label` names the attribute in messages, `model` is
    /// assumed when the answer does not say.
    pub(crate) async fn update_data_attribute_at(
        &self,
        id: &str,
        label: &str,
        model: AttributeModel,
        changes: &DataAttributeChanges,
    ) -> Result<DataAttribute, ApiError> {
        let what = match changes.archived {
            Some(true) => format!("archive {label}"),
            Some(false) => format!("unarchive {label}"),
            None => format!("update {label}"),
        };
        let body = wire::UpdateDataAttribute {
            description: changes.description.as_deref(),
            messenger_writable: changes.messenger_writable,
            options: changes
                .options
                .as_ref()
                .map(|o| o.iter().map(|v| wire::OptionValue { value: v }).collect()),
            archived: changes.archived,
        };
        let req = Request::new(Method::PUT, format!("/data_attributes/{id}"), what).json(&body);
        let reply = self.send(&req).await?;
        self.parse_data_attribute(&reply, model)
    }

    /// `POST /conversations/attributes`.
    pub async fn create_conversation_attribute(
        &self,
        new: &NewConversationAttribute,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &new.name);
        let is_list = new.data_type == ConversationAttributeType::List;
        let body = wire::CreateConversationAttribute {
            name: &new.name,
            data_type: new.data_type.as_str(),
            description: new.description.as_deref(),
            required: new.required.unwrap_or(false),
            visible_to_team_ids: new.visible_to_team_ids.as_deref().unwrap_or_default(),
            multiline: new.multiline,
            options: is_list.then(|| {
                new.options
                    .iter()
                    .map(|l| wire::LabelBody { label: l })
                    .collect()
            }),
        };
        let req = Request::new(
            Method::POST,
            "/conversations/attributes",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| self.parse_conversation_attribute(reply),
            || async {
                let all = fetch::conversation_attributes(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all
                    .into_iter()
                    .find(|a| !a.archived && a.name == new.name && a.data_type == new.data_type))
            },
        )
        .await
    }

    /// `PUT /conversations/attributes/{id}` (renames are allowed here).
    pub async fn update_conversation_attribute(
        &self,
        current: &ConversationAttribute,
        changes: &ConversationAttributeChanges,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &current.name);
        self.update_conversation_attribute_at(&current.id, &address.to_string(), changes)
            .await
    }

    pub(crate) async fn update_conversation_attribute_at(
        &self,
        id: &str,
        label: &str,
        changes: &ConversationAttributeChanges,
    ) -> Result<ConversationAttribute, ApiError> {
        let body = wire::UpdateConversationAttribute {
            name: changes.name.as_deref(),
            description: changes.description.as_deref(),
            required: changes.required,
            visible_to_team_ids: changes.visible_to_team_ids.as_deref(),
            multiline: changes.multiline,
        };
        let req = Request::new(
            Method::PUT,
            format!("/conversations/attributes/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `DELETE /conversations/attributes/{id}`: archives (there is no unarchive).
    pub async fn archive_conversation_attribute(
        &self,
        current: &ConversationAttribute,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &current.name);
        self.archive_conversation_attribute_at(&current.id, &address.to_string())
            .await
    }

    pub(crate) async fn archive_conversation_attribute_at(
        &self,
        id: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::DELETE,
            format!("/conversations/attributes/{id}"),
            format!("archive {label}"),
        );
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `POST /conversations/attributes/{id}/options`: adds a list option. Not idempotent: after
    /// an ambiguous failure the attribute is read back and the label looked for.
    pub async fn add_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        self.add_conversation_attribute_option_at(&attribute.id, &address.to_string(), label)
            .await
    }

    pub(crate) async fn add_conversation_attribute_option_at(
        &self,
        attribute_id: &str,
        attribute_label: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::POST,
            format!("/conversations/attributes/{attribute_id}/options"),
            format!("add option {label:?} to {attribute_label}"),
        )
        .json(&wire::LabelBody { label })
        .once();
        let read = Request::new(
            Method::GET,
            format!("/conversations/attributes/{attribute_id}"),
            format!("read {attribute_label}"),
        );
        self.create(
            &req,
            |reply| self.parse_conversation_attribute(reply),
            || async {
                let reply = self.send(&read).await?;
                let current = self.parse_conversation_attribute(&reply)?;
                let added = current
                    .options
                    .iter()
                    .any(|o| !o.archived && o.label == label);
                Ok(added.then_some(current))
            },
        )
        .await
    }

    /// `PUT /conversations/attributes/{id}/options/{option_id}`: renames a list option.
    pub async fn rename_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        option: &ConversationAttributeOption,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        let req = Request::new(
            Method::PUT,
            format!(
                "/conversations/attributes/{}/options/{}",
                attribute.id, option.id
            ),
            format!("rename option {:?} of {address} to {label:?}", option.label),
        )
        .json(&wire::LabelBody { label });
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }

    /// `DELETE /conversations/attributes/{id}/options/{option_id}`: archives a list option.
    pub async fn archive_conversation_attribute_option(
        &self,
        attribute: &ConversationAttribute,
        option: &ConversationAttributeOption,
    ) -> Result<ConversationAttribute, ApiError> {
        let address = Address::new(Kind::ConversationAttributes, &attribute.name);
        self.archive_conversation_attribute_option_at(
            &attribute.id,
            &option.id,
            &format!("option {:?} of {address}", option.label),
        )
        .await
    }

    pub(crate) async fn archive_conversation_attribute_option_at(
        &self,
        attribute_id: &str,
        option_id: &str,
        label: &str,
    ) -> Result<ConversationAttribute, ApiError> {
        let req = Request::new(
            Method::DELETE,
            format!("/conversations/attributes/{attribute_id}/options/{option_id}"),
            format!("archive {label}"),
        );
        let reply = self.send(&req).await?;
        self.parse_conversation_attribute(&reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(status: u16, code: &str, message: Option<&str>, field: Option<&str>) -> Rejection {
        Rejection {
            call: CallInfo {
                what: "create contact_attribute[\"tier\"]".into(),
                method: "POST".into(),
                path: "/data_attributes".into(),
            },
            status,
            code: Some(code.into()),
            message: message.map(Into::into),
            field: field.map(Into::into),
            request_id: None,
            attempts: 1,
        }
    }

    #[test]
    fn only_the_data_type_answer_means_the_options_form_is_refused() {
        let refused =
            |m: &str| refuses_the_options_form(&rejection(400, "parameter_invalid", Some(m), None));
        assert!(refused("Data Type isn't an option"));
        assert!(refused("data type isn\u{2019}t an option."));
        assert!(refused("Data  type is not an option"));
        assert!(refused("data_type isn't an option"));
        // The description's other examples of the same code: no second create.
        assert!(!refused(
            "You already have 'The One Ring' in your company data. To save this as new people data, use a different name."
        ));
        assert!(!refused(
            "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens"
        ));
        assert!(!refused(
            "The Data Attribute model field must be either contact or company"
        ));
        assert!(!refused(
            "You must have at least two options on a list type data attribute"
        ));
        assert!(refuses_the_options_form(&rejection(
            400,
            "parameter_invalid",
            Some("anything"),
            Some("data_type")
        )));
        assert!(!refuses_the_options_form(&rejection(
            400,
            "parameter_invalid",
            None,
            None
        )));
        assert!(!refuses_the_options_form(&rejection(
            422,
            "parameter_invalid",
            Some("Data Type isn't an option"),
            None
        )));
        assert!(!refuses_the_options_form(&rejection(
            400,
            "parameter_not_found",
            Some("Data Type isn't an option"),
            None
        )));
    }
}
