//! Sending one logical request. [`execute`] checks the target and hands the call to the retry
//! loop ([`retry::run`](super::retry::run)); each attempt ([`attempt`]) gets a token, sends the
//! request, follows same-origin redirects and reads the body under the size cap, all under one
//! time budget, and ends in an [`Outcome`] the retry loop decides on.
//!
//! Where the bearer token goes: only to URLs with the configured Graph origin and no userinfo
//! ([`check_target`]), checked for the first URL, every `@odata.nextLink` and every redirect.
//!
//! Each call runs inside one `graph_request` span ([`call_span`]): the operation id, method, path
//! template, `client_request_id`, and, once known, `request_id`, `attempts` and `status`. Neither
//! the span nor its events carry a token, a body, an id from the path or a query string.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderMap, HeaderValue, StatusCode};
use tracing::Instrument as _;
use url::Url;

use super::auth::{self, AccessToken};
use super::client::{Client, Inner, SDK_VERSION};
use super::decode::DecodeError;
use super::error::{Error, ODataError, TransportError};
use super::operation::Method;
use super::redact::{self, ResponseBody, Secrets};
use super::retry::{self, RetryPolicy, Transient};

/// The most redirects followed in one attempt.
const MAX_REDIRECTS: u32 = 5;

/// A request body, already serialized, with the secret values serialized into it. `Debug` shows
/// only the length: the bytes can hold secrets.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: &'static str,
    pub(crate) secrets: Secrets,
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// The time limits of one call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Each attempt: token, connection, redirects and body.
    pub(crate) timeout: Duration,
    /// The whole call: every attempt and every wait between attempts.
    pub(crate) total_timeout: Option<Duration>,
}

/// One logical request, as the transport sends it (possibly several times).
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) operation: &'static str,
    pub(crate) success: &'static [u16],
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// The path after the base URL with `{kind}` for each id and no query, e.g.
    /// `/v1.0/servicePrincipals/{servicePrincipal-id}/synchronization/jobs`: what logs show.
    pub(crate) template: Arc<str>,
    pub(crate) body: Option<Body>,
    pub(crate) limits: Limits,
    /// Safe to send again after a 503/504 or a failure before any response byte.
    pub(crate) idempotent: bool,
    /// What the URL came from, for errors: `"request"` or `"nextLink"`.
    pub(crate) context: &'static str,
}

/// A success response, body read.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<String>,
    /// The `Location` header, if any (toolkit, issue 15: bulkUpload's 202).
    pub(crate) location: Option<String>,
    /// The URL that answered (after redirects).
    pub(crate) url: Url,
    /// The URL first requested (before redirects).
    pub(crate) requested: Url,
}

impl Response {
    /// Decodes the body with `decode`, wrapping a failure into [`Error::Decode`].
    pub(crate) fn decode<T>(
        &self,
        decode: fn(&[u8]) -> Result<T, DecodeError>,
    ) -> Result<T, Error> {
        decode(&self.body).map_err(|error| Error::Decode {
            status: self.status,
            error,
            body: ResponseBody::new(self.body.clone()),
            request_id: self.request_id.clone(),
        })
    }
}

/// One call in progress: the exchange and the id shared by all its attempts.
pub(crate) struct Call<'a> {
    pub(crate) client: &'a Client,
    pub(crate) exchange: &'a Exchange,
    pub(crate) client_request_id: String,
}

impl Call<'_> {
    /// The secrets to scrub from what the service sends back: the body's and the token.
    fn secrets(&self, token: &AccessToken) -> Secrets {
        let body = self.exchange.body.as_ref();
        body.map(|b| b.secrets.clone())
            .unwrap_or_default()
            .and(token.secret())
    }
}

/// How an attempt ended.
pub(crate) enum Outcome {
    /// A success response, or an error a new attempt would not fix.
    Final(Result<Response, Error>),
    /// A failure a later attempt may not hit; `error` is the result if no retry follows.
    Transient {
        error: Error,
        kind: Transient,
        retry_after: Option<Duration>,
    },
}

/// How long an attempt may take, and whether that is the rest of the call's total timeout.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    pub(crate) time: Duration,
    pub(crate) cut_by_total: bool,
}

/// Sends `ex` under the client's retry policy (see [`retry::run`]), inside its span.
pub(crate) async fn execute(client: &Client, ex: Exchange) -> Result<Response, Error> {
    let call = Call {
        client,
        exchange: &ex,
        client_request_id: new_request_id(),
    };
    let span = call_span(&call);
    async {
        check_target(&client.inner, &ex.url, ex.context)?;
        let result = retry::run(&call).await;
        let span = tracing::Span::current();
        match &result {
            Ok(response) => {
                span.record("status", response.status.as_u16());
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status.as_u16());
                }
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                tracing::debug!(error = %error, "Graph request failed");
            }
        }
        result
    }
    .instrument(span)
    .await
}

/// The span of one call: `request_id`, `attempts` and `status` are recorded as they become known.
fn call_span(call: &Call<'_>) -> tracing::Span {
    let ex = call.exchange;
    tracing::info_span!(
        "graph_request",
        operation = ex.operation,
        method = ex.method.as_str(),
        path = &*ex.template,
        client_request_id = call.client_request_id.as_str(),
        request_id = tracing::field::Empty,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
    )
}

/// Refuses a URL the token must not go to: another scheme, host or port than the configured base
/// ([`Error::ForeignHost`]), or credentials in the URL, which the HTTP client would send as
/// `Authorization: Basic` ([`Error::CredentialsInUrl`]).
pub(crate) fn check_target(inner: &Inner, url: &Url, context: &'static str) -> Result<(), Error> {
    if url.origin() != inner.base_url.origin() {
        return Err(Error::ForeignHost {
            url: redact::display_url(url),
            expected: inner.base_url.origin().ascii_serialization(),
            context,
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::CredentialsInUrl {
            url: redact::display_url(url),
            context,
        });
    }
    Ok(())
}

/// One attempt under `budget`: the token, the request, redirects and the body. A timeout before
/// any response byte is transient; once the service has answered it is final.
pub(crate) async fn attempt(call: &Call<'_>, retries: u32, budget: Budget) -> Outcome {
    // Toolkit (issue 15): wait for the client-side rate limit and the shared throttle gate.
    let ex = call.exchange;
    call.client
        .inner
        .throttle
        .acquire(ex.operation, ex.method, ex.url.path())
        .await;
    tracing::Span::current().record("attempts", retries + 1);
    let mut answered = false;
    let outcome = tokio::time::timeout(budget.time, send(call, retries, &mut answered)).await;
    let client_request_id = Some(call.client_request_id.clone());
    match outcome {
        Ok(outcome) => outcome,
        Err(_) if budget.cut_by_total => Outcome::Final(Err(Error::TotalTimeout {
            total_timeout: call.exchange.limits.total_timeout.unwrap_or(budget.time),
            attempts: retries + 1,
            client_request_id,
        })),
        Err(_) => {
            let error = Error::Timeout {
                timeout: budget.time,
                client_request_id,
            };
            if answered {
                Outcome::Final(Err(error))
            } else {
                Outcome::Transient {
                    error,
                    kind: Transient::NoResponse,
                    retry_after: None,
                }
            }
        }
    }
}

/// The body of [`attempt`]; sets `answered` once response headers arrive.
async fn send(call: &Call<'_>, retries: u32, answered: &mut bool) -> Outcome {
    let inner = &*call.client.inner;
    let ex = call.exchange;
    let (authorization, token) = match auth::bearer_header(&*inner.tokens, &inner.scope).await {
        Ok(pair) => pair,
        Err(e) => return Outcome::Final(Err(e)),
    };
    let mut method = ex.method;
    let mut url = ex.url.clone();
    let mut body = ex.body.as_ref();
    let mut hops = 0;
    // After a 303 the original request has been processed: nothing that follows makes sending it
    // again safe unless it is idempotent.
    let mut processed = false;
    loop {
        // Invariant: `url` passed `check_target` (in `execute` or `redirect_target`).
        *answered = false;
        let request = build_request(call, method, &url, body, &authorization, retries);
        tracing::debug!(
            method = method.as_str(),
            attempt = retries + 1,
            redirects = hops,
            "sending Graph request"
        );
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return send_failure(e, &url),
        };
        *answered = true;
        let status = response.status();
        let request_id = header_string(response.headers(), "request-id");
        if let Some(id) = &request_id {
            tracing::Span::current().record("request_id", id.as_str());
        }
        tracing::debug!(status = status.as_u16(), "received Graph response");
        // A user-built HTTP client may follow redirects itself: then only the last response is
        // seen here, and it must still come from the Graph origin.
        if response.url() != &url {
            let followed = response.url().clone();
            if let Err(e) = check_target(inner, &followed, "redirect") {
                return refused_redirect(status, e);
            }
            url = followed;
        }
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            hops += 1;
            match redirect_target(inner, status, response.headers(), &url, hops) {
                Ok(next) => {
                    if status == StatusCode::SEE_OTHER {
                        method = Method::Get;
                        body = None;
                        processed = true;
                    }
                    url = next;
                    continue;
                }
                Err(e) => return refused_redirect(status, e),
            }
        }
        let headers = response.headers().clone();
        let bytes = match read_body(response, inner.body_limit, &url, request_id.as_deref()).await {
            Ok(bytes) => bytes,
            Err(e) => return Outcome::Final(Err(e)),
        };
        return match classify(
            call, retries, &token, status, headers, bytes, request_id, url,
        ) {
            Outcome::Transient {
                error,
                kind: Transient::Throttled,
                retry_after,
            } if processed => Outcome::Transient {
                error,
                kind: Transient::Unavailable,
                retry_after,
            },
            outcome => outcome,
        };
    }
}

/// A request that got no response: one that could not even be built fails the same way every
/// time (final); anything else (connection refused or reset, ...) may not happen again.
fn send_failure(e: reqwest::Error, url: &Url) -> Outcome {
    let final_ = e.is_builder();
    let error = Error::Transport(TransportError::new(e, url));
    if final_ {
        return Outcome::Final(Err(error));
    }
    Outcome::Transient {
        error,
        kind: Transient::NoResponse,
        retry_after: None,
    }
}

/// The end of an attempt whose redirect may not be followed.
fn refused_redirect(status: StatusCode, error: Error) -> Outcome {
    tracing::warn!(status = status.as_u16(), "refused a redirect");
    Outcome::Final(Err(error))
}

fn build_request(
    call: &Call<'_>,
    method: Method,
    url: &Url,
    body: Option<&Body>,
    authorization: &HeaderValue,
    retries: u32,
) -> reqwest::RequestBuilder {
    let inner = &*call.client.inner;
    let mut rb = inner
        .http
        .request(method.to_http(), url.clone())
        .header(AUTHORIZATION, authorization.clone())
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, inner.user_agent.clone())
        .header("SdkVersion", SDK_VERSION)
        .header("client-request-id", call.client_request_id.as_str());
    if retries > 0 {
        rb = rb.header("Retry-Attempt", retries.to_string());
    }
    match body {
        Some(body) => rb
            .header(CONTENT_TYPE, body.content_type)
            .body(body.bytes.clone()),
        None if method.expects_body() => rb.header(CONTENT_LENGTH, "0"),
        None => rb,
    }
}

/// Where a redirect leads, if it may be followed: a `Location` on the Graph origin without
/// credentials, within [`MAX_REDIRECTS`] hops.
fn redirect_target(
    inner: &Inner,
    status: StatusCode,
    headers: &HeaderMap,
    url: &Url,
    hops: u32,
) -> Result<Url, Error> {
    let Some(location) = header_string(headers, LOCATION.as_str()) else {
        return Err(Error::Redirect {
            status,
            location: None,
            reason: "the response has no Location header",
        });
    };
    let refuse = |reason| Error::Redirect {
        status,
        location: Some(redact::display_location(url, &location)),
        reason,
    };
    if hops > MAX_REDIRECTS {
        return Err(refuse("too many redirects"));
    }
    let next = url
        .join(&location)
        .map_err(|_| refuse("the Location header is not a valid URL"))?;
    check_target(inner, &next, "redirect")?;
    Ok(next)
}

/// Reads the (decompressed) body chunk by chunk; past `limit` bytes it stops reading, drops the
/// connection and fails with [`Error::BodyTooLarge`].
async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
    url: &Url,
    request_id: Option<&str>,
) -> Result<Bytes, Error> {
    let status = response.status();
    let too_large = || Error::BodyTooLarge {
        status,
        limit,
        request_id: request_id.map(str::to_owned),
    };
    // Known only for an uncompressed body; then the buffer is allocated once.
    let declared = response.content_length();
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut buffer = BytesMut::new();
    let mut only: Option<Bytes> = None;
    let mut read: u64 = 0;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Err(Error::Transport(TransportError::new(e, url))),
        };
        read = read.saturating_add(chunk.len() as u64);
        if read > limit {
            return Err(too_large());
        }
        // One chunk is returned as is; more are gathered into one buffer.
        match only.take() {
            None if buffer.is_empty() => only = Some(chunk),
            first => {
                if let Some(first) = first {
                    let expected = declared.unwrap_or(0).max(read);
                    buffer.reserve(usize::try_from(expected).unwrap_or(0));
                    buffer.extend_from_slice(&first);
                }
                buffer.extend_from_slice(&chunk);
            }
        }
    }
    Ok(only.unwrap_or_else(|| buffer.freeze()))
}

/// Turns a response into an outcome: success, a final error, or a transient 429/503/504.
#[allow(clippy::too_many_arguments)]
fn classify(
    call: &Call<'_>,
    retries: u32,
    token: &AccessToken,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    request_id: Option<String>,
    url: Url,
) -> Outcome {
    let client_request_id = call.client_request_id.clone();
    if RetryPolicy::is_retryable_status(status) {
        let retry_after = retry::retry_after(&headers, call.client.inner.clock.now());
        if status == StatusCode::TOO_MANY_REQUESTS {
            // Toolkit (issue 15): other requests for the same limit wait out this Retry-After.
            let ex = call.exchange;
            call.client.inner.throttle.note_retry_after(
                ex.operation,
                ex.method,
                ex.url.path(),
                retry_after,
            );
        }
        let secrets = call.secrets(token);
        let error = ODataError::from_body(&body, &secrets).map(Box::new);
        let request_id = request_id.or_else(|| {
            let from_body = error.as_ref().and_then(|e| e.request_id());
            from_body.map(str::to_owned)
        });
        let kind = if status == StatusCode::TOO_MANY_REQUESTS {
            Transient::Throttled
        } else {
            Transient::Unavailable
        };
        return Outcome::Transient {
            error: Error::Throttled {
                status,
                retry_after,
                attempts: retries + 1,
                error,
                request_id,
                client_request_id: Some(client_request_id),
                headers: Box::new(redact::redact_headers(headers, &secrets)),
            },
            kind,
            retry_after,
        };
    }
    if status.is_success() {
        if !call.exchange.success.contains(&status.as_u16()) {
            tracing::debug!(status = status.as_u16(), "undocumented success status");
        }
        return Outcome::Final(Ok(Response {
            status,
            body,
            request_id,
            // Toolkit (issue 15): bulkUpload reports the `Location` of a 202.
            location: header_string(&headers, LOCATION.as_str()),
            url,
            requested: call.exchange.url.clone(),
        }));
    }
    let secrets = call.secrets(token);
    Outcome::Final(Err(Error::from_response(
        status,
        redact::redact_headers(headers, &secrets),
        body,
        request_id,
        client_request_id,
        &secrets,
    )))
}

/// A fresh random (v4) UUID for `client-request-id`.
pub(crate) fn new_request_id() -> String {
    let mut b = [0u8; 16];
    fastrand::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn header_string(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn only_the_https_base_origin_without_credentials_is_a_target() {
        let client = Client::builder()
            .static_token("t")
            .base_url("https://graph.example/prefix")
            .build()
            .unwrap();
        let check = |url: &str| check_target(&client.inner, &Url::parse(url).unwrap(), "nextLink");
        assert!(check("https://graph.example/v1.0/x?$skiptoken=1").is_ok());
        assert!(check("https://graph.example:443/v1.0/x").is_ok());
        for foreign in [
            "http://graph.example/v1.0/x",
            "https://graph.example:8443/v1.0/x",
            "https://graph.example.evil/v1.0/x",
        ] {
            assert!(
                matches!(
                    check(foreign),
                    Err(Error::ForeignHost {
                        context: "nextLink",
                        ..
                    })
                ),
                "{foreign}"
            );
        }
        for credentials in [
            "https://u:p@graph.example/v1.0/x",
            "https://u@graph.example/x",
        ] {
            assert!(
                matches!(check(credentials), Err(Error::CredentialsInUrl { .. })),
                "{credentials}"
            );
        }
    }
}
