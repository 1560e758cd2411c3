//! Jobs over real HTTP: creation defaults, lifecycle, the engine on the emulated clock, quarantine.

mod support;

use std::time::Duration;

use serde_json::json;
use support::*;

#[tokio::test]
async fn a_job_is_created_from_a_template_with_the_documented_defaults() {
    let env = env().await;
    let a = env
        .post(
            &format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs"),
            json!({"templateId": "BoxOutDelta"}),
        )
        .await;
    assert_eq!(a.status, 201);
    let id = a.body["id"].as_str().unwrap();
    let (template, suffix) = id.split_once('.').unwrap();
    assert_eq!(template, "BoxOutDelta");
    assert!(
        suffix.len() == 32 && suffix.bytes().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let base = env.emulator.base_url();
    assert_eq!(
        a.body["@odata.context"],
        format!("{base}/v1.0/$metadata#servicePrincipals('{SP}')/synchronization/jobs/$entity")
    );
    let list = env
        .get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/jobs"
        ))
        .await;
    assert_eq!(
        list.body["@odata.context"],
        format!("{base}/v1.0/$metadata#servicePrincipals('{SP}')/synchronization/jobs")
    );
    let one = env
        .get(&format!("{}/schema", env.job_path("beta", id)))
        .await;
    assert_eq!(
        one.body["@odata.context"],
        format!(
            "{base}/beta/$metadata#servicePrincipals('{SP}')/synchronization/jobs('{id}')/schema/$entity"
        )
    );
    let mut body = a.body.clone();
    body.as_object_mut()
        .unwrap()
        .retain(|k, _| k != "id" && k != "@odata.context");
    assert_eq!(
        body,
        json!({
            "templateId": "BoxOutDelta",
            "schedule": {"expiration": null, "interval": "P10675199DT2H48M5.4775807S", "state": "Disabled"},
            "status": {
                "countSuccessiveCompleteFailures": 0, "escrowsPruned": false, "synchronizedEntryCountByType": [],
                "code": "NotConfigured", "lastExecution": null, "lastSuccessfulExecution": null,
                "lastSuccessfulExecutionWithExports": null,
                "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
                "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z",
                "quarantine": null, "troubleshootingUrl": null
            }
        })
    );
    // The template's schema was copied.
    let schema = env
        .get(&format!("{}/schema", env.job_path("v1.0", id)))
        .await;
    assert_eq!(schema.status, 200);
    assert_eq!(
        schema.body["synchronizationRules"][0]["id"],
        "4c5ecfa1-a072-4460-b1c3-4adde3479854"
    );
}

#[tokio::test]
async fn bad_creations_are_refused_with_the_place() {
    let env = env().await;
    let jobs = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs");
    let e = env.post(&jobs, json!({"templateId": "Nope"})).await;
    assert_eq!(e.error(400, "BadRequest")["target"], "templateId");
    let e = env.post(&jobs, json!({})).await;
    assert_eq!(e.error(400, "BadRequest")["target"], "templateId");
    let e = env.post(&jobs, json!({"templateId": 7})).await;
    assert_eq!(e.error(400, "BadRequest")["target"], "templateId");
    let e = env
        .post(&jobs, json!({"templateId": "BoxOutDelta", "colour": "red"}))
        .await;
    assert!(
        e.error(400, "BadRequest")["message"]
            .as_str()
            .unwrap()
            .contains("'colour' does not exist on type 'microsoft.graph.synchronizationJob'")
    );
    assert!(env.emulator.job_ids(SP).is_empty());
}

#[tokio::test]
async fn start_runs_cycles_on_the_emulated_clock_until_steady_state() {
    let env = env().await;
    let id = env.create_job().await;
    let job = env.job_path("v1.0", &id);
    assert_eq!(
        env.send("POST", &format!("{job}/start"), None).await.status,
        204
    );
    let a = env.get(&job).await;
    assert_eq!(
        (
            a.body["status"]["code"].as_str(),
            a.body["schedule"]["state"].as_str()
        ),
        (Some("Active"), Some("Active"))
    );
    assert_eq!(a.body["schedule"]["interval"], "PT40M");
    assert!(
        a.body["status"]["lastExecution"].is_null(),
        "no cycle has finished yet"
    );

    env.emulator.advance(Duration::from_secs(20));
    let status = env.get(&job).await.body["status"].clone();
    assert_eq!(status["lastExecution"]["countImported"], 10);
    assert_eq!(status["lastExecution"]["countExported"], 10);
    assert_eq!(status["lastExecution"]["state"], "Succeeded");
    assert_eq!(status["lastExecution"]["timeBegan"], "2026-01-01T00:00:00Z");
    assert_eq!(status["lastExecution"]["timeEnded"], "2026-01-01T00:00:20Z");
    assert_eq!(
        status["synchronizedEntryCountByType"],
        json!([{"key": "user to User", "value": 10}])
    );
    assert_eq!(
        status["steadyStateFirstAchievedTime"],
        "2026-01-01T00:00:20Z"
    );
    assert_eq!(
        status["lastSuccessfulExecutionWithExports"]["countExported"],
        10
    );

    env.emulator.add_source_changes(SP, &id, 4).unwrap();
    env.emulator.advance(Duration::from_secs(40 * 60));
    let status = env.get(&job).await.body["status"].clone();
    assert_eq!(status["lastExecution"]["countImportedDeltas"], 4);
    assert_eq!(status["lastExecution"]["timeBegan"], "2026-01-01T00:40:00Z");
    assert_eq!(
        status["steadyStateFirstAchievedTime"],
        "2026-01-01T00:00:20Z"
    );
    assert_eq!(
        status["steadyStateLastAchievedTime"],
        "2026-01-01T00:40:20Z"
    );

    // Pause stops the cycles.
    assert_eq!(
        env.send("POST", &format!("{job}/pause"), None).await.status,
        204
    );
    env.emulator.advance(Duration::from_secs(3 * 3600));
    let a = env.get(&job).await;
    assert_eq!(a.body["status"]["code"], "Paused");
    assert_eq!(a.body["schedule"]["state"], "Paused");
    assert_eq!(
        a.body["status"]["lastExecution"]["timeBegan"],
        "2026-01-01T00:40:00Z"
    );

    // Delete.
    assert_eq!(env.send("DELETE", &job, None).await.status, 204);
    env.get(&job).await.error(404, "NotFound");
}

#[tokio::test]
async fn missing_credentials_quarantine_the_job_and_escalate_and_start_clears_it() {
    let env = env_with(msgraph_sync_emulator::App::new(SP).template("BoxOutDelta")).await;
    let id = env.create_job().await;
    let job = env.job_path("beta", &id);
    env.send("POST", &format!("{job}/start"), None).await;
    env.emulator.advance(Duration::from_secs(20));
    let status = env.get(&job).await.body["status"].clone();
    assert_eq!(status["code"], "Quarantine");
    let q = &status["quarantine"];
    assert_eq!(q["reason"], "EncounteredQuarantineException");
    assert_eq!(q["seriesCount"], 1);
    assert_eq!(q["currentBegan"], "2026-01-01T00:00:20Z");
    assert_eq!(q["seriesBegan"], "2026-01-01T00:00:20Z");
    assert_eq!(q["nextAttempt"], "2026-01-01T00:40:20Z");
    assert_eq!(q["error"]["code"], "CredentialsMissing");
    assert_eq!(q["error"]["tenantActionable"], true);
    assert_eq!(status["lastExecution"]["state"], "Failed");

    env.emulator.advance(Duration::from_secs(40 * 60));
    let q = env.get(&job).await.body["status"]["quarantine"].clone();
    assert_eq!(q["seriesCount"], 2);
    assert_eq!(q["seriesBegan"], "2026-01-01T00:00:20Z");
    assert_eq!(q["nextAttempt"], "2026-01-01T02:00:20Z", "the wait doubles");

    // Fix the credentials; the next attempt ends the quarantine.
    let secrets = json!({"value": [{"key": "BaseAddress", "value": "https://scim.example.com"}, {"key": "SecretToken", "value": "s"}]});
    let a = env
        .send(
            "PUT",
            &format!("/beta/servicePrincipals/{SP}/synchronization/secrets"),
            Some(secrets),
        )
        .await;
    assert_eq!(a.status, 204);
    env.emulator.advance(Duration::from_secs(80 * 60));
    let status = env.get(&job).await.body["status"].clone();
    assert_eq!(status["code"], "Active");
    assert!(status["quarantine"].is_null());
    assert_eq!(status["countSuccessiveCompleteFailures"], 0);
}

#[tokio::test]
async fn restart_with_the_flag_set_clears_what_it_names() {
    let env = env().await;
    let id = env.create_job().await;
    let job = env.job_path("beta", &id);
    env.send("POST", &format!("{job}/start"), None).await;
    env.emulator.set_export_failure_rate(SP, &id, 1.0).unwrap();
    env.emulator.advance(Duration::from_secs(20));
    let status = env.get(&job).await.body["status"].clone();
    assert_eq!(
        status["quarantine"]["reason"],
        "EncounteredEscrowProportionThreshold"
    );
    assert_eq!(status["lastExecution"]["countEscrowed"], 10);
    assert_eq!(status["lastExecution"]["state"], "EntryLevelErrors");

    env.emulator.set_export_failure_rate(SP, &id, 0.0).unwrap();
    let body = json!({"criteria": {"resetScope": "Watermark, Escrows, QuarantineState"}});
    assert_eq!(env.post(&format!("{job}/restart"), body).await.status, 204);
    let status = env.get(&job).await.body["status"].clone();
    assert!(status["quarantine"].is_null());
    assert_eq!(status["escrowsPruned"], true);
    assert_eq!(status["code"], "Active");
    env.emulator.advance(Duration::from_secs(20));
    let exec = env.get(&job).await.body["status"]["lastExecution"].clone();
    assert_eq!(
        (
            exec["countImported"].as_i64(),
            exec["countEscrowed"].as_i64()
        ),
        (Some(10), Some(0)),
        "an initial cycle again"
    );
    assert_eq!(
        env.emulator.snapshot()["servicePrincipals"][0]["jobs"][0]["engine"]["lastRestartScope"],
        "Watermark, Escrows, QuarantineState"
    );

    // A member that is not in the enum is refused, with where.
    let e = env
        .post(
            &format!("{job}/restart"),
            json!({"criteria": {"resetScope": "Watermark, Everything"}}),
        )
        .await;
    assert_eq!(e.error(400, "BadRequest")["target"], "criteria.resetScope");
    // The alternate key reaches the same job.
    let by_app_id =
        format!("/beta/servicePrincipals(appId='{APP_ID}')/synchronization/jobs/{id}/restart");
    assert_eq!(
        env.post(&by_app_id, json!({"criteria": {"resetScope": "Full"}}))
            .await
            .status,
        204
    );
    assert_eq!(
        env.emulator.snapshot()["servicePrincipals"][0]["jobs"][0]["engine"]["lastRestartScope"],
        "Full"
    );
}

#[tokio::test]
async fn patch_updates_settings_and_snapshots_round_trip() {
    let env = env().await;
    let id = env.create_job().await;
    let job = env.job_path("v1.0", &id);
    let settings = json!({"synchronizationJobSettings": [{"name": "QuarantineTooManyDeletesThreshold", "value": "500"}]});
    assert_eq!(
        env.send("PATCH", &job, Some(settings.clone())).await.status,
        204
    );
    assert_eq!(
        env.get(&job).await.body["synchronizationJobSettings"],
        settings["synchronizationJobSettings"]
    );

    let snapshot = env.emulator.snapshot();
    let other = msgraph_sync_emulator::Emulator::builder()
        .snapshot(snapshot.clone())
        .start()
        .await
        .unwrap();
    assert_eq!(other.job(SP, &id), env.emulator.job(SP, &id));
    assert_eq!(other.now(), "2026-01-01T00:00:00Z");

    // The admin endpoints do the same over HTTP.
    let http = client();
    let dumped: serde_json::Value = http
        .get(format!("{}/_emulator/state", env.emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dumped["servicePrincipals"][0]["jobs"][0]["id"], id.as_str());
    let third = msgraph_sync_emulator::Emulator::start().await.unwrap();
    let put = http
        .put(format!("{}/_emulator/state", third.base_url()))
        .body(dumped.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 204);
    assert_eq!(third.job_ids(SP), vec![id.clone()]);
    let advanced: serde_json::Value = http
        .post(format!("{}/_emulator/clock/advance", third.base_url()))
        .body(r#"{"duration": "PT1H"}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(advanced["now"], "2026-01-01T01:00:00Z");
    let bad = http
        .put(format!("{}/_emulator/state", third.base_url()))
        .body("{\"servicePrincipals\": [{\"id\": \"x\"}]}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}
