//! Rule 1: every `$ref` is a local reference into `#/components/` that resolves.
//!
//! The walk covers the whole document except data: example values, `enum` lists, defaults and vendor extension
//! values, where a `$ref` key is just data. Keys of named maps (`properties`, `paths`, `responses`, ...) are
//! names, so a property called `example` is still walked.

use serde_json::Value;

use super::{Ctx, did_you_mean};
use crate::diagnostic::{Path, tokens};

pub(super) fn check(cx: &mut Ctx<'_>) {
    let raw = cx.raw();
    walk(cx, raw, &Path::ROOT, false, 0);
}

/// Keys whose value maps names to objects (so every key below is a name, not a keyword).
pub(super) fn is_named_map(key: &str) -> bool {
    matches!(
        key,
        "paths"
            | "properties"
            | "schemas"
            | "parameters"
            | "responses"
            | "requestBodies"
            | "securitySchemes"
            | "examples"
            | "content"
            | "variables"
            | "headers"
            | "links"
            | "callbacks"
    )
}

/// Keys whose value is data, never an OpenAPI object (`examples` is checked, `$ref`s included, by [`super::examples`]).
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "enum" | "default" | "value")
}

/// The pointer of each node is only a link on the stack ([`Path`]); its text is built for errors alone.
fn walk(cx: &mut Ctx<'_>, node: &Value, pointer: &Path<'_>, named: bool, depth: usize) {
    if depth > 256 {
        return;
    }
    match node {
        Value::Object(map) => {
            if !named && let Some(reference) = map.get("$ref") {
                check_ref(cx, reference, &pointer.child("$ref"));
            }
            for (key, value) in map {
                if !named && (key == "$ref" || is_data_key(key) || key.starts_with("x-")) {
                    continue;
                }
                if !value.is_object() && !value.is_array() {
                    // Scalars hold no `$ref`.
                    continue;
                }
                let named_below = !named && value.is_object() && is_named_map(key);
                walk(cx, value, &pointer.child(key), named_below, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.is_object() || item.is_array() {
                    walk(cx, item, &pointer.child(i), false, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn check_ref(cx: &mut Ctx<'_>, reference: &Value, pointer: &Path<'_>) {
    let Some(reference) = reference.as_str() else {
        cx.expect(
            pointer,
            "$ref",
            "a string such as `#/components/schemas/synchronizationJob`",
            reference,
        );
        return;
    };
    if !reference.starts_with('#') {
        cx.err(
            pointer,
            format!(
                "external `$ref: {reference}` is not supported by the generator; copy the definition into `components` and reference it as `#/components/...`"
            ),
        );
        return;
    }
    if !reference.starts_with("#/components/") {
        cx.err(
            pointer,
            format!("`$ref: {reference}` is not supported by the generator: references must point into `#/components/`"),
        );
        return;
    }
    if cx.lookup(reference).is_some() {
        return;
    }
    let parts = tokens(reference).unwrap_or_default();
    let (section, name) = match parts.as_slice() {
        [_, section, name, ..] => (section.as_str(), name.as_str()),
        [_, section] => (section.as_str(), ""),
        _ => ("", ""),
    };
    let section_pointer = format!("#/components/{section}");
    let message = match cx.lookup(&section_pointer).and_then(Value::as_object) {
        None => {
            format!("`$ref: {reference}` does not resolve: the document has no `{section_pointer}`")
        }
        Some(members) if !members.contains_key(name) => {
            let hint = did_you_mean(name, members.keys());
            format!(
                "`$ref: {reference}` does not resolve: `{section_pointer}` has no `{name}`{hint}"
            )
        }
        Some(_) => format!(
            "`$ref: {reference}` does not resolve: the pointer names no node of the document"
        ),
    };
    cx.err(pointer, message);
}
