//! Client-side rate limits and the shared throttle gate over loopback HTTP, on a recording clock.

use std::time::Duration;

use msgraph_sync::toolkit::on_demand::{Subject, request_with_rule};
use msgraph_sync::{Error, RateLimits, RetryPolicy};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::json;

fn on_demand_answer() -> Reply {
    Reply::json(
        200,
        &json!({"key": "{\"result\":\"Success\",\"details\":{}}", "value": "{}"}),
    )
}

fn throttled(retry_after: &str) -> Reply {
    Reply::json(
        429,
        &json!({"error": {"code": "TooManyRequests", "message": "Too many requests"}}),
    )
    .header("Retry-After", retry_after)
}

#[tokio::test]
async fn provision_on_demand_keeps_to_five_per_ten_seconds_per_job() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.fallback(on_demand_answer());
    let client = fixtures::client(&server, &clock);
    let jobs = client.v1().service_principal("sp").synchronization().jobs();
    let body = request_with_rule("rule", [Subject::user("u")]);
    for _ in 0..5 {
        jobs.job("a").provision_on_demand(&body).await.unwrap();
    }
    jobs.job("b").provision_on_demand(&body).await.unwrap();
    assert!(clock.sleeps().is_empty(), "each job has its own budget");
    jobs.job("a").provision_on_demand(&body).await.unwrap();
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(10_500)],
        "10 s and the margin"
    );
    assert_eq!(server.request_count(), 7);

    // Off for callers who schedule themselves.
    let free = fixtures::builder(&server, &clock)
        .rate_limits(RateLimits::none())
        .build()
        .unwrap();
    for _ in 0..10 {
        free.v1()
            .service_principal("sp")
            .synchronization()
            .jobs()
            .job("a")
            .provision_on_demand(&body)
            .await
            .unwrap();
    }
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn a_retry_after_makes_other_requests_of_the_client_wait_instead_of_being_throttled() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server
        .reply(throttled("7"))
        .fallback(Reply::json(200, &json!({"id": "j"})));
    // The caller schedules retries itself: the 429 comes back at once.
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .v1()
        .service_principal("sp1")
        .synchronization()
        .jobs()
        .job("j")
        .start()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert!(clock.sleeps().is_empty());

    // Another request of the same client, for another service principal, waits out the Retry-After
    // before it is sent, and is not throttled.
    let clone = client.clone();
    clone
        .v1()
        .service_principal("sp2")
        .synchronization()
        .jobs()
        .job("j")
        .get()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
    // The gate is passed now.
    client
        .v1()
        .service_principal("sp3")
        .synchronization()
        .jobs()
        .job("j")
        .get()
        .await
        .unwrap();
    assert_eq!(clock.sleeps().len(), 1);
    assert_eq!(server.request_count(), 3);

    // provisionOnDemand has its own limit: a 429 elsewhere does not hold it up.
    server.reply(throttled("30"));
    let _ = client
        .v1()
        .service_principal("sp1")
        .synchronization()
        .jobs()
        .job("j")
        .pause()
        .await;
    server.reply(on_demand_answer());
    let body = request_with_rule("rule", [Subject::user("u")]);
    client
        .v1()
        .service_principal("sp1")
        .synchronization()
        .jobs()
        .job("j")
        .provision_on_demand(&body)
        .await
        .unwrap();
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn the_request_that_was_throttled_waits_only_once() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(throttled("3")).reply(Reply::status(204));
    let client = fixtures::client(&server, &clock);
    client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j")
        .start()
        .await
        .unwrap();
    // The transport's own retry waited 3 s; the gate it set had passed by then.
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    let gated = fixtures::builder(&server, &clock)
        .rate_limits(RateLimits::documented().with_shared_gate(false))
        .build()
        .unwrap();
    server
        .reply(throttled("5"))
        .reply(Reply::status(204))
        .reply(Reply::status(204));
    let _ = gated
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j")
        .start()
        .await;
    gated
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j")
        .pause()
        .await
        .unwrap();
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(3), Duration::from_secs(5)],
        "no gate when it is off"
    );
}
