//! Static descriptions of API operations, emitted by the generator.

use super::version::ApiVersion;

/// An HTTP method used by a Graph operation.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether a request with this method carries a body (so a body-less one sends
    /// `Content-Length: 0`).
    pub(crate) const fn expects_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

/// A static description of one operation of the API (one `operationId` of the spec).
///
/// ```
/// # use msgraph_sync::{ApiVersion, Method, Operation};
/// static START: Operation = Operation {
///     id: "servicePrincipals.synchronization.jobs.synchronizationJob.start",
///     method: Method::Post,
///     success: &[204],
///     content_type: None,
///     versions: &[ApiVersion::V1, ApiVersion::Beta],
///     idempotent: false,
/// };
/// assert!(START.supports(ApiVersion::Beta));
/// assert!(!START.idempotent);
/// ```
#[doc(hidden)]
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The documented success statuses.
    pub success: &'static [u16],
    /// The request body media type, when the operation takes a body (default `application/json`).
    pub content_type: Option<&'static str>,
    /// The API versions the operation exists in.
    pub versions: &'static [ApiVersion],
    /// Whether the request is safe to send again after a 503/504 or a transport error: true for GET, PUT
    /// and DELETE, false for POST and PATCH unless the spec marks the operation `x-graph-idempotent: true`.
    pub idempotent: bool,
}

impl Operation {
    /// Whether the operation exists in `version`.
    pub fn supports(&self, version: ApiVersion) -> bool {
        self.versions.contains(&version)
    }

    /// Whether `status` is one of the documented success statuses.
    pub fn is_documented_success(&self, status: u16) -> bool {
        self.success.contains(&status)
    }
}
