//! The front-end assumes nothing about the synchronization API: a spec of another resource tree (calendars of
//! users and groups, other entity sets, other id names, another subtree) loads, validates and lowers into the
//! model its paths describe, and the whole pipeline turns it into Rust that parses.

use std::path::Path;

use msgraph_sync_codegen::model::{Api, HttpMethod, Query, Response, Step};
use msgraph_sync_codegen::{EmitOptions, generate, load, lower, validate};

const NAME: &str = "codegen/tests/specs/other-tree.yaml";

fn text() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/other-tree.yaml"),
    )
    .expect("the spec is readable")
}

fn api() -> Api {
    let spec = load::load_str(NAME, &text()).unwrap_or_else(|e| panic!("loads:\n{e}"));
    validate::validate(&spec).unwrap_or_else(|e| panic!("validates:\n{e}"));
    lower::lower(&spec).unwrap_or_else(|e| panic!("lowers:\n{e}"))
}

#[test]
fn parents_keys_and_ids_come_from_the_spec() {
    let api = api();
    let sets: Vec<(&str, &str, &str, &str)> = api
        .parents
        .iter()
        .map(|p| {
            (
                p.set.as_str(),
                p.entity.as_str(),
                p.method.as_str(),
                p.id.rust.as_str(),
            )
        })
        .collect();
    assert_eq!(
        sets,
        [
            ("groups", "group", "group", "GroupId"),
            ("users", "user", "user", "UserId")
        ]
    );
    let users = &api.parents[1];
    assert_eq!(users.keys.len(), 1);
    let key = &users.keys[0];
    assert_eq!(key.key, "userPrincipalName");
    assert_eq!(key.method, "user_by_user_principal_name");
    assert_eq!(key.param, "user_principal_name");
    assert_eq!(key.id.rust, "UserPrincipalName");
    let ids: Vec<&str> = api.ids.iter().map(|i| i.rust.as_str()).collect();
    assert_eq!(ids, ["EventId", "GroupId", "UserId", "UserPrincipalName"]);
    // The subtree's root is the first node under each parent, reached by its own name.
    let roots: Vec<&str> = api
        .parents
        .iter()
        .flat_map(|p| &p.children)
        .map(|r| r.method.as_str())
        .collect();
    assert_eq!(roots, ["calendar", "calendar"]);
}

#[test]
fn nodes_operations_and_routes_follow_the_paths() {
    let api = api();
    let segments: Vec<String> = api.nodes.iter().map(|n| n.segments.join("/")).collect();
    assert_eq!(
        segments,
        ["calendar", "calendar/events", "calendar/events/{event-id}"]
    );
    let events = &api.nodes[1];
    let event = events
        .children
        .iter()
        .find(|c| c.method == "event")
        .expect("events → event");
    assert!(matches!(&event.step, Step::Id(id) if id.rust == "EventId"));

    // One `list` for both parents (the group's path parameter is written inline, at operation level).
    let list = &events.operations[0];
    assert_eq!(list.method, "list");
    assert_eq!(list.query, Query::Collection);
    assert_eq!(list.response, Response::Page("Event".into()));
    assert_eq!(list.parents, [0, 1]);
    assert!(list.idempotent);

    let get = &api.nodes[2]
        .operations
        .iter()
        .find(|o| o.method == "get")
        .expect("get");
    assert_eq!(get.query, Query::Entity);
    assert_eq!(get.response, Response::Json("Event".into()));

    // `cancel` is reached by id and by the alternate key: each route keeps its own operation id.
    let cancel = api.nodes[2]
        .operations
        .iter()
        .find(|o| o.method == "cancel")
        .expect("cancel");
    assert_eq!(cancel.http, HttpMethod::Post);
    assert!(cancel.idempotent, "x-graph-idempotent: true on a POST");
    let routes: Vec<(usize, Option<usize>, &str)> = cancel
        .routes
        .iter()
        .map(|r| (r.parent, r.key, r.operation_id.as_str()))
        .collect();
    assert_eq!(
        routes,
        [
            (
                1,
                Some(0),
                "usersByUserPrincipalName.calendar.events.event.cancel"
            ),
            (1, None, "users.calendar.events.event.cancel"),
        ]
    );
    assert_eq!(
        cancel.paths,
        cancel
            .routes
            .iter()
            .map(|r| r.path.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        cancel.operation_ids,
        cancel
            .routes
            .iter()
            .map(|r| r.operation_id.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn schema_deprecation_is_carried() {
    let api = api();
    let status = api
        .enums
        .iter()
        .find(|e| e.name == "freeBusyStatus")
        .expect("enum");
    let deprecated = status.deprecated.as_ref().expect("deprecated");
    assert_eq!(deprecated.versions, ["beta"]);
    assert_eq!(deprecated.date, "2026-01-15");
    assert_eq!(deprecated.replacement, "Use availability.");
    assert!(api.objects.iter().all(|o| o.deprecated.is_none()));
}

#[test]
fn the_whole_pipeline_generates_rust_that_parses() {
    let spec = load::load_str(NAME, &text()).expect("loads");
    let generated = generate(&spec, &EmitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!generated.files.is_empty());
    for (name, text) in &generated.files {
        syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !text.contains("servicePrincipal"),
            "{name} mentions another API"
        );
    }
}
