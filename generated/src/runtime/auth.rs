//! Access tokens and the providers that supply them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use http::HeaderValue;

use super::error::{AuthError, Error};
use super::values::SecretString;

/// A bearer token for Microsoft Graph. `Debug` and `Display` never show it.
///
/// ```
/// # use msgraph_sync::AccessToken;
/// let token = AccessToken::new("eyJ0eXAi...");
/// assert_eq!(format!("{token}"), "[redacted]");
/// assert!(!format!("{token:?}").contains("eyJ"));
/// assert_eq!(token.secret(), "eyJ0eXAi...");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    token: SecretString,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// Wraps a raw bearer token.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: SecretString::new(token.into()),
            expires_at: None,
        }
    }

    /// Records when the token expires (informational).
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The raw token, to put in an `Authorization: Bearer` header.
    pub fn secret(&self) -> &str {
        self.token.expose_secret()
    }

    /// When the token expires, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Supplies access tokens for a scope (`https://graph.microsoft.com/.default` for the global
/// cloud). Called before every attempt, so implementations should cache and refresh.
///
/// ```
/// # use msgraph_sync::{AccessToken, Error, TokenProvider};
/// # use std::{future::Future, pin::Pin};
/// struct FromEnv;
/// impl TokenProvider for FromEnv {
///     fn token<'a>(&'a self, _scope: &'a str)
///         -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
///         Box::pin(async {
///             std::env::var("GRAPH_TOKEN").map(AccessToken::new).map_err(|_| Error::auth("GRAPH_TOKEN is not set"))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Returns a token valid for `scope`.
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>>;
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
        (**self).token(scope)
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Box<T> {
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
        (**self).token(scope)
    }
}

/// A fixed token, for scripts and tests (it is never refreshed).
///
/// ```
/// # use msgraph_sync::StaticToken;
/// let provider = StaticToken::new("secret-token");
/// assert!(!format!("{provider:?}").contains("secret-token"));
/// ```
#[derive(Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(AccessToken::new(token))
    }
}

impl From<AccessToken> for StaticToken {
    fn from(token: AccessToken) -> Self {
        Self(token)
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StaticToken").field(&self.0).finish()
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(
        &'a self,
        _scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
        let token = self.0.clone();
        Box::pin(std::future::ready(Ok(token)))
    }
}

/// A provider built from a closure that receives the scope and returns a future of a token.
///
/// The closure is `Fn(String) -> impl Future + Send`: a capture-free `async |scope: String| ..`
/// closure works; to use captured state, clone it into an `async move` block in a plain closure.
///
/// ```
/// # use msgraph_sync::{AccessToken, Error, FnTokenProvider};
/// use std::sync::Arc;
/// let vault = Arc::new(String::from("https://vault.example"));
/// let provider = FnTokenProvider::new(move |scope: String| {
///     let vault = Arc::clone(&vault);
///     async move {
///         // fetch a token for `scope` (e.g. from `vault`) here
///         let _ = (scope, vault);
///         Ok::<_, Error>(AccessToken::new("token"))
///     }
/// });
/// # let _ = provider;
/// ```
pub struct FnTokenProvider<F> {
    f: F,
}

impl<F, Fut> FnTokenProvider<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, Error>> + Send + 'static,
{
    /// Wraps `f`.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

impl<F> fmt::Debug for FnTokenProvider<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTokenProvider(..)")
    }
}

impl<F, Fut> TokenProvider for FnTokenProvider<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AccessToken, Error>> + Send + 'static,
{
    fn token<'a>(
        &'a self,
        scope: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + 'a>> {
        Box::pin((self.f)(scope.to_owned()))
    }
}

/// Gets a token for `scope` from `provider` and turns it into an `Authorization: Bearer` header
/// value marked sensitive (so `Debug` of a request never shows it). Returns the token too, so the
/// caller can scrub it from text the service sends back.
pub(crate) async fn bearer_header(
    provider: &dyn TokenProvider,
    scope: &str,
) -> Result<(HeaderValue, AccessToken), Error> {
    let token = provider.token(scope).await?;
    if token.secret().is_empty() {
        return Err(AuthError::new("the token provider returned an empty token").into());
    }
    let mut header = HeaderValue::try_from(format!("Bearer {}", token.secret())).map_err(|_| {
        AuthError::new("the access token contains characters not allowed in an HTTP header")
    })?;
    header.set_sensitive(true);
    Ok((header, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_and_closure_providers() {
        let t = StaticToken::new("abc").token("scope").await.unwrap();
        assert_eq!(t.secret(), "abc");
        let p = FnTokenProvider::new(|scope: String| async move {
            Ok(AccessToken::new(format!("for {scope}")))
        });
        assert_eq!(p.token("s").await.unwrap().secret(), "for s");
        let shared: Arc<dyn TokenProvider> = Arc::new(p);
        assert_eq!(shared.token("t").await.unwrap().secret(), "for t");
        // An async closure works when it captures nothing (otherwise it is not `Fn`).
        let from_async_closure = FnTokenProvider::new(async |scope: String| {
            Ok(AccessToken::new(format!("{scope}-async")))
        });
        assert_eq!(
            from_async_closure.token("s").await.unwrap().secret(),
            "s-async"
        );
    }

    #[test]
    fn tokens_are_redacted() {
        let t = AccessToken::new("super-secret").with_expiry(SystemTime::UNIX_EPOCH);
        assert_eq!(t.to_string(), "[redacted]");
        assert!(!format!("{t:?}").contains("super-secret"));
        assert!(!format!("{:?}", StaticToken::new("super-secret")).contains("super-secret"));
        assert_eq!(t.expires_at(), Some(SystemTime::UNIX_EPOCH));
    }
}
