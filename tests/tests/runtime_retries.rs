//! Retries of 429/503/504 with Retry-After, back-off, caps and `RetryPolicy::none()`, on a
//! recording clock (no test sleeps).

use std::time::{Duration, SystemTime};

use msgraph_sync::{Clock, Error, RetryPolicy, StatusCode};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::json;

fn throttled(status: u16, retry_after: Option<&str>) -> Reply {
    let reply = Reply::json(
        status,
        &json!({"error": {"code": "TooManyRequests", "message": "Too many requests, retry later.",
            "innerError": {"request-id": "rid-throttle", "date": "2024-05-02T10:11:12"}}}),
    );
    match retry_after {
        Some(v) => reply.header("Retry-After", v),
        None => reply,
    }
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_with_a_retry_attempt_header() {
    let server = TestServer::start().await;
    server
        .reply(throttled(429, Some("2")))
        .reply(Reply::status(204));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);

    fixtures::start_job(&client.v1(), "sp", "job")
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
    assert_eq!(requests[0].header("retry-attempt"), None);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
    assert_eq!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
    assert_eq!(requests[1].header_all("content-length"), ["0"]);
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    // The clock starts at Wed, 21 Oct 2015 07:28:00 GMT; the service asks for 30 s later.
    assert_eq!(
        clock.now(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480)
    );
    let date = "Wed, 21 Oct 2015 07:28:30 GMT";
    server
        .reply(throttled(503, Some(date)))
        .reply(Reply::json(200, &json!({"id": "j"})));
    let client = fixtures::client(&server, &clock);

    let job: serde_json::Value = fixtures::get_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(job["id"], "j");
    assert_eq!(clock.sleeps(), [Duration::from_secs(30)]);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn persistent_503_gives_up_after_three_retries() {
    let server = TestServer::start().await;
    server.fallback(throttled(503, None));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);

    let err = fixtures::delete_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let attempts: Vec<Option<&str>> = requests.iter().map(|r| r.header("retry-attempt")).collect();
    assert_eq!(attempts, [None, Some("1"), Some("2"), Some("3")]);
    let ids: Vec<&str> = requests
        .iter()
        .map(|r| r.header("client-request-id").unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    // Exponential back-off with up to 25 % jitter: 3 s, 6 s, 12 s.
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 3);
    for (sleep, base) in sleeps.iter().zip([3.0, 6.0, 12.0]) {
        let s = sleep.as_secs_f64();
        assert!(s >= base && s <= base * 1.25, "{sleeps:?}");
    }
    match &err {
        Error::Throttled {
            status,
            retry_after,
            attempts,
            error,
            request_id,
            ..
        } => {
            assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(*retry_after, None);
            assert_eq!(*attempts, 4);
            assert_eq!(error.as_ref().unwrap().code, "TooManyRequests");
            assert_eq!(request_id.as_deref(), Some("rid-throttle"));
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("503") && text.contains("4 attempt") && text.contains("rid-throttle"),
        "{text}"
    );
}

#[tokio::test]
async fn gateway_timeouts_are_retried() {
    let server = TestServer::start().await;
    server
        .reply(Reply::status(504).header("Retry-After", "1"))
        .reply(Reply::status(504))
        .reply(Reply::status(204));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    fixtures::delete_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(server.request_count(), 3);
    assert_eq!(clock.sleeps()[0], Duration::from_secs(1));
    assert!(
        clock.sleeps()[1] >= Duration::from_secs(6),
        "second retry backs off: {:?}",
        clock.sleeps()
    );
}

#[tokio::test]
async fn cumulative_wait_is_capped_at_180_seconds() {
    let server = TestServer::start().await;
    server.fallback(throttled(429, Some("100")));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);

    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    // 100 s fits under 180 s; another 100 s would not, so the second 429 is returned.
    assert_eq!(clock.sleeps(), [Duration::from_secs(100)]);
    assert_eq!(server.request_count(), 2);
    assert!(
        matches!(err, Error::Throttled { attempts: 2, retry_after: Some(d), .. } if d == Duration::from_secs(100))
    );

    let server = TestServer::start().await;
    server.fallback(throttled(429, Some("181")));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(clock.sleeps().is_empty());
    assert_eq!(server.request_count(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(181)));
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = TestServer::start().await;
    server.fallback(throttled(429, Some("7")));
    let clock = RecordingClock::new();
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(clock.sleeps().is_empty());
    match &err {
        Error::Throttled {
            status,
            retry_after,
            attempts,
            error,
            headers,
            ..
        } => {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(*retry_after, Some(Duration::from_secs(7)));
            assert_eq!(*attempts, 1);
            assert_eq!(
                error.as_ref().unwrap().message,
                "Too many requests, retry later."
            );
            assert_eq!(headers.get("retry-after").unwrap(), "7");
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.to_string().contains("retry after 7s"), "{err}");
}

#[tokio::test]
async fn retry_count_is_configurable_and_clamped_to_ten() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(503));
    let clock = RecordingClock::new();
    let policy = RetryPolicy::default()
        .with_max_retries(5)
        .with_base_delay(Duration::from_millis(10));
    let client = fixtures::builder(&server, &clock)
        .retry(policy)
        .build()
        .unwrap();
    let err = fixtures::delete_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 6);
    assert!(matches!(err, Error::Throttled { attempts: 6, .. }));

    let server = TestServer::start().await;
    server.fallback(Reply::status(503).header("Retry-After", "0"));
    let clock = RecordingClock::new();
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::default().with_max_retries(50))
        .build()
        .unwrap();
    let err = fixtures::delete_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 11);
    assert_eq!(server.requests()[10].header("retry-attempt"), Some("10"));
    assert!(matches!(err, Error::Throttled { attempts: 11, .. }));
}

#[tokio::test]
async fn bodies_are_resent_identically() {
    let server = TestServer::start().await;
    server
        .reply(throttled(429, Some("1")))
        .reply(Reply::json(201, &json!({"id": "new"})));
    let client = fixtures::client(&server, &RecordingClock::new());
    let created = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "Slack"}))
        .await
        .unwrap();
    assert_eq!(created["id"], "new");
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = TestServer::start().await;
    server.fallback(Reply::json(
        500,
        &json!({"error": {"code": "InternalServerError", "message": "boom"}}),
    ));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(clock.sleeps().is_empty());
    assert!(
        matches!(
            err,
            Error::Graph {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_503_on_create_is_not_retried_but_on_get_it_is() {
    // POST .../jobs may have been applied before the 503: sending it again could make a second job.
    let server = TestServer::start().await;
    server.fallback(throttled(503, Some("1")));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let err = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "Slack"}))
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(clock.sleeps().is_empty());
    assert!(
        matches!(
            err,
            Error::Throttled {
                attempts: 1,
                status: StatusCode::SERVICE_UNAVAILABLE,
                retry_after: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    // The same for a 504 on an action (repeated `start` calls can stop a running job).
    let server = TestServer::start().await;
    server.fallback(Reply::status(504));
    let client = fixtures::client(&server, &clock);
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(
        matches!(err, Error::Throttled { attempts: 1, .. }),
        "{err:?}"
    );

    // GET, PUT and DELETE are safe to repeat.
    let server = TestServer::start().await;
    server
        .reply(throttled(503, Some("1")))
        .reply(Reply::json(200, &json!({"id": "j"})))
        .reply(throttled(503, Some("1")))
        .reply(Reply::status(204))
        .reply(throttled(504, Some("1")))
        .reply(Reply::status(204));
    let client = fixtures::client(&server, &clock);
    let job: serde_json::Value = fixtures::get_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(job["id"], "j");
    fixtures::put_secrets(&client.v1(), "sp", &json!({"value": []}))
        .await
        .unwrap();
    fixtures::delete_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(server.request_count(), 6);
}

#[tokio::test]
async fn a_429_is_retried_for_every_request() {
    let server = TestServer::start().await;
    server
        .reply(throttled(429, Some("2")))
        .reply(Reply::status(204));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    fixtures::start_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(server.request_count(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn callers_can_override_whether_a_request_is_safe_to_repeat() {
    let server = TestServer::start().await;
    server
        .reply(throttled(503, Some("1")))
        .reply(Reply::json(201, &json!({"id": "new"})));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let created = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "Slack"}))
        .idempotent(true)
        .await
        .unwrap();
    assert_eq!(created["id"], "new");
    assert_eq!(server.request_count(), 2);
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));

    let server = TestServer::start().await;
    server.fallback(throttled(503, Some("1")));
    let client = fixtures::client(&server, &clock);
    let err = fixtures::get_job::<_, serde_json::Value>(&client.v1(), "sp", "j")
        .idempotent(false)
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(
        matches!(err, Error::Throttled { attempts: 1, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_connection_reset_is_retried_for_a_get_but_not_after_a_post_was_sent() {
    let server = TestServer::start().await;
    server
        .reply(Reply::reset())
        .reply(Reply::json(200, &json!({"id": "j"})));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let job: serde_json::Value = fixtures::get_job(&client.v1(), "sp", "j").await.unwrap();
    assert_eq!(job["id"], "j");
    assert_eq!(server.request_count(), 2);
    assert_eq!(clock.sleeps().len(), 1, "the same back-off as for a 503");
    let requests = server.requests();
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );

    let server = TestServer::start().await;
    server
        .reply(Reply::reset())
        .reply(Reply::json(201, &json!({"id": "second job"})));
    let client = fixtures::client(&server, &clock);
    let err = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "Slack"}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable(), "the caller may check and retry itself");
    assert_eq!(
        server.request_count(),
        1,
        "the POST reached the server once"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_for_a_get() {
    let server = TestServer::start().await;
    let url = server.url();
    drop(server);
    let clock = RecordingClock::new();
    let client = msgraph_sync::Client::builder()
        .base_url(&url)
        .static_token("t")
        .clock(clock.clone())
        .build()
        .unwrap();
    let err = fixtures::get_job::<_, serde_json::Value>(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    match &err {
        Error::Transport(t) => assert!(t.is_connect(), "{t}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(clock.sleeps().len(), 3, "three retries with back-off");
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(clock.sleeps().len(), 3, "the POST is not retried");
}
