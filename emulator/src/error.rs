//! Graph error answers: `{"error": {"code", "message", "target"?, "details"?, "innerError": {"date",
//! "request-id", "client-request-id"}}}`.

use http::StatusCode;
use serde_json::{Value, json};

use crate::time::Instant;

/// An error answer before the request's ids and date are filled in.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// The rarely set parts, boxed to keep `Result<_, ApiError>` small.
    pub extra: Box<Extra>,
}

/// Target, details and extra headers of an error.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    pub target: Option<String>,
    /// `(code, message, target)` of each detail.
    pub details: Vec<(String, String, String)>,
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            extra: Box::default(),
        }
    }

    /// 400 `BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 404 with `code`.
    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 400 for a body that is not valid JSON, with the service's wording.
    pub fn unreadable_json() -> Self {
        Self::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and \
             payload is of valid JSON format.",
        )
    }

    /// 400 "Resource not found for the segment '...'": an unknown path or a beta-only segment on v1.0.
    pub fn unknown_segment(segment: &str) -> Self {
        Self::bad_request(format!("Resource not found for the segment '{segment}'."))
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        let target = target.into();
        if !target.is_empty() {
            self.extra.target = Some(target);
        }
        self
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra.headers.push((name, value.into()));
        self
    }

    /// The body, with the request's ids and date.
    pub fn body(&self, request_id: &str, client_request_id: &str, date: Instant) -> Value {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(target) = &self.extra.target {
            error["target"] = json!(target);
        }
        if !self.extra.details.is_empty() {
            error["details"] = self
                .extra
                .details
                .iter()
                .map(|(code, message, target)| json!({"code": code, "message": message, "target": target}))
                .collect();
        }
        error["innerError"] = json!({
            "date": date.to_string(),
            "request-id": request_id,
            "client-request-id": client_request_id,
        });
        json!({ "error": error })
    }
}
