//! `kind["natural key"]` addresses: the one way every object is named in output, errors and JSON.

use std::fmt;
use std::str::FromStr;

use super::Kind;

/// The address of one object: its kind and its natural key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    /// The kind of object.
    pub kind: Kind,
    /// The natural key (a name or e-mail), exactly as configured.
    pub key: String,
}

impl Address {
    /// Builds an address.
    pub fn new(kind: Kind, key: impl Into<String>) -> Self {
        Address {
            kind,
            key: key.into(),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Quote like a JSON string so names with quotes, backslashes or control characters stay
        // unambiguous and parse back.
        let quoted = serde_json::to_string(&self.key).map_err(|_| fmt::Error)?;
        write!(f, "{}[{}]", self.kind.singular(), quoted)
    }
}

/// A string that is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{found}` is not an address; write it as kind[\"name\"], e.g. tag[\"VIP\"]")]
pub struct AddressParseError {
    /// What was given.
    pub found: String,
}

impl FromStr for Address {
    type Err = AddressParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || AddressParseError {
            found: s.to_string(),
        };
        let open = s.find('[').ok_or_else(err)?;
        let kind = s[..open].parse::<Kind>().map_err(|_| err())?;
        let rest = s[open + 1..].strip_suffix(']').ok_or_else(err)?;
        let key: String = serde_json::from_str(rest).map_err(|_| err())?;
        Ok(Address { kind, key })
    }
}

impl serde::Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Address {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Address".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An object's address: kind (singular) and natural key as a JSON string, e.g. tag[\"VIP\"].",
            "pattern": "^[a-z_]+\\[\".*\"\\]$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_quoted_and_parses_back() {
        let a = Address::new(Kind::Tags, "VIP \"gold\" ✨");
        assert_eq!(a.to_string(), r#"tag["VIP \"gold\" ✨"]"#);
        assert_eq!(a.to_string().parse::<Address>(), Ok(a));
        let c = Address::new(Kind::ContactAttributes, "plan_tier");
        assert_eq!(c.to_string(), r#"contact_attribute["plan_tier"]"#);
    }

    #[test]
    fn rejects_malformed_addresses() {
        for s in ["tag", "tag[VIP]", "nope[\"x\"]", "tag[\"x\"", ""] {
            assert!(s.parse::<Address>().is_err(), "{s}");
        }
    }
}
