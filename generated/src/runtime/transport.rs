//! Sending one logical request: headers, auth, redirects, retries, error mapping.

use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderMap, HeaderValue, StatusCode};
use url::Url;

use super::auth::AuthError;
use super::client::{Client, Inner, SDK_VERSION};
use super::decode::DecodeError;
use super::encode::snippet;
use super::error::{Error, ODataError, TransportError};
use super::operation::Method;
use super::retry::{self, RetryPolicy};

/// The most redirects followed for one request.
const MAX_REDIRECTS: u32 = 5;
/// The most body bytes quoted in errors.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// A request body, already serialized.
#[derive(Clone, Debug)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: &'static str,
}

/// One logical request, as the transport sends it (possibly several times).
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) operation: &'static str,
    pub(crate) success: &'static [u16],
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Option<Body>,
    pub(crate) timeout: Duration,
    /// What the URL came from, for [`Error::ForeignHost`]: `"request"` or `"nextLink"`.
    pub(crate) context: &'static str,
}

/// A success response, body read.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<String>,
    pub(crate) url: Url,
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
            body_snippet: snippet(&self.body, SNIPPET_BYTES),
            request_id: self.request_id.clone(),
        })
    }
}

/// Whether `url` has the scheme, host and port of the configured base URL.
pub(crate) fn same_origin(inner: &Inner, url: &Url) -> bool {
    url.origin() == inner.base_url.origin()
}

/// `url` without credentials, query or fragment, for error messages.
fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

fn foreign_host(inner: &Inner, url: &Url, context: &'static str) -> Error {
    Error::ForeignHost {
        url: display_url(url),
        expected: inner.base_url.origin().ascii_serialization(),
        context,
    }
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

fn transport_error(e: reqwest::Error, timeout: Duration, client_request_id: &str) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            timeout,
            client_request_id: Some(client_request_id.to_owned()),
        }
    } else {
        Error::Transport(TransportError { source: e })
    }
}

/// Sends `ex`, following same-origin redirects and retrying 429/503/504 per the client's policy.
/// The bearer token is only ever attached to URLs on the configured Graph origin.
pub(crate) async fn execute(client: &Client, mut ex: Exchange) -> Result<Response, Error> {
    let inner = &*client.inner;
    if !same_origin(inner, &ex.url) {
        return Err(foreign_host(inner, &ex.url, ex.context));
    }
    let client_request_id = new_request_id();
    let mut retries: u32 = 0;
    let mut waited = Duration::ZERO;
    let mut redirects: u32 = 0;
    loop {
        // Invariant: `ex.url` is on the Graph origin here (checked above and for every redirect).
        let token = inner.tokens.token(&inner.scope).await?;
        if token.secret().is_empty() {
            return Err(AuthError::new("the token provider returned an empty token").into());
        }
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.secret()))
            .map_err(|_| {
                AuthError::new("the access token contains characters not allowed in an HTTP header")
            })?;
        authorization.set_sensitive(true);
        drop(token);

        let mut rb = inner
            .http
            .request(ex.method.to_http(), ex.url.clone())
            .timeout(ex.timeout)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, inner.user_agent.clone())
            .header("SdkVersion", SDK_VERSION)
            .header("client-request-id", client_request_id.as_str());
        if retries > 0 {
            rb = rb.header("Retry-Attempt", retries.to_string());
        }
        rb = match &ex.body {
            Some(body) => rb
                .header(CONTENT_TYPE, body.content_type)
                .body(body.bytes.clone()),
            None if ex.method.expects_body() => rb.header(CONTENT_LENGTH, "0"),
            None => rb,
        };
        tracing::debug!(
            operation = ex.operation,
            method = ex.method.as_str(),
            path = ex.url.path(),
            attempt = retries + 1,
            client_request_id = client_request_id.as_str(),
            "sending Graph request"
        );
        let response = rb
            .send()
            .await
            .map_err(|e| transport_error(e, ex.timeout, &client_request_id))?;
        let status = response.status();
        let request_id = header_string(response.headers(), "request-id");
        tracing::debug!(
            operation = ex.operation,
            status = status.as_u16(),
            request_id = request_id.as_deref().unwrap_or(""),
            "received Graph response"
        );

        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = header_string(response.headers(), LOCATION.as_str());
            let Some(location) = location else {
                return Err(Error::Redirect {
                    status,
                    location: None,
                    reason: "the response has no Location header",
                });
            };
            redirects += 1;
            if redirects > MAX_REDIRECTS {
                return Err(Error::Redirect {
                    status,
                    location: Some(location),
                    reason: "too many redirects",
                });
            }
            let Ok(next) = ex.url.join(&location) else {
                return Err(Error::Redirect {
                    status,
                    location: Some(location),
                    reason: "the Location header is not a valid URL",
                });
            };
            if !same_origin(inner, &next) {
                tracing::warn!(
                    operation = ex.operation,
                    "refused a redirect away from the Graph host"
                );
                return Err(foreign_host(inner, &next, "redirect"));
            }
            if status == StatusCode::SEE_OTHER {
                ex.method = Method::Get;
                ex.body = None;
            }
            ex.url = next;
            continue;
        }

        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(e, ex.timeout, &client_request_id))?;

        if RetryPolicy::is_retryable_status(status) {
            let retry_after = retry::retry_after(&headers, inner.clock.now());
            let next = retries + 1;
            let delay = inner.retry.delay(next, retry_after);
            if inner.retry.allows(next, waited, delay) {
                tracing::info!(
                    operation = ex.operation,
                    status = status.as_u16(),
                    retry = next,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "retrying throttled Graph request"
                );
                inner.clock.sleep(delay).await;
                retries = next;
                waited += delay;
                continue;
            }
            let error = ODataError::from_body(&body).map(Box::new);
            let request_id = request_id.or_else(|| {
                error
                    .as_ref()
                    .and_then(|e| e.request_id())
                    .map(str::to_owned)
            });
            return Err(Error::Throttled {
                status,
                retry_after,
                attempts: retries + 1,
                error,
                request_id,
                client_request_id: Some(client_request_id),
                headers: Box::new(headers),
            });
        }

        if status.is_success() {
            if !ex.success.contains(&status.as_u16()) {
                tracing::debug!(
                    operation = ex.operation,
                    status = status.as_u16(),
                    "undocumented success status"
                );
            }
            return Ok(Response {
                status,
                body,
                request_id,
                url: ex.url,
            });
        }

        return Err(match ODataError::from_body(&body) {
            Some(error) => {
                let request_id = request_id.or_else(|| error.request_id().map(str::to_owned));
                Error::Graph {
                    status,
                    error: Box::new(error),
                    request_id,
                    client_request_id: Some(client_request_id),
                    headers: Box::new(headers),
                }
            }
            None => Error::Http {
                status,
                body: snippet(&body, SNIPPET_BYTES),
                request_id,
                client_request_id: Some(client_request_id),
                headers: Box::new(headers),
            },
        });
    }
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
    fn display_url_hides_query_and_credentials() {
        let u = Url::parse("https://user:pw@evil.example/x?sig=secret#f").unwrap();
        assert_eq!(display_url(&u), "https://evil.example/x");
    }
}
