//! Every other rule over real HTTP: auth, errors, routing, query options, schemas, secrets,
//! provisionOnDemand, bulkUpload, the expression endpoints.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn auth_is_required_and_the_token_check_applies() {
    let env = env().await;
    let url = env.url(&format!(
        "/v1.0/servicePrincipals/{SP}/synchronization/jobs"
    ));
    let a = answer(
        env.http
            .get(&url)
            .header("client-request-id", "mine-1")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        a.error(401, "InvalidAuthenticationToken")["message"],
        "Access token is empty."
    );
    assert_eq!(a.header("client-request-id"), Some("mine-1"));
    let a = answer(
        env.http
            .get(&url)
            .header("authorization", "Basic abc")
            .send()
            .await
            .unwrap(),
    )
    .await;
    a.error(401, "InvalidAuthenticationToken");

    let strict = msgraph_sync_emulator::Emulator::builder()
        .accept_token("right")
        .start()
        .await
        .unwrap();
    let url = format!(
        "{}/beta/servicePrincipals/{SP}/synchronization/jobs",
        strict.base_url()
    );
    let a = answer(
        env.http
            .get(&url)
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap(),
    )
    .await;
    a.error(401, "InvalidAuthenticationToken");
    let a = answer(
        env.http
            .get(&url)
            .bearer_auth("right")
            .send()
            .await
            .unwrap(),
    )
    .await;
    a.error(404, "Request_ResourceNotFound");
    // The token never reaches the log.
    assert!(
        strict
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("<redacted>"))
    );
}

#[tokio::test]
async fn every_answer_has_ids_and_bad_input_gets_the_graph_error() {
    let env = env().await;
    let a = env
        .get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/jobs"
        ))
        .await;
    assert_eq!(a.status, 200);
    let request_id = a.header("request-id").unwrap();
    assert_eq!(
        a.header("client-request-id"),
        Some(request_id),
        "generated when not sent"
    );

    let jobs = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs");
    // Malformed JSON, wrong content type, no body where one is required.
    let raw = |body: &'static str, ct: &'static str| {
        env.http
            .post(env.url(&jobs))
            .bearer_auth(TOKEN)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    answer(raw("{\"templateId\": ", "application/json").await.unwrap())
        .await
        .error(400, "BadRequest");
    answer(
        raw("{\"templateId\": \"BoxOutDelta\"}", "text/plain")
            .await
            .unwrap(),
    )
    .await
    .error(400, "BadRequest");
    answer(raw("", "application/json").await.unwrap())
        .await
        .error(400, "BadRequest");
    answer(raw("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "application/json").await.unwrap()).await.error(400, "BadRequest");
    // Ids, paths, methods, versions.
    env.get("/v1.0/servicePrincipals/not-a-guid/synchronization/jobs")
        .await
        .error(400, "Request_BadRequest");
    env.get("/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000000/synchronization/jobs")
        .await
        .error(404, "Request_ResourceNotFound");
    let e = env
        .get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/nope"
        ))
        .await;
    assert_eq!(
        e.error(400, "BadRequest")["message"],
        "Resource not found for the segment 'nope'."
    );
    env.send("DELETE", &jobs, None)
        .await
        .error(405, "Request_BadRequest");
    env.get(&format!(
        "/v2.0/servicePrincipals/{SP}/synchronization/jobs"
    ))
    .await
    .error(400, "BadRequest");
    env.get(&format!(
        "/v1.0/servicePrincipals/{SP}/synchronization/jobs/Nope.1"
    ))
    .await
    .error(404, "NotFound");
    env.get("/v1.0/servicePrincipals/%FF%FE/synchronization/jobs")
        .await
        .error(400, "BadRequest");
    // Ping is beta only.
    let e = env
        .get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/microsoft.graph.Ping()"
        ))
        .await;
    assert_eq!(
        e.error(400, "BadRequest")["message"],
        "Resource not found for the segment 'microsoft.graph.Ping'."
    );
    let a = env
        .get(&format!(
            "/beta/servicePrincipals/{SP}/synchronization/microsoft.graph.Ping()"
        ))
        .await;
    assert_eq!((a.status, a.body["value"].as_str()), (200, Some("OK")));
    // Still alive after all that.
    assert_eq!(env.get(&jobs).await.status, 200);
}

#[tokio::test]
async fn lists_page_select_count_and_filter() {
    let env = env().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(env.create_job().await);
    }
    env.send(
        "POST",
        &format!("{}/start", env.job_path("v1.0", &ids[0])),
        None,
    )
    .await;
    let jobs = format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs");
    let mut seen = Vec::new();
    let mut next = Some(env.url(&format!("{jobs}?$top=2&$count=true&$select=templateId")));
    let mut pages = 0;
    while let Some(url) = next {
        let a = answer(env.http.get(&url).bearer_auth(TOKEN).send().await.unwrap()).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.body["@odata.count"], 5);
        for item in a.body["value"].as_array().unwrap() {
            let keys: Vec<&str> = item
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["id", "templateId"]);
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        next = a.body["@odata.nextLink"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!((pages, seen), (3, ids.clone()));

    let active = env
        .get(&format!("{jobs}?$filter=status/code%20eq%20'Active'"))
        .await;
    assert_eq!(active.body["value"].as_array().unwrap().len(), 1);
    assert_eq!(active.body["value"][0]["id"], ids[0].as_str());
    let starts = env
        .get(&format!(
            "{jobs}?$filter=startswith(id,'BoxOutDelta.')%20and%20templateId%20ne%20'x'"
        ))
        .await;
    assert_eq!(starts.body["value"].as_array().unwrap().len(), 5);
    env.get(&format!("{jobs}?$filter=templateId%20gt%20'a'"))
        .await
        .error(400, "BadRequest");
    env.get(&format!("{jobs}?$select=nope"))
        .await
        .error(400, "BadRequest");
    env.get(&format!("{jobs}?$orderby=id"))
        .await
        .error(400, "BadRequest");
    env.get(&format!("{jobs}?$top=abc"))
        .await
        .error(400, "BadRequest");
    env.get(&format!("{}?$top=1", env.job_path("v1.0", &ids[0])))
        .await
        .error(400, "BadRequest");
    let one = env
        .get(&format!("{}?$select=status", env.job_path("v1.0", &ids[0])))
        .await;
    assert!(one.body.get("templateId").is_none() && one.body["status"]["code"] == "Active");
    // Templates, through the service principal and through the application.
    let t = env
        .get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/templates"
        ))
        .await;
    assert_eq!(t.body["value"][0]["id"], "BoxOutDelta");
    assert_eq!(t.body["value"][0]["applicationId"], APP_ID);
    let t = env
        .get(&format!(
            "/beta/applications/{APP_OBJECT}/synchronization/templates/BoxOutDelta"
        ))
        .await;
    assert_eq!(t.body["factoryTag"], "BoxOutDelta");
}

fn schema_with(mappings: Value) -> Value {
    json!({
        "directories": [
            {"id": "d1", "name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [{"name": "mail", "type": "String"}, {"name": "extensionAttribute11", "type": "String"}]}]},
            {"id": "d2", "name": "Salesforce", "objects": [{"name": "User", "attributes": [{"name": "email", "type": "String"}, {"name": "timezone", "type": "String"}]}]}
        ],
        "synchronizationRules": [{
            "id": "rule-1", "name": "USER_TO_USER",
            "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "Salesforce",
            "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": mappings}]
        }]
    })
}

#[tokio::test]
async fn schema_put_enforces_the_documented_rules_and_delete_resets() {
    let env = env().await;
    let id = env.create_job().await;
    let schema_path = format!("{}/schema", env.job_path("beta", &id));
    let good = schema_with(json!([
        {"source": {"type": "Attribute", "name": "mail"}, "targetAttributeName": "email"},
        {"source": {"type": "Attribute", "name": "extensionAttribute11"}, "targetAttributeName": "timezone"}
    ]));
    assert_eq!(
        env.send("PUT", &schema_path, Some(good.clone()))
            .await
            .status,
        204
    );
    let got = env.get(&schema_path).await.body;
    assert_eq!(got["synchronizationRules"], good["synchronizationRules"]);
    assert!(got["version"].as_str().unwrap().starts_with("Date:"));

    // Mapped twice, missing target attribute, missing source attribute.
    let bad = schema_with(json!([
        {"source": {"type": "Attribute", "name": "mail"}, "targetAttributeName": "email"},
        {"source": {"type": "Attribute", "name": "mail"}, "targetAttributeName": "Email"},
        {"source": {"type": "Attribute", "name": "nope"}, "targetAttributeName": "shoeSize"}
    ]));
    let e = env.send("PUT", &schema_path, Some(bad)).await;
    let error = e.error(400, "BadRequest");
    let at = "synchronizationRules[0].objectMappings[0].attributeMappings";
    assert_eq!(error["target"], format!("{at}[1].targetAttributeName"));
    let targets: Vec<&str> = error["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            format!("{at}[1].targetAttributeName"),
            format!("{at}[2].targetAttributeName"),
            format!("{at}[2].source")
        ]
    );
    // The failed PUT changed nothing.
    assert_eq!(
        env.get(&schema_path).await.body["synchronizationRules"],
        good["synchronizationRules"]
    );

    // DELETE: back to the template's schema.
    assert_eq!(env.send("DELETE", &schema_path, None).await.status, 204);
    assert_eq!(
        env.get(&schema_path).await.body["synchronizationRules"][0]["id"],
        "4c5ecfa1-a072-4460-b1c3-4adde3479854"
    );

    // A template's schema: PUT on the application, DELETE restores the factory schema.
    let template_schema =
        format!("/beta/applications/{APP_OBJECT}/synchronization/templates/BoxOutDelta/schema");
    assert_eq!(
        env.send("PUT", &template_schema, Some(good.clone()))
            .await
            .status,
        204
    );
    assert_eq!(
        env.get(&format!(
            "/v1.0/servicePrincipals/{SP}/synchronization/templates/BoxOutDelta/schema"
        ))
        .await
        .body["synchronizationRules"][0]["id"],
        "rule-1"
    );
    let new_job = env.create_job().await;
    assert_eq!(
        env.emulator.job_schema(SP, &new_job).unwrap()["synchronizationRules"][0]["id"],
        "rule-1"
    );
    assert_eq!(env.send("DELETE", &template_schema, None).await.status, 204);
    assert_eq!(
        env.get(&template_schema).await.body["synchronizationRules"][0]["id"],
        "4c5ecfa1-a072-4460-b1c3-4adde3479854"
    );

    // Directories and discover.
    env.send("PUT", &schema_path, Some(good)).await;
    let dirs = env.get(&format!("{schema_path}/directories")).await;
    assert_eq!(dirs.body["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        env.get(&format!("{schema_path}/directories/d2")).await.body["name"],
        "Salesforce"
    );
    let d = env
        .send(
            "POST",
            &format!("{schema_path}/directories/d2/discover"),
            None,
        )
        .await;
    assert_eq!(d.status, 200);
    assert_eq!(
        d.body["discoverabilities"],
        "AttributeNames, AttributeDataTypes"
    );
    assert_eq!(d.body["discoveryDateTime"], "2026-01-01T00:00:00Z");
    env.send(
        "POST",
        &format!("{schema_path}/directories/nope/discover"),
        None,
    )
    .await
    .error(404, "NotFound");
}

#[tokio::test]
async fn templates_are_replaced_by_put_and_merged_by_patch() {
    let env = env().await;
    let t = format!("/beta/applications/{APP_OBJECT}/synchronization/templates/BoxOutDelta");
    assert_eq!(
        env.send("PATCH", &t, Some(json!({"description": "patched"})))
            .await
            .status,
        204
    );
    let got = env.get(&t).await.body;
    assert_eq!(
        (got["description"].as_str(), got["factoryTag"].as_str()),
        (Some("patched"), Some("BoxOutDelta"))
    );
    assert_eq!(
        env.send("PUT", &t, Some(json!({"description": "whole"})))
            .await
            .status,
        204
    );
    let got = env.get(&t).await.body;
    assert_eq!(got["description"], "whole");
    assert!(got.get("factoryTag").is_none(), "PUT erases what it omits");
    env.send("PUT", &t, Some(json!({"discoverable": "yes"})))
        .await
        .error(400, "BadRequest");
}

#[tokio::test]
async fn secrets_are_stored_masked_and_validated() {
    let env = env_with(msgraph_sync_emulator::App::new(SP).template("BoxOutDelta")).await;
    let sync = format!("/v1.0/servicePrincipals/{SP}/synchronization");
    let secrets = json!({"value": [
        {"key": "BaseAddress", "value": "https://scim.example.com/scim"},
        {"key": "SecretToken", "value": "password-value"},
        {"key": "SyncAll", "value": "false"}
    ]});
    assert_eq!(
        env.send("PUT", &format!("{sync}/secrets"), Some(secrets))
            .await
            .status,
        204
    );
    let got = env.get(&sync).await;
    let text = got.body.to_string();
    assert!(!text.contains("password-value"), "{text}");
    assert_eq!(
        got.body["secrets"][0],
        json!({"key": "BaseAddress", "value": "https://scim.example.com/scim"})
    );
    assert_eq!(
        got.body["secrets"][1],
        json!({"key": "SecretToken", "value": "*"})
    );
    assert_eq!(
        env.emulator.stored_secrets(SP)[1].1.as_deref(),
        Some("password-value")
    );
    env.send(
        "PUT",
        &format!("{sync}/secrets"),
        Some(json!({"value": [{"key": "NotAKey", "value": "x"}]})),
    )
    .await
    .error(400, "BadRequest");

    let id = env.create_job().await;
    let validate = format!("{sync}/jobs/{id}/validateCredentials");
    assert_eq!(
        env.post(&validate, json!({"useSavedCredentials": true}))
            .await
            .status,
        204
    );
    let e = env.post(&validate, json!({"useSavedCredentials": false, "credentials": [{"key": "BaseAddress", "value": "not a url"}, {"key": "SecretToken", "value": "t"}]})).await;
    e.error(400, "CredentialsInvalid");
    env.post(
        &format!("{sync}/jobs/validateCredentials"),
        json!({"credentials": []}),
    )
    .await
    .error(400, "CredentialsMissing");
    assert_eq!(env.post(&format!("{sync}/acquireAccessToken"), json!({"credentials": [{"key": "ClientIdentifier", "value": "c"}, {"key": "ClientSecret", "value": "s"}]})).await.status, 204);
    assert!(
        env.emulator
            .stored_secrets(SP)
            .iter()
            .any(|(k, _)| k == "Oauth2AccessToken")
    );
    env.post(
        &format!("{sync}/acquireAccessToken"),
        json!({"credentials": []}),
    )
    .await
    .error(400, "BadRequest");
}

#[tokio::test]
async fn provision_on_demand_answers_the_documented_shape_and_is_rate_limited() {
    let env = env().await;
    let id = env.create_job().await;
    let path = format!("{}/provisionOnDemand", env.job_path("v1.0", &id));
    let body = |object: &str| json!({"parameters": [{"ruleId": "4c5ecfa1-a072-4460-b1c3-4adde3479854", "subjects": [{"objectId": object, "objectTypeName": "User"}]}]});
    let parse = |a: &Answer| -> (Value, Value) {
        (
            serde_json::from_str(a.body["key"].as_str().unwrap()).unwrap(),
            serde_json::from_str(a.body["value"].as_str().unwrap()).unwrap(),
        )
    };
    let first = env
        .post(&path, body("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
        .await;
    assert_eq!(first.status, 200);
    let (key, value) = parse(&first);
    assert_eq!(key, json!({"result": "Success", "details": {}}));
    assert_eq!(value["statusInfo"]["status"], "Success");
    assert_eq!(value["provisioningSteps"].as_array().unwrap().len(), 4);
    let (key, _) = parse(
        &env.post(&path, body("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
            .await,
    );
    assert_eq!(
        (key["result"].as_str(), key["details"]["errorCode"].as_str()),
        (Some("Skipped"), Some("RedundantExport"))
    );
    env.emulator.set_out_of_scope("out-1");
    let (key, _) = parse(&env.post(&path, body("out-1")).await);
    assert_eq!(key["details"]["errorCode"], "NotEffectivelyEntitled");
    // Bad bodies are refused before counting.
    let e = env.post(&path, json!({"parameters": [{"ruleId": "nope", "subjects": [{"objectId": "a", "objectTypeName": "User"}]}]})).await;
    assert_eq!(e.error(400, "BadRequest")["target"], "parameters[0].ruleId");
    let e = env.post(&path, json!({"parameters": [{"ruleId": "4c5ecfa1-a072-4460-b1c3-4adde3479854", "subjects": [{"objectId": "a", "objectTypeName": "Printer"}]}]})).await;
    assert_eq!(
        e.error(400, "BadRequest")["target"],
        "parameters[0].subjects[0].objectTypeName"
    );
    // 5 per 10 s: two more pass, the sixth is throttled.
    env.post(&path, body("u4")).await;
    env.post(&path, body("u5")).await;
    let throttled = env.post(&path, body("u6")).await;
    throttled.error(429, "TooManyRequests");
    assert_eq!(throttled.header("retry-after"), Some("10"));
    env.emulator.advance(Duration::from_secs(10));
    assert_eq!(env.post(&path, body("u6")).await.status, 200);
}

#[tokio::test]
async fn provision_on_demand_fails_without_credentials() {
    let env = env_with(msgraph_sync_emulator::App::new(SP).template("BoxOutDelta")).await;
    let id = env.create_job().await;
    let path = format!("{}/provisionOnDemand", env.job_path("v1.0", &id));
    let a = env.post(&path, json!({"parameters": [{"ruleId": "4c5ecfa1-a072-4460-b1c3-4adde3479854", "subjects": [{"objectId": "u", "objectTypeName": "User"}]}]})).await;
    let key: Value = serde_json::from_str(a.body["key"].as_str().unwrap()).unwrap();
    assert_eq!(
        (key["result"].as_str(), key["details"]["errorCode"].as_str()),
        (Some("Failure"), Some("CredentialsMissing"))
    );
}

fn bulk(operations: usize) -> String {
    let ops: Vec<Value> = (0..operations)
        .map(|i| json!({"method": "POST", "bulkId": format!("b{i}"), "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "externalId": format!("e{i}")}}))
        .collect();
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops})
        .to_string()
}

#[tokio::test]
async fn bulk_upload_needs_scim_json_limits_operations_and_rate_and_records() {
    let env = env().await;
    let id = env.create_job().await;
    let url = env.url(&format!("{}/bulkUpload", env.job_path("v1.0", &id)));
    let post = |body: String, ct: &'static str| {
        env.http
            .post(&url)
            .bearer_auth(TOKEN)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    answer(post(bulk(1), "application/json").await.unwrap())
        .await
        .error(400, "BadRequest");
    let e = answer(post(bulk(51), "application/scim+json").await.unwrap()).await;
    assert_eq!(e.error(400, "BadRequest")["target"], "Operations");
    let a = answer(post(bulk(50), "application/scim+json").await.unwrap()).await;
    assert_eq!(a.status, 202);
    assert!(
        a.header("location")
            .unwrap()
            .contains("auditLogs/provisioning")
    );
    let uploads = env.emulator.bulk_uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0]["jobId"], id.as_str());
    assert_eq!(
        uploads[0]["body"]["Operations"].as_array().unwrap().len(),
        50
    );
    for _ in 1..40 {
        assert_eq!(
            post(bulk(1), "application/scim+json")
                .await
                .unwrap()
                .status(),
            202
        );
    }
    let throttled = answer(post(bulk(1), "application/scim+json").await.unwrap()).await;
    throttled.error(429, "TooManyRequests");
    assert_eq!(throttled.header("retry-after"), Some("1"));
    env.emulator.advance(Duration::from_secs(1));
    assert_eq!(
        post(bulk(1), "application/scim+json")
            .await
            .unwrap()
            .status(),
        202
    );
    assert_eq!(env.emulator.bulk_uploads().len(), 41);
}

#[tokio::test]
async fn functions_filter_operators_and_parse_expression_answer_the_documented_shapes() {
    let env = env().await;
    let id = env.create_job().await;
    let schema = format!("{}/schema", env.job_path("v1.0", &id));
    let f = env.get(&format!("{schema}/functions")).await;
    assert_eq!(
        f.body["value"][0],
        json!({"name": "Append", "parameters": [
        {"allowMultipleOccurrences": false, "name": "source", "required": true, "type": "String"},
        {"allowMultipleOccurrences": false, "name": "suffix", "required": true, "type": "String"}]})
    );
    assert_eq!(
        f.body["value"][1],
        json!({"name": "DefaultDomain", "parameters": []})
    );
    let o = env.get(&format!("/v1.0/applications/{APP_OBJECT}/synchronization/templates/BoxOutDelta/schema/filterOperators")).await;
    assert_eq!(
        o.body["value"][0],
        json!({"name": "EQUALS", "arity": "Binary", "multivaluedComparisonType": "All", "supportedAttributeTypes": ["String", "Integer"]})
    );
    let p = env.post(&format!("{schema}/parseExpression"), json!({
        "expression": "Replace([preferredLanguage], \"-\", , , \"_\", ,  )",
        "testInputObject": {"definition": null, "properties": [{"key": "preferredLanguage", "value": "EN-US"}]}
    })).await;
    assert_eq!(p.status, 200);
    assert_eq!(p.body["evaluationResult"], json!(["EN_US"]));
    assert_eq!(p.body["parsingSucceeded"], true);
    assert_eq!(
        p.body["parsedExpression"]["parameters"][2]["key"],
        "Replacement"
    );
    let p = env.post(&format!("/v1.0/servicePrincipals/{SP}/synchronization/templates/BoxOutDelta/schema/parseExpression"), json!({"expression": "Bogus("})).await;
    assert_eq!(p.body["parsingSucceeded"], false);
}

#[tokio::test]
async fn the_binary_prints_its_address_and_exits_when_asked() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-sync-emulator"))
        .args(["--port", "0", "--exit-when-ready", "--demo"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("listening on http://127.0.0.1:"), "{text}");
    // A snapshot file is loaded; a broken one is refused with the file's name.
    let env = env().await;
    let job = env.emulator.add_job(SP, "BoxOutDelta").unwrap();
    assert_eq!(
        env.get(&env.job_path("v1.0", &job)).await.body["status"]["code"],
        "NotConfigured"
    );
    assert!(env.emulator.add_job(SP, "Nope").is_err());
    let dir = std::env::temp_dir().join(format!("emulator-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, env.emulator.snapshot().to_string()).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"servicePrincipals": [{"id": "not-a-guid"}]}"#).unwrap();
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-sync-emulator"))
            .args(["--port", "0", "--exit-when-ready", "--state"])
            .arg(file)
            .output()
            .unwrap()
    };
    assert!(run(&good).status.success());
    let out = run(&broken);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not-a-guid"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-sync-emulator"))
        .args(["--port", "x"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-sync-emulator"))
        .args(["--port", "0", "--state", "/nonexistent/state.json"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/state.json"));
}

#[tokio::test]
async fn huge_and_stalled_bodies_end_in_413_and_408_without_hanging() {
    let emulator = msgraph_sync_emulator::Emulator::builder()
        .app(msgraph_sync_emulator::App::new(SP).template("BoxOutDelta"))
        .body_limit(1024)
        .body_timeout(Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let http = client();
    let url = format!(
        "{}/v1.0/servicePrincipals/{SP}/synchronization/jobs",
        emulator.base_url()
    );
    // Declared too large, and too large without a declared length (chunked).
    let big = format!("{{\"templateId\": \"{}\"}}", "x".repeat(2048));
    let a = answer(
        http.post(&url)
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap(),
    )
    .await;
    a.error(413, "RequestEntityTooLarge");
    let chunked = format!(
        "POST /v1.0/servicePrincipals/{SP}/synchronization/jobs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer t\r\n\
         content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    let text = raw(&emulator, &chunked).await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");

    // A body that never arrives: 408 once the timeout passes.
    let head = format!(
        "POST /v1.0/servicePrincipals/{SP}/synchronization/jobs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer t\r\n\
         content-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"templ"
    );
    let text = raw(&emulator, &head).await;
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("RequestTimeout"), "{text}");
    // Still serving, and the log's Debug shows no body.
    assert_eq!(
        http.get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let debug = format!("{:?}", emulator.requests());
    assert!(
        !debug.contains("xxxx") && debug.contains("bytes>"),
        "{debug}"
    );
}

/// Sends `request` as is on a new connection; the first answer's text.
async fn raw(emulator: &msgraph_sync_emulator::Emulator, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut reply = vec![0u8; 8192];
    let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut reply))
        .await
        .expect("answered in time")
        .unwrap();
    String::from_utf8_lossy(&reply[..n]).into_owned()
}
