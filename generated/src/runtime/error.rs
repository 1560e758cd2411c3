//! The crate's one error type and the Graph (OData) error body.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::auth::AuthError;
use super::decode::DecodeError;
use super::version::ApiVersion;

/// Everything that can go wrong when calling the API.
///
/// `Display` gives the HTTP status, the Graph error code and message, and the `request-id` to quote
/// to Microsoft support. No variant ever contains a bearer token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status and a Graph error body.
    Graph {
        /// The HTTP status.
        status: StatusCode,
        /// The parsed `error` member of the body.
        error: Box<ODataError>,
        /// The service's `request-id` (from the `request-id` header or `innerError`).
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
    },
    /// The service answered with an error status whose body is not a Graph error (an HTML gateway
    /// page, an empty body, ...).
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// A bounded excerpt of the body (at most 512 bytes).
        body: String,
        /// The service's `request-id` header, if any.
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
    },
    /// The service answered 429, 503 or 504 and the retry policy gave up (retries exhausted, the
    /// cumulative wait cap reached, or retries turned off). Reschedule after `retry_after`.
    Throttled {
        /// The HTTP status (429, 503 or 504).
        status: StatusCode,
        /// The wait the service asked for (`Retry-After`), if it said.
        retry_after: Option<Duration>,
        /// How many requests were sent, retries included.
        attempts: u32,
        /// The Graph error body, if the response had one.
        error: Option<Box<ODataError>>,
        /// The service's `request-id`, if any.
        request_id: Option<String>,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
        /// The response headers.
        headers: Box<HeaderMap>,
    },
    /// The request could not be sent or the response not read (connection, TLS, protocol).
    Transport(TransportError),
    /// The request took longer than its timeout.
    Timeout {
        /// The timeout that expired.
        timeout: Duration,
        /// The `client-request-id` this client sent.
        client_request_id: Option<String>,
    },
    /// A success response whose body does not match the expected shape.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// Where and why decoding failed.
        error: DecodeError,
        /// A bounded excerpt of the body (at most 512 bytes, cut on a character boundary).
        body_snippet: String,
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
        /// The refused URL (scheme, host, port and path; the query is left out).
        url: String,
        /// The configured origin, the only one that receives the token.
        expected: String,
        /// `"nextLink"` or `"redirect"`.
        context: &'static str,
    },
    /// A redirect that could not be followed (no `Location`, or too many hops).
    Redirect {
        /// The redirect status.
        status: StatusCode,
        /// The `Location` header, if any.
        location: Option<String>,
        /// Why it was not followed.
        reason: &'static str,
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

    /// The HTTP status, for errors that come from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Graph { status, .. }
            | Error::Http { status, .. }
            | Error::Throttled { status, .. }
            | Error::Decode { status, .. }
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
    /// failures).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Throttled { .. } | Error::Timeout { .. } | Error::Transport(_)
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
                ..
            } => {
                write!(f, "HTTP error {status}")?;
                if !body.trim().is_empty() {
                    write!(f, ": {}", body.trim())?;
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
            Error::Decode {
                status,
                error,
                request_id,
                ..
            } => {
                write!(f, "could not decode the {status} response {error}")?;
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

/// A failure to send a request or read a response, wrapping the HTTP client's error.
pub struct TransportError {
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// Whether connecting to the host failed.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
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
        write!(f, "{}", self.source)?;
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
    /// Further errors.
    pub details: Vec<ErrorDetail>,
    /// The diagnostic `innerError` member.
    pub inner_error: Option<InnerError>,
    /// Any other members, kept as received.
    pub additional_properties: Map<String, Value>,
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
    /// Any other members, kept as received.
    pub additional_properties: Map<String, Value>,
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
    /// Any other members (including nested `innerError`s), kept as received.
    pub additional_properties: Map<String, Value>,
}

fn into_string(value: Value, key: &str, rest: &mut Map<String, Value>) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => {
            rest.insert(key.to_owned(), other);
            None
        }
    }
}

impl ODataError {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut out = ODataError::default();
        for (key, value) in map {
            match key.as_str() {
                "code" => {
                    out.code =
                        into_string(value, &key, &mut out.additional_properties).unwrap_or_default()
                }
                "message" => {
                    out.message =
                        into_string(value, &key, &mut out.additional_properties).unwrap_or_default()
                }
                "target" => out.target = into_string(value, &key, &mut out.additional_properties),
                "details" => match value {
                    Value::Array(items) => {
                        out.details = items
                            .into_iter()
                            .map(|item| match item {
                                Value::Object(m) => ErrorDetail::from_map(m),
                                other => ErrorDetail {
                                    message: other.to_string(),
                                    ..ErrorDetail::default()
                                },
                            })
                            .collect();
                    }
                    Value::Null => {}
                    other => {
                        out.additional_properties.insert(key, other);
                    }
                },
                "innerError" | "innererror" if out.inner_error.is_none() => match value {
                    Value::Object(m) => out.inner_error = Some(InnerError::from_map(m)),
                    Value::Null => {}
                    other => {
                        out.additional_properties.insert(key, other);
                    }
                },
                _ => {
                    out.additional_properties.insert(key, value);
                }
            }
        }
        out
    }

    /// Parses the body of an error response (`{"error": {...}}`); `None` when it is not one.
    pub(crate) fn from_body(body: &[u8]) -> Option<Self> {
        match serde_json::from_slice::<Value>(body).ok()? {
            Value::Object(mut envelope) => match envelope.remove("error")? {
                Value::Object(error) => Some(ODataError::from_map(error)),
                _ => None,
            },
            _ => None,
        }
    }

    /// `innerError.request-id`, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error.as_ref()?.request_id.as_deref()
    }
}

impl ErrorDetail {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut out = ErrorDetail::default();
        for (key, value) in map {
            match key.as_str() {
                "code" => {
                    out.code =
                        into_string(value, &key, &mut out.additional_properties).unwrap_or_default()
                }
                "message" => {
                    out.message =
                        into_string(value, &key, &mut out.additional_properties).unwrap_or_default()
                }
                "target" => out.target = into_string(value, &key, &mut out.additional_properties),
                _ => {
                    out.additional_properties.insert(key, value);
                }
            }
        }
        out
    }
}

impl InnerError {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut out = InnerError::default();
        for (key, value) in map {
            let slot = match key.as_str() {
                "request-id" => &mut out.request_id,
                "client-request-id" => &mut out.client_request_id,
                "date" | "Date" if out.date.is_none() => &mut out.date,
                "@odata.type" => &mut out.odata_type,
                _ => {
                    out.additional_properties.insert(key, value);
                    continue;
                }
            };
            *slot = into_string(value, &key, &mut out.additional_properties);
        }
        out
    }
}

impl<'de> Deserialize<'de> for ODataError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(deserializer).map(ODataError::from_map)
    }
}

impl<'de> Deserialize<'de> for ErrorDetail {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(deserializer).map(ErrorDetail::from_map)
    }
}

impl<'de> Deserialize<'de> for InnerError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::<String, Value>::deserialize(deserializer).map(InnerError::from_map)
    }
}

impl Serialize for ODataError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(target) = &self.target {
            map.serialize_entry("target", target)?;
        }
        if !self.details.is_empty() {
            map.serialize_entry("details", &self.details)?;
        }
        if let Some(inner) = &self.inner_error {
            map.serialize_entry("innerError", inner)?;
        }
        for (k, v) in &self.additional_properties {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for ErrorDetail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(target) = &self.target {
            map.serialize_entry("target", target)?;
        }
        for (k, v) in &self.additional_properties {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for InnerError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let known = [
            ("@odata.type", &self.odata_type),
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
            ("date", &self.date),
        ];
        for (k, v) in known {
            if let Some(v) = v {
                map.serialize_entry(k, v)?;
            }
        }
        for (k, v) in &self.additional_properties {
            map.serialize_entry(k, v)?;
        }
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
        let e = ODataError::from_body(body).unwrap();
        assert_eq!(e.code, "Request_ResourceNotFound");
        assert_eq!(e.target.as_deref(), Some("id"));
        assert_eq!(e.details[0].code, "d1");
        assert_eq!(e.details[0].additional_properties["extra"], 1);
        let inner = e.inner_error.as_ref().unwrap();
        assert_eq!(inner.request_id.as_deref(), Some("rid"));
        assert_eq!(inner.client_request_id.as_deref(), Some("cid"));
        assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00"));
        assert_eq!(
            inner.odata_type.as_deref(),
            Some("#microsoft.graph.innerError")
        );
        assert!(inner.additional_properties.contains_key("innerError"));
        assert_eq!(e.additional_properties["weird"], true);
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
        let e = ODataError::from_body(
            br#"{"error":{"code":null,"details":null,"innerError":{"Date":"d"}}}"#,
        )
        .unwrap();
        assert_eq!(e.code, "");
        assert!(e.details.is_empty());
        assert_eq!(e.inner_error.unwrap().date.as_deref(), Some("d"));
        let e = ODataError::from_body(br#"{"error":{"code":5,"message":"m"}}"#).unwrap();
        assert_eq!(e.code, "");
        assert_eq!(e.additional_properties["code"], 5);
        assert!(ODataError::from_body(b"<html>").is_none());
        assert!(ODataError::from_body(br#"{"error":"x"}"#).is_none());
        assert!(ODataError::from_body(br#"[1]"#).is_none());
    }
}
