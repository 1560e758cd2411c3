//! The crate's one error type, the Graph (OData) error body, and the mapping of an error response
//! to an [`Error`].

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::decode::DecodeError;
use super::redact::{ResponseBody, Secrets};
use super::unknown::{UnknownProperties, write_field, write_rest};
use super::version::ApiVersion;

/// Everything that can go wrong when calling the API.
///
/// `Display` gives the HTTP status, the Graph error code and message, and the `request-id` to quote
/// to Microsoft support.
///
/// No variant shows a secret in `Debug`, `Display` or its [`source`](std::error::Error::source)
/// chain: response bodies are kept as a [`ResponseBody`] that prints only its length, serde
/// messages leave out the value they refer to, text the service sends back in an error is scrubbed
/// of the bearer token and of every [`SecretString`](crate::SecretString) the request carried,
/// header values other than diagnostics (`request-id`, `date`, `retry-after`, ...) print as
/// `Sensitive`, and URLs are shown without userinfo and query.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status and a Graph error body.
    Graph {
        /// The HTTP status.
        status: StatusCode,
        /// The parsed `error` member of the body (secrets the request carried are replaced by
        /// `[redacted]`).
        error: Box<ODataError>,
        /// The service's `request-id` (from the `request-id` header or `innerError`).
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers (values other than diagnostics are marked sensitive).
        headers: Box<HeaderMap>,
    },
    /// The service answered with an error status whose body is not a Graph error (an HTML gateway
    /// page, an empty body, ...).
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The body; formatting shows only its length (read it with
        /// [`ResponseBody::expose_text`]).
        body: ResponseBody,
        /// The service's `request-id` header, if any.
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers (values other than diagnostics are marked sensitive).
        headers: Box<HeaderMap>,
    },
    /// The service answered 429, 503 or 504 and the retry policy gave up (retries exhausted, the
    /// cumulative wait cap or the call's [total timeout](crate::Request::total_timeout) reached,
    /// a request not safe to repeat, or retries turned off). Reschedule after `retry_after`.
    Throttled {
        /// The HTTP status (429, 503 or 504).
        status: StatusCode,
        /// The wait the service asked for (`Retry-After`), if it said.
        retry_after: Option<Duration>,
        /// How many requests were sent, retries included.
        attempts: u32,
        /// The Graph error body, if the response had one (secrets scrubbed as for
        /// [`Error::Graph`]).
        error: Option<Box<ODataError>>,
        /// The service's `request-id`, if any.
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers (values other than diagnostics are marked sensitive).
        headers: Box<HeaderMap>,
    },
    /// The request could not be sent or the response not read (connection refused or reset, TLS,
    /// a malformed response, a body cut short, invalid gzip).
    Transport(TransportError),
    /// One attempt took longer than the per-request timeout (getting the token, connecting,
    /// redirects and reading the body included).
    Timeout {
        /// The timeout that expired.
        timeout: Duration,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
    },
    /// The call as a whole (every attempt and every wait between them) reached its
    /// [total timeout](crate::Request::total_timeout).
    TotalTimeout {
        /// The total timeout that was reached.
        total_timeout: Duration,
        /// How many attempts were started.
        attempts: u32,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
    },
    /// A success response whose body does not match the expected shape.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// Where and why decoding failed (the offending value itself is not quoted).
        error: DecodeError,
        /// The body; formatting shows only its length (read it with
        /// [`ResponseBody::expose_text`]).
        body: ResponseBody,
        /// The service's `request-id`, if any.
        request_id: Option<String>,
    },
    /// A response body (after decompression) was larger than the client's
    /// [limit](crate::ClientBuilder::response_body_limit); reading stopped there.
    BodyTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
        /// The service's `request-id`, if any.
        request_id: Option<String>,
    },
    /// A path identifier was refused before anything was sent.
    InvalidId {
        /// Which identifier (e.g. `synchronizationJob-id`).
        kind: &'static str,
        /// The refused value.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The operation does not exist in the API version it was called through.
    UnsupportedVersion {
        /// The operation id.
        operation: &'static str,
        /// The version it was called through.
        version: ApiVersion,
    },
    /// A `@odata.nextLink` or a redirect pointed away from the configured Graph host; nothing was
    /// sent there.
    ForeignHost {
        /// The refused URL (scheme, host, port and path; userinfo and query are left out).
        url: String,
        /// The configured origin, the only one that receives the token.
        expected: String,
        /// `"request"`, `"nextLink"` or `"redirect"`.
        context: &'static str,
    },
    /// A `@odata.nextLink` or a redirect carried credentials in the URL (`user:pass@`); it was
    /// refused so that only this client's bearer token is ever sent.
    CredentialsInUrl {
        /// The refused URL, shown without the credentials and query.
        url: String,
        /// `"request"`, `"nextLink"` or `"redirect"`.
        context: &'static str,
    },
    /// A redirect that could not be followed (no `Location`, or too many hops).
    Redirect {
        /// The redirect status.
        status: StatusCode,
        /// The `Location` target, shown without userinfo and query.
        location: Option<String>,
        /// Why it was not followed.
        reason: &'static str,
    },
    /// A `@odata.nextLink` led back to a page already read (links are compared without their
    /// `#fragment`); paging stopped.
    PageCycle {
        /// The repeated link, shown without userinfo and query.
        url: String,
        /// How many pages had been read.
        pages: usize,
    },
    /// The collection has more pages or items than the caps set with
    /// [`max_pages`](crate::Request::max_pages) / [`max_items`](crate::Request::max_items).
    PageLimit {
        /// Pages read before stopping.
        pages: usize,
        /// Items read before stopping.
        items: usize,
    },
    /// The token provider failed.
    Auth(AuthError),
    /// The client configuration is invalid.
    Config(String),
    /// The request body could not be serialized.
    Serialize(serde_json::Error),
}

impl Error {
    /// A configuration error with `message`.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config(message.into())
    }

    /// An authentication error with `message`, for custom [`TokenProvider`](crate::TokenProvider)s.
    pub fn auth(message: impl Into<String>) -> Self {
        Error::Auth(AuthError::new(message))
    }

    /// The error for a non-success, non-throttling response: [`Error::Graph`] when the body is a
    /// Graph error (its text scrubbed of `secrets`), [`Error::Http`] otherwise.
    pub(crate) fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: bytes::Bytes,
        request_id: Option<String>,
        client_request_id: String,
        secrets: &Secrets,
    ) -> Self {
        match ODataError::from_body(&body, secrets) {
            Some(error) => Error::Graph {
                status,
                request_id: request_id.or_else(|| error.request_id().map(str::to_owned)),
                error: Box::new(error),
                client_request_id: Some(client_request_id),
                headers: Box::new(headers),
            },
            None => Error::Http {
                status,
                body: ResponseBody::new(body),
                request_id,
                client_request_id: Some(client_request_id),
                headers: Box::new(headers),
            },
        }
    }

    /// The HTTP status, for errors that come from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Graph { status, .. }
            | Error::Http { status, .. }
            | Error::Throttled { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            Error::Transport(t) => t.source.status(),
            _ => None,
        }
    }

    /// The parsed Graph error body, if there is one.
    pub fn odata_error(&self) -> Option<&ODataError> {
        match self {
            Error::Graph { error, .. } => Some(error),
            Error::Throttled { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The response body kept by [`Error::Http`] and [`Error::Decode`]. It may carry secrets:
    /// keep what you read from it out of logs.
    pub fn response_body(&self) -> Option<&ResponseBody> {
        match self {
            Error::Http { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The Graph error code (`ResourceNotFound`, `Request_ResourceNotFound`, ...), if any.
    pub fn code(&self) -> Option<&str> {
        self.odata_error()
            .map(|e| e.code.as_str())
            .filter(|c| !c.is_empty())
    }

    /// The service's `request-id`, to quote to Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Graph { request_id, .. }
            | Error::Http { request_id, .. }
            | Error::Throttled { request_id, .. }
            | Error::BodyTooLarge { request_id, .. }
            | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The `client-request-id` this client sent, when the error comes from a sent request.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Graph {
                client_request_id, ..
            }
            | Error::Http {
                client_request_id, ..
            }
            | Error::Throttled {
                client_request_id, ..
            }
            | Error::TotalTimeout {
                client_request_id, ..
            }
            | Error::Timeout {
                client_request_id, ..
            } => client_request_id.as_deref(),
            _ => None,
        }
    }

    /// The wait the service asked for before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying the same request again later may succeed (throttling, timeouts, transport
    /// failures). For a request that is not safe to repeat (a create, an action) check first
    /// whether the service applied it.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Throttled { .. }
                | Error::Timeout { .. }
                | Error::TotalTimeout { .. }
                | Error::Transport(_)
        )
    }

    /// Whether the service answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    if let Some(id) = request_id {
        write!(f, " (request-id: {id})")?;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Graph {
                status,
                error,
                request_id,
                ..
            } => {
                write!(f, "Graph error {status}: {error}")?;
                write_request_id(f, request_id.as_deref())
            }
            Error::Http {
                status,
                body,
                request_id,
                headers,
                ..
            } => {
                write!(f, "HTTP error {status}")?;
                if !body.is_empty() {
                    let kind = headers
                        .get(http::header::CONTENT_TYPE)
                        .filter(|v| !v.is_sensitive())
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("body");
                    write!(f, " ({kind}, {} bytes, not shown)", body.len())?;
                }
                write_request_id(f, request_id.as_deref())
            }
            Error::Throttled {
                status,
                retry_after,
                attempts,
                error,
                request_id,
                ..
            } => {
                write!(f, "throttled: {status} after {attempts} attempt(s)")?;
                if let Some(wait) = retry_after {
                    write!(f, "; the service asked to retry after {wait:?}")?;
                }
                if let Some(error) = error {
                    write!(f, ": {error}")?;
                }
                write_request_id(f, request_id.as_deref())
            }
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout {
                timeout,
                client_request_id,
            } => {
                write!(f, "request timed out after {timeout:?}")?;
                if let Some(id) = client_request_id {
                    write!(f, " (client-request-id: {id})")?;
                }
                Ok(())
            }
            Error::TotalTimeout {
                total_timeout,
                attempts,
                client_request_id,
            } => {
                write!(
                    f,
                    "the call did not finish within its total timeout of {total_timeout:?} ({attempts} attempt(s))"
                )?;
                if let Some(id) = client_request_id {
                    write!(f, " (client-request-id: {id})")?;
                }
                Ok(())
            }
            Error::Decode {
                status,
                error,
                request_id,
                ..
            } => {
                write!(f, "could not decode the {status} response {error}")?;
                write_request_id(f, request_id.as_deref())
            }
            Error::BodyTooLarge {
                status,
                limit,
                request_id,
            } => {
                write!(
                    f,
                    "the {status} response body is larger than the limit of {limit} bytes; reading stopped"
                )?;
                write_request_id(f, request_id.as_deref())
            }
            Error::InvalidId {
                kind,
                value,
                reason,
            } => {
                write!(f, "invalid {kind} {value:?}: {reason}")
            }
            Error::UnsupportedVersion { operation, version } => write!(
                f,
                "operation `{operation}` is not available in Graph API version {version}"
            ),
            Error::ForeignHost {
                url,
                expected,
                context,
            } => write!(
                f,
                "refused to follow a {context} to {url}: only {expected} may receive the access token"
            ),
            Error::CredentialsInUrl { url, context } => write!(
                f,
                "refused a {context} to {url}: the URL carries user credentials, and only the client's bearer token may be sent"
            ),
            Error::Redirect {
                status,
                location,
                reason,
            } => {
                write!(f, "could not follow the {status} redirect")?;
                if let Some(location) = location {
                    write!(f, " to {location}")?;
                }
                write!(f, ": {reason}")
            }
            Error::PageCycle { url, pages } => write!(
                f,
                "the @odata.nextLink after page {pages} leads back to a page already read ({url}); paging stopped"
            ),
            Error::PageLimit { pages, items } => write!(
                f,
                "the collection has more than the page/item cap allows; stopped after {pages} page(s) and {items} item(s)"
            ),
            Error::Auth(e) => write!(f, "{e}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Serialize(e) => write!(f, "could not serialize the request body: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode { error, .. } => Some(error),
            Error::Auth(e) => Some(e),
            Error::Serialize(e) => Some(e),
            _ => None,
        }
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

/// A token provider failure. Its message must not contain secrets.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An authentication error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An authentication error with `message`, caused by `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed: {}", self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A failure to send a request or read a response, wrapping the HTTP client's error (without the
/// URL, which can carry a `$skiptoken`; [`url`](TransportError::url) shows it without query).
pub struct TransportError {
    pub(crate) source: reqwest::Error,
    pub(crate) url: String,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, url: &url::Url) -> Self {
        Self {
            source: source.without_url(),
            url: super::redact::display_url(url),
        }
    }

    /// Whether connecting to the host failed (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether the failure happened while reading the response body (cut short, reset, invalid
    /// compression).
    pub fn is_body(&self) -> bool {
        self.source.is_body() || self.source.is_decode()
    }

    /// The URL of the request, without userinfo and query.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("message", &self.to_string())
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.source, self.url)?;
        // reqwest's own message is generic ("error sending request"); add the root cause.
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&self.source);
        let mut last = None;
        while let Some(c) = cause {
            last = Some(c);
            cause = c.source();
        }
        if let Some(root) = last {
            write!(f, ": {root}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The `error` member of a Graph error response.
///
/// ```
/// # use msgraph_sync::ODataError;
/// let e: ODataError = serde_json::from_str(r#"{
///     "code": "Request_ResourceNotFound",
///     "message": "Resource 'x' does not exist.",
///     "innerError": {"request-id": "r1", "client-request-id": "c1", "Date": "2024-01-01T00:00:00"}
/// }"#).unwrap();
/// assert_eq!(e.inner_error.unwrap().date.as_deref(), Some("2024-01-01T00:00:00"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ODataError {
    /// The error code, e.g. `Request_ResourceNotFound` (empty when the service sent none).
    pub code: String,
    /// The human-readable message (empty when the service sent none).
    pub message: String,
    /// The target of the error, if any.
    pub target: Option<String>,
    /// Further errors (empty when the service sent none, or something other than an array of
    /// objects, which is then kept in [`additional_properties`](Self::additional_properties)).
    pub details: Vec<ErrorDetail>,
    /// The diagnostic `innerError` member (also read from `innererror`).
    pub inner_error: Option<InnerError>,
    /// Any other members, each kept as the exact JSON text read (numbers of any size included);
    /// also a known member whose value is `null` or of another type than documented
    /// (`"code": 5`), under its own name, so that it is written back as read.
    pub additional_properties: UnknownProperties,
}

impl fmt::Display for ODataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code.is_empty(), self.message.is_empty()) {
            (false, false) => write!(f, "{}: {}", self.code, self.message),
            (false, true) => f.write_str(&self.code),
            (true, false) => f.write_str(&self.message),
            (true, true) => f.write_str("(no error code or message)"),
        }
    }
}

/// One entry of [`ODataError::details`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorDetail {
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The target, if any.
    pub target: Option<String>,
    /// Any other members, kept as read (see [`ODataError::additional_properties`]).
    pub additional_properties: UnknownProperties,
}

/// The `innerError` member of a Graph error: diagnostics for support requests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InnerError {
    /// `request-id`: the service's id of the failed request.
    pub request_id: Option<String>,
    /// `client-request-id`: the id the client sent.
    pub client_request_id: Option<String>,
    /// `date` (also read from `Date`), as sent (often without a UTC offset).
    pub date: Option<String>,
    /// `@odata.type`, if any.
    pub odata_type: Option<String>,
    /// Any other members (including nested `innerError`s), kept as read (see
    /// [`ODataError::additional_properties`]).
    pub additional_properties: UnknownProperties,
}

impl ODataError {
    /// Parses the body of an error response (`{"error": {...}}`), replacing every one of
    /// `secrets` in its strings (and member names) by `[redacted]`; `None` when it is not one.
    pub(crate) fn from_body(body: &[u8], secrets: &Secrets) -> Option<Self> {
        /// The envelope; its other members are skipped unread (any JSON, `1e400` included).
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(borrow)]
            error: &'a RawValue,
        }
        let envelope: Envelope<'_> = serde_json::from_slice(body).ok()?;
        serde_json::from_str(&secrets.scrub_json(envelope.error.get())).ok()
    }

    /// `innerError.request-id`, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error.as_ref()?.request_id.as_deref()
    }
}

/// The name to write a field under that is read under either `usual` or `other` (the one not
/// taken stays in `rest`): `usual`, unless `rest` keeps a member of that name.
fn spelling<'a>(
    has_value: bool,
    rest: &UnknownProperties,
    usual: &'a str,
    other: &'a str,
) -> &'a str {
    if has_value && rest.contains_key(usual) {
        other
    } else {
        usual
    }
}

/// Writes `code`, `message` (always, as OData requires; a member of that name kept in `rest` instead
/// when the field is empty) and `target`.
fn write_code_message_target<M: SerializeMap>(
    map: &mut M,
    rest: &UnknownProperties,
    code: &str,
    message: &str,
    target: Option<&String>,
) -> Result<(), M::Error> {
    for (key, text) in [("code", code), ("message", message)] {
        let text = Some(text).filter(|t| !t.is_empty() || !rest.contains_key(key));
        write_field(map, rest, key, text)?;
    }
    write_field(map, rest, "target", target)
}

impl<'de> Deserialize<'de> for ODataError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rest = UnknownProperties::deserialize(deserializer)?;
        Ok(ODataError {
            code: rest.take("code").unwrap_or_default(),
            message: rest.take("message").unwrap_or_default(),
            target: rest.take("target"),
            details: rest.take("details").unwrap_or_default(),
            inner_error: rest.take("innerError").or_else(|| rest.take("innererror")),
            additional_properties: rest,
        })
    }
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rest = UnknownProperties::deserialize(deserializer)?;
        Ok(ErrorDetail {
            code: rest.take("code").unwrap_or_default(),
            message: rest.take("message").unwrap_or_default(),
            target: rest.take("target"),
            additional_properties: rest,
        })
    }
}

impl<'de> Deserialize<'de> for InnerError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rest = UnknownProperties::deserialize(deserializer)?;
        Ok(InnerError {
            request_id: rest.take("request-id"),
            client_request_id: rest.take("client-request-id"),
            date: rest.take("date").or_else(|| rest.take("Date")),
            odata_type: rest.take("@odata.type"),
            additional_properties: rest,
        })
    }
}

/// Written with `code` and `message` always present, as OData requires; `@`-members first, other
/// unknown members last, each in the order read; no key twice.
impl Serialize for ODataError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rest = &self.additional_properties;
        let inner = spelling(self.inner_error.is_some(), rest, "innerError", "innererror");
        let fields = ["code", "message", "target", "details", inner];
        let details = Some(&self.details).filter(|d| !d.is_empty());
        let mut map = serializer.serialize_map(None)?;
        write_rest(&mut map, rest, true, &fields)?;
        write_code_message_target(
            &mut map,
            rest,
            &self.code,
            &self.message,
            self.target.as_ref(),
        )?;
        write_field(&mut map, rest, "details", details)?;
        write_field(&mut map, rest, inner, self.inner_error.as_ref())?;
        write_rest(&mut map, rest, false, &fields)?;
        map.end()
    }
}

impl Serialize for ErrorDetail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rest = &self.additional_properties;
        let fields = ["code", "message", "target"];
        let mut map = serializer.serialize_map(None)?;
        write_rest(&mut map, rest, true, &fields)?;
        write_code_message_target(
            &mut map,
            rest,
            &self.code,
            &self.message,
            self.target.as_ref(),
        )?;
        write_rest(&mut map, rest, false, &fields)?;
        map.end()
    }
}

impl Serialize for InnerError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rest = &self.additional_properties;
        let date = spelling(self.date.is_some(), rest, "date", "Date");
        let fields = ["@odata.type", "request-id", "client-request-id", date];
        let mut map = serializer.serialize_map(None)?;
        write_rest(&mut map, rest, true, &fields)?;
        write_field(&mut map, rest, "@odata.type", self.odata_type.as_ref())?;
        write_field(&mut map, rest, "request-id", self.request_id.as_ref())?;
        write_field(
            &mut map,
            rest,
            "client-request-id",
            self.client_request_id.as_ref(),
        )?;
        write_field(&mut map, rest, date, self.date.as_ref())?;
        write_rest(&mut map, rest, false, &fields)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_graph_envelope() {
        let body = br##"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.",
            "target":"id","details":[{"code":"d1","message":"m1","target":"t1","extra":1}],
            "innerError":{"date":"2024-05-01T10:00:00","request-id":"rid","client-request-id":"cid",
            "@odata.type":"#microsoft.graph.innerError","innerError":{"x":1}},"weird":true}}"##;
        let e = ODataError::from_body(body, &Secrets::default()).unwrap();
        assert_eq!(e.code, "Request_ResourceNotFound");
        assert_eq!(e.target.as_deref(), Some("id"));
        assert_eq!(e.details[0].code, "d1");
        assert_eq!(
            e.details[0]
                .additional_properties
                .get("extra")
                .unwrap()
                .get(),
            "1"
        );
        let inner = e.inner_error.as_ref().unwrap();
        assert_eq!(inner.request_id.as_deref(), Some("rid"));
        assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
        assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00"));
        assert_eq!(
            inner.odata_type.as_deref(),
            Some("#microsoft.graph.innerError")
        );
        assert!(inner.additional_properties.contains_key("innerError"));
        assert_eq!(e.additional_properties.get("weird").unwrap().get(), "true");
        assert_eq!(
            e.to_string(),
            "Request_ResourceNotFound: Resource 'x' does not exist."
        );
        // Round trip keeps every member.
        let again: ODataError = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(again, e);
    }

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
    }

    #[test]
    fn accepts_capital_date_and_odd_shapes() {
        let none = Secrets::default();
        let e = ODataError::from_body(
            br#"{"error":{"code":null,"details":null,"innerError":{"Date":"d"}}}"#,
            &none,
        )
        .unwrap();
        assert_eq!(e.code, "");
        assert!(e.details.is_empty());
        assert_eq!(e.inner_error.unwrap().date.as_deref(), Some("d"));
        let e = ODataError::from_body(br#"{"error":{"code":5,"message":"m"}}"#, &none).unwrap();
        assert_eq!(e.code, "");
        assert_eq!(e.additional_properties.get("code").unwrap().get(), "5");
        assert!(ODataError::from_body(b"<html>", &none).is_none());
        assert!(ODataError::from_body(br#"{"error":"x"}"#, &none).is_none());
        assert!(ODataError::from_body(br#"[1]"#, &none).is_none());
    }

    #[test]
    fn odd_members_are_kept_exactly_and_written_once() {
        let none = Secrets::default();
        let body = br#"{"error":{"@odata.type":"x","code":5,"message":null,"big":123456789012345678901234567890,
            "details":[{"code":"d","n":1e400},{"code":"e"}],"innererror":{"Date":"d","date":7,"@x":-2.5e-228},
            "innerError":"flat","weird":9007199254740993.0},"sibling":1e400}"#;
        let e = ODataError::from_body(body, &none).unwrap();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("", ""));
        assert_eq!(
            e.details[0].additional_properties.get("n").unwrap().get(),
            "1e400"
        );
        assert_eq!(
            e.additional_properties.get("big").unwrap().get(),
            "123456789012345678901234567890"
        );
        let inner = e.inner_error.as_ref().unwrap();
        assert_eq!(inner.date.as_deref(), Some("d"));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"@odata.type":"x","code":5,"message":null,"details":[{"code":"d","message":"","n":1e400},{"code":"e","message":""}],"innererror":{"@x":-2.5e-228,"Date":"d","date":7},"big":123456789012345678901234567890,"innerError":"flat","weird":9007199254740993.0}"#
        );
        let again: ODataError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(again, e);
        // A member read twice is no Graph error (it could not be written back once).
        assert!(ODataError::from_body(br#"{"error":{"code":"a","code":"b"}}"#, &none).is_none());
    }

    #[test]
    fn secrets_are_scrubbed_from_every_string_and_name_numbers_untouched() {
        let secrets = Secrets::default().and("hunter2");
        let body = br#"{"error":{"code":"hunter2","message":"m hunter2","x":{"hunter2":1e400},"details":[{"code":"c","t":["hunter2"]}]}}"#;
        let e = ODataError::from_body(body, &secrets).unwrap();
        let text = format!("{e:?} {e} {}", serde_json::to_string(&e).unwrap());
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(e.message, "m [redacted]");
        assert_eq!(
            e.additional_properties.get("x").unwrap().get(),
            r#"{"[redacted]":1e400}"#
        );
    }
}
