//! The requests the benches send, the same way on every side: through the crate's client, and the way a
//! user without it would, with a plain `reqwest::Client`.

use bytes::Bytes;
use msgraph_sync::{Client, Nullable, Page, SynchronizationJob};

/// The service principal in every path.
pub const SERVICE_PRINCIPAL: &str = "a1b2c3d4-0000-0000-0000-000000000000";
/// The bearer token sent (the server ignores it).
pub const TOKEN: &str = "bench-token";

/// The crate's client for the server at `base` (`http://127.0.0.1:port`).
pub fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .static_token(TOKEN)
        .build()
        .expect("client builds")
}

/// The jobs collection's URL under `base`, as a user would write it.
pub fn jobs_url(base: &str) -> String {
    format!("{base}/v1.0/servicePrincipals/{SERVICE_PRINCIPAL}/synchronization/jobs")
}

/// Creates a job from the `BoxOutDelta` template through the client.
pub async fn client_create(client: &Client) -> SynchronizationJob {
    let body = SynchronizationJob {
        template_id: Nullable::Value("BoxOutDelta".into()),
        ..Default::default()
    };
    let jobs = client
        .v1()
        .service_principal(SERVICE_PRINCIPAL)
        .synchronization()
        .jobs();
    jobs.create(&body).await.expect("create")
}

/// Lists a page of `top` jobs through the client.
pub async fn client_list(client: &Client, top: u32) -> Page<SynchronizationJob> {
    let jobs = client
        .v1()
        .service_principal(SERVICE_PRINCIPAL)
        .synchronization()
        .jobs();
    jobs.list().top(top).await.expect("list")
}

/// Creates a job with plain `reqwest`; the response body.
pub async fn raw_create(http: &reqwest::Client, jobs_url: &str) -> Bytes {
    let body = serde_json::to_vec(&serde_json::json!({"templateId": "BoxOutDelta"})).unwrap();
    let request = http
        .post(jobs_url)
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(body);
    body_of(request).await
}

/// A `GET` with plain `reqwest`; the response body.
pub async fn raw_get(http: &reqwest::Client, url: &str) -> Bytes {
    body_of(http.get(url).bearer_auth(TOKEN)).await
}

async fn body_of(request: reqwest::RequestBuilder) -> Bytes {
    let response = request.send().await.expect("send");
    let response = response.error_for_status().expect("a success status");
    response.bytes().await.expect("body")
}
