//! Relative request paths built segment by segment, with every caller-supplied value percent-encoded
//! as exactly one segment.

use std::fmt::Write as _;

use super::encode::{ALT_KEY_VALUE, SEGMENT, push_encoded};
use super::error::Error;

/// A relative Graph path (after `/{version}`), built by generated request builders.
///
/// Identifiers are percent-encoded so that they can never leave their segment; an identifier that is
/// empty, `.` or `..` is recorded as an error that surfaces (as [`Error::InvalidId`]) when the request
/// is awaited, before anything is sent.
///
/// ```
/// # use msgraph_sync::PathBuilder;
/// let path = PathBuilder::new()
///     .segment("servicePrincipals")
///     .id("servicePrincipal-id", "a/b c")
///     .segment("synchronization");
/// assert_eq!(path.as_str(), "/servicePrincipals/a%2Fb%20c/synchronization");
/// ```
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathBuilder {
    path: String,
    /// The path with `{kind}` where each identifier goes (for logs: no ids).
    template: String,
    invalid: Option<InvalidId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct InvalidId {
    kind: &'static str,
    value: String,
    reason: &'static str,
}

impl PathBuilder {
    /// An empty relative path.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `/literal` verbatim (e.g. `synchronization`, `microsoft.graph.Ping()`).
    pub fn segment(mut self, literal: &'static str) -> Self {
        for out in [&mut self.path, &mut self.template] {
            out.push('/');
            out.push_str(literal);
        }
        self
    }

    /// Appends `/` and `value` percent-encoded as exactly one segment: everything but the
    /// unreserved characters `A-Z a-z 0-9 - . _ ~` is encoded. `""`, `.` and `..` are refused.
    pub fn id(mut self, kind: &'static str, value: &str) -> Self {
        let reason = match value {
            "" => Some("an identifier must not be empty"),
            "." | ".." => {
                Some("`.` and `..` are not valid identifiers (they would change the path)")
            }
            _ => None,
        };
        if let Some(reason) = reason {
            self.record(kind, value, reason);
            return self;
        }
        self.path.push('/');
        push_encoded(&mut self.path, value, SEGMENT);
        let _ = write!(self.template, "/{{{kind}}}");
        self
    }

    /// Appends an OData alternate-key segment: `/{entity_set}({key}='{value}')`, with `'` in the
    /// value doubled and everything else but unreserved characters percent-encoded. An empty value
    /// is refused.
    pub fn key(mut self, entity_set: &'static str, key: &'static str, value: &str) -> Self {
        if value.is_empty() {
            self.record(key, value, "an alternate-key value must not be empty");
            return self;
        }
        let doubled = value.replace('\'', "''");
        let _ = write!(self.path, "/{entity_set}({key}='");
        push_encoded(&mut self.path, &doubled, ALT_KEY_VALUE);
        self.path.push_str("')");
        let _ = write!(self.template, "/{entity_set}({key}='{{{key}}}')");
        self
    }

    /// `/servicePrincipals(appId='{app_id}')`, see [`PathBuilder::key`].
    pub fn app_id_key(self, app_id: &str) -> Self {
        self.key("servicePrincipals", "appId", app_id)
    }

    /// The path built so far (without any recorded error).
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// The path with each identifier replaced by `{kind}`, e.g.
    /// `/servicePrincipals/{servicePrincipal-id}/synchronization`: what logs show.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Whether an invalid identifier was recorded.
    pub fn is_valid(&self) -> bool {
        self.invalid.is_none()
    }

    /// The finished path, or the first invalid identifier as an [`Error::InvalidId`].
    pub(crate) fn finish(self) -> Result<String, Error> {
        match self.invalid {
            Some(InvalidId {
                kind,
                value,
                reason,
            }) => Err(Error::InvalidId {
                kind,
                value,
                reason,
            }),
            None => Ok(self.path),
        }
    }

    fn record(&mut self, kind: &'static str, value: &str, reason: &'static str) {
        if self.invalid.is_none() {
            self.invalid = Some(InvalidId {
                kind,
                value: value.to_owned(),
                reason,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(value: &str) -> Result<String, Error> {
        PathBuilder::new()
            .segment("jobs")
            .id("synchronizationJob-id", value)
            .finish()
    }

    #[test]
    fn encodes_ids_as_one_segment() {
        assert_eq!(id("a/b").unwrap(), "/jobs/a%2Fb");
        assert_eq!(id("?").unwrap(), "/jobs/%3F");
        assert_eq!(id("#").unwrap(), "/jobs/%23");
        assert_eq!(id("%").unwrap(), "/jobs/%25");
        assert_eq!(id("a b").unwrap(), "/jobs/a%20b");
        assert_eq!(id("é").unwrap(), "/jobs/%C3%A9");
        assert_eq!(id("o'brien").unwrap(), "/jobs/o%27brien");
        assert_eq!(id("...").unwrap(), "/jobs/...");
        assert_eq!(
            id("AD2AADProvisioning.fd1c9b9e").unwrap(),
            "/jobs/AD2AADProvisioning.fd1c9b9e"
        );
        assert_eq!(id("rule#V2").unwrap(), "/jobs/rule%23V2");
        assert_eq!(id("CN=A,DC=b").unwrap(), "/jobs/CN%3DA%2CDC%3Db");
    }

    #[test]
    fn refuses_empty_dot_and_dot_dot() {
        for bad in ["", ".", ".."] {
            match id(bad) {
                Err(Error::InvalidId { kind, value, .. }) => {
                    assert_eq!(kind, "synchronizationJob-id");
                    assert_eq!(value, bad);
                }
                other => panic!("expected InvalidId for {bad:?}, got {other:?}"),
            }
        }
    }

    #[test]
    fn first_error_wins_and_later_segments_are_harmless() {
        let p = PathBuilder::new().id("a", "..").id("b", "").segment("x");
        assert!(!p.is_valid());
        match p.finish() {
            Err(Error::InvalidId { kind, .. }) => assert_eq!(kind, "a"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn alternate_key_doubles_quotes() {
        let p = PathBuilder::new()
            .app_id_key("o'brien/x y")
            .segment("synchronization");
        assert_eq!(
            p.as_str(),
            "/servicePrincipals(appId='o''brien%2Fx%20y')/synchronization"
        );
        let p = PathBuilder::new().key(
            "servicePrincipals",
            "appId",
            "00000003-0000-0000-c000-000000000000",
        );
        assert_eq!(
            p.as_str(),
            "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"
        );
        assert!(matches!(
            PathBuilder::new().app_id_key("").finish(),
            Err(Error::InvalidId { kind: "appId", .. })
        ));
    }

    #[test]
    fn the_template_names_each_identifier_and_shows_no_value() {
        let p = PathBuilder::new()
            .segment("servicePrincipals")
            .id("servicePrincipal-id", "secret/sp")
            .segment("synchronization")
            .segment("jobs")
            .id("synchronizationJob-id", "job 1");
        assert_eq!(
            p.template(),
            "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}"
        );
        let p = PathBuilder::new()
            .app_id_key("o'brien")
            .segment("synchronization");
        assert_eq!(
            p.template(),
            "/servicePrincipals(appId='{appId}')/synchronization"
        );
    }

    #[test]
    fn literal_segments_are_verbatim() {
        let p = PathBuilder::new()
            .segment("synchronization")
            .segment("microsoft.graph.Ping()");
        assert_eq!(
            p.finish().unwrap(),
            "/synchronization/microsoft.graph.Ping()"
        );
    }
}
