//! The runtime on the wire: headers, bodies, paths, query options, timeouts, compression, auth.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_sync::{AccessToken, Client, Error, FnTokenProvider, Page};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::{Value, json};

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[tokio::test]
async fn sends_the_standard_headers() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        &json!({"id": "job1", "templateId": "BoxOutDelta"}),
    ));
    let client = fixtures::client(&server, &RecordingClock::new());

    let job: Value = fixtures::get_job(&client.v1(), "sp1", "job1")
        .await
        .unwrap();
    assert_eq!(job["templateId"], "BoxOutDelta");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.target,
        "/v1.0/servicePrincipals/sp1/synchronization/jobs/job1"
    );
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(r.header_all("authorization").len(), 1);
    assert_eq!(r.header("accept"), Some("application/json"));
    let sdk = concat!("msgraph-sync/", env!("CARGO_PKG_VERSION"));
    assert_eq!(r.header("user-agent"), Some(sdk));
    assert_eq!(r.header("sdkversion"), Some(sdk));
    assert!(
        is_uuid(r.header("client-request-id").unwrap()),
        "{:?}",
        r.header("client-request-id")
    );
    assert_eq!(r.header("retry-attempt"), None);
    assert_eq!(r.header("content-type"), None);
    assert!(
        r.header("accept-encoding")
            .unwrap_or_default()
            .contains("gzip")
    );
}

#[tokio::test]
async fn user_agent_suffix_is_appended() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = fixtures::builder(&server, &RecordingClock::new())
        .user_agent_suffix("my-tool/2.1")
        .build()
        .unwrap();
    fixtures::delete_job(&client.v1(), "sp", "job")
        .await
        .unwrap();
    let ua = server.requests()[0]
        .header("user-agent")
        .unwrap()
        .to_owned();
    assert!(
        ua.starts_with("msgraph-sync/") && ua.ends_with(" my-tool/2.1"),
        "{ua}"
    );
    assert_eq!(server.requests()[0].method, "DELETE");
}

#[tokio::test]
async fn bodyless_post_sends_content_length_zero_and_no_content_type() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());

    fixtures::start_job(&client.v1(), "sp1", "job1")
        .await
        .unwrap();

    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.target,
        "/v1.0/servicePrincipals/sp1/synchronization/jobs/job1/start"
    );
    assert_eq!(r.header_all("content-length"), ["0"]);
    assert_eq!(r.header("content-type"), None);
    assert_eq!(r.header("transfer-encoding"), None);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn json_bodies_carry_the_operation_content_type() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        201,
        &json!({"id": "BoxOutDelta.e4bb", "templateId": "BoxOutDelta"}),
    ));
    server.reply(
        Reply::status(202)
            .header("Content-Type", "application/json")
            .body("{}"),
    );
    let client = fixtures::client(&server, &RecordingClock::new());

    let created = fixtures::create_job(&client.v1(), "sp1", &json!({"templateId": "BoxOutDelta"}))
        .await
        .unwrap();
    assert_eq!(created["id"], "BoxOutDelta.e4bb");
    let scim =
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": []});
    fixtures::bulk_upload(&client.beta(), "sp1", "job1", &scim)
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(requests[0].json(), json!({"templateId": "BoxOutDelta"}));
    assert_eq!(
        requests[0].header("content-length"),
        Some(requests[0].body.len().to_string().as_str())
    );
    assert_eq!(
        requests[1].target,
        "/beta/servicePrincipals/sp1/synchronization/jobs/job1/bulkUpload"
    );
    assert_eq!(
        requests[1].header("content-type"),
        Some("application/scim+json")
    );
    assert_eq!(requests[1].json(), scim);
}

#[tokio::test]
async fn client_request_id_is_fresh_per_logical_request() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204)).reply(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());
    fixtures::start_job(&client.v1(), "sp", "j").await.unwrap();
    fixtures::start_job(&client.v1(), "sp", "j").await.unwrap();
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("client-request-id").unwrap().to_owned())
        .collect();
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test(start_paused = true)]
async fn per_request_timeout_gives_a_timeout_error() {
    // The paused clock auto-advances while the server holds the reply, so this does not wait.
    let server = TestServer::start().await;
    server.fallback(Reply::hang());
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);

    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "job")
        .timeout(Duration::from_secs(7))
        .await
        .unwrap_err();
    match &err {
        Error::Timeout {
            timeout,
            client_request_id,
        } => {
            assert_eq!(*timeout, Duration::from_secs(7));
            assert!(client_request_id.is_some());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert!(err.to_string().contains("timed out after 7s"), "{err}");
    // A GET that got no response byte is safe to repeat: the default 3 retries were made.
    assert_eq!(server.request_count(), 4);
    assert_eq!(clock.sleeps().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn client_default_timeout_applies() {
    let server = TestServer::start().await;
    server.reply(Reply::hang());
    let client = fixtures::builder(&server, &RecordingClock::new())
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let err = fixtures::start_job(&client.v1(), "sp", "job")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_secs(3)),
        "{err:?}"
    );
}

#[tokio::test]
async fn gzip_responses_are_decoded() {
    let server = TestServer::start().await;
    let body = json!({"value": [{"id": "a"}, {"id": "b"}]});
    server.reply(Reply::json(200, &body).gzip());
    let client = fixtures::client(&server, &RecordingClock::new());
    let page: Page<Value> = fixtures::list_jobs(&client.v1(), "sp").await.unwrap();
    assert_eq!(page.value, [json!({"id": "a"}), json!({"id": "b"})]);
}

#[tokio::test]
async fn ids_are_percent_encoded_as_one_segment_on_the_wire() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());
    let v1 = client.v1();

    fixtures::start_job(&v1, "a/b c", "?#%é'").await.unwrap();
    fixtures::start_job(
        &v1,
        "AD2AADProvisioning.fd1c9b9e8077402c8bc03a7186c8f976",
        "x..y",
    )
    .await
    .unwrap();
    let path = msgraph_sync::PathBuilder::new()
        .app_id_key("o'brien 1")
        .segment("synchronization")
        .segment("jobs")
        .id("j", "j1")
        .segment("start");
    msgraph_sync::Request::<(), msgraph_sync::NoQuery>::new(
        v1.client(),
        msgraph_sync::ApiVersion::V1,
        &fixtures::START_JOB,
        path,
        msgraph_sync::decode_empty,
    )
    .await
    .unwrap();

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/servicePrincipals/a%2Fb%20c/synchronization/jobs/%3F%23%25%C3%A9%27/start",
            "/v1.0/servicePrincipals/AD2AADProvisioning.fd1c9b9e8077402c8bc03a7186c8f976/synchronization/jobs/x..y/start",
            "/v1.0/servicePrincipals(appId='o''brien%201')/synchronization/jobs/j1/start",
        ]
    );
}

#[tokio::test]
async fn invalid_ids_are_refused_before_anything_is_sent() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());
    for (sp, job, bad) in [
        ("sp", "..", ".."),
        ("sp", ".", "."),
        ("", "job", ""),
        ("sp", "", ""),
    ] {
        let err = fixtures::start_job(&client.v1(), sp, job)
            .await
            .unwrap_err();
        match &err {
            Error::InvalidId { value, .. } => assert_eq!(value, bad),
            other => panic!("expected InvalidId, got {other:?}"),
        }
        assert!(err.to_string().starts_with("invalid "), "{err}");
    }
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn operations_missing_from_a_version_are_refused_before_sending() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, &json!({"value": "pong"})));
    let client = fixtures::client(&server, &RecordingClock::new());

    let err = fixtures::ping(&client.v1(), "sp").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedVersion {
                operation: "servicePrincipals.synchronization.ping",
                version: msgraph_sync::ApiVersion::V1
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("v1.0"), "{err}");
    assert_eq!(server.request_count(), 0);

    let pong = fixtures::ping(&client.beta(), "sp").await.unwrap();
    assert_eq!(pong["value"], "pong");
    assert_eq!(
        server.requests()[0].target,
        "/beta/servicePrincipals/sp/synchronization/microsoft.graph.Ping()"
    );
}

#[tokio::test]
async fn query_options_reach_the_wire() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, &json!({"value": [], "@odata.count": 0})));
    server.reply(Reply::json(200, &json!({"id": "j"})));
    let client = fixtures::client(&server, &RecordingClock::new());

    let page = fixtures::list_jobs::<_, Value>(&client.v1(), "sp")
        .top(5)
        .filter("templateId eq 'Slack'")
        .select(["id", "status"])
        .count(true)
        .await
        .unwrap();
    assert_eq!(page.count, Some(0));
    let _: Value = fixtures::get_job(&client.v1(), "sp", "j")
        .select(["schedule"])
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].query(),
        Some("$top=5&$filter=templateId%20eq%20%27Slack%27&$select=id,status&$count=true")
    );
    assert_eq!(requests[1].query(), Some("$select=schedule"));
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let client = Client::builder()
        .base_url(&format!("{}/graph-proxy/", server.url()))
        .static_token(TOKEN)
        .clock(RecordingClock::new())
        .build()
        .unwrap();
    fixtures::start_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/graph-proxy/v1.0/servicePrincipals/sp/synchronization/jobs/j/start"
    );
}

#[tokio::test]
async fn token_provider_receives_the_cloud_scope_on_every_attempt() {
    let server = TestServer::start().await;
    server
        .reply(Reply::status(429).header("Retry-After", "1"))
        .reply(Reply::status(204));
    let scopes = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&scopes);
    let provider = FnTokenProvider::new(move |scope: String| {
        let seen = Arc::clone(&seen);
        async move {
            let mut seen = seen.lock().unwrap();
            seen.push(scope);
            Ok(AccessToken::new(format!("token-{}", seen.len())))
        }
    });
    let client = Client::builder()
        .base_url(&server.url())
        .token_provider(provider)
        .clock(RecordingClock::new())
        .build()
        .unwrap();

    fixtures::start_job(&client.v1(), "sp", "j").await.unwrap();

    let expected_scope = format!("{}/.default", server.url());
    assert_eq!(
        *scopes.lock().unwrap(),
        [expected_scope.clone(), expected_scope]
    );
    let auth: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn token_failures_send_nothing() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let failing = Client::builder()
        .base_url(&server.url())
        .token_provider(FnTokenProvider::new(|_scope: String| async {
            Err(Error::auth("no credential configured"))
        }))
        .build()
        .unwrap();
    let err = fixtures::start_job(&failing.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(
        err.to_string().contains("no credential configured"),
        "{err}"
    );

    for bad in ["", "line\nbreak"] {
        let client = Client::builder()
            .base_url(&server.url())
            .static_token(bad)
            .build()
            .unwrap();
        let err = fixtures::start_job(&client.v1(), "sp", "j")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
        assert!(!err.to_string().contains("line\nbreak"));
    }
    assert_eq!(server.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_serves_concurrent_tasks() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let api = client.v1();
            tokio::spawn(async move { fixtures::start_job(&api, "sp", &format!("job{i}")).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.request_count(), 8);
}

#[tokio::test]
async fn connection_failures_are_transport_errors() {
    let server = TestServer::start().await;
    let url = server.url();
    drop(server);
    let client = Client::builder()
        .base_url(&url)
        .static_token(TOKEN)
        .build()
        .unwrap();
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    match &err {
        Error::Transport(t) => assert!(t.is_connect(), "{t}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(!format!("{err:?} {err}").contains(TOKEN));
}
