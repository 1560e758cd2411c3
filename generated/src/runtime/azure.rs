//! `azure_core` credentials (e.g. from `azure_identity`) as a [`TokenProvider`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use azure_core::credentials::TokenCredential;

use super::auth::{AccessToken, AuthError, TokenProvider};
use super::error::Error;

/// A [`TokenProvider`] backed by an `azure_core` `TokenCredential`, such as
/// `azure_identity::ClientSecretCredential`, `ManagedIdentityCredential` or
/// `DeveloperToolsCredential` (re-exported as [`msgraph_sync::azure_identity`](crate::azure_identity)).
/// It asks for the scope of the client's cloud, `https://<graph host>/.default`; create the
/// credential for the matching Entra authority (e.g. `login.microsoftonline.us` for US Government).
///
/// Requires the `azure-identity` feature.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_sync::{AzureCredential, Client, Cloud};
/// use msgraph_sync::azure_identity::DeveloperToolsCredential;
///
/// // Only with `rustls-ring` instead of the default `rustls-aws-lc-rs`: azure_identity's own
/// // reqwest client then needs a process-default provider.
/// msgraph_sync::install_crypto_provider();
/// let credential = DeveloperToolsCredential::new(None)?;
/// let client = Client::builder()
///     .cloud(Cloud::Global)
///     .token_provider(AzureCredential::new(credential))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
}

impl AzureCredential {
    /// Wraps `credential`.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        Self { credential }
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .finish()
    }
}

impl TokenProvider for AzureCredential {
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
        Box::pin(async move {
            let token = self
                .credential
                .get_token(&[scope], None)
                .await
                .map_err(|e| {
                    AuthError::with_source("the Azure credential could not get a token", e)
                })?;
            Ok(AccessToken::new(token.token.secret().to_owned())
                .with_expiry(SystemTime::from(token.expires_on)))
        })
    }
}
