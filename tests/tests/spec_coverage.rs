//! The curated spec describes the whole synchronization surface: every (method, path) of the inventory
//! (`tests/data/inventory-operations.txt`, written from the inventory, not from the spec), every enum with
//! its CSDL values, and the three flag enums as flags.

use std::collections::BTreeSet;

use msgraph_sync_tests::seeds::{spec, workspace};

fn described(spec: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "patch", "delete"] {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_inventory_operation_is_in_the_spec() {
    let list = std::fs::read_to_string(workspace().join("tests/data/inventory-operations.txt"))
        .expect("list is readable");
    let expected: Vec<(String, String)> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (method, path) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("`{l}` is not `METHOD /path`"));
            (method.to_string(), path.trim().to_string())
        })
        .collect();
    assert!(
        expected.len() >= 41,
        "the inventory list has {} operations",
        expected.len()
    );
    let described = described(&spec());
    let missing: Vec<_> = expected
        .iter()
        .filter(|op| !described.contains(*op))
        .collect();
    assert!(
        missing.is_empty(),
        "operations of the inventory missing from the spec: {missing:#?}"
    );
    let extra: Vec<_> = described
        .iter()
        .filter(|op| !expected.contains(op))
        .collect();
    assert!(
        extra.is_empty(),
        "operations in the spec that the inventory does not list: {extra:#?}"
    );
}

#[test]
fn flag_enums_carry_their_csdl_values() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let cases: [(&str, &[(&str, i64)]); 3] = [
        (
            "synchronizationJobRestartScope",
            &[
                ("None", 0),
                ("ConnectorDataStore", 1),
                ("Escrows", 2),
                ("Watermark", 4),
                ("QuarantineState", 8),
                ("Full", 15),
                ("ForceDeletes", 32),
            ],
        ),
        (
            "objectFlowTypes",
            &[("None", 0), ("Add", 1), ("Update", 2), ("Delete", 4)],
        ),
        (
            "directoryDefinitionDiscoverabilities",
            &[
                ("None", 0),
                ("AttributeNames", 1),
                ("AttributeDataTypes", 2),
                ("AttributeReadOnly", 4),
                ("ReferenceAttributes", 8),
                ("UnknownFutureValue", 16),
            ],
        ),
    ];
    for (name, members) in cases {
        let schema = &schemas[name];
        assert_eq!(
            schema["x-ms-enum-flags"]["isFlags"],
            serde_json::Value::Bool(true),
            "{name} is flags"
        );
        let names: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let values: Vec<i64> = schema["x-graph-enum-values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let expected_names: Vec<&str> = members.iter().map(|(n, _)| *n).collect();
        let expected_values: Vec<i64> = members.iter().map(|(_, v)| *v).collect();
        assert_eq!(names, expected_names, "{name} members in declared order");
        assert_eq!(values, expected_values, "{name} CSDL values");
    }
}

#[test]
fn nineteen_enums_each_with_one_value_per_member() {
    let spec = spec();
    let enums: Vec<(&String, &serde_json::Value)> = spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s.get("enum").is_some())
        .collect();
    assert_eq!(enums.len(), 19);
    for (name, schema) in enums {
        assert_eq!(
            schema["enum"].as_array().map(Vec::len),
            schema["x-graph-enum-values"].as_array().map(Vec::len),
            "{name}"
        );
    }
}

#[test]
fn beta_only_and_deprecated_operations_are_recorded_as_data() {
    let spec = spec();
    let ping = &spec["paths"]["/servicePrincipals/{servicePrincipal-id}/synchronization/microsoft.graph.Ping()"]
        ["get"];
    assert_eq!(ping["x-graph-versions"], serde_json::json!(["beta"]));
    let secrets =
        &spec["paths"]["/servicePrincipals/{servicePrincipal-id}/synchronization/secrets"]["put"];
    assert_eq!(
        secrets["x-graph-deprecated"]["versions"],
        serde_json::json!(["beta"])
    );
    let metadata = &spec["components"]["schemas"]["synchronizationMetadata"];
    assert_eq!(metadata["x-graph-enum-names"]["beta"][2], "isOAuthEnabled");
    let secret = &spec["components"]["schemas"]["synchronizationSecretKeyStringValuePair"]["properties"]
        ["value"];
    assert_eq!(secret["x-graph-secret"], true);
}

/// The beta metadata deprecates two types (Org.OData.Core.V1.Revisions, 2026-02-06, removal 2027-07-06): the spec
/// records it on the component schemas (contract C4) and the generated docs of those types say so.
#[test]
fn beta_type_deprecations_are_data_and_reach_the_generated_docs() {
    let spec = spec();
    let cases = [
        (
            "synchronizationSecret",
            "enums.rs",
            "pub enum SynchronizationSecret ",
        ),
        (
            "synchronizationSecretKeyStringValuePair",
            "models.rs",
            "pub struct SynchronizationSecretKeyStringValuePair ",
        ),
    ];
    for (schema, file, item) in cases {
        let marker = &spec["components"]["schemas"][schema]["x-graph-deprecated"];
        assert_eq!(marker["versions"], serde_json::json!(["beta"]), "{schema}");
        assert_eq!(marker["date"], "2026-02-06", "{schema}");
        assert_eq!(marker["removalDate"], "2027-07-06", "{schema}");
        let text = std::fs::read_to_string(workspace().join("generated/src/generated").join(file))
            .expect("generated file is readable");
        let at = text
            .find(item)
            .unwrap_or_else(|| panic!("`{item}` in {file}"));
        // The doc comment of the item: the `///` lines (and attributes) just above it.
        let docs: Vec<&str> = text[..at]
            .lines()
            .rev()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
            .collect();
        assert!(
            docs.iter().any(|l| l.contains("Deprecated")
                && l.contains("beta")
                && l.contains("2026-02-06")),
            "the docs of {item} do not say it is deprecated in beta: {docs:#?}"
        );
    }
}

/// Every operation the inventory lists as present in the metadata but undocumented (section 1.2: writes of
/// directories and bulkUpload, template create/delete, schema PATCH) is either described or left out with a
/// reason in `x-graph-omitted`, never silently missing; and no omission is also described.
#[test]
fn undocumented_metadata_operations_are_described_or_omitted_with_a_reason() {
    let spec = spec();
    let described = described(&spec);
    let omitted: BTreeSet<(String, String)> = spec["x-graph-omitted"]
        .as_array()
        .expect("x-graph-omitted is a list")
        .iter()
        .map(|entry| {
            let reason = entry["reason"].as_str().unwrap_or_default();
            assert!(
                !reason.trim().is_empty() && !reason.contains('\n'),
                "{entry}: one-line reason"
            );
            (
                entry["method"].as_str().unwrap().to_uppercase(),
                entry["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let both: Vec<_> = omitted.intersection(&described).collect();
    assert!(both.is_empty(), "described and omitted: {both:#?}");
    let sp = "/servicePrincipals/{servicePrincipal-id}/synchronization";
    let job = format!("{sp}/jobs/{{synchronizationJob-id}}");
    let dir = "/schema/directories/{directoryDefinition-id}";
    let expected = [
        ("POST", format!("{job}/schema/directories")),
        ("PATCH", format!("{job}{dir}")),
        ("DELETE", format!("{job}{dir}")),
        ("GET", format!("{job}/bulkUpload")),
        ("PATCH", format!("{job}/bulkUpload")),
        ("DELETE", format!("{job}/bulkUpload")),
        ("POST", format!("{sp}/templates")),
        (
            "DELETE",
            format!("{sp}/templates/{{synchronizationTemplate-id}}"),
        ),
        ("PATCH", format!("{job}/schema")),
        ("DELETE", sp.to_string()),
    ];
    for (method, path) in expected {
        let op = (method.to_string(), path);
        assert!(
            described.contains(&op) || omitted.contains(&op),
            "{op:?} is neither described nor in x-graph-omitted"
        );
    }
}
