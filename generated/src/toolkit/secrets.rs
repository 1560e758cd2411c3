//! Synchronization secrets (credentials and connection settings) built from the documented
//! `synchronizationSecret` keys, with values that never show in `Debug`, and a one-call "validate
//! the credentials, then save them" that says which check failed.
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_sync::toolkit::secrets::{save_and_validate, Secrets};
//!
//! let sync = client.v1().service_principal("sp-id").synchronization();
//! let secrets = Secrets::new()
//!     .base_address("https://scim.example.com/scim/v2")
//!     .secret_token(std::env::var("SCIM_TOKEN")?)
//!     .sync_all(false);
//! println!("sending {secrets:?}"); // keys only: values are redacted
//! save_and_validate(&sync, "job-id", &secrets).await?; // says which check failed
//! # Ok(()) }
//! ```

use std::fmt;

use crate::requests::SynchronizationRequests;
use crate::runtime::{Error, Nullable, SecretString, Version};
use crate::{
    ServicePrincipals, SynchronizationJobId, SynchronizationSecret,
    SynchronizationSecretKeyStringValuePair, SynchronizationSecretsRequestBody,
    ValidateCredentialsRequestBody,
};

/// A set of synchronization secrets: each documented key at most once, with a secret value.
///
/// `Debug` shows the keys and `[redacted]` for every value.
///
/// ```
/// use msgraph_sync::SynchronizationSecret;
/// use msgraph_sync::toolkit::secrets::Secrets;
///
/// let secrets = Secrets::new()
///     .base_address("user@domain.com")
///     .secret_token("password-value")
///     .sync_notification_settings(false, false)
///     .sync_all(false);
/// assert_eq!(serde_json::to_value(secrets.to_body()).unwrap(), serde_json::json!({"value": [
///     {"key": "BaseAddress", "value": "user@domain.com"},
///     {"key": "SecretToken", "value": "password-value"},
///     {"key": "SyncNotificationSettings", "value": "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},
///     {"key": "SyncAll", "value": "false"}]}));
/// assert!(secrets.is_set(&SynchronizationSecret::SecretToken));
/// let shown = format!("{secrets:?}");
/// assert!(shown.contains("SecretToken") && !shown.contains("password-value"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    entries: Vec<(SynchronizationSecret, SecretString)>,
}

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing an earlier value of the same key (keeping its position).
    pub fn set(mut self, key: SynchronizationSecret, value: impl Into<SecretString>) -> Self {
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
        self
    }

    /// `BaseAddress`: the tenant (SCIM endpoint) URL.
    pub fn base_address(self, url: impl Into<SecretString>) -> Self {
        self.set(SynchronizationSecret::BaseAddress, url)
    }

    /// `SecretToken`: the bearer token the connector sends to the application.
    pub fn secret_token(self, token: impl Into<SecretString>) -> Self {
        self.set(SynchronizationSecret::SecretToken, token)
    }

    /// `UserName` and `Password`.
    pub fn user_name_and_password(
        self,
        user: impl Into<SecretString>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.set(SynchronizationSecret::UserName, user)
            .set(SynchronizationSecret::Password, password)
    }

    /// `SyncNotificationSettings`: e-mail notifications on failure and on the accidental-deletions
    /// threshold, as the JSON text the service documents.
    pub fn sync_notification_settings(self, enabled: bool, delete_threshold_enabled: bool) -> Self {
        let json = format!(
            r#"{{"Enabled":{enabled},"DeleteThresholdEnabled":{delete_threshold_enabled}}}"#
        );
        self.set(SynchronizationSecret::SyncNotificationSettings, json)
    }

    /// `SyncAll`: `true` synchronizes all users and groups, `false` only those assigned.
    pub fn sync_all(self, all: bool) -> Self {
        self.set(SynchronizationSecret::SyncAll, all.to_string())
    }

    /// `SkipOutOfScopeDeletions`: `true` keeps target objects that leave scope.
    pub fn skip_out_of_scope_deletions(self, skip: bool) -> Self {
        self.set(
            SynchronizationSecret::SkipOutOfScopeDeletions,
            skip.to_string(),
        )
    }

    /// Secrets from key/value pairs (e.g. read back from the service); pairs without a key are
    /// skipped and a key seen twice keeps its last value.
    pub fn from_pairs(
        pairs: impl IntoIterator<Item = SynchronizationSecretKeyStringValuePair>,
    ) -> Self {
        pairs
            .into_iter()
            .fold(Self::new(), |acc, pair| match pair.key {
                Some(key) => acc.set(key, pair.value.into_option().unwrap_or_default()),
                None => acc,
            })
    }

    /// The keys set, in order: what is configured, without the values.
    pub fn keys(&self) -> impl Iterator<Item = &SynchronizationSecret> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Whether `key` is set (to any value, even empty).
    pub fn is_set(&self, key: &SynchronizationSecret) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &SynchronizationSecret) -> Option<&SecretString> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number of keys set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pairs, as the service takes them.
    pub fn to_pairs(&self) -> Vec<SynchronizationSecretKeyStringValuePair> {
        self.entries
            .iter()
            .map(|(key, value)| SynchronizationSecretKeyStringValuePair {
                key: Some(key.clone()),
                value: Nullable::Value(value.clone()),
                ..Default::default()
            })
            .collect()
    }

    /// The body of `PUT …/synchronization/secrets`: `{"value": [...]}`.
    pub fn to_body(&self) -> SynchronizationSecretsRequestBody {
        SynchronizationSecretsRequestBody {
            value: Some(self.to_pairs()),
            ..Default::default()
        }
    }

    /// Checks what can be checked here: at least one key, no empty value, and a `BaseAddress`
    /// (when set) that is an `http(s)` URL. The error names the key, never its value.
    pub fn check(&self) -> Result<(), CredentialsError> {
        if self.entries.is_empty() {
            return Err(CredentialsError::Incomplete {
                key: None,
                reason: "no secrets are set".to_owned(),
            });
        }
        if let Some((key, _)) = self
            .entries
            .iter()
            .find(|(_, v)| v.expose_secret().trim().is_empty())
        {
            return Err(CredentialsError::Incomplete {
                key: Some(key.clone()),
                reason: "the value is empty".to_owned(),
            });
        }
        if let Some(address) = self.get(&SynchronizationSecret::BaseAddress) {
            let ok = url::Url::parse(address.expose_secret().trim())
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(CredentialsError::Incomplete {
                    key: Some(SynchronizationSecret::BaseAddress),
                    reason: "it is not an http(s) URL with a host".to_owned(),
                });
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k.as_str(), v)))
            .finish()
    }
}

/// The secret keys stored on a service principal's synchronization (from `GET
/// …/synchronization`), without their values.
///
/// ```
/// use msgraph_sync::toolkit::secrets::stored_keys;
/// let sync = serde_json::from_value(serde_json::json!({"secrets": [
///     {"key": "BaseAddress", "value": "https://x"}, {"key": "SecretToken", "value": "*****"}]})).unwrap();
/// let keys: Vec<String> = stored_keys(&sync).iter().map(ToString::to_string).collect();
/// assert_eq!(keys, ["BaseAddress", "SecretToken"]);
/// ```
pub fn stored_keys(synchronization: &crate::Synchronization) -> Vec<SynchronizationSecret> {
    synchronization
        .secrets
        .as_ref()
        .map(|pairs| pairs.iter().filter_map(|p| p.key.clone()).collect())
        .unwrap_or_default()
}

/// Which check of [`save_and_validate`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CredentialCheck {
    /// The client-side check ([`Secrets::check`]); nothing was sent.
    Complete,
    /// The service's `validateCredentials`: it could not reach the application with them; nothing
    /// was saved.
    Validated,
    /// `PUT …/synchronization/secrets`: the credentials were valid but could not be saved.
    Saved,
}

/// Why [`save_and_validate`] failed, naming the check; never carries a secret value.
#[derive(Debug)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The client-side check failed.
    Incomplete {
        /// The key at fault, if one is.
        key: Option<SynchronizationSecret>,
        /// Why.
        reason: String,
    },
    /// The service rejected the credentials (its error code and message say why, e.g.
    /// `SalesforceInvalidCredentials`).
    Rejected(Error),
    /// Saving failed.
    NotSaved(Error),
}

impl CredentialsError {
    /// The check that failed.
    pub fn check(&self) -> CredentialCheck {
        match self {
            CredentialsError::Incomplete { .. } => CredentialCheck::Complete,
            CredentialsError::Rejected(_) => CredentialCheck::Validated,
            CredentialsError::NotSaved(_) => CredentialCheck::Saved,
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::Incomplete {
                key: Some(key),
                reason,
            } => {
                write!(f, "credentials not sent: secret `{key}`: {reason}")
            }
            CredentialsError::Incomplete { key: None, reason } => {
                write!(f, "credentials not sent: {reason}")
            }
            CredentialsError::Rejected(e) => write!(
                f,
                "the service rejected the credentials (nothing saved): {e}"
            ),
            CredentialsError::NotSaved(e) => {
                write!(f, "the credentials are valid but saving them failed: {e}")
            }
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CredentialsError::Incomplete { .. } => None,
            CredentialsError::Rejected(e) | CredentialsError::NotSaved(e) => Some(e),
        }
    }
}

/// Checks `secrets`, has the service validate them against the job's application
/// (`validateCredentials` with the new credentials, `useSavedCredentials: false`), and only then
/// saves them (`PUT …/synchronization/secrets`, which replaces the stored set). Validating first,
/// as the portal's "Test connection" does, keeps working credentials in place when the new ones
/// are wrong. The error says which check failed.
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) {
/// use msgraph_sync::toolkit::secrets::{save_and_validate, CredentialCheck, Secrets};
/// let sync = client.v1().service_principal("sp-id").synchronization();
/// let secrets = Secrets::new().base_address("https://scim.example.com").secret_token("t0k3n");
/// if let Err(e) = save_and_validate(&sync, "job-id", &secrets).await {
///     match e.check() {
///         CredentialCheck::Complete => eprintln!("fix the input: {e}"),
///         CredentialCheck::Validated => eprintln!("the application refused them: {e}"),
///         CredentialCheck::Saved => eprintln!("try saving again: {e}"),
///     }
/// }
/// # }
/// ```
pub async fn save_and_validate<V: Version>(
    synchronization: &SynchronizationRequests<ServicePrincipals, V>,
    job_id: impl Into<SynchronizationJobId>,
    secrets: &Secrets,
) -> Result<(), CredentialsError> {
    secrets.check()?;
    let body = ValidateCredentialsRequestBody {
        credentials: Some(secrets.to_pairs()),
        use_saved_credentials: Some(false),
        ..Default::default()
    };
    synchronization
        .jobs()
        .job(job_id)
        .validate_credentials(&body)
        .await
        .map_err(CredentialsError::Rejected)?;
    synchronization
        .secrets()
        .put(&secrets.to_body())
        .await
        .map_err(CredentialsError::NotSaved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_and_keys_are_listed_without_values() {
        let s = Secrets::new()
            .secret_token("one")
            .base_address("https://a.example")
            .secret_token("two");
        let keys: Vec<&str> = s.keys().map(SynchronizationSecret::as_str).collect();
        assert_eq!(keys, ["SecretToken", "BaseAddress"]);
        assert_eq!(
            s.get(&SynchronizationSecret::SecretToken)
                .unwrap()
                .expose_secret(),
            "two"
        );
        assert_eq!(
            format!("{s:?}"),
            r#"{"SecretToken": [redacted], "BaseAddress": [redacted]}"#
        );
        assert_eq!(s.len(), 2);
        let back = Secrets::from_pairs(s.to_pairs());
        assert_eq!(back, s);
    }

    #[test]
    fn local_checks_name_the_key_never_the_value() {
        let e = Secrets::new().check().unwrap_err();
        assert_eq!(e.to_string(), "credentials not sent: no secrets are set");
        let e = Secrets::new().secret_token("  ").check().unwrap_err();
        assert_eq!(
            e.to_string(),
            "credentials not sent: secret `SecretToken`: the value is empty"
        );
        let e = Secrets::new()
            .base_address("not a url hunter2")
            .secret_token("x")
            .check()
            .unwrap_err();
        assert_eq!(e.check(), CredentialCheck::Complete);
        assert_eq!(
            e.to_string(),
            "credentials not sent: secret `BaseAddress`: it is not an http(s) URL with a host"
        );
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(
            Secrets::new()
                .base_address("http://127.0.0.1:9/scim")
                .secret_token("x")
                .check()
                .is_ok()
        );
        assert!(
            Secrets::new()
                .base_address("file:///etc/passwd")
                .check()
                .is_err()
        );
    }

    #[test]
    fn unknown_keys_travel_as_read() {
        let pairs: Vec<SynchronizationSecretKeyStringValuePair> =
            serde_json::from_str(r#"[{"key": "FutureKey", "value": "v"}, {"value": "no key"}]"#)
                .unwrap();
        let s = Secrets::from_pairs(pairs);
        assert_eq!(s.len(), 1);
        assert_eq!(
            serde_json::to_string(&s.to_body()).unwrap(),
            r#"{"value":[{"key":"FutureKey","value":"v"}]}"#
        );
    }
}
