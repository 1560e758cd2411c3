//! Golden tests: small spec fragments in `tests/golden/<case>/spec.yaml`, the generator's output checked
//! in beside them and compiled here as modules of this test crate (against `::msgraph_sync::runtime`).
//! A diff of a golden file is the review of a generator change. The `other-tree` case is generated from
//! `codegen/tests/specs/other-tree.yaml`, a spec of another resource tree (calendars of users and groups).
//!
//! Refresh after an intended change: `UPDATE_GOLDEN=1 cargo test -p msgraph-sync-tests --test golden`.

use std::path::{Path, PathBuf};

use msgraph_sync_codegen::{EmitOptions, generate, load, write};

#[allow(dead_code, unused_imports, clippy::module_inception)]
#[rustfmt::skip]
#[path = "../golden/models/mod.rs"]
mod models;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../golden/tree/mod.rs"]
mod tree;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../golden/other-tree/mod.rs"]
mod other_tree;

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(case)
}

fn check(case: &str) {
    check_spec(case, &format!("tests/golden/{case}/spec.yaml"));
}

/// Checks `tests/golden/<case>/` against the generator's output for the spec at `spec` (from the workspace root).
fn check_spec(case: &str, spec: &str) {
    let dir = case_dir(case);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(spec)).expect("golden spec is readable");
    let spec = load::load_str(spec, &text).unwrap_or_else(|e| panic!("{e}"));
    let options = EmitOptions {
        runtime: "::msgraph_sync::runtime".into(),
    };
    let generated = generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let report =
        write::write_files(&dir, &generated.files, !update).expect("golden folder is readable");
    assert!(
        update || report.is_clean(),
        "golden output of `{case}` is stale: {:?} {:?}\nreview the change, then run `UPDATE_GOLDEN=1 cargo test -p msgraph-sync-tests --test golden`",
        report.changed,
        report.removed
    );
}

#[test]
fn tree_fragment_matches_its_golden_output() {
    check("tree");
}

#[test]
fn models_fragment_matches_its_golden_output() {
    check("models");
}

/// A spec of another resource tree, generated with no change to the generator and compiled here.
#[test]
fn other_tree_matches_its_golden_output() {
    check_spec("other-tree", "codegen/tests/specs/other-tree.yaml");
}

/// Its doctests run with the tests crate's library (`cargo test -p msgraph-sync-tests --doc`).
#[test]
fn docs_fragment_matches_its_golden_output() {
    check("docs");
}

#[test]
fn golden_models_round_trip_their_example() {
    let spec: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(case_dir("models").join("spec.yaml")).unwrap(),
    )
    .unwrap();
    let example = &spec["paths"]["/servicePrincipals/{servicePrincipal-id}/synchronization/secrets"]
        ["put"]["requestBody"]["content"]["application/json"]["examples"]["everything"]["value"];
    let json: serde_json::Value = serde_json::to_value(example).unwrap();
    let sample: models::models::Sample = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&sample).unwrap(), json);

    // Typed, not just carried: the flag set, the closed enum and the recursive pair.
    use models::enums::{Mode, RestartScope};
    assert_eq!(
        sample.scope,
        Some(RestartScope::ESCROWS | RestartScope::WATERMARK)
    );
    assert_eq!(sample.mode, Some(Mode::Strict));
    assert_eq!(sample.count, Some(9_007_199_254_740_993));
    let manager = sample
        .subject
        .as_ref()
        .and_then(|s| s.links.as_ref())
        .and_then(|l| l.manager.as_ref());
    assert_eq!(
        manager
            .and_then(|m| m.object_id.as_ref())
            .map(String::as_str),
        Some("y")
    );

    // The secret is sent, but never printed.
    assert!(!format!("{sample:?}").contains("s3cr3t"));
    assert!(json.to_string().contains("s3cr3t"));
}

/// A free-form object property keeps each member as the exact JSON text read, like unknown properties:
/// numbers no `f64` holds come back as sent.
#[test]
fn golden_free_form_object_round_trips_exactly() {
    let text =
        r#"{"bag":{"big":123456789012345678901234567890,"huge":1e400,"nested":{"b":1.0,"a":[2]}}}"#;
    let sample: models::models::Sample = serde_json::from_str(text).unwrap();
    let bag = sample.bag.as_ref().expect("bag is read");
    assert_eq!(bag.get("huge").map(|v| v.get()), Some("1e400"));
    assert_eq!(serde_json::to_string(&sample).unwrap(), text);
}

#[test]
fn golden_closed_enum_refuses_unknown_members_and_open_enum_keeps_them() {
    use models::enums::{Kind, Mode};
    assert!(serde_json::from_str::<Mode>("\"Relaxed\"").is_err());
    let kind: Kind = serde_json::from_str("\"Medium\"").unwrap();
    assert_eq!(serde_json::to_string(&kind).unwrap(), "\"Medium\"");
    // The beta spelling is accepted; the canonical one is written.
    let kind: Kind = serde_json::from_str("\"small\"").unwrap();
    assert_eq!(kind, Kind::Small);
}

#[test]
fn golden_tree_builds_paths_for_every_parent() {
    use msgraph_sync::{Beta, Client, V1};
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .static_token("t")
        .build()
        .unwrap();
    let v1 = tree::requests::Api::<V1>::new(&client);
    // The same job builder type is reached from all three parent forms.
    let a = v1.service_principal("sp").synchronization().jobs().job("j");
    let b = v1
        .service_principal_by_app_id("app")
        .synchronization()
        .jobs()
        .job("j");
    let c = v1
        .application("app-object")
        .synchronization()
        .jobs()
        .job("j");
    for (builder, path) in [
        (
            format!("{a:?}"),
            "/servicePrincipals/sp/synchronization/jobs/j",
        ),
        (
            format!("{b:?}"),
            "/servicePrincipals(appId='app')/synchronization/jobs/j",
        ),
    ] {
        assert!(builder.contains(path), "{builder} should contain {path}");
    }
    assert!(format!("{c:?}").contains("/applications/app-object/synchronization/jobs/j"));
    // One builder method serves `start` at three paths; each call reports the operation of the path it sends
    // (the id that tracing and `UnsupportedVersion` errors carry), whichever parent form it came through.
    for (request, operation, path) in [
        (
            a.start(),
            "servicePrincipals.synchronization.jobs.job.start",
            "/servicePrincipals/sp/synchronization/jobs/j/start",
        ),
        (
            b.start(),
            "servicePrincipalsByAppId.synchronization.jobs.job.start",
            "/servicePrincipals(appId='app')/synchronization/jobs/j/start",
        ),
        (
            c.start(),
            "applications.synchronization.jobs.job.start",
            "/applications/app-object/synchronization/jobs/j/start",
        ),
    ] {
        assert_eq!((request.operation_id(), request.path()), (operation, path));
    }
    // The beta-only function exists on the beta builder (on v1.0 it does not compile).
    let _ping = tree::requests::Api::<Beta>::new(&client)
        .service_principal("sp")
        .synchronization()
        .ping();
}

#[test]
fn golden_other_tree_builds_paths_and_reports_the_operation_of_each() {
    use msgraph_sync::{Client, V1};
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .static_token("t")
        .build()
        .unwrap();
    let v1 = other_tree::requests::Api::<V1>::new(&client);
    let list = v1.group("g").calendar().events().list();
    assert_eq!(
        (list.operation_id(), list.path()),
        ("groups.calendar.events.list", "/groups/g/calendar/events")
    );
    let body = other_tree::models::CancelRequestBody::default();
    for (request, operation, path) in [
        (
            v1.user("u").calendar().events().event("e").cancel(&body),
            "users.calendar.events.event.cancel",
            "/users/u/calendar/events/e/cancel",
        ),
        (
            v1.user_by_user_principal_name("a'b@contoso.com")
                .calendar()
                .events()
                .event("e")
                .cancel(&body),
            "usersByUserPrincipalName.calendar.events.event.cancel",
            "/users(userPrincipalName='a''b%40contoso.com')/calendar/events/e/cancel",
        ),
    ] {
        assert_eq!((request.operation_id(), request.path()), (operation, path));
    }
}
