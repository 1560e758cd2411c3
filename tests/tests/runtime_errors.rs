//! Error responses, decode failures and redaction, end to end.

use std::error::Error as _;

use msgraph_sync::{Duration, Error, Nullable, Page, SecretString, StatusCode};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use serde::Deserialize;
use serde_json::{Value, json};

#[tokio::test]
async fn graph_error_bodies_are_parsed() {
    let server = TestServer::start().await;
    server.reply(
        Reply::json(
            404,
            &json!({"error": {
                "code": "Request_ResourceNotFound",
                "message": "Resource 'job1' does not exist or one of its queried reference-property objects are not present.",
                "innerError": {
                    "date": "2024-05-02T10:11:12",
                    "request-id": "7b3c0d7e-request",
                    "client-request-id": "client-abc"
                }
            }}),
        )
        .header("request-id", "7b3c0d7e-request"),
    );
    let client = fixtures::client(&server, &RecordingClock::new());

    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "job1")
        .await
        .unwrap_err();
    match &err {
        Error::Graph {
            status,
            error,
            request_id,
            client_request_id,
            headers,
        } => {
            assert_eq!(*status, StatusCode::NOT_FOUND);
            assert_eq!(error.code, "Request_ResourceNotFound");
            assert!(error.message.starts_with("Resource 'job1' does not exist"));
            let inner = error.inner_error.as_ref().unwrap();
            assert_eq!(inner.request_id.as_deref(), Some("7b3c0d7e-request"));
            assert_eq!(inner.client_request_id.as_deref(), Some("client-abc"));
            assert_eq!(inner.date.as_deref(), Some("2024-05-02T10:11:12"));
            assert_eq!(request_id.as_deref(), Some("7b3c0d7e-request"));
            let sent = server.requests()[0]
                .header("client-request-id")
                .unwrap()
                .to_owned();
            assert_eq!(client_request_id.as_deref(), Some(sent.as_str()));
            assert_eq!(headers.get("request-id").unwrap(), "7b3c0d7e-request");
        }
        other => panic!("expected a Graph error, got {other:?}"),
    }
    assert!(err.is_not_found());
    assert_eq!(err.code(), Some("Request_ResourceNotFound"));
    assert!(!err.is_retryable());
    let text = err.to_string();
    for part in [
        "404",
        "Not Found",
        "Request_ResourceNotFound",
        "does not exist",
        "request-id: 7b3c0d7e-request",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text}");
    }
}

#[tokio::test]
async fn capital_date_and_request_id_from_the_body() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        400,
        &json!({"error": {"code": "BadRequest", "message": "Invalid schema.", "target": "schema",
            "details": [{"code": "InvalidExpression", "message": "Unknown function", "target": "rules[0]"}],
            "innerError": {"Date": "2024-05-02T10:11:12Z", "request-id": "from-body", "@odata.type": "#microsoft.graph.innerError"}}}),
    ));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    let odata = err.odata_error().unwrap();
    assert_eq!(odata.target.as_deref(), Some("schema"));
    assert_eq!(odata.details[0].code, "InvalidExpression");
    assert_eq!(
        odata.inner_error.as_ref().unwrap().date.as_deref(),
        Some("2024-05-02T10:11:12Z")
    );
    assert_eq!(err.request_id(), Some("from-body"));
    assert!(err.to_string().contains("(request-id: from-body)"), "{err}");
}

#[tokio::test]
async fn non_graph_error_bodies_still_give_a_typed_error() {
    let server = TestServer::start().await;
    server.reply(
        Reply::status(502)
            .header("Content-Type", "text/html")
            .body("<html><body>Bad gateway</body></html>"),
    );
    server.reply(Reply::status(401).header("request-id", "rid-401"));
    let client = fixtures::client(&server, &RecordingClock::new());

    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    match &err {
        Error::Http { status, body, .. } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert!(body.expose_text().contains("Bad gateway"));
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
    // The body is kept, but formatting shows only its type and length.
    assert!(!err.to_string().contains("Bad gateway"), "{err}");
    assert!(
        err.to_string().contains("text/html, 37 bytes, not shown"),
        "{err}"
    );

    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.request_id(), Some("rid-401"));
    assert!(
        err.to_string().contains("401 Unauthorized") && err.to_string().contains("rid-401"),
        "{err}"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Job {
    id: String,
    schedule: Schedule,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Schedule {
    interval: Duration,
    #[serde(default)]
    expiration: Nullable<msgraph_sync::DateTimeOffset>,
}

#[tokio::test]
async fn decode_errors_carry_the_json_path_and_keep_the_body_unshown() {
    let server = TestServer::start().await;
    let filler = "x".repeat(2000);
    let body = json!({"value": [
        {"id": "a", "schedule": {"interval": "PT20M"}},
        {"id": 987654321, "schedule": {"interval": "PT40M"}, "note": filler}
    ]});
    server.reply(Reply::json(200, &body).header("request-id", "rid-decode"));
    let client = fixtures::client(&server, &RecordingClock::new());

    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status,
            error,
            body: kept,
            request_id,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(error.path(), "value[1].id");
            assert!(
                error
                    .message()
                    .starts_with("invalid type: integer (not shown), expected a string"),
                "{}",
                error.message()
            );
            // The whole body, through the explicit accessor only.
            assert_eq!(kept.expose_bytes(), serde_json::to_vec(&body).unwrap());
            assert_eq!(err.response_body(), Some(kept));
            assert_eq!(request_id.as_deref(), Some("rid-decode"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(err.to_string().contains("value[1].id"), "{err}");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("xxxxxxxx") && !shown.contains("987654321"),
        "{shown}"
    );
    let source = err.source().expect("decode errors have a source");
    assert!(source.to_string().contains("value[1].id"));
}

#[tokio::test]
async fn empty_success_bodies_with_a_typed_response_are_decode_errors() {
    let server = TestServer::start().await;
    server.reply(Reply::status(200));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Value>(&client.v1(), "sp")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { error, .. } if error.path() == "."),
        "{err:?}"
    );
}

#[tokio::test]
async fn tokens_and_secrets_never_appear_in_errors_or_debug_output() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        400,
        &json!({"error": {"code": "BadRequest", "message": "nope"}}),
    ));
    server.reply(Reply::status(503).header("Retry-After", "3"));
    let client = fixtures::builder(&server, &RecordingClock::new())
        .retry(msgraph_sync::RetryPolicy::none())
        .build()
        .unwrap();

    #[derive(Debug, serde::Serialize)]
    struct Pair {
        key: &'static str,
        value: SecretString,
    }
    #[derive(Debug, serde::Serialize)]
    struct Secrets {
        value: Vec<Pair>,
    }
    let body = Secrets {
        value: vec![Pair {
            key: "SecretToken",
            value: SecretString::from("hunter2-secret"),
        }],
    };
    let secrets = json!({"value": [{"key": "SecretToken", "value": "hunter2-secret"}]});
    let request = fixtures::put_secrets(&client.v1(), "sp", &body);
    let shown = format!("{request:?} {body:?} {client:?} {:?}", client.v1());
    assert!(
        !shown.contains("hunter2-secret") && !shown.contains(TOKEN),
        "{shown}"
    );

    let graph = request.await.unwrap_err();
    assert_eq!(
        server.requests()[0].json(),
        secrets,
        "the secret itself is sent to the service"
    );
    let throttled = fixtures::put_secrets(&client.v1(), "sp", &secrets)
        .await
        .unwrap_err();
    for err in [graph, throttled] {
        let text = format!("{err} {err:?}");
        assert!(
            !text.contains(TOKEN) && !text.contains("hunter2-secret"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn page_type_is_usable_standalone() {
    let page: Page<Value> =
        serde_json::from_value(json!({"value": [1], "@odata.count": 1})).unwrap();
    assert_eq!(page.count, Some(1));
}
