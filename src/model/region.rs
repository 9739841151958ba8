//! The Intercom hosting regions: the one `Region` the configuration, `--region` and the client
//! share (the API host of each lives with the client, in `intercom::target`).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An Intercom hosting region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// United States: https://api.intercom.io
    Us,
    /// Europe: https://api.eu.intercom.io
    Eu,
    /// Australia: https://api.au.intercom.io
    Au,
}

impl Region {
    /// Every region, in the order they are listed in help.
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Au];

    /// The lower-case name (`us`, `eu`, `au`), as written in the configuration and `--region`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Au => "au",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no region.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Intercom region `{found}`; expected one of: us, eu, au")]
pub struct RegionParseError {
    /// What was given.
    pub found: String,
}

impl FromStr for Region {
    type Err = RegionParseError;

    /// Parses a region name, ignoring ASCII case (`/me` answers `US`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| RegionParseError {
                found: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_ignoring_case() {
        for r in Region::ALL {
            assert_eq!(r.to_string().parse::<Region>(), Ok(r));
        }
        assert_eq!("EU".parse::<Region>(), Ok(Region::Eu));
        assert!("mars".parse::<Region>().is_err());
        assert_eq!(
            serde_json::to_string(&Region::Au).unwrap(),
            "\"au\"",
            "the configuration spells regions in lower case"
        );
    }
}
