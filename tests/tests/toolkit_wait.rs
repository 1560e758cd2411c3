//! The job waiter and the status stream over loopback HTTP, on a recording clock (no test sleeps).

use std::time::Duration;

use futures_util::StreamExt;
use msgraph_sync::toolkit::wait::{
    Condition, JobWaiter, StartOutcome, WaitError, start_unless_running,
};
use msgraph_sync::{DateTimeOffset, RetryPolicy, SynchronizationStatusCode};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::{Value, json};

const JOB_PATH: &str = "/v1.0/servicePrincipals/sp/synchronization/jobs/BoxOutDelta.e4bb";

fn job(code: &str, steady: &str) -> Value {
    json!({"id": "BoxOutDelta.e4bb", "templateId": "BoxOutDelta",
        "schedule": {"interval": "PT40M", "state": "Active"},
        "status": {"code": code, "steadyStateLastAchievedTime": steady, "quarantine": null,
            "lastExecution": {"state": "Succeeded", "countImported": 3, "timeEnded": steady}}})
}

/// The docs' quarantine example (Get job), as the service sends it: `""` for the times and reason.
fn quarantined() -> Value {
    json!({"id": "BoxOutDelta.e4bb", "status": {"code": "Quarantine",
        "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z",
        "quarantine": {"currentBegan": "", "nextAttempt": "", "reason": "", "seriesBegan": "", "seriesCount": 2,
            "error": {"code": "SalesforceInvalidCredentials",
                "message": "Your Salesforce.com credentials are invalid.", "tenantActionable": true}}}})
}

fn waiter(
    client: &msgraph_sync::Client,
    clock: &RecordingClock,
) -> JobWaiter<msgraph_sync::ServicePrincipals, msgraph_sync::V1> {
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("BoxOutDelta.e4bb");
    JobWaiter::new(job)
        .interval(Duration::from_secs(30))
        .timeout(Duration::from_secs(600))
        .clock(clock.clone())
}

#[tokio::test]
async fn waits_for_steady_state_after_an_instant() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    // The previous steady state, a restart in progress, then a new steady state.
    server
        .reply(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")))
        .reply(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")))
        .reply(Reply::json(
            200,
            &job("Active", "2024-05-02T08:15:00.1234567Z"),
        ));
    let client = fixtures::client(&server, &clock);
    let since: DateTimeOffset = "2024-05-01T12:00:00Z".parse().unwrap();
    let done = waiter(&client, &clock)
        .until(Condition::steady_state_after(since))
        .await
        .unwrap();
    let status = done.status.as_ref().unwrap();
    assert_eq!(
        status
            .steady_state_last_achieved_time
            .as_ref()
            .unwrap()
            .as_str(),
        "2024-05-02T08:15:00.1234567Z"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.method == "GET" && r.path() == JOB_PATH)
    );
    assert_eq!(clock.sleeps(), [Duration::from_secs(30); 2]);
}

#[tokio::test]
async fn quarantine_ends_a_wait_with_its_reason_and_the_last_status() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server
        .reply(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")))
        .reply(Reply::json(200, &quarantined()));
    let client = fixtures::client(&server, &clock);
    let before: msgraph_sync::SynchronizationJob =
        serde_json::from_value(job("Active", "2024-05-01T10:00:00Z")).unwrap();
    let err = waiter(&client, &clock)
        .until(Condition::steady_state_after_job(&before))
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::Quarantined { .. }), "{err:?}");
    assert_eq!(
        err.condition().to_string(),
        "steady state after 2024-05-01T10:00:00Z"
    );
    let q = err.quarantine().unwrap();
    assert_eq!(q.series_count, Some(2));
    assert_eq!(
        q.error.as_ref().unwrap().code.as_ref().unwrap(),
        "SalesforceInvalidCredentials"
    );
    assert_eq!(
        err.to_string(),
        "the job entered quarantine while waiting for steady state after 2024-05-01T10:00:00Z; last status Quarantine; \
         quarantined (no reason given, series 2): SalesforceInvalidCredentials: Your Salesforce.com credentials are invalid."
    );
    // Waiting for quarantine itself succeeds on the same answer.
    server.reply(Reply::json(200, &quarantined()));
    let job = waiter(&client, &clock)
        .until(Condition::quarantined())
        .await
        .unwrap();
    assert_eq!(
        job.status.as_ref().unwrap().code,
        Some(SynchronizationStatusCode::Quarantine)
    );
}

#[tokio::test]
async fn timeout_names_the_condition_and_reads_once_more_at_the_deadline() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.fallback(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")));
    let client = fixtures::client(&server, &clock);
    let since: DateTimeOffset = "2024-06-01T00:00:00Z".parse().unwrap();
    let err = waiter(&client, &clock)
        .timeout(Duration::from_secs(100))
        .until(Condition::cycle_completed_after(since))
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        waited, last_job, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*waited, Duration::from_secs(100));
    assert!(last_job.is_some());
    // Reads at 0, 30, 60, 90 and at the deadline (100).
    assert_eq!(server.request_count(), 5);
    assert_eq!(clock.sleeps(), [30, 30, 30, 10].map(Duration::from_secs));
    assert!(err.to_string().starts_with("timed out after 100s waiting for a cycle completed after 2024-06-01T00:00:00Z; last status Active"), "{err}");
}

#[tokio::test]
async fn throttling_is_waited_out_honouring_retry_after_and_fatal_errors_end_at_once() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    let throttled = Reply::json(
        429,
        &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
    )
    .header("Retry-After", "45");
    server
        .reply(throttled)
        .reply(Reply::status(503))
        .reply(Reply::json(200, &job("Active", "2024-05-03T00:00:00Z")));
    // No retries in the transport: the waiter's own back-off is what is tested.
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let job = waiter(&client, &clock)
        .until(Condition::steady_state_after(
            "2024-05-01T00:00:00Z".parse().unwrap(),
        ))
        .await;
    assert!(job.is_ok());
    // Retry-After 45 s; then a second failure in a row (503, no Retry-After): the interval doubled twice.
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(45), Duration::from_secs(120)]
    );

    server.reply(Reply::json(
        404,
        &json!({"error": {"code": "Request_ResourceNotFound", "message": "no such job"}}),
    ));
    let err = waiter(&client, &clock)
        .until(Condition::quarantined())
        .await
        .unwrap_err();
    let WaitError::Request { error, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(error.is_not_found());
    assert_eq!(clock.sleeps().len(), 2, "a 404 is not waited on");
}

#[tokio::test]
async fn the_stream_yields_each_change_once_then_the_error() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    let a = job("Active", "2024-05-01T10:00:00Z");
    let mut a_again = a.clone();
    a_again["unrelated"] = json!("field changes are not status changes");
    server
        .reply(Reply::json(200, &a))
        .reply(Reply::json(200, &a_again))
        .reply(Reply::status(504))
        .reply(Reply::json(200, &quarantined()))
        .reply(Reply::json(200, &quarantined()))
        .reply(Reply::json(
            403,
            &json!({"error": {"code": "Authorization_RequestDenied", "message": "no"}}),
        ));
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let changes: Vec<_> = waiter(&client, &clock).changes().collect().await;
    assert_eq!(changes.len(), 3, "{changes:?}");
    let first = changes[0].as_ref().unwrap();
    assert!(first.previous.is_none());
    assert_eq!(first.progress.code, Some(SynchronizationStatusCode::Active));
    let second = changes[1].as_ref().unwrap();
    assert_eq!(second.previous.as_ref(), Some(&first.progress));
    assert_eq!(
        second.progress.quarantine.as_ref().unwrap().series_count,
        Some(2)
    );
    assert_eq!(
        changes[2]
            .as_ref()
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(403)
    );
    assert_eq!(server.request_count(), 6);
    // interval, interval, back-off after the 504 (2 × interval), interval, interval.
    assert_eq!(
        clock.sleeps(),
        [30, 30, 60, 30, 30].map(Duration::from_secs)
    );
}

#[tokio::test]
async fn start_is_called_only_for_a_job_that_is_not_running() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")));
    let client = fixtures::client(&server, &clock);
    let jobs = client.v1().service_principal("sp").synchronization().jobs();
    assert_eq!(
        start_unless_running(&jobs.job("BoxOutDelta.e4bb"))
            .await
            .unwrap(),
        StartOutcome::AlreadyRunning
    );
    assert_eq!(server.request_count(), 1);

    server
        .reply(Reply::json(200, &quarantined()))
        .reply(Reply::status(204));
    let outcome = start_unless_running(&jobs.job("BoxOutDelta.e4bb"))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        StartOutcome::Started(Some(SynchronizationStatusCode::Quarantine))
    );
    let requests = server.requests();
    assert_eq!(requests[2].method, "POST");
    assert_eq!(requests[2].path(), format!("{JOB_PATH}/start"));
}

/// A wall clock that never moves (or jumped back): sleeping returns at once, `now` stays.
#[derive(Clone, Default)]
struct FrozenClock(std::sync::Arc<std::sync::Mutex<Vec<Duration>>>);

impl msgraph_sync::Clock for FrozenClock {
    fn now(&self) -> std::time::SystemTime {
        std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
        self.0.lock().unwrap().push(d);
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn the_timeout_holds_even_when_the_wall_clock_stands_still() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.fallback(Reply::json(200, &job("Active", "2024-05-01T10:00:00Z")));
    let client = fixtures::client(&server, &clock);
    let frozen = FrozenClock::default();
    let err = waiter(&client, &clock)
        .clock(frozen.clone())
        .timeout(Duration::from_secs(95))
        .until(Condition::quarantined())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaitError::TimedOut { waited, .. } if waited == Duration::from_secs(95)),
        "{err:?}"
    );
    assert_eq!(
        *frozen.0.lock().unwrap(),
        [30, 30, 30, 5].map(Duration::from_secs)
    );
    assert_eq!(server.request_count(), 5);
}
