//! Value types used by the generated models: tri-state nullables, OData date-times and durations,
//! and redacted secrets. All of them write back exactly what they read.

#[cfg(any(feature = "time", feature = "jiff", feature = "chrono"))]
mod convert;
mod datetime;
mod duration;
mod nullable;
mod secret;

use std::borrow::Cow;
use std::fmt;

pub use datetime::DateTimeOffset;
pub use duration::Duration;
pub use nullable::Nullable;
pub use secret::SecretString;

use super::encode::truncate_on_char_boundary;

/// Why a value (date-time, duration) could not be parsed or built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    kind: &'static str,
    input: String,
    reason: Cow<'static, str>,
}

impl ValueError {
    pub(crate) fn new(
        kind: &'static str,
        input: &str,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        let cut = truncate_on_char_boundary(input, 64);
        let input = if cut.len() < input.len() {
            format!("{cut}…")
        } else {
            cut.to_owned()
        };
        Self {
            kind,
            input,
            reason: reason.into(),
        }
    }

    /// What was being parsed (`date-time`, `duration`).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Why it failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: {}", self.kind, self.input, self.reason)
    }
}

impl std::error::Error for ValueError {}
