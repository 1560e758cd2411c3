//! The seeded operations on the wire, through the generated API against a real HTTP server on
//! 127.0.0.1: method, path, headers and JSON body of each request, and the parsing of each documented
//! response. The payloads are the reference pages' own (shared/seeds).

use std::time::Duration;

use msgraph_sync::*;
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::seeds;
use msgraph_sync_tests::server::{RecordedRequest, Reply, TestServer};
use serde_json::{Value, json};

const TOKEN: &str = "seed-token";

fn client(server: &TestServer, clock: &RecordingClock) -> Client {
    Client::builder()
        .base_url(&server.url())
        .static_token(TOKEN)
        .clock(clock.clone())
        .build()
        .expect("client builds")
}

fn seed_job() -> Value {
    seeds::create_job_response()
}

/// A request example from the spec (the seeds' payloads are attached there).
fn spec_example(path: &str, method: &str, name: &str) -> Value {
    seeds::request_example(&seeds::spec(), path, method, name)
}

fn assert_common_headers(request: &RecordedRequest) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(
        request
            .header("client-request-id")
            .is_some_and(|id| !id.is_empty())
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.contains("msgraph-sync"))
    );
}

#[tokio::test]
async fn create_job_accepts_201_and_200_and_writes_the_job_back_unchanged() {
    for status in [201, 200] {
        let server = TestServer::start().await;
        server.reply(Reply::json(status, &seed_job()));
        let client = client(&server, &RecordingClock::new());
        let body = SynchronizationJob {
            template_id: Nullable::Value("BoxOutDelta".into()),
            ..Default::default()
        };

        let job = client
            .v1()
            .service_principal("sp-1")
            .synchronization()
            .jobs()
            .create(&body)
            .await
            .unwrap();

        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.target,
            "/v1.0/servicePrincipals/sp-1/synchronization/jobs"
        );
        assert_common_headers(request);
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.json(), json!({"templateId": "BoxOutDelta"}));

        let interval = job
            .schedule
            .as_ref()
            .and_then(|s| s.interval.as_ref())
            .unwrap();
        assert_eq!(interval.to_string(), "P10675199DT2H48M5.4775807S");
        let status_code = job.status.as_ref().and_then(|s| s.code.clone());
        assert_eq!(status_code, Some(SynchronizationStatusCode::NotConfigured));
        assert_eq!(
            serde_json::to_value(&job).unwrap(),
            seed_job(),
            "written back unchanged ({status})"
        );
    }
}

#[tokio::test]
async fn start_sends_no_body_and_accepts_204() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = client(&server, &RecordingClock::new());

    client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("BoxOutDelta.abc")
        .start()
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/v1.0/servicePrincipals/sp-1/synchronization/jobs/BoxOutDelta.abc/start"
    );
    assert_common_headers(request);
    assert_eq!(request.header_all("content-length"), ["0"]);
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn restart_sends_the_reset_scope_as_the_docs_do() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = client(&server, &RecordingClock::new());
    let scope = SynchronizationJobRestartScope::WATERMARK
        | SynchronizationJobRestartScope::ESCROWS
        | SynchronizationJobRestartScope::QUARANTINE_STATE;
    let body = RestartRequestBody {
        criteria: Some(SynchronizationJobRestartCriteria {
            reset_scope: Nullable::Value(scope),
            ..Default::default()
        }),
        ..Default::default()
    };

    client
        .beta()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("job-1")
        .restart(&body)
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/beta/servicePrincipals/sp-1/synchronization/jobs/job-1/restart"
    );
    assert_common_headers(request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"criteria":{"resetScope":"Watermark, Escrows, QuarantineState"}}"#
    );
    // The body is also exactly the seed's example.
    let seed = spec_example(
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/restart",
        "post",
        "resetWatermarkEscrowsQuarantine",
    );
    assert_eq!(request.json(), seed);
}

#[tokio::test]
async fn restart_by_app_id_doubles_quotes_in_the_alternate_key() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = client(&server, &RecordingClock::new());
    let body = RestartRequestBody::default();

    client
        .beta()
        .service_principal_by_app_id("o'brien")
        .synchronization()
        .jobs()
        .job("j")
        .restart(&body)
        .await
        .unwrap();

    assert_eq!(
        server.requests()[0].target,
        "/beta/servicePrincipals(appId='o''brien')/synchronization/jobs/j/restart"
    );
}

#[tokio::test]
async fn schema_is_replaced_with_put_on_a_job_and_on_an_application_template() {
    let job_schema_path = "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema";
    for example in ["replaceSchema", "addTargetAttribute", "addAttributeMapping"] {
        let seed = spec_example(job_schema_path, "put", example);
        let schema: SynchronizationSchema = serde_json::from_value(seed.clone()).unwrap();
        let server = TestServer::start().await;
        server.reply(Reply::status(204)).reply(Reply::status(204));
        let client = client(&server, &RecordingClock::new());

        let beta = client.beta();
        beta.service_principal("sp-1")
            .synchronization()
            .jobs()
            .job("job-1")
            .schema()
            .put(&schema)
            .await
            .unwrap();
        beta.application("app-1")
            .synchronization()
            .templates()
            .template("tmpl-1")
            .schema()
            .put(&schema)
            .await
            .unwrap();

        let requests = server.requests();
        assert_eq!(requests[0].method, "PUT");
        assert_eq!(
            requests[0].target,
            "/beta/servicePrincipals/sp-1/synchronization/jobs/job-1/schema"
        );
        assert_eq!(requests[1].method, "PUT");
        assert_eq!(
            requests[1].target,
            "/beta/applications/app-1/synchronization/templates/tmpl-1/schema"
        );
        for request in &requests {
            assert_common_headers(request);
            assert_eq!(request.header("content-type"), Some("application/json"));
            let mut sent = request.json();
            let mut expected = seed.clone();
            // The docs write the attribute type in lower case; the crate sends the canonical spelling.
            for v in [&mut sent, &mut expected] {
                if let Some(t) = v.pointer_mut("/directories/0/objects/0/attributes/0/type") {
                    *t = Value::String(t.as_str().unwrap().to_ascii_lowercase());
                }
            }
            assert_eq!(sent, expected, "{example}");
        }
    }
}

#[tokio::test]
async fn list_jobs_follows_next_link_across_two_pages() {
    let server = TestServer::start().await;
    let base = server.url();
    let mut first = json!({"value": [seed_job()]});
    first["@odata.nextLink"] = json!(format!(
        "{base}/v1.0/servicePrincipals/sp-1/synchronization/jobs?$skiptoken=abc"
    ));
    let mut second_job = seed_job();
    second_job["id"] = json!("job-2");
    server
        .reply(Reply::json(200, &first))
        .reply(Reply::json(200, &json!({"value": [second_job]})));
    let client = client(&server, &RecordingClock::new());

    let jobs = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .list()
        .top(1)
        .collect_all()
        .await
        .unwrap();

    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1].id.as_deref(), Some("job-2"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].target,
        "/v1.0/servicePrincipals/sp-1/synchronization/jobs?$top=1"
    );
    assert_eq!(
        requests[1].target,
        "/v1.0/servicePrincipals/sp-1/synchronization/jobs?$skiptoken=abc"
    );
    assert_common_headers(&requests[1]);
}

#[tokio::test]
async fn a_graph_error_is_typed() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        404,
        &json!({"error": {"code": "Request_ResourceNotFound", "message": "Resource 'job-9' does not exist.",
            "innerError": {"request-id": "rid-404", "client-request-id": "cid-404", "date": "2024-05-02T10:11:12"}}}),
    ));
    let client = client(&server, &RecordingClock::new());

    let err = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("job-9")
        .get()
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some("Request_ResourceNotFound"));
    assert_eq!(err.request_id(), Some("rid-404"));
    let text = err.to_string();
    for part in [
        "404",
        "Request_ResourceNotFound",
        "does not exist",
        "rid-404",
    ] {
        assert!(text.contains(part), "`{text}` should name {part}");
    }
}

#[tokio::test]
async fn throttled_429_waits_retry_after_then_succeeds() {
    let server = TestServer::start().await;
    server
        .reply(
            Reply::json(
                429,
                &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
            )
            .header("Retry-After", "7"),
        )
        .reply(Reply::status(204));
    let clock = RecordingClock::new();
    let client = client(&server, &clock);

    client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("j")
        .pause()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
}

#[tokio::test]
async fn unavailable_503_on_every_attempt_ends_after_four_requests() {
    let server = TestServer::start().await;
    server.fallback(Reply::json(
        503,
        &json!({"error": {"code": "ServiceUnavailable", "message": "try later"}}),
    ));
    let clock = RecordingClock::new();
    let client = client(&server, &clock);

    // A GET is safe to repeat after a 503 (an action such as `start` is not: issue 12).
    let err = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("j")
        .get()
        .await
        .unwrap_err();

    assert_eq!(server.request_count(), 4);
    assert_eq!(clock.sleeps().len(), 3);
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn a_redirect_to_another_host_never_receives_the_token() {
    let foreign = TestServer::start().await;
    foreign.fallback(Reply::status(204));
    let server = TestServer::start().await;
    server.reply(Reply::redirect(
        307,
        &format!("{}/elsewhere", foreign.url()),
    ));
    let client = client(&server, &RecordingClock::new());

    let err = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs()
        .job("j")
        .start()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::ForeignHost { .. }), "{err:?}");
    assert!(
        foreign
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn ids_that_cannot_be_a_path_segment_are_refused_before_sending() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let client = client(&server, &RecordingClock::new());
    let jobs = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs();
    for bad in ["", ".", ".."] {
        let err = jobs.job(bad).delete().await.unwrap_err();
        assert!(matches!(err, Error::InvalidId { .. }), "{bad:?}: {err:?}");
    }
    assert_eq!(server.request_count(), 0);

    // Everything else is encoded into exactly one segment.
    jobs.job("a/b?c#d%e f..é").delete().await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/v1.0/servicePrincipals/sp-1/synchronization/jobs/a%2Fb%3Fc%23d%25e%20f..%C3%A9"
    );
}
