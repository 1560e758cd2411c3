//! A hostile server on 127.0.0.1: every misbehaviour ends in a typed error, within the time
//! limits, without a panic or a hang.

use std::time::{Duration, Instant};

use msgraph_sync::{Client, Error, FnTokenProvider, RetryPolicy};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::{Value, json};

/// Every test here must finish well within this; a hang fails instead of blocking the suite.
const GUARD: Duration = Duration::from_secs(20);

async fn get(client: &Client) -> Result<Value, Error> {
    let call = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j");
    tokio::time::timeout(GUARD, call)
        .await
        .expect("the call hung")
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let server = TestServer::start().await;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    server.fallback(Reply::raw(format!("{head}{{\"id\": \"partial")).then_reset());
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = get(&client).await.unwrap_err();
    match &err {
        Error::Transport(t) => assert!(t.is_body(), "{t}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    // The service answered, so even a GET is not sent again.
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_transport_error() {
    let server = TestServer::start().await;
    let head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n";
    server.fallback(Reply::raw(format!("{head}{{\"id\": \"cut\"}}")));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_body()),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("/v1.0/servicePrincipals/sp"),
        "{err}"
    );
}

#[tokio::test]
async fn a_slow_body_hits_the_per_request_timeout() {
    let server = TestServer::start().await;
    let body = serde_json::to_vec(&json!({"id": "slow", "pad": "x".repeat(200)})).unwrap();
    server.fallback(
        Reply::status(200)
            .body(body)
            .drip(10, Duration::from_millis(100)),
    );
    let client = fixtures::client(&server, &RecordingClock::new());
    let started = Instant::now();
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .timeout(Duration::from_millis(500))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(500)),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
    // Response bytes had arrived: not retried.
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn garbage_status_lines_and_heads_are_transport_errors() {
    let huge_header = format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(1 << 20));
    let cases: Vec<Vec<u8>> = vec![
        b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 99999 Huge\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n".to_vec(),
        b"\x00\xff\xfe\xfd\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello".to_vec(),
        huge_header.into_bytes(),
        Vec::new(),
    ];
    for raw in cases {
        let server = TestServer::start().await;
        server.fallback(Reply::raw(raw.clone()));
        let clock = RecordingClock::new();
        let client = fixtures::client(&server, &clock);
        let err = get(&client).await.unwrap_err();
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(40)]).into_owned();
        assert!(matches!(err, Error::Transport(_)), "{shown:?}: {err:?}");
        // A GET that got no valid response is retried with back-off, then gives up.
        assert!(server.request_count() <= 4, "{shown:?}");
    }
}

#[tokio::test]
async fn invalid_gzip_is_a_transport_error() {
    let server = TestServer::start().await;
    server.fallback(
        Reply::status(200)
            .header("Content-Encoding", "gzip")
            .body(&b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot deflate at all"[..]),
    );
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_body()),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn absurd_retry_after_values_are_bounded_by_the_cap() {
    for retry_after in [
        "99999999999999999999999",
        "18446744073709551615",
        "1e308",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = TestServer::start().await;
        server.fallback(Reply::status(429).header("Retry-After", retry_after));
        let clock = RecordingClock::new();
        let client = fixtures::client(&server, &clock);
        let err = get(&client).await.unwrap_err();
        assert!(
            matches!(err, Error::Throttled { attempts: 1, .. }),
            "{retry_after}: {err:?}"
        );
        assert!(err.retry_after().is_some(), "{retry_after}");
        assert!(
            clock.sleeps().is_empty(),
            "{retry_after}: no wait past the cap"
        );
        assert_eq!(server.request_count(), 1);
    }
}

#[tokio::test]
async fn redirect_loops_between_two_urls_end() {
    let server = TestServer::start().await;
    for _ in 0..10 {
        server
            .reply(Reply::redirect(307, "/v1.0/b"))
            .reply(Reply::redirect(307, "/v1.0/a"));
    }
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Redirect {
                reason: "too many redirects",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 6);
}

#[tokio::test]
async fn a_see_other_to_a_foreign_host_is_refused() {
    let server = TestServer::start().await;
    let foreign = TestServer::start().await;
    server.reply(Reply::redirect(303, &format!("{}/collect", foreign.url())));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "x"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ForeignHost {
                context: "redirect",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(foreign.request_count(), 0);
}

#[tokio::test]
async fn a_hanging_token_provider_is_bounded_by_the_request_timeout() {
    let server = TestServer::start().await;
    server.fallback(Reply::status(204));
    let client = Client::builder()
        .base_url(&server.url())
        .token_provider(FnTokenProvider::new(|_scope: String| {
            std::future::pending::<Result<msgraph_sync::AccessToken, Error>>()
        }))
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = tokio::time::timeout(GUARD, fixtures::start_job(&client.v1(), "sp", "j"))
        .await
        .expect("the call hung")
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn a_total_timeout_bounds_a_call_across_attempts() {
    // Retry waits count against the total: 10 s + 10 s fit in 25 s, a third wait does not.
    let server = TestServer::start().await;
    server.fallback(Reply::status(503).header("Retry-After", "10"));
    let clock = RecordingClock::new();
    let client = fixtures::builder(&server, &clock)
        .total_timeout(Duration::from_secs(25))
        .build()
        .unwrap();
    assert_eq!(client.total_timeout(), Some(Duration::from_secs(25)));
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::Throttled { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(clock.sleeps(), [Duration::from_secs(10); 2]);

    // The per-request setting overrides the client's.
    let clock = RecordingClock::new();
    let client = fixtures::builder(&server, &clock)
        .total_timeout(Duration::from_secs(25))
        .build()
        .unwrap();
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .total_timeout(Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Throttled { attempts: 1, .. }),
        "{err:?}"
    );
    assert!(clock.sleeps().is_empty());

    // An attempt is cut short by what is left of the total.
    let server = TestServer::start().await;
    server.fallback(Reply::hang());
    let client = fixtures::client(&server, &RecordingClock::new());
    let started = Instant::now();
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .timeout(Duration::from_secs(60))
        .total_timeout(Duration::from_millis(400))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TotalTimeout { total_timeout, attempts: 1, .. } if total_timeout == Duration::from_millis(400)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("total timeout of 400ms"), "{err}");
}

#[tokio::test]
async fn a_zero_timeout_is_a_configuration_error() {
    let server = TestServer::start().await;
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .total_timeout(Duration::ZERO)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(
        fixtures::builder(&server, &RecordingClock::new())
            .total_timeout(Duration::ZERO)
            .build()
            .is_err()
    );
    assert_eq!(server.request_count(), 0);
}
