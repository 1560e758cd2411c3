//! The one walk over every node of the document, for the two rules that concern any node: every `$ref` is a
//! local reference into `#/components/` that resolves, and no string or key breaks the text rule
//! ([`super::text`]).
//!
//! Example values are data for both rules and are skipped. Below `enum` lists, defaults and vendor extension
//! values a `$ref` key is data too, but their text is still checked (it can reach the generated code). Keys of
//! named maps (`properties`, `paths`, `responses`, ...) are names, so a property called `example` is still
//! walked.

use serde_json::Value;

use super::{Ctx, did_you_mean, text};
use crate::diagnostic::{Path, tokens};

pub(super) fn check(cx: &mut Ctx<'_>) {
    let raw = cx.raw();
    walk(cx, raw, &Path::ROOT, false, true, 0);
}

/// Keys whose value maps names to objects (so every key below is a name, not a keyword).
fn is_named_map(key: &str) -> bool {
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

/// Keys whose value is data, never an OpenAPI object, so a `$ref` key below is data too (`examples` are
/// checked, `$ref`s included, by [`super::examples`]).
fn is_data_key(key: &str) -> bool {
    matches!(key, "enum" | "default" | "value") || key.starts_with("x-")
}

/// `named`: the keys of this mapping are names, not keywords; `refs`: a `$ref` key here is a reference, not
/// data. The pointer of each node is only a link on the stack ([`Path`]); its text is built for errors alone.
fn walk(cx: &mut Ctx<'_>, node: &Value, pointer: &Path<'_>, named: bool, refs: bool, depth: usize) {
    if depth > 256 {
        return;
    }
    match node {
        Value::String(s) => text::check(cx, s, pointer, "text"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(cx, item, &pointer.child(i), false, refs, depth + 1);
            }
        }
        Value::Object(map) => {
            if refs
                && !named
                && let Some(reference) = map.get("$ref")
            {
                check_ref(cx, reference, &pointer.child("$ref"));
            }
            for (key, value) in map {
                let at = pointer.child(key);
                text::check(cx, key, &at, "key");
                // Example values are data (`example`, and `value` inside `examples`).
                if !named && (key == "example" || key == "examples") {
                    continue;
                }
                let named_below = !named && value.is_object() && is_named_map(key);
                let refs_below = refs && (named || !is_data_key(key));
                walk(cx, value, &at, named_below, refs_below, depth + 1);
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
