//! Benchmark support, not a pipeline stage: builds a spec `factor` times larger than a given one, so the
//! generator's scaling can be measured (`cargo xtask scale-spec`, `cargo bench -p msgraph-sync-codegen`).
//!
//! Copy `i` (from 2 to `factor`) renames every component schema `X` to `X{i}` (and every `$ref` to it
//! inside the copy), suffixes the segment after `/synchronization` (`jobs` → `jobs{i}`, `Ping()` →
//! `Ping{i}()`, the bare synchronization path gains `/copy{i}`) and every operationId with `.{i}`. The
//! copies are independent subtrees, so operations, types and enums all grow `factor` times.

use serde_json::{Map, Value};

use crate::diagnostic::{SpecError, SpecErrors};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Returns the YAML of a spec `factor` times larger than `text`.
pub fn scale_spec(name: &str, text: &str, factor: usize) -> Result<String, SpecErrors> {
    let fail = |message: String| {
        SpecErrors(vec![SpecError {
            file: name.to_string(),
            pointer: "#".into(),
            line: None,
            message,
        }])
    };
    let mut doc: Value = serde_yaml::from_str(text).map_err(|e| fail(format!("not YAML: {e}")))?;
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let paths = doc
        .pointer("/paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut new_schemas = schemas.clone();
    let mut new_paths = paths.clone();
    for i in 2..=factor {
        let suffix = i.to_string();
        for (schema_name, schema) in &schemas {
            new_schemas.insert(
                format!("{schema_name}{suffix}"),
                rename_refs(schema, &suffix, None),
            );
        }
        for (path, item) in &paths {
            let moved = move_path(path, &suffix);
            new_paths.insert(moved, rename_refs(item, &suffix, Some(&suffix)));
        }
    }
    if let Some(slot) = doc.pointer_mut("/components/schemas") {
        *slot = Value::Object(new_schemas);
    }
    if let Some(slot) = doc.pointer_mut("/paths") {
        *slot = Value::Object(new_paths);
    }
    serde_yaml::to_string(&doc).map_err(|e| fail(format!("cannot write YAML: {e}")))
}

fn rename_refs(value: &Value, suffix: &str, operation_suffix: Option<&str>) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, v) in map {
                let renamed = match (key.as_str(), v) {
                    ("$ref", Value::String(r)) if r.starts_with(SCHEMA_REF) => {
                        Value::String(format!("{r}{suffix}"))
                    }
                    ("operationId", Value::String(id)) if operation_suffix.is_some() => {
                        Value::String(format!("{id}.{}", operation_suffix.unwrap_or_default()))
                    }
                    // Examples are data: copy them unchanged.
                    ("examples" | "example", _) => v.clone(),
                    _ => rename_refs(v, suffix, operation_suffix),
                };
                out.insert(key.clone(), renamed);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| rename_refs(v, suffix, operation_suffix))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `/servicePrincipals/{id}/synchronization/jobs/...` → `/servicePrincipals/{id}/synchronization/jobs7/...`.
fn move_path(path: &str, suffix: &str) -> String {
    let mut segments: Vec<String> = path.split('/').map(str::to_string).collect();
    match segments.iter().position(|s| s == "synchronization") {
        Some(at) if at + 1 < segments.len() => {
            let next = &mut segments[at + 1];
            *next = match next.strip_suffix("()") {
                Some(stem) => format!("{stem}{suffix}()"),
                None => format!("{next}{suffix}"),
            };
            segments.join("/")
        }
        _ => format!("{path}/copy{suffix}"),
    }
}
