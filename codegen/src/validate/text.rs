//! Spec text that becomes code: no string of the document (key or value) may hold a bidirectional control
//! character or a carriage return without a line feed. Descriptions, names and paths end up in doc comments,
//! identifiers and string literals of the generated crate, where a bidi control makes the source read
//! differently from how it compiles (rustc refuses them in literals and comments) and a bare CR is refused in
//! doc comments. Example values are data, sent and compared as JSON, never emitted; they are skipped (but a
//! property or parameter *named* `example` is a name, and is walked).

use serde_json::Value;

use super::Ctx;
use super::refs::is_named_map;
use crate::conventions::forbidden_text_char;
use crate::diagnostic::Path;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let raw = cx.raw();
    walk(cx, raw, &Path::ROOT, false, 0);
}

/// `named`: the keys of this mapping are names (of properties, paths, schemas, ...), not keywords.
fn walk(cx: &mut Ctx<'_>, node: &Value, pointer: &Path<'_>, named: bool, depth: usize) {
    if depth > 256 {
        return;
    }
    match node {
        Value::String(text) => report(cx, text, pointer, "text"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(cx, item, &pointer.child(i), false, depth + 1);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                let at = pointer.child(key);
                report(cx, key, &at, "key");
                // Example values are data (`example`, and `value` inside `examples`).
                if !named && (key == "example" || key == "examples") {
                    continue;
                }
                let named_below = !named && value.is_object() && is_named_map(key);
                walk(cx, value, &at, named_below, depth + 1);
            }
        }
        _ => {}
    }
}

fn report(cx: &mut Ctx<'_>, text: &str, pointer: &Path<'_>, what: &str) {
    if let Some((c, name)) = forbidden_text_char(text) {
        let fix = if c == '\r' {
            "end lines with a line feed (`\\n`) alone or with `\\r\\n`"
        } else {
            "remove it (write the text in logical order)"
        };
        cx.err(
            pointer,
            format!(
                "the {what} holds U+{:04X}, {name}, which must not reach generated code; {fix}",
                u32::from(c)
            ),
        );
    }
}
