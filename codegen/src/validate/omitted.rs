//! `x-graph-omitted` at the document root: the operations the official metadata derives that the spec leaves
//! out on purpose, each with a one-line reason, so the spec audit (`spec/audit/audit.py`) can tell a decision
//! from an oversight. The generator does not read it; the validator only makes sure it is well-formed data.
//!
//! ```yaml
//! x-graph-omitted:
//!   - {method: delete, path: /servicePrincipals/{servicePrincipal-id}/synchronization, reason: ...}
//!   - {method: get, path: /applications/{application-id}/synchronization/microsoft.graph.Ping(), reason: ..., versions: [beta]}
//! ```

use std::collections::HashMap;

use serde_json::Value;

use super::{Ctx, string_list};
use crate::diagnostic::Path;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

pub(super) fn check(cx: &mut Ctx<'_>) {
    let Some(value) = cx.raw().get("x-graph-omitted") else {
        return;
    };
    let pointer = Path::at("#/x-graph-omitted");
    let Some(entries) = value.as_array() else {
        cx.expect(
            &pointer,
            "x-graph-omitted",
            "a list of `{method, path, reason}` entries",
            value,
        );
        return;
    };
    let paths = cx.raw().get("paths").and_then(Value::as_object);
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = pointer.child(i);
        let Some(map) = entry.as_object() else {
            cx.expect(
                &at,
                "x-graph-omitted[]",
                "a mapping with `method`, `path` and `reason`",
                entry,
            );
            continue;
        };
        cx.keys(
            map,
            &at,
            "an `x-graph-omitted` entry",
            &["method", "path", "reason", "versions"],
        );
        let method = match map.get("method") {
            Some(Value::String(m)) if METHODS.contains(&m.as_str()) => Some(m.as_str()),
            Some(other) => {
                cx.expect(
                    &at.child("method"),
                    "method",
                    "one of get, put, post, patch, delete",
                    other,
                );
                None
            }
            None => {
                cx.err(
                    &at,
                    "an `x-graph-omitted` entry needs `method` (get, put, post, patch or delete)",
                );
                None
            }
        };
        let path = match map.get("path") {
            Some(Value::String(p)) if p.starts_with('/') && !p.ends_with('/') => Some(p.as_str()),
            Some(other) => {
                cx.expect(
                    &at.child("path"),
                    "path",
                    "a path starting with `/` and not ending with one",
                    other,
                );
                None
            }
            None => {
                cx.err(&at, "an `x-graph-omitted` entry needs `path`");
                None
            }
        };
        match map.get("reason") {
            Some(Value::String(r)) if !r.trim().is_empty() && !r.contains('\n') => {}
            Some(other) => cx.expect(
                &at.child("reason"),
                "reason",
                "a one-line, non-empty string saying why the operation is left out",
                other,
            ),
            None => cx.err(&at, "an `x-graph-omitted` entry needs a one-line `reason`"),
        }
        if let Some(list) = map.get("versions") {
            let vpointer = at.child("versions");
            if let Some(versions) = string_list(cx, list, &vpointer, "versions") {
                if versions.is_empty() {
                    cx.err(&vpointer, "`versions` is empty; list the versions the omission is about, or leave it out for all");
                }
                for (j, version) in versions.iter().enumerate() {
                    if !cx.versions.is_empty() && !cx.versions.contains(version) {
                        let known = cx.versions.join(", ");
                        cx.err(
                            &vpointer.child(j),
                            format!(
                                "version `{version}` is not in `info.x-graph-versions` ({known})"
                            ),
                        );
                    }
                }
            }
        }
        let (Some(method), Some(path)) = (method, path) else {
            continue;
        };
        if let Some(first) = seen.insert((method, path), i) {
            cx.err(
                &at,
                format!("`{method} {path}` is already omitted by entry {first}; keep one entry"),
            );
        }
        if paths
            .and_then(|p| p.get(path))
            .and_then(|item| item.get(method))
            .is_some()
        {
            cx.err(
                &at,
                format!("`{method} {path}` is described in `paths`; an operation is either described or omitted, not both"),
            );
        }
    }
}
