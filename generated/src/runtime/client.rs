//! The client, its builder, and the per-version entry point [`Api`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use super::auth::{StaticToken, TokenProvider};
use super::clock::{Clock, TokioClock};
use super::cloud::{Cloud, validate_base};
use super::error::Error;
use super::retry::RetryPolicy;
use super::version::{Beta, V1};
use crate::generated::requests::Api;

/// `name/version` of this crate, sent as `User-Agent` and `SdkVersion`.
pub(crate) const SDK_VERSION: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A Microsoft Graph client: one connection pool, the token provider, the cloud, the timeout and
/// the retry policy. Cheap to clone (an `Arc`), `Send + Sync`.
///
/// ```no_run
/// # async fn demo() -> Result<(), msgraph_sync::Error> {
/// use msgraph_sync::{Client, Cloud};
/// let client = Client::builder()
///     .cloud(Cloud::Global)
///     .static_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
///     .build()?;
/// let v1 = client.v1();
/// # let _ = v1;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) cloud: Cloud,
    /// The base URL with no trailing `/`, e.g. `https://graph.microsoft.com` or
    /// `http://127.0.0.1:8080/prefix`.
    pub(crate) base: String,
    pub(crate) base_url: Url,
    pub(crate) scope: String,
    pub(crate) tokens: Arc<dyn TokenProvider>,
    pub(crate) timeout: Duration,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) body_limit: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) user_agent: HeaderValue,
    pub(crate) clock: Arc<dyn Clock>,
    /// Client-side rate limits and the shared throttle gate (toolkit, issue 15).
    pub(crate) throttle: super::throttle::Throttle,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The `v1.0` API: the root of the request builders.
    pub fn v1(&self) -> Api<V1> {
        Api::new(self)
    }

    /// The `beta` API: the root of the request builders, with the beta-only operations.
    pub fn beta(&self) -> Api<Beta> {
        Api::new(self)
    }

    /// The configured cloud.
    pub fn cloud(&self) -> &Cloud {
        &self.inner.cloud
    }

    /// The Graph base URL requests go to (without the API version).
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The OAuth scope tokens are requested for.
    pub fn scope(&self) -> &str {
        &self.inner.scope
    }

    /// The default per-request timeout (each attempt).
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default total timeout of a call across all its attempts and waits, if set.
    pub fn total_timeout(&self) -> Option<Duration> {
        self.inner.total_timeout
    }

    /// The most bytes of a response body (after decompression) the client reads.
    pub fn response_body_limit(&self) -> u64 {
        self.inner.body_limit
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("cloud", &self.inner.cloud)
            .field("base_url", &self.inner.base)
            .field("scope", &self.inner.scope)
            .field("token_provider", &"[redacted]")
            .field("timeout", &self.inner.timeout)
            .field("total_timeout", &self.inner.total_timeout)
            .field("response_body_limit", &self.inner.body_limit)
            .field("retry", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .finish()
    }
}

/// Configures a [`Client`]. Only a token provider is required.
///
/// ```no_run
/// # fn demo() -> Result<(), msgraph_sync::Error> {
/// use msgraph_sync::{Client, Cloud, RetryPolicy};
/// use std::time::Duration;
/// let client = Client::builder()
///     .cloud(Cloud::UsGovL4)
///     .static_token("...")
///     .timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default().with_max_retries(5))
///     .user_agent_suffix("my-provisioning-tool/1.2")
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct ClientBuilder {
    cloud: Cloud,
    base_url_error: Option<Error>,
    tokens: Option<Arc<dyn TokenProvider>>,
    scope: Option<String>,
    timeout: Duration,
    total_timeout: Option<Duration>,
    body_limit: u64,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    clock: Option<Arc<dyn Clock>>,
    rate_limits: super::throttle::RateLimits,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The default per-request timeout (100 s, as the official SDKs).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
    /// The default limit on a response body after decompression (32 MiB, far above the largest
    /// real synchronization schema, a few MB).
    pub const DEFAULT_RESPONSE_BODY_LIMIT: u64 = 32 * 1024 * 1024;

    fn new() -> Self {
        Self {
            cloud: Cloud::Global,
            base_url_error: None,
            tokens: None,
            scope: None,
            timeout: Self::DEFAULT_TIMEOUT,
            total_timeout: None,
            body_limit: Self::DEFAULT_RESPONSE_BODY_LIMIT,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            clock: None,
            rate_limits: super::throttle::RateLimits::documented(),
            http: None,
        }
    }

    /// Selects the cloud (default [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self.base_url_error = None;
        self
    }

    /// Uses a custom base URL (a [`Cloud::Custom`]): `https`, or plain `http` only for loopback
    /// hosts. An invalid URL is reported by [`build`](ClientBuilder::build).
    pub fn base_url(mut self, base_url: &str) -> Self {
        match Cloud::custom(base_url) {
            Ok(cloud) => {
                self.cloud = cloud;
                self.base_url_error = None;
            }
            Err(e) => self.base_url_error = Some(e),
        }
        self
    }

    /// Sets the token provider.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// Uses a fixed bearer token ([`StaticToken`]).
    pub fn static_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Overrides the OAuth scope (default: the cloud's `https://<graph host>/.default`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Sets the default per-request timeout (default 100 s); it applies to each attempt, from
    /// asking the token provider until the body is read (redirects included).
    /// [`Request::timeout`](crate::Request::timeout) overrides it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets a default total timeout for a call: every attempt and every retry wait together
    /// (default: none, so a call takes at most `(max_retries + 1) × timeout +
    /// max_cumulative_delay`, see [`RetryPolicy`]). Past it the call ends with
    /// [`Error::TotalTimeout`], or with the last attempt's error when the next retry would not
    /// fit. [`Request::total_timeout`](crate::Request::total_timeout) overrides it.
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Sets the most bytes of a response body the client reads, counted after decompression
    /// (default [`DEFAULT_RESPONSE_BODY_LIMIT`](Self::DEFAULT_RESPONSE_BODY_LIMIT), 32 MiB).
    /// Bodies are read as a stream; past the limit reading stops and the call fails with
    /// [`Error::BodyTooLarge`], so a small gzip body that inflates to gigabytes costs at most the
    /// limit in memory.
    pub fn response_body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Appends `suffix` (e.g. `my-tool/1.0`) to the `User-Agent`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sets the client-side rate limits and the shared throttle gate (default
    /// [`RateLimits::documented`](crate::RateLimits::documented); [`RateLimits::none`](crate::RateLimits::none)
    /// turns them off).
    pub fn rate_limits(mut self, limits: super::throttle::RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Sends requests through `http`, a [`reqwest::Client`](crate::reqwest::Client) you built:
    /// proxies, custom root certificates, client certificates, HTTP/2, pool settings, your own
    /// TLS provider. Clones of the client share its connection pool.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: redirects are a per-client
    /// setting in reqwest, and with that policy this crate follows them itself, only on the Graph
    /// origin, at most 5 per attempt, 303 as a `GET`. If your client follows redirects on its own,
    /// this crate sees only the last response: it then refuses one from another origin
    /// ([`Error::ForeignHost`]) and leaves the hops to your client (reqwest drops
    /// `Authorization` when a hop changes host, port or scheme).
    ///
    /// What this crate still does on every request whatever the client: it checks that the
    /// bearer token goes only to the Graph origin; sets `Authorization`, `Accept`, `User-Agent`,
    /// `SdkVersion`, `client-request-id` and `Retry-Attempt`; reads the body as a stream under
    /// [`response_body_limit`](Self::response_body_limit), counted after decompression (this
    /// crate turns on reqwest's `gzip` feature, so your client asks for and inflates gzip unless
    /// you call `.gzip(false)`); applies [`timeout`](Self::timeout) to each attempt and
    /// [`total_timeout`](Self::total_timeout) to each call, on top of any timeout your client
    /// has (the first to expire wins; your client's shows as [`Error::Transport`]); retries per
    /// [`RetryPolicy`].
    ///
    /// ```no_run
    /// # fn demo(ca_pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    /// use msgraph_sync::{Client, reqwest};
    /// let http = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .add_root_certificate(reqwest::Certificate::from_pem(ca_pem)?)
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .pool_max_idle_per_host(4)
    ///     .build()?;
    /// let client = Client::builder().http_client(http).static_token("...").build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Installs a clock (for tests: record retry waits instead of sleeping).
    #[doc(hidden)]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the client. Fails with [`Error::Config`] on an invalid base URL, a missing token
    /// provider, a zero timeout or total timeout, an invalid `User-Agent` suffix, or (without
    /// [`http_client`](Self::http_client)) no TLS crypto provider.
    ///
    /// Without [`http_client`](Self::http_client) it makes its own `reqwest::Client`: rustls with
    /// the platform's root certificates and the crypto provider the application installed as
    /// the process default, else the one this crate's features select (`rustls-aws-lc-rs`, the
    /// default, or `rustls-ring`). It never installs a process-wide provider (see
    /// [`install_crypto_provider`](crate::install_crypto_provider)).
    pub fn build(self) -> Result<Client, Error> {
        if let Some(e) = self.base_url_error {
            return Err(e);
        }
        let base_url = self.cloud.base_url();
        validate_base(&base_url)?;
        let tokens = self.tokens.ok_or_else(|| {
            Error::config("no token provider: call .token_provider(..) or .static_token(..)")
        })?;
        if self.timeout.is_zero() || self.total_timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::config("the timeout must be greater than zero"));
        }
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) if !suffix.trim().is_empty() => format!("{SDK_VERSION} {}", suffix.trim()),
            _ => SDK_VERSION.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config("the User-Agent suffix contains characters not allowed in a header")
        })?;
        let scope = self.scope.unwrap_or_else(|| self.cloud.scope());

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .tls_backend_preconfigured(super::tls::client_config()?)
                // Redirects are followed by the runtime, which refuses to leave the Graph host.
                .redirect(reqwest::redirect::Policy::none())
                .gzip(true)
                .connect_timeout(self.timeout.min(Duration::from_secs(30)))
                .build()
                .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?,
        };

        let base = base_url.as_str().trim_end_matches('/').to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                cloud: self.cloud,
                base,
                base_url,
                scope,
                tokens,
                timeout: self.timeout,
                total_timeout: self.total_timeout,
                body_limit: self.body_limit,
                retry: self.retry,
                user_agent,
                throttle: super::throttle::Throttle::new(
                    self.rate_limits,
                    self.clock.clone().unwrap_or_else(|| Arc::new(TokioClock)),
                ),
                clock: self.clock.unwrap_or_else(|| Arc::new(TokioClock)),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field(
                "token_provider",
                &self.tokens.as_ref().map(|_| "[redacted]"),
            )
            .field("scope", &self.scope)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("response_body_limit", &self.body_limit)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("rate_limits", &self.rate_limits)
            .field("http_client", &self.http.as_ref().map(|_| "user-built"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_validation() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        assert!(matches!(
            Client::builder()
                .static_token("t")
                .base_url("http://example.com")
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .static_token("t")
                .timeout(Duration::ZERO)
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .static_token("t")
                .user_agent_suffix("bad\nvalue")
                .build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder()
                .static_token("t")
                .cloud(Cloud::Custom(Url::parse("http://example.com").unwrap()))
                .build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn clouds_and_debug_redaction() {
        let client = Client::builder()
            .static_token("very-secret")
            .cloud(Cloud::UsGovL5Dod)
            .build()
            .unwrap();
        assert_eq!(
            client.base_url().as_str(),
            "https://dod-graph.microsoft.us/"
        );
        assert_eq!(client.scope(), "https://dod-graph.microsoft.us/.default");
        assert_eq!(client.v1().version(), crate::ApiVersion::V1);
        assert_eq!(client.beta().version(), crate::ApiVersion::Beta);
        let dbg = format!("{client:?} {:?}", client.beta());
        assert!(!dbg.contains("very-secret"), "{dbg}");
        let builder = Client::builder().static_token("very-secret");
        assert!(!format!("{builder:?}").contains("very-secret"));
        let custom = Client::builder()
            .static_token("t")
            .base_url("http://localhost:1/p/")
            .scope("api://x/.default")
            .build()
            .unwrap();
        assert_eq!(custom.scope(), "api://x/.default");
        assert_eq!(custom.inner.base, "http://localhost:1/p");
    }

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
        assert_send_sync::<Api<V1>>();
    }
}
