//! Response decoding used by generated operations.

use std::fmt;

use serde::de::DeserializeOwned;

use super::redact::without_echoed_value;

/// Why a response body could not be decoded: the JSON path where decoding failed and the message.
///
/// The runtime wraps it into [`Error::Decode`](crate::Error::Decode) together with the HTTP status
/// and the body (which formatting never shows). Messages from [`decode_json`] name the kind of an
/// unexpected value but not the value (`invalid type: integer (not shown), expected a string`),
/// so a secret sent with the wrong type is not echoed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    message: String,
}

impl DecodeError {
    /// A decode error at `path` (as `value[0].schedule.interval`; `.` for the document root).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The JSON path where decoding failed, as `value[0].schedule.interval` (`.` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong, from `serde_json`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "at the document root: {}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a JSON body into `T`, reporting the JSON path of the first failure; serde's echo of
/// the offending value is left out of the message.
///
/// ```
/// # use msgraph_sync::decode_json;
/// #[derive(serde::Deserialize, Debug)]
/// struct Job { id: String }
/// let err = decode_json::<Vec<Job>>(br#"[{"id": "a"}, {"id": 7}]"#).unwrap_err();
/// assert_eq!(err.path(), "[1].id");
/// ```
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    // Success is the common case and tracking the path costs a third of a large page's decode
    // (BENCHMARKS.md), so the path is looked for only once plain decoding has failed: the same
    // bytes fail again at the same place.
    let first = match serde_json::from_slice(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let message = e.inner().to_string();
            Err(DecodeError::new(
                e.path().to_string(),
                without_echoed_value(&message),
            ))
        }
        Ok(_) => Err(match de.end() {
            Err(e) => DecodeError::new(".", e.to_string()),
            // Not reached for a deterministic `Deserialize`; the first error, without a path.
            Ok(()) => DecodeError::new(".", without_echoed_value(&first.to_string())),
        }),
    }
}

/// Decodes a JSON body into `Some(T)`, or gives `None` for an empty (or all-whitespace) body, for
/// operations documented with both a JSON and an empty success response.
///
/// ```
/// # use msgraph_sync::decode_json_or_empty;
/// assert_eq!(decode_json_or_empty::<u8>(b"").unwrap(), None);
/// assert_eq!(decode_json_or_empty::<u8>(b"7").unwrap(), Some(7));
/// ```
#[doc(hidden)]
pub fn decode_json_or_empty<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    decode_json(body).map(Some)
}

/// Ignores any response body (`204 No Content`, or the `{}` some actions return).
#[doc(hidden)]
pub fn decode_empty(_body: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        value: Vec<Inner>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        schedule: Schedule,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Schedule {
        interval: crate::runtime::Duration,
    }

    #[test]
    fn path_points_at_the_failure() {
        let body =
            br#"{"value":[{"schedule":{"interval":"PT20M"}},{"schedule":{"interval":1200}}]}"#;
        let err = decode_json::<Outer>(body).unwrap_err();
        assert_eq!(err.path(), "value[1].schedule.interval");
        assert!(
            err.message()
                .starts_with("invalid type: integer (not shown)"),
            "{}",
            err.message()
        );
        assert!(
            err.to_string()
                .starts_with("at `value[1].schedule.interval`")
        );
    }

    #[test]
    fn wrong_types_are_reported_without_the_value() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Pair {
            value: crate::runtime::SecretString,
        }
        let err = decode_json::<Pair>(br#"{"value": 987654321}"#).unwrap_err();
        assert_eq!(err.path(), "value");
        assert!(!err.to_string().contains("987654321"), "{err}");
        assert!(
            err.message()
                .starts_with("invalid type: integer (not shown), expected a string"),
            "{err}"
        );
    }

    #[test]
    fn trailing_garbage_and_empty_bodies_are_errors() {
        assert!(decode_json::<Vec<u8>>(b"[] x").is_err());
        let err = decode_json::<Vec<u8>>(b"").unwrap_err();
        assert_eq!(err.path(), ".");
        assert!(err.to_string().starts_with("at the document root"));
    }

    #[test]
    fn empty_ignores_bodies() {
        assert_eq!(decode_empty(b"{}"), Ok(()));
        assert_eq!(decode_empty(b""), Ok(()));
    }
}
