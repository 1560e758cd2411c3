//! The seeded acceptance calls end to end: the generated client against the emulator
//! (`msgraph-sync-emulator`), over real HTTP on 127.0.0.1. Where `seeded_calls.rs` checks the exact
//! bytes against canned answers, these check that the service's documented behaviour follows.

use std::time::Duration;

use msgraph_sync::*;
use msgraph_sync_emulator::{App, Emulator, Fault};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::seeds;
use serde_json::{Value, json};

const SP: &str = "a1b2c3d4-0000-0000-0000-000000000000";
const APP_OBJECT: &str = "b1b2c3d4-0000-0000-0000-000000000000";
const APP_ID: &str = "c1b2c3d4-0000-0000-0000-000000000000";
const JOB_SCHEMA_PATH: &str =
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema";

async fn emulator(app: App) -> Emulator {
    Emulator::builder()
        .start_time("2026-01-01T00:00:00Z")
        .accept_token("seed-token")
        .app(app.application_id(APP_OBJECT).app_id(APP_ID))
        .start()
        .await
        .expect("the emulator starts")
}

fn client(emulator: &Emulator, clock: &RecordingClock) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .static_token("seed-token")
        .clock(clock.clone())
        .build()
        .expect("client builds")
}

async fn create(client: &Client) -> SynchronizationJob {
    let body = SynchronizationJob {
        template_id: Nullable::Value("BoxOutDelta".into()),
        ..Default::default()
    };
    client
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .create(&body)
        .await
        .expect("created")
}

#[tokio::test]
async fn create_job_from_the_template_answers_the_seeds_job() {
    let emulator = emulator(App::new(SP).template("BoxOutDelta")).await;
    let client = client(&emulator, &RecordingClock::new());

    let job = create(&client).await;

    let id = job.id.clone().unwrap();
    assert!(
        id.starts_with("BoxOutDelta.") && id.len() == "BoxOutDelta.".len() + 32,
        "{id}"
    );
    // Field for field the seed's response, but for the id (and the OData context annotation).
    let mut written = serde_json::to_value(&job).unwrap();
    written.as_object_mut().unwrap().remove("@odata.context");
    written["id"] = json!("{jobId}");
    assert_eq!(written, seeds::create_job_response());
    // And the request the emulator received is the seed's request.
    let request = &emulator.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs")
    );
    assert_eq!(request.json(), Some(json!({"templateId": "BoxOutDelta"})));
    assert_eq!(request.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn start_makes_the_job_active_and_the_engine_provisions() {
    let emulator = emulator(App::new(SP).template("BoxOutDelta").valid_credentials()).await;
    let client = client(&emulator, &RecordingClock::new());
    let id = create(&client).await.id.unwrap();
    let job = client
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job(&id);

    job.start().await.expect("started");

    let status = job.get().await.unwrap().status.into_option().unwrap();
    assert_eq!(status.code, Some(SynchronizationStatusCode::Active));
    emulator.advance(Duration::from_secs(20));
    let status = job.get().await.unwrap().status.into_option().unwrap();
    let exec = status
        .last_execution
        .clone()
        .into_option()
        .expect("a cycle ran");
    assert_eq!(exec.count_exported, Some(10));
    assert_eq!(
        status
            .steady_state_first_achieved_time
            .map(|t| t.to_string()),
        Some("2026-01-01T00:00:20Z".to_owned())
    );
}

#[tokio::test]
async fn restart_with_the_flag_set_clears_the_quarantine() {
    // No credentials: the first cycle quarantines the job.
    let emulator = emulator(App::new(SP).template("BoxOutDelta")).await;
    let client = client(&emulator, &RecordingClock::new());
    let id = create(&client).await.id.unwrap();
    let beta = client.beta();
    let job = beta.service_principal(SP).synchronization().jobs().job(&id);
    job.start().await.unwrap();
    emulator.advance(Duration::from_secs(20));
    let quarantine = job
        .get()
        .await
        .unwrap()
        .status
        .into_option()
        .unwrap()
        .quarantine
        .into_option()
        .unwrap();
    assert_eq!(quarantine.series_count, Some(1));

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
    job.restart(&body).await.expect("restarted");

    let status = job.get().await.unwrap().status.into_option().unwrap();
    assert!(status.quarantine.into_option().is_none());
    assert_eq!(status.code, Some(SynchronizationStatusCode::Active));
    let snapshot = emulator.snapshot();
    assert_eq!(
        snapshot["servicePrincipals"][0]["jobs"][0]["engine"]["lastRestartScope"],
        "Watermark, Escrows, QuarantineState"
    );
    // The body the emulator received is the seed's example.
    let seed = seeds::request_example(
        &seeds::spec(),
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/restart",
        "post",
        "resetWatermarkEscrowsQuarantine",
    );
    let restart = emulator
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/restart"))
        .unwrap();
    assert_eq!(restart.json(), Some(seed));

    // The alternate key reaches the same job.
    beta.service_principal_by_app_id(APP_ID)
        .synchronization()
        .jobs()
        .job(&id)
        .restart(&RestartRequestBody::default())
        .await
        .expect("restarted through appId");
}

fn spec_schema(example: &str) -> Value {
    seeds::request_example(&seeds::spec(), JOB_SCHEMA_PATH, "put", example)
}

#[tokio::test]
async fn schema_put_on_a_job_and_on_a_template_follows_the_documented_rules() {
    let emulator = emulator(App::new(SP).template("BoxOutDelta")).await;
    let client = client(&emulator, &RecordingClock::new());
    let id = create(&client).await.id.unwrap();
    let beta = client.beta();
    let job_schema = beta
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job(&id)
        .schema();
    let template_schema = beta
        .application(APP_OBJECT)
        .synchronization()
        .templates()
        .template("BoxOutDelta")
        .schema();

    // Example 2 (a custom target attribute) is a complete schema: accepted on both, read back.
    let seed = spec_schema("addTargetAttribute");
    let schema: SynchronizationSchema = serde_json::from_value(seed.clone()).unwrap();
    job_schema.put(&schema).await.expect("job schema replaced");
    template_schema
        .put(&schema)
        .await
        .expect("template schema replaced");
    for read in [
        job_schema.get().await.unwrap(),
        template_schema.get().await.unwrap(),
    ] {
        let read = serde_json::to_value(&read).unwrap();
        assert_eq!(read["directories"], seed["directories"]);
        assert!(
            read.get("synchronizationRules").is_none_or(Value::is_null),
            "PUT replaced the whole schema"
        );
    }

    // Example 1 is shortened ("provide all properties in a real call"): its rule maps objects
    // the Salesforce directory does not define, which the service refuses.
    let shortened: SynchronizationSchema =
        serde_json::from_value(spec_schema("replaceSchema")).unwrap();
    let error = job_schema
        .put(&shortened)
        .await
        .expect_err("rule naming a missing object");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.code(), Some("BadRequest"));
    assert!(error.request_id().is_some());
    // Completed with the objects and attributes it maps, the same schema is accepted.
    let mut completed = spec_schema("replaceSchema");
    completed["directories"][0]["objects"][0]["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "mail", "type": "String"}));
    completed["directories"][1]["objects"] =
        json!([{"name": "User", "attributes": [{"name": "userName", "type": "String"}]}]);
    completed["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"][0]["source"] =
        json!({"type": "Attribute", "name": "mail"});
    let completed: SynchronizationSchema = serde_json::from_value(completed).unwrap();
    job_schema
        .put(&completed)
        .await
        .expect("the completed example is accepted");

    // Example 3, kept as published, puts attribute-mapping fields on a rule: not a property of
    // synchronizationRule, so the service refuses it and names the place.
    let published: SynchronizationSchema =
        serde_json::from_value(spec_schema("addAttributeMapping")).unwrap();
    let error = template_schema
        .put(&published)
        .await
        .expect_err("unknown members of a rule");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let odata = error.odata_error().expect("a Graph error body");
    assert_eq!(
        odata.target.as_deref(),
        Some("synchronizationRules[0].defaultValue")
    );
    assert!(
        odata.message.contains(
            "'defaultValue' does not exist on type 'microsoft.graph.synchronizationRule'"
        )
    );

    // DELETE on the template's schema restores the factory schema, which GET/PUT round-trips.
    template_schema.delete().await.expect("reset");
    let factory = template_schema.get().await.unwrap();
    template_schema
        .put(&factory)
        .await
        .expect("the factory schema is written back whole");
}

#[tokio::test]
async fn lists_page_through_next_links() {
    let emulator = emulator(App::new(SP).template("BoxOutDelta")).await;
    let client = client(&emulator, &RecordingClock::new());
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(create(&client).await.id.unwrap());
    }
    let jobs = client.v1().service_principal(SP).synchronization().jobs();
    let listed: Vec<String> = jobs
        .list()
        .top(2)
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.id.unwrap())
        .collect();
    assert_eq!(listed, ids);
    let gets = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(gets, 3, "three pages of two");
}

#[tokio::test]
async fn the_client_survives_the_injected_faults() {
    let emulator = emulator(App::new(SP).template("BoxOutDelta")).await;
    let clock = RecordingClock::new();
    let client = client(&emulator, &clock);
    let id = create(&client).await.id.unwrap();
    let job = client
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job(&id);

    emulator
        .inject(
            Fault::on("*/jobs/*")
                .method("GET")
                .status(429)
                .retry_after_seconds(7)
                .times(1),
        )
        .unwrap();
    emulator
        .inject(
            Fault::on("*/jobs/*")
                .method("GET")
                .status(503)
                .retry_after_seconds(2)
                .times(1),
        )
        .unwrap();
    emulator
        .inject(Fault::on("*/jobs/*").method("GET").status(504).times(1))
        .unwrap();
    let got = job.get().await.expect("retried through 429, 503 and 504");
    assert_eq!(got.id.as_deref(), Some(id.as_str()));
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 3, "{sleeps:?}");
    assert_eq!(
        &sleeps[..2],
        &[Duration::from_secs(7), Duration::from_secs(2)]
    );

    // A truncated body is a transport error, not a wrong job.
    emulator
        .inject(Fault::on("*/jobs/*").method("GET").truncate_body())
        .unwrap();
    assert!(job.get().await.is_err());
    emulator.clear_faults();
    // Graph errors keep the emulator's request id.
    let error = client
        .v1()
        .service_principal(SP)
        .synchronization()
        .jobs()
        .job("BoxOutDelta.missing")
        .get()
        .await
        .expect_err("no such job");
    assert!(error.is_not_found());
    let logged = emulator.requests().last().cloned().unwrap();
    assert!(logged.path.ends_with("/jobs/BoxOutDelta.missing"));
    assert!(error.request_id().is_some_and(|id| id.len() == 36));
}
