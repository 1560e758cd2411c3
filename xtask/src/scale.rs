//! Benchmark support, not part of the generator: builds a spec `factor` times larger than a given one, so
//! the generator's scaling can be measured (`cargo xtask scale-spec`; the codegen bench includes this file).
//!
//! Copy `i` (from 2 to `factor`) renames every component schema `X` to `X{i}` (and every `$ref` to it
//! inside the copy), suffixes the segment after the spec's `x-graph-subtree` (`jobs` → `jobs{i}`, `Ping()` →
//! `Ping{i}()`, the subtree's own path gains `/copy{i}`) and every operationId with `.{i}`. The copies are
//! independent subtrees, so operations, types and enums all grow `factor` times.

use serde_json::{Map, Value};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Returns the YAML of a spec `factor` times larger than `text`, or what stops it.
pub fn scale_spec(text: &str, factor: usize) -> Result<String, String> {
    let mut doc: Value = serde_yaml::from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    let subtree = doc
        .get("x-graph-subtree")
        .and_then(Value::as_str)
        .ok_or("the spec has no `x-graph-subtree`")?
        .to_string();
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
            let moved = move_path(path, &subtree, &suffix);
            new_paths.insert(moved, rename_refs(item, &suffix, Some(&suffix)));
        }
    }
    if let Some(slot) = doc.pointer_mut("/components/schemas") {
        *slot = Value::Object(new_schemas);
    }
    if let Some(slot) = doc.pointer_mut("/paths") {
        *slot = Value::Object(new_paths);
    }
    serde_yaml::to_string(&doc).map_err(|e| format!("cannot write YAML: {e}"))
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

/// With subtree `/synchronization`: `/servicePrincipals/{id}/synchronization/jobs/...` →
/// `/servicePrincipals/{id}/synchronization/jobs7/...`.
fn move_path(path: &str, subtree: &str, suffix: &str) -> String {
    let Some(at) = path
        .find(&format!("{subtree}/"))
        .or_else(|| path.ends_with(subtree).then(|| path.len() - subtree.len()))
    else {
        return format!("{path}/copy{suffix}");
    };
    let (head, rest) = path.split_at(at + subtree.len());
    let mut segments: Vec<String> = rest.split('/').map(str::to_string).collect();
    match segments.get_mut(1) {
        Some(next) => {
            *next = match next.strip_suffix("()") {
                Some(stem) => format!("{stem}{suffix}()"),
                None => format!("{next}{suffix}"),
            };
            format!("{head}{}", segments.join("/"))
        }
        None => format!("{path}/copy{suffix}"),
    }
}
