//! The toolkit end to end against the emulator (`msgraph-sync-emulator`): one test per capability.
//! The client's and the waiter's clock is the emulator's: every wait moves the emulated clock, so
//! cycles run and rate-limit windows pass without real sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use msgraph_sync::toolkit::bulk::{upload, user_operation};
use msgraph_sync::toolkit::on_demand::{self, ProvisioningOutcome, Subject};
use msgraph_sync::toolkit::schema_check::{ProblemKind, PutSchemaError, put_checked};
use msgraph_sync::toolkit::schema_edit::MappingSource;
use msgraph_sync::toolkit::secrets::{CredentialCheck, Secrets, save_and_validate};
use msgraph_sync::toolkit::wait::{
    Condition, JobWaiter, StartOutcome, WaitError, start_unless_running,
};
use msgraph_sync::{
    AttributeDefinition, Client, Clock, DateTimeOffset, Error, Nullable, QuarantineReason,
    RateLimits, RestartRequestBody, RetryPolicy, ServicePrincipals, SynchronizationJob,
    SynchronizationJobRestartCriteria, SynchronizationJobRestartScope, SynchronizationStatusCode,
    V1,
};
use msgraph_sync_emulator::{App, Emulator};
use serde_json::json;

const SP: &str = "a1b2c3d4-0000-0000-0000-000000000001";
const SP_NO_CREDENTIALS: &str = "a1b2c3d4-0000-0000-0000-000000000002";

/// Sleeping moves the emulated clock; `now` reads it.
#[derive(Clone)]
struct EmulatedClock(Arc<Emulator>);

impl Clock for EmulatedClock {
    fn now(&self) -> SystemTime {
        let now: DateTimeOffset = self
            .0
            .now()
            .parse()
            .expect("the emulator's clock reads as a date-time");
        now.to_system_time().expect("a real instant")
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        self.0.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

struct Tenant {
    emulator: Arc<Emulator>,
    client: Client,
}

impl Tenant {
    async fn start() -> Self {
        let emulator = Emulator::builder()
            .app(App::new(SP).template("BoxOutDelta").valid_credentials())
            .app(App::new(SP_NO_CREDENTIALS).template("BoxOutDelta"))
            .start()
            .await
            .expect("the emulator starts");
        let emulator = Arc::new(emulator);
        let client = Self::builder(&emulator).build().unwrap();
        Self { emulator, client }
    }

    fn builder(emulator: &Arc<Emulator>) -> msgraph_sync::ClientBuilder {
        Client::builder()
            .base_url(emulator.base_url())
            .static_token("emulated")
            .clock(EmulatedClock(Arc::clone(emulator)))
    }

    fn clock(&self) -> EmulatedClock {
        EmulatedClock(Arc::clone(&self.emulator))
    }

    async fn create_job(
        &self,
        sp: &str,
    ) -> msgraph_sync::requests::SynchronizationJobRequests<ServicePrincipals, V1> {
        let jobs = self
            .client
            .v1()
            .service_principal(sp)
            .synchronization()
            .jobs();
        let body = SynchronizationJob {
            template_id: Nullable::Value("BoxOutDelta".into()),
            ..Default::default()
        };
        let job = jobs.create(&body).await.unwrap();
        jobs.job(job.id.clone().unwrap())
    }

    fn waiter(
        &self,
        job: &msgraph_sync::requests::SynchronizationJobRequests<ServicePrincipals, V1>,
    ) -> JobWaiter<ServicePrincipals, V1> {
        JobWaiter::new(job.clone())
            .interval(Duration::from_secs(30))
            .timeout(Duration::from_secs(3 * 3600))
            .clock(self.clock())
    }
}

#[tokio::test]
async fn wait_start_a_job_and_wait_for_steady_state_or_quarantine() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    let before = job.get().await.unwrap();
    assert_eq!(
        start_unless_running(&job).await.unwrap(),
        StartOutcome::Started(Some(SynchronizationStatusCode::NotConfigured))
    );
    let steady = t
        .waiter(&job)
        .until(Condition::steady_state_after_job(&before))
        .await
        .unwrap();
    let status = steady.status.as_ref().unwrap();
    assert_eq!(status.code, Some(SynchronizationStatusCode::Active));
    assert!(
        status
            .last_execution
            .as_ref()
            .unwrap()
            .count_exported
            .unwrap()
            > 0
    );
    // Running: start is not called again.
    let posts = |t: &Tenant| {
        t.emulator
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/start"))
            .count()
    };
    assert_eq!(posts(&t), 1);
    assert_eq!(
        start_unless_running(&job).await.unwrap(),
        StartOutcome::AlreadyRunning
    );
    assert_eq!(posts(&t), 1);
    // The next cycle completes after this one.
    let next = t
        .waiter(&job)
        .until(Condition::cycle_completed_after_job(&steady))
        .await
        .unwrap();
    assert_ne!(
        next.status.as_ref().unwrap().last_execution,
        status.last_execution
    );

    // Without credentials the first cycle puts the job in quarantine.
    let job = t.create_job(SP_NO_CREDENTIALS).await;
    job.start().await.unwrap();
    let err = t
        .waiter(&job)
        .until(Condition::steady_state_after_job(&before))
        .await
        .unwrap_err();
    assert!(matches!(err, WaitError::Quarantined { .. }), "{err}");
    assert_eq!(
        err.quarantine().unwrap().reason,
        Some(QuarantineReason::EncounteredQuarantineException)
    );
    assert!(
        err.to_string()
            .contains("quarantined (EncounteredQuarantineException, series 1)"),
        "{err}"
    );
}

#[tokio::test]
async fn wait_the_status_stream_shows_each_change_once() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    job.start().await.unwrap();
    let changes: Vec<_> = t.waiter(&job).changes().take(3).collect().await;
    let progress: Vec<String> = changes
        .iter()
        .map(|c| c.as_ref().unwrap().progress.to_string())
        .collect();
    assert!(progress.windows(2).all(|w| w[0] != w[1]), "{progress:#?}");
    assert!(progress[0].starts_with("status Active"), "{progress:#?}");
    assert!(
        progress.iter().any(|p| p.contains("last run Succeeded")),
        "{progress:#?}"
    );
}

#[tokio::test]
async fn scopes_restart_from_quarantine_with_a_named_scope() {
    let t = Tenant::start().await;
    let job = t.create_job(SP_NO_CREDENTIALS).await;
    job.start().await.unwrap();
    let quarantined = t
        .waiter(&job)
        .until(Condition::quarantined())
        .await
        .unwrap();
    // Fix the credentials, then leave quarantine keeping the watermark.
    let sync = t
        .client
        .v1()
        .service_principal(SP_NO_CREDENTIALS)
        .synchronization();
    let id = quarantined.id.clone().unwrap();
    save_and_validate(
        &sync,
        id.as_str(),
        &Secrets::new()
            .base_address("https://scim.example.com/scim")
            .secret_token("t"),
    )
    .await
    .unwrap();
    let criteria = SynchronizationJobRestartCriteria {
        reset_scope: Nullable::Value(SynchronizationJobRestartScope::LEAVE_QUARANTINE),
        ..Default::default()
    };
    job.restart(&RestartRequestBody {
        criteria: Some(criteria),
        ..Default::default()
    })
    .await
    .unwrap();
    let restart = t
        .emulator
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/restart"))
        .unwrap();
    assert_eq!(
        restart.json().unwrap(),
        json!({"criteria": {"resetScope": "Escrows, QuarantineState"}})
    );
    let healthy = t
        .waiter(&job)
        .until(Condition::steady_state_after_job(&quarantined))
        .await
        .unwrap();
    assert!(
        healthy.status.as_ref().unwrap().quarantine.is_null()
            || healthy.status.as_ref().unwrap().quarantine.is_absent()
    );
}

#[tokio::test]
async fn on_demand_a_user_is_provisioned_then_skipped() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    job.start().await.unwrap();
    let user = "9bb0f679-a883-4a6f-8260-35b491b8b8c8";
    let first = on_demand::provision(&job, Subject::user(user))
        .await
        .unwrap();
    assert_eq!(first.outcome, ProvisioningOutcome::Success, "{first:?}");
    assert!(!first.steps.is_empty());
    let again = on_demand::provision(&job, Subject::user(user))
        .await
        .unwrap();
    assert_eq!(again.outcome, ProvisioningOutcome::Skipped);
    assert_eq!(again.details.error_code.as_deref(), Some("RedundantExport"));
    let sent = t
        .emulator
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/provisionOnDemand"))
        .unwrap();
    assert_eq!(
        sent.json().unwrap()["parameters"][0]["ruleId"],
        "4c5ecfa1-a072-4460-b1c3-4adde3479854"
    );
}

#[tokio::test]
async fn throttle_the_client_keeps_to_the_documented_limit_so_the_service_never_answers_429() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    job.start().await.unwrap();
    let start = t.clock().now();
    // Documented limits: the sixth call waits for the window (on the emulated clock).
    for i in 0..6 {
        on_demand::provision(
            &job,
            Subject::user(format!("00000000-0000-0000-0000-00000000000{i}")),
        )
        .await
        .unwrap();
    }
    assert!(t.clock().now().duration_since(start).unwrap() >= Duration::from_secs(10));

    // Without client-side limits and without retries, the service's own limit shows.
    let free = Tenant::builder(&t.emulator)
        .rate_limits(RateLimits::none())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let job = free
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job(job.get().await.unwrap().id.unwrap());
    let mut throttled = None;
    for i in 0..6 {
        if let Err(e) = on_demand::provision(
            &job,
            Subject::user(format!("10000000-0000-0000-0000-00000000000{i}")),
        )
        .await
        {
            throttled = Some(e);
            break;
        }
    }
    let err = throttled.expect("the emulator throttles the sixth call");
    let on_demand::OnDemandError::Request(Error::Throttled { retry_after, .. }) = &err else {
        panic!("{err:?}")
    };
    assert!(retry_after.is_some());
}

#[tokio::test]
async fn schema_edit_check_and_put() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    let mut schema = job.schema().get().await.unwrap();
    let target = schema.rules()[0]
        .target_directory_name
        .as_ref()
        .unwrap()
        .clone();
    schema
        .directory_mut(&target)
        .unwrap()
        .object_mut("User")
        .unwrap()
        .put_attribute(AttributeDefinition {
            name: "Street".to_owned().into(),
            ..Default::default()
        });
    schema
        .object_mapping_mut("User", "User")
        .unwrap()
        .map_attribute("Street", MappingSource::attribute("streetAddress"));
    put_checked(&job.schema(), &schema).await.unwrap();
    let stored = job.schema().get().await.unwrap();
    let mapping = stored
        .object_mapping("User", "User")
        .unwrap()
        .attribute_mapping("Street")
        .unwrap();
    assert_eq!(
        mapping
            .source
            .as_ref()
            .unwrap()
            .expression
            .as_ref()
            .unwrap(),
        "[streetAddress]"
    );

    // A mapping the service would refuse is refused here first, naming the same attribute.
    schema
        .object_mapping_mut("User", "User")
        .unwrap()
        .map_attribute("Nickname", MappingSource::attribute("mailNickname"));
    let err = put_checked(&job.schema(), &schema).await.unwrap_err();
    let PutSchemaError::Check(problems) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        problems.problems()[0].kind,
        ProblemKind::UnknownTargetAttribute
    );
    let service = job.schema().put(&schema).await.unwrap_err();
    assert_eq!(service.status().map(|s| s.as_u16()), Some(400));
    assert!(format!("{service}").contains("Nickname"), "{service}");
}

#[tokio::test]
async fn secrets_validate_then_save_names_the_failed_check() {
    let t = Tenant::start().await;
    let job = t.create_job(SP_NO_CREDENTIALS).await;
    let id = job.get().await.unwrap().id.unwrap();
    let sync = t
        .client
        .v1()
        .service_principal(SP_NO_CREDENTIALS)
        .synchronization();
    // Valid shape, but no SecretToken: the service's validation fails and nothing is stored.
    let err = save_and_validate(
        &sync,
        id.as_str(),
        &Secrets::new().base_address("https://scim.example.com/scim"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.check(), CredentialCheck::Validated, "{err}");
    assert!(t.emulator.stored_secrets(SP_NO_CREDENTIALS).is_empty());
    let secrets = Secrets::new()
        .base_address("https://scim.example.com/scim")
        .secret_token("tok-91c1")
        .sync_all(false);
    save_and_validate(&sync, id.as_str(), &secrets)
        .await
        .unwrap();
    let stored: Vec<String> = t
        .emulator
        .stored_secrets(SP_NO_CREDENTIALS)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(stored, ["BaseAddress", "SecretToken", "SyncAll"]);
    let read = sync.get().await.unwrap();
    let keys: Vec<String> = msgraph_sync::toolkit::secrets::stored_keys(&read)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(keys.contains(&"SecretToken".to_owned()), "{keys:?}");
}

#[tokio::test]
async fn bulk_many_operations_in_requests_of_fifty_within_the_rate_limit() {
    let t = Tenant::start().await;
    // No retries, so a 429 from the service would show; rate limits are per client, so one client
    // sends everything.
    let strict = Tenant::builder(&t.emulator)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let id = t.create_job(SP).await.get().await.unwrap().id.unwrap();
    let job = strict
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job(id);
    let ops = |n: usize, prefix: &str| -> Vec<_> {
        (0..n)
            .map(|i| user_operation(format!("{prefix}{i}"), json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "externalId": format!("{prefix}{i}"), "userName": format!("{prefix}{i}@contoso.com")})).unwrap())
            .collect()
    };
    let report = upload(&job, ops(120, "e")).await;
    assert!(report.all_accepted(), "{report}");
    assert!(
        report
            .operations()
            .all(|o| o.accepted().unwrap().location.is_some())
    );
    let uploads = t.emulator.bulk_uploads();
    assert_eq!(uploads.len(), 3, "{uploads:#?}");

    // 45 more single-operation uploads in the same emulated instant: the client spreads them over
    // the window, so the service never answers 429.
    for op in ops(45, "s") {
        let report = upload(&job, [op]).await;
        assert!(
            report.all_accepted(),
            "{report}: {:?}",
            report
                .failed()
                .next()
                .and_then(|o| o.error().map(ToString::to_string))
        );
    }
}

#[tokio::test]
async fn wait_throttling_from_the_service_is_waited_out() {
    let t = Tenant::start().await;
    let job = t.create_job(SP).await;
    let before = job.get().await.unwrap();
    job.start().await.unwrap();
    // Five 429s in a row for reading the job. The transport retries twice (90 s each, its 180 s
    // cap) and gives up; the waiter waits the service's Retry-After and polls again, and that
    // poll's transport absorbs the last two.
    let fault = msgraph_sync_emulator::Fault::on("*/jobs/*")
        .method("GET")
        .status(429)
        .retry_after_seconds(90)
        .times(5);
    t.emulator.inject(fault).unwrap();
    let start = t.clock().now();
    let done = t
        .waiter(&job)
        .until(Condition::steady_state_after_job(&before))
        .await
        .unwrap();
    assert_eq!(
        done.status.as_ref().unwrap().code,
        Some(SynchronizationStatusCode::Active)
    );
    // 2 × 90 s + 90 s + 2 × 90 s of emulated time, and no error ended the wait.
    assert!(t.clock().now().duration_since(start).unwrap() >= Duration::from_secs(5 * 90));
}
