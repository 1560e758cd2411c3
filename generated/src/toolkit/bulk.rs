//! bulkUpload (API-driven inbound provisioning) for any number of SCIM operations: sent in
//! requests of at most 50 operations with `Content-Type: application/scim+json`, within the
//! client's rate limit (40 requests per second by default, see [`RateLimits`](crate::RateLimits)),
//! with an outcome for every operation.
//!
//! The service accepts a request with `202 Accepted` and processes its operations later; the
//! `Location` header it returns points to the provisioning logs of the job, where each
//! operation's result appears under its `bulkId`. An outcome here says whether the request that
//! carried the operation was accepted, with that request's `request-id` and `Location`.
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_sync::toolkit::bulk::{upload, user_operation};
//! use serde_json::json;
//!
//! let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
//! let operations = (0..120).map(|i| user_operation(format!("emp-{i}"), json!({
//!     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
//!     "externalId": format!("emp-{i}"),
//!     "userName": format!("emp{i}@contoso.com"),
//! }))).collect::<Result<Vec<_>, _>>()?;
//! let report = upload(&job, operations).await; // 3 requests: 50 + 50 + 20 operations
//! for op in report.failed() {
//!     eprintln!("operation {} ({:?}) not accepted: {:?}", op.index, op.bulk_id, op.error());
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use serde_json::Value;

use crate::requests::SynchronizationJobRequests;
use crate::runtime::{Error, Nullable, Version};
use crate::{Parent, ScimBulkOperation, ScimBulkRequest};

/// The most operations the service takes in one bulkUpload request.
pub const MAX_OPERATIONS_PER_REQUEST: usize = 50;

/// The SCIM BulkRequest message schema.
pub const BULK_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/// A SCIM operation creating or updating a user: `POST /Users` with `data`, under `bulk_id`.
/// Fails when `data` is neither a JSON object (a SCIM resource) nor `null`.
///
/// ```
/// use msgraph_sync::toolkit::bulk::user_operation;
/// let op = user_operation("701984", serde_json::json!({"externalId": "701984", "userName": "bjensen@example.com"})).unwrap();
/// assert_eq!(serde_json::to_value(&op).unwrap(), serde_json::json!({"bulkId": "701984", "method": "POST",
///     "path": "/Users", "data": {"externalId": "701984", "userName": "bjensen@example.com"}}));
/// assert!(user_operation("1", serde_json::json!(["not", "a", "resource"])).is_err());
/// ```
pub fn user_operation(
    bulk_id: impl Into<String>,
    data: Value,
) -> Result<ScimBulkOperation, serde_json::Error> {
    operation("POST", "/Users", bulk_id, data)
}

/// A SCIM operation `method path` with `data` (`null` for none, e.g. for `DELETE`), under
/// `bulk_id`. Fails when `data` is neither a JSON object nor `null`.
pub fn operation(
    method: &str,
    path: &str,
    bulk_id: impl Into<String>,
    data: Value,
) -> Result<ScimBulkOperation, serde_json::Error> {
    // Through serde, so the helper does not depend on how the model stores `data`.
    let value =
        serde_json::json!({"bulkId": bulk_id.into(), "method": method, "path": path, "data": data});
    serde_json::from_value(value)
}

/// One bulkUpload request as sent, and what the service answered.
#[derive(Debug)]
#[non_exhaustive]
pub struct RequestOutcome {
    /// The index (in the input) of the request's first operation.
    pub first_operation: usize,
    /// The `bulkId`s of its operations, in order.
    pub bulk_ids: Vec<Option<String>>,
    /// The answer: accepted (with ids to find the results), or the error.
    pub result: Result<Accepted, Error>,
}

/// An accepted bulkUpload request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Accepted {
    /// The service's `request-id`.
    pub request_id: Option<String>,
    /// The `Location` header: the provisioning logs where the operations' results appear.
    pub location: Option<String>,
}

/// The outcome of one operation, from [`BulkReport::operations`].
#[derive(Debug, Clone, Copy)]
pub struct OperationOutcome<'a> {
    /// Its index in the input.
    pub index: usize,
    /// Its `bulkId`.
    pub bulk_id: Option<&'a str>,
    /// The request that carried it.
    pub request: &'a RequestOutcome,
}

impl<'a> OperationOutcome<'a> {
    /// Whether its request was accepted.
    pub fn is_accepted(&self) -> bool {
        self.request.result.is_ok()
    }

    /// The acceptance, with the ids to look the result up by.
    pub fn accepted(&self) -> Option<&'a Accepted> {
        self.request.result.as_ref().ok()
    }

    /// Why its request failed.
    pub fn error(&self) -> Option<&'a Error> {
        self.request.result.as_ref().err()
    }
}

/// What [`upload`] did: one [`RequestOutcome`] per request sent.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BulkReport {
    /// The requests, in order.
    pub requests: Vec<RequestOutcome>,
}

impl BulkReport {
    /// Every operation's outcome, in input order.
    pub fn operations(&self) -> impl Iterator<Item = OperationOutcome<'_>> {
        self.requests.iter().flat_map(|r| {
            r.bulk_ids
                .iter()
                .enumerate()
                .map(move |(i, id)| OperationOutcome {
                    index: r.first_operation + i,
                    bulk_id: id.as_deref(),
                    request: r,
                })
        })
    }

    /// The operations whose request failed.
    pub fn failed(&self) -> impl Iterator<Item = OperationOutcome<'_>> {
        self.operations().filter(|o| !o.is_accepted())
    }

    /// Whether every request was accepted.
    pub fn all_accepted(&self) -> bool {
        self.requests.iter().all(|r| r.result.is_ok())
    }
}

impl fmt::Display for BulkReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ops = self.operations().count();
        let failed = self.failed().count();
        write!(
            f,
            "{ops} operations in {} requests: {} accepted, {failed} not accepted",
            self.requests.len(),
            ops - failed
        )
    }
}

/// Sends `operations` to the job's bulkUpload in requests of at most
/// [`MAX_OPERATIONS_PER_REQUEST`], one after another within the client's rate limit, and reports
/// every operation's outcome. A failed request does not stop the others.
pub async fn upload<P: Parent, V: Version>(
    job: &SynchronizationJobRequests<P, V>,
    operations: impl IntoIterator<Item = ScimBulkOperation>,
) -> BulkReport {
    let mut report = BulkReport::default();
    let mut batch = Vec::with_capacity(MAX_OPERATIONS_PER_REQUEST);
    let mut first = 0usize;
    let mut operations = operations.into_iter().peekable();
    while operations.peek().is_some() {
        batch.clear();
        batch.extend(operations.by_ref().take(MAX_OPERATIONS_PER_REQUEST));
        let bulk_ids = batch.iter().map(|o| o.bulk_id.clone()).collect();
        let body = ScimBulkRequest {
            operations: Some(std::mem::take(&mut batch)),
            schemas: Some(vec![BULK_REQUEST_SCHEMA.to_owned()]),
            fail_on_errors: Nullable::Absent,
            ..Default::default()
        };
        let result = send(job, &body).await;
        let n = body.operations.as_ref().map_or(0, Vec::len);
        report.requests.push(RequestOutcome {
            first_operation: first,
            bulk_ids,
            result,
        });
        first += n;
    }
    report
}

async fn send<P: Parent, V: Version>(
    job: &SynchronizationJobRequests<P, V>,
    body: &ScimBulkRequest,
) -> Result<Accepted, Error> {
    let (_, response, ..) = job.bulk_upload().create(body).send_raw().await?;
    Ok(Accepted {
        request_id: response.request_id.clone(),
        location: response.location.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_built_through_serde() {
        let op = operation(
            "PATCH",
            "/Users/1",
            "b1",
            serde_json::json!({"active": false}),
        )
        .unwrap();
        assert_eq!(op.method.as_deref(), Some("PATCH"));
        assert_eq!(op.bulk_id.as_deref(), Some("b1"));
        // `null` data is no data.
        let op = operation("DELETE", "/Users/1", "b2", serde_json::json!(null)).unwrap();
        assert_eq!(op.path.as_deref(), Some("/Users/1"));
        assert!(op.data.is_none());
        // Anything else is not a SCIM resource: refused, not dropped.
        for bad in [
            serde_json::json!("text"),
            serde_json::json!([1]),
            serde_json::json!(3),
        ] {
            assert!(operation("POST", "/Users", "b3", bad).is_err());
        }
    }

    #[test]
    fn report_maps_operations_to_requests() {
        let report = BulkReport {
            requests: vec![
                RequestOutcome {
                    first_operation: 0,
                    bulk_ids: vec![Some("a".into()), None],
                    result: Ok(Accepted::default()),
                },
                RequestOutcome {
                    first_operation: 2,
                    bulk_ids: vec![Some("c".into())],
                    result: Err(Error::config("boom")),
                },
            ],
        };
        let ids: Vec<(usize, Option<&str>, bool)> = report
            .operations()
            .map(|o| (o.index, o.bulk_id, o.is_accepted()))
            .collect();
        assert_eq!(
            ids,
            [(0, Some("a"), true), (1, None, true), (2, Some("c"), false)]
        );
        assert_eq!(report.failed().count(), 1);
        assert!(!report.all_accepted());
        assert_eq!(
            report.to_string(),
            "3 operations in 2 requests: 2 accepted, 1 not accepted"
        );
    }
}
