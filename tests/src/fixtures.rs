//! Hand-written stand-ins for generated request builders, shaped exactly as the generator emits
//! them against the runtime contract (`Operation` statics, `PathBuilder`, `Request::new`), plus a
//! client wired to a [`TestServer`] and a [`RecordingClock`].

use msgraph_sync::{
    Api, ApiVersion, Client, CollectionQuery, EntityQuery, Method, Operation, Page, PathBuilder,
    Request, RetryPolicy, Version, decode_empty, decode_json,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::clock::RecordingClock;
use crate::server::TestServer;

/// The bearer token the fixture client sends.
pub const TOKEN: &str = "test-token-5f1c0ffee";

const BOTH: &[ApiVersion] = &[ApiVersion::V1, ApiVersion::Beta];

/// `GET .../synchronization/jobs`
pub static LIST_JOBS: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.list",
    method: Method::Get,
    success: &[200],
    content_type: None,
    versions: BOTH,
    idempotent: true,
};

/// `GET .../synchronization/jobs/{id}`
pub static GET_JOB: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.synchronizationJob.get",
    method: Method::Get,
    success: &[200],
    content_type: None,
    versions: BOTH,
    idempotent: true,
};

/// `POST .../synchronization/jobs`
pub static CREATE_JOB: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.create",
    method: Method::Post,
    success: &[200, 201],
    content_type: Some("application/json"),
    versions: BOTH,
    idempotent: false,
};

/// `POST .../jobs/{id}/start`
pub static START_JOB: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.synchronizationJob.start",
    method: Method::Post,
    success: &[204],
    content_type: None,
    versions: BOTH,
    idempotent: false,
};

/// `DELETE .../jobs/{id}`
pub static DELETE_JOB: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.synchronizationJob.delete",
    method: Method::Delete,
    success: &[204],
    content_type: None,
    versions: BOTH,
    idempotent: true,
};

/// `POST .../jobs/{id}/bulkUpload` (SCIM body).
pub static BULK_UPLOAD: Operation = Operation {
    id: "servicePrincipals.synchronization.jobs.synchronizationJob.bulkUpload",
    method: Method::Post,
    success: &[202],
    content_type: Some("application/scim+json"),
    versions: BOTH,
    idempotent: false,
};

/// `PUT .../synchronization/secrets`
pub static PUT_SECRETS: Operation = Operation {
    id: "servicePrincipals.synchronization.secrets.put",
    method: Method::Put,
    success: &[204],
    content_type: Some("application/json"),
    versions: BOTH,
    idempotent: true,
};

/// `GET .../synchronization/microsoft.graph.Ping()` (beta only).
pub static PING: Operation = Operation {
    id: "servicePrincipals.synchronization.ping",
    method: Method::Get,
    success: &[200],
    content_type: None,
    versions: &[ApiVersion::Beta],
    idempotent: true,
};

/// A client for `server` with the fixture token, the recording clock and default retries.
pub fn client(server: &TestServer, clock: &RecordingClock) -> Client {
    builder(server, clock).build().expect("client builds")
}

/// A builder for `server` with the fixture token and the recording clock.
pub fn builder(server: &TestServer, clock: &RecordingClock) -> msgraph_sync::ClientBuilder {
    Client::builder()
        .base_url(&server.url())
        .static_token(TOKEN)
        .retry(RetryPolicy::default())
        .clock(clock.clone())
}

/// `/servicePrincipals/{sp}/synchronization`
pub fn synchronization<V>(api: &Api<V>, sp: &str) -> PathBuilder {
    let _ = api;
    PathBuilder::new()
        .segment("servicePrincipals")
        .id("servicePrincipal-id", sp)
        .segment("synchronization")
}

/// `/servicePrincipals/{sp}/synchronization/jobs/{job}`
pub fn job_path<V>(api: &Api<V>, sp: &str, job: &str) -> PathBuilder {
    synchronization(api, sp)
        .segment("jobs")
        .id("synchronizationJob-id", job)
}

/// List jobs, decoding items as `T`.
pub fn list_jobs<V: Version, T: DeserializeOwned>(
    api: &Api<V>,
    sp: &str,
) -> Request<Page<T>, CollectionQuery> {
    Request::new(
        api.client(),
        V::VERSION,
        &LIST_JOBS,
        synchronization(api, sp).segment("jobs"),
        decode_json::<Page<T>>,
    )
}

/// Get a job, decoding it as `T`.
pub fn get_job<V: Version, T: DeserializeOwned>(
    api: &Api<V>,
    sp: &str,
    job: &str,
) -> Request<T, EntityQuery> {
    Request::new(
        api.client(),
        V::VERSION,
        &GET_JOB,
        job_path(api, sp, job),
        decode_json::<T>,
    )
}

/// Create a job.
pub fn create_job<V: Version, B: Serialize + ?Sized>(
    api: &Api<V>,
    sp: &str,
    body: &B,
) -> Request<serde_json::Value> {
    Request::new(
        api.client(),
        V::VERSION,
        &CREATE_JOB,
        synchronization(api, sp).segment("jobs"),
        decode_json,
    )
    .body_json(body)
}

/// Start a job (body-less POST).
pub fn start_job<V: Version>(api: &Api<V>, sp: &str, job: &str) -> Request<()> {
    Request::new(
        api.client(),
        V::VERSION,
        &START_JOB,
        job_path(api, sp, job).segment("start"),
        decode_empty,
    )
}

/// Delete a job.
pub fn delete_job<V: Version>(api: &Api<V>, sp: &str, job: &str) -> Request<()> {
    Request::new(
        api.client(),
        V::VERSION,
        &DELETE_JOB,
        job_path(api, sp, job),
        decode_empty,
    )
}

/// Bulk upload (SCIM).
pub fn bulk_upload<V: Version>(
    api: &Api<V>,
    sp: &str,
    job: &str,
    body: &serde_json::Value,
) -> Request<()> {
    Request::new(
        api.client(),
        V::VERSION,
        &BULK_UPLOAD,
        job_path(api, sp, job).segment("bulkUpload"),
        decode_empty,
    )
    .body_json(body)
}

/// Save secrets.
pub fn put_secrets<V: Version, B: Serialize + ?Sized>(
    api: &Api<V>,
    sp: &str,
    body: &B,
) -> Request<()> {
    Request::new(
        api.client(),
        V::VERSION,
        &PUT_SECRETS,
        synchronization(api, sp).segment("secrets"),
        decode_empty,
    )
    .body_json(body)
}

/// Ping (beta only).
pub fn ping<V: Version>(api: &Api<V>, sp: &str) -> Request<serde_json::Value> {
    Request::new(
        api.client(),
        V::VERSION,
        &PING,
        synchronization(api, sp).segment("microsoft.graph.Ping()"),
        decode_json,
    )
}
