//! Strings that must reach the service but never logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string (a synchronization secret value, a bearer token): `Debug` and `Display` print
/// `[redacted]`; serialization writes the plain string, because the service needs it.
///
/// ```
/// # use msgraph_sync::SecretString;
/// let s = SecretString::from("p@ssw0rd");
/// assert_eq!(format!("{s} {s:?}"), "[redacted] [redacted]");
/// assert_eq!(s.expose_secret(), "p@ssw0rd");
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#""p@ssw0rd""#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself. Keep it out of logs.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Lets a request scrub this value from error text the service sends back.
        crate::runtime::redact::note_secret(&self.0);
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Pair {
        key: String,
        value: SecretString,
    }

    #[test]
    fn redacted_but_serialized() {
        let p: Pair = serde_json::from_str(r#"{"key":"SecretToken","value":"abc123"}"#).unwrap();
        assert!(!format!("{p:?}").contains("abc123"));
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"key":"SecretToken","value":"abc123"}"#
        );
        assert!(serde_json::from_str::<SecretString>("5").is_err());
        assert!(SecretString::default().is_empty());
        assert_eq!(
            SecretString::new(String::from("x")),
            SecretString::from("x")
        );
    }
}
