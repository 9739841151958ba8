//! The access token: a newtype that never prints its value, so it cannot leak through
//! `Debug`, `Display`, logs or error messages by accident.

use std::fmt;

/// An Intercom access token. `Debug` and `Display` print `***`; only [`Token::expose`] gives
/// the value, and the client calls it in one place: when it builds the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token (resolved by the caller, e.g. from `INTERCOM_ACCESS_TOKEN`).
    pub fn new(value: impl Into<String>) -> Self {
        Token(value.into())
    }

    /// The secret value. Use it only to build the request header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the token is empty (after trimming whitespace).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Replaces every occurrence of the token in `text` with `***` (for body snippets that a
    /// misbehaving server might have echoed back).
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 {
            // Too short to be a real token, and redacting it would mangle ordinary text.
            return text.to_string();
        }
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let t = Token::new("dG9rOnNlY3JldC12YWx1ZQ==");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(format!("{t}"), "***");
        assert_eq!(format!("{t:#?}"), "Token(***)");
        assert_eq!(t.expose(), "dG9rOnNlY3JldC12YWx1ZQ==");
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let t = Token::new("abcd1234");
        assert_eq!(t.redact("x abcd1234 y abcd1234"), "x *** y ***");
        assert!(Token::new("  ").is_blank());
    }
}
