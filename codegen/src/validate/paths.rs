//! Paths and operations: path shapes, path parameters against templates, operationIds, operation
//! extensions, query options, request bodies, responses, and the component responses they reference.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::document::{external_docs, parameter, security_requirements};
use super::schemas::{Named, classify, is_array_of_refs};
use super::{Ctx, bool_flag, deprecated, examples, string_list};
use crate::conventions::{self, ENTITY_QUERY_OPTIONS, METHODS, QUERY_OPTIONS, template_names};
use crate::diagnostic::Path;

const OPERATION_TYPES: &[&str] = &["operation", "action", "function"];

const PATH_ITEM_KEYS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "parameters",
    "summary",
    "description",
];

/// A parameter reference, resolved; at `<list>/<index>` of its `parameters` list.
struct Param<'s> {
    name: &'s str,
    location: &'s str,
    index: usize,
}

/// The operationIds seen so far, each with the path and method of its first operation.
type OperationIds<'s> = HashMap<&'s str, (&'s str, &'static str)>;

pub(super) fn check(cx: &mut Ctx<'_>) {
    component_responses(cx);
    component_request_bodies(cx);
    let pointer = Path::at("#/paths");
    let Some(paths) = cx.raw().get("paths").and_then(Value::as_object) else {
        return;
    };
    if paths.is_empty() {
        cx.err(
            &pointer,
            "`paths` is empty; the spec describes no operations",
        );
    }
    let mut operation_ids = OperationIds::with_capacity(paths.len());
    for (path, item) in paths {
        path_item(cx, &pointer, path, item, &mut operation_ids);
    }
    // A declared parent no path uses would still become a builder method.
    let declared = cx.parents.clone();
    for parent in declared {
        let used = paths.keys().any(|path| {
            path.strip_prefix(parent)
                .is_some_and(|rest| rest.starts_with('/'))
        });
        if !used {
            let index = cx
                .raw()
                .get("x-graph-parents")
                .and_then(Value::as_array)
                .and_then(|items| items.iter().position(|p| p.as_str() == Some(parent)))
                .unwrap_or(0);
            cx.err(
                &Path::at("#/x-graph-parents").child(index),
                format!(
                    "no path starts with the parent `{parent}`; remove it from `x-graph-parents`"
                ),
            );
        }
    }
}

/// Checks the shape of a path; returns the part after its parent (`synchronization/jobs/...`) when the path
/// starts with a declared parent.
fn path_shape<'p>(cx: &mut Ctx<'_>, path: &'p str, pointer: &Path<'_>) -> Option<&'p str> {
    if !path.starts_with('/') {
        cx.err(pointer, format!("path `{path}` must start with `/`"));
        return None;
    }
    if path.len() > 1 && path.ends_with('/') {
        cx.err(
            pointer,
            format!("path `{path}` ends with `/`; remove the trailing slash"),
        );
        return None;
    }
    if path.contains("//") {
        cx.err(
            pointer,
            format!("path `{path}` has an empty segment (`//`)"),
        );
        return None;
    }
    // The longest declared parent the path continues with `/`.
    let rest = cx
        .parents
        .iter()
        .filter_map(|parent| path.strip_prefix(parent)?.strip_prefix('/'))
        .min_by_key(|rest| rest.len());
    let Some(rest) = rest else {
        if !cx.parents.is_empty() {
            cx.err(
                pointer,
                format!(
                    "path `{path}` does not start with a parent of `x-graph-parents` ({}); add its parent there or fix the path",
                    cx.parents.join(", ")
                ),
            );
        }
        return None;
    };
    if let Some(subtree) = cx.subtree.and_then(|s| s.strip_prefix('/'))
        && !(rest == subtree
            || rest
                .strip_prefix(subtree)
                .is_some_and(|r| r.starts_with('/')))
    {
        cx.err(
            pointer,
            format!(
                "path `{path}` must continue with `/{subtree}` (`x-graph-subtree`) after its parent"
            ),
        );
    }
    for segment in rest.split('/') {
        if conventions::param_of(segment).is_some() {
            continue;
        }
        if let Some(problem) = conventions::literal_segment_problem(segment) {
            cx.err(
                pointer,
                format!("the segment `{}` of path `{path}` {problem}; write each segment literally, as it is sent", segment.escape_debug()),
            );
        }
    }
    let mut depth = 0i32;
    for c in path.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            break;
        }
    }
    if depth != 0 {
        cx.err(pointer, format!("path `{path}` has unbalanced `{{` `}}`"));
        return None;
    }
    let names = template_names(path);
    for (i, name) in names.iter().enumerate() {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            cx.err(pointer, format!("path template parameter `{{{name}}}` must be a name of letters, digits, `-` and `_`"));
        } else if names.iter().take(i).any(|n| n == name) {
            cx.err(pointer, format!("path template parameter `{{{name}}}` appears twice in `{path}`; use distinct names"));
        }
    }
    Some(rest)
}

fn path_item<'s>(
    cx: &mut Ctx<'s>,
    paths: &Path<'_>,
    path: &'s str,
    value: &'s Value,
    operation_ids: &mut OperationIds<'s>,
) {
    let pointer = paths.child(path);
    let below_parent = path_shape(cx, path, &pointer);
    let Some(item) = value.as_object() else {
        return;
    };
    if item.contains_key("$ref") {
        cx.err(
            &pointer,
            "path item `$ref` is not supported by the generator; write the operations inline",
        );
        return;
    }
    cx.keys(item, &pointer, "a path item", PATH_ITEM_KEYS);
    let shared_pointer = pointer.child("parameters");
    let shared = match item.get("parameters") {
        Some(list) => parameter_list(cx, list, &shared_pointer),
        None => Vec::new(),
    };
    let template = template_names(path);
    let mut declared_by_operation: Vec<(&'static str, Vec<&str>)> = Vec::new();
    for &method in METHODS {
        let Some(op) = item.get(method) else {
            continue;
        };
        let op_pointer = pointer.child(method);
        let own = operation(
            cx,
            path,
            below_parent,
            method,
            op,
            &op_pointer,
            &shared,
            operation_ids,
        );
        let names = own
            .iter()
            .filter(|p| p.location == "path")
            .map(|p| p.name)
            .collect();
        for param in own.iter().filter(|p| p.location == "path") {
            if !template.contains(&param.name) {
                cx.err(
                    &op_pointer.child("parameters").child(param.index),
                    format!(
                        "path parameter `{}` is declared but the path `{path}` has no `{{{}}}`; remove the parameter or fix its name",
                        param.name, param.name
                    ),
                );
            }
        }
        declared_by_operation.push((method, names));
    }
    if declared_by_operation.is_empty() {
        cx.err(
            &pointer,
            format!("path `{path}` has no operations (get, put, post, patch or delete)"),
        );
    }
    for param in shared.iter().filter(|p| p.location == "path") {
        if !template.contains(&param.name) {
            cx.err(
                &shared_pointer.child(param.index),
                format!(
                    "path parameter `{}` is declared but the path `{path}` has no `{{{}}}`; remove the parameter or fix its name",
                    param.name, param.name
                ),
            );
        }
    }
    for name in &template {
        if shared
            .iter()
            .any(|p| p.location == "path" && p.name == *name)
        {
            continue;
        }
        let missing: Vec<&str> = declared_by_operation
            .iter()
            .filter(|(_, names)| !names.contains(name))
            .map(|(method, _)| *method)
            .collect();
        if missing.len() == declared_by_operation.len() {
            cx.err(
                &pointer,
                format!(
                    "path template parameter `{{{name}}}` is not declared; add `- $ref: '#/components/parameters/{name}'` to the path item's `parameters`"
                ),
            );
        } else {
            for method in missing {
                cx.err(
                    &pointer.child(method),
                    format!(
                        "path template parameter `{{{name}}}` is not declared for this operation; declare it once in the path item's `parameters`"
                    ),
                );
            }
        }
    }
}

/// A `parameters` list: parameters written inline or `$ref`s to `#/components/parameters` (resolved); both
/// spellings mean the same.
fn parameter_list<'s>(cx: &mut Ctx<'s>, value: &'s Value, pointer: &Path<'_>) -> Vec<Param<'s>> {
    let mut out: Vec<Param<'s>> = Vec::new();
    let Some(items) = value.as_array() else {
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let ipointer = pointer.child(i);
        let Some(map) = item.as_object() else {
            continue;
        };
        let (name, location) = if map.contains_key("$ref") {
            cx.keys(map, &ipointer, "a parameter reference", &["$ref"]);
            let Some((target, _)) = cx.follow(map, &ipointer, "parameters") else {
                continue;
            };
            let name = target.get("name").and_then(Value::as_str);
            let location = target.get("in").and_then(Value::as_str);
            let (Some(name), Some(location)) = (name, location) else {
                continue;
            };
            (name, location)
        } else {
            // Checked here as a component parameter is checked in `components`.
            let Some(found) = parameter(cx, item, &ipointer) else {
                continue;
            };
            found
        };
        // Other locations and unsupported query options are reported on the component itself.
        if !(location == "path" || (location == "query" && QUERY_OPTIONS.contains(&name))) {
            continue;
        }
        if out.iter().any(|p| p.name == name && p.location == location) {
            cx.err(
                &ipointer,
                format!("the {location} parameter `{name}` is listed twice; remove one"),
            );
            continue;
        }
        out.push(Param {
            name,
            location,
            index: i,
        });
    }
    out
}

/// Checks one operation; returns its own (operation-level) parameters.
#[allow(clippy::too_many_arguments)]
fn operation<'s>(
    cx: &mut Ctx<'s>,
    path: &'s str,
    below_parent: Option<&str>,
    method: &'static str,
    value: &'s Value,
    pointer: &Path<'_>,
    shared: &[Param<'s>],
    operation_ids: &mut OperationIds<'s>,
) -> Vec<Param<'s>> {
    let Some(op) = value.as_object() else {
        return Vec::new();
    };
    cx.keys(
        op,
        pointer,
        "an operation",
        &[
            "operationId",
            "summary",
            "description",
            "tags",
            "externalDocs",
            "parameters",
            "requestBody",
            "responses",
            "security",
            "x-ms-docs-operation-type",
            "x-graph-versions",
            "x-graph-deprecated",
            "x-graph-permissions",
            "x-graph-idempotent",
            "x-ms-pageable",
        ],
    );
    bool_flag(cx, op, pointer, "x-graph-idempotent");
    if let Some(tags) = op.get("tags") {
        string_list(cx, tags, &pointer.child("tags"), "tags");
    }
    if let Some(docs) = op.get("externalDocs") {
        external_docs(cx, docs, &pointer.child("externalDocs"));
    }
    if let Some(security) = op.get("security") {
        security_requirements(cx, security, &pointer.child("security"));
    }
    operation_id(cx, op, pointer, path, method, operation_ids);
    let kind = operation_type(cx, op, pointer, method);
    if matches!(kind, Some("action" | "function"))
        && below_parent.is_some_and(|rest| !rest.contains('/'))
    {
        cx.err(
            &pointer.child("x-ms-docs-operation-type"),
            format!("an OData {} is bound to a resource, but `{path}` has no segment between its parent and the {} segment; call it on a resource below the parent", kind.unwrap_or_default(), kind.unwrap_or_default()),
        );
    }
    let versions = operation_versions(cx, op, pointer);
    deprecated(cx, op, pointer, versions.as_deref(), "operation");
    permissions(cx, op, pointer);
    let pageable = pageable(cx, op, pointer, method);

    let own = match op.get("parameters") {
        Some(list) => parameter_list(cx, list, &pointer.child("parameters")),
        None => Vec::new(),
    };
    // The query options taken, as a set of bits over `QUERY_OPTIONS` (only supported options are kept by
    // `parameter_list`).
    let query: u32 = shared
        .iter()
        .chain(own.iter())
        .filter(|p| p.location == "query")
        .filter_map(|p| QUERY_OPTIONS.iter().position(|o| *o == p.name))
        .fold(0, |set, i| set | 1 << i);
    let all: u32 = (1 << QUERY_OPTIONS.len()) - 1;
    let select_only: u32 = ENTITY_QUERY_OPTIONS
        .iter()
        .filter_map(|e| QUERY_OPTIONS.iter().position(|o| o == e))
        .fold(0, |set, i| set | 1 << i);
    let query_pointer = if op.contains_key("parameters") {
        pointer.child("parameters")
    } else {
        *pointer
    };
    if !(query == 0 || query == select_only || query == all) {
        cx.err(
            &query_pointer,
            format!(
                "the query options {} are not a set the generator supports: a list operation takes all of {}; a single-entity GET takes `$select` alone; others take none",
                query_options(query).join(", "),
                QUERY_OPTIONS.join(", ")
            ),
        );
    } else if pageable.is_some() && kind == Some("operation") && query != all {
        cx.err(
            &query_pointer,
            format!(
                "a list operation (pageable, `x-ms-docs-operation-type: operation`) takes all of {}; add `$ref`s for {}",
                QUERY_OPTIONS.join(", "),
                query_options(all & !query).join(", ")
            ),
        );
    } else if pageable.is_none() && query != 0 && query == all {
        cx.err(
            pointer,
            "the operation takes the list query options but has no `x-ms-pageable`; add `x-ms-pageable: {nextLinkName: '@odata.nextLink', itemName: value}`",
        );
    }

    if let Some(body) = op.get("requestBody") {
        request_body(cx, method, body, &pointer.child("requestBody"));
    }
    responses(cx, op, pointer, method, pageable);
    own
}

/// The query options in the bit set `set` (over `QUERY_OPTIONS`), sorted by name.
fn query_options(set: u32) -> Vec<&'static str> {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (i, name) in QUERY_OPTIONS.iter().enumerate() {
        if set & (1 << i) != 0 {
            names.insert(name);
        }
    }
    names.into_iter().collect()
}

fn operation_id<'s>(
    cx: &mut Ctx<'s>,
    op: &'s Map<String, Value>,
    pointer: &Path<'_>,
    path: &'s str,
    method: &'static str,
    seen: &mut OperationIds<'s>,
) {
    let ipointer = pointer.child("operationId");
    let id = match op.get("operationId") {
        None => {
            cx.err(
                pointer,
                "the operation has no `operationId`; add a unique dotted id such as `servicePrincipals.synchronization.jobs.synchronizationJob.start`",
            );
            return;
        }
        Some(Value::String(id)) if !id.is_empty() && !id.chars().any(char::is_whitespace) => id,
        Some(other) => {
            cx.expect(
                &ipointer,
                "operationId",
                "a non-empty string without spaces",
                other,
            );
            return;
        }
    };
    if let Some(&(first_path, first_method)) = seen.get(id.as_str()) {
        let paths = Path::at("#/paths");
        let first_path = paths.child(first_path);
        let first_operation = first_path.child(first_method);
        let first = first_operation.child("operationId").to_pointer();
        let line = cx
            .locator
            .line_of(&first)
            .map(|l| format!(" (line {l})"))
            .unwrap_or_default();
        let message = format!(
            "duplicate operationId `{id}`: also used at {first}{line}; operationIds must be unique"
        );
        cx.err(&ipointer, message);
    } else {
        seen.insert(id, (path, method));
    }
}

/// `x-ms-docs-operation-type`; returns it when it is one of the three kinds.
fn operation_type<'v>(
    cx: &mut Ctx<'_>,
    op: &'v Map<String, Value>,
    pointer: &Path<'_>,
    method: &str,
) -> Option<&'v str> {
    let tpointer = pointer.child("x-ms-docs-operation-type");
    match op.get("x-ms-docs-operation-type") {
        None => {
            cx.err(
                pointer,
                "`x-ms-docs-operation-type` is missing; add `operation` (CRUD), `action` (POST to an action segment) or `function` (GET of a function segment)",
            );
            None
        }
        Some(Value::String(kind)) if OPERATION_TYPES.contains(&kind.as_str()) => {
            let expected = match kind.as_str() {
                "action" => Some("post"),
                "function" => Some("get"),
                _ => None,
            };
            if let Some(expected) = expected
                && expected != method
            {
                cx.err(
                    &tpointer,
                    format!("an OData {kind} is called with `{expected}`, but this operation is `{method}`; fix the method or the type"),
                );
            }
            Some(kind.as_str())
        }
        Some(other) => {
            cx.expect(
                &tpointer,
                "x-ms-docs-operation-type",
                "`operation`, `action` or `function`",
                other,
            );
            None
        }
    }
}

/// `x-graph-versions` on an operation; returns the versions the operation is in, `None` for all the versions
/// of the document (`Ctx::versions`).
fn operation_versions<'s>(
    cx: &mut Ctx<'s>,
    op: &'s Map<String, Value>,
    pointer: &Path<'_>,
) -> Option<Vec<&'s str>> {
    let value = op.get("x-graph-versions")?;
    let vpointer = pointer.child("x-graph-versions");
    let list = string_list(cx, value, &vpointer, "x-graph-versions")?;
    if list.is_empty() {
        cx.err(&vpointer, "`x-graph-versions` is empty; list the versions the operation is in, or omit it for all versions");
        return Some(list);
    }
    if cx.versions.is_empty() {
        return Some(list);
    }
    let mut ok = true;
    for (i, version) in list.iter().enumerate() {
        if !cx.versions.contains(version) {
            ok = false;
            let message = format!(
                "version `{version}` is not in `info.x-graph-versions` ({}); fix the name or add the version there",
                cx.versions.join(", ")
            );
            cx.err(&vpointer.child(i), message);
        }
    }
    if !ok {
        return None;
    }
    if cx.versions.iter().all(|v| list.contains(v)) {
        cx.err(
            &vpointer,
            "`x-graph-versions` lists every version of `info.x-graph-versions`; omit it (it is only for operations missing from some version)",
        );
    }
    Some(list)
}

fn permissions(cx: &mut Ctx<'_>, op: &Map<String, Value>, pointer: &Path<'_>) {
    let Some(value) = op.get("x-graph-permissions") else {
        return;
    };
    let ppointer = pointer.child("x-graph-permissions");
    let shape = "a mapping with `delegatedWork`, `delegatedPersonal` and `application`, each `{least: [...], higher: [...]}`";
    let Some(p) = value.as_object() else {
        cx.expect(&ppointer, "x-graph-permissions", shape, value);
        return;
    };
    let kinds = ["delegatedWork", "delegatedPersonal", "application"];
    cx.keys(p, &ppointer, "`x-graph-permissions`", &kinds);
    for kind in kinds {
        let kpointer = ppointer.child(kind);
        let Some(entry) = p.get(kind) else {
            cx.err(
                &ppointer,
                format!("`x-graph-permissions` needs `{kind}` (write `{kind}: {{least: [], higher: []}}` when it is not supported)"),
            );
            continue;
        };
        let Some(entry) = entry.as_object() else {
            cx.expect(&kpointer, kind, "`{least: [...], higher: [...]}`", entry);
            continue;
        };
        cx.keys(
            entry,
            &kpointer,
            format_args!("`x-graph-permissions.{kind}`"),
            &["least", "higher"],
        );
        for level in ["least", "higher"] {
            let lpointer = kpointer.child(level);
            let Some(list) = entry.get(level) else {
                cx.err(
                    &kpointer,
                    format!("`{kind}` needs `{level}` (a list of permission names, may be empty)"),
                );
                continue;
            };
            let Some(names) = string_list(cx, list, &lpointer, level) else {
                continue;
            };
            for (i, name) in names.iter().enumerate() {
                if name.chars().any(char::is_whitespace) {
                    cx.err(
                        &lpointer.child(i),
                        format!(
                            "permission `{name}` contains whitespace; write one permission per item"
                        ),
                    );
                }
            }
        }
    }
}

/// `x-ms-pageable`; returns `(nextLinkName, itemName)`.
fn pageable<'s>(
    cx: &mut Ctx<'_>,
    op: &'s Map<String, Value>,
    pointer: &Path<'_>,
    method: &str,
) -> Option<(&'s str, &'s str)> {
    let value = op.get("x-ms-pageable")?;
    let ppointer = pointer.child("x-ms-pageable");
    let Some(p) = value.as_object() else {
        cx.expect(
            &ppointer,
            "x-ms-pageable",
            "`{nextLinkName: '@odata.nextLink', itemName: value}`",
            value,
        );
        return None;
    };
    cx.keys(
        p,
        &ppointer,
        "`x-ms-pageable`",
        &["nextLinkName", "itemName"],
    );
    if method != "get" {
        cx.err(
            &ppointer,
            format!("only `get` operations can be pageable, this one is `{method}`"),
        );
        return None;
    }
    let next = p.get("nextLinkName").and_then(Value::as_str);
    let item = p.get("itemName").and_then(Value::as_str);
    match (next, item) {
        (Some(next), Some(item)) => Some((next, item)),
        _ => {
            cx.err(&ppointer, "`x-ms-pageable` needs `nextLinkName: '@odata.nextLink'` and `itemName: value` (strings)");
            None
        }
    }
}

fn request_body<'s>(cx: &mut Ctx<'s>, method: &str, value: &'s Value, pointer: &Path<'_>) {
    if matches!(method, "get" | "delete") {
        cx.err(
            pointer,
            format!("a request body on `{method}` is not supported by the generator; remove it"),
        );
        return;
    }
    let Some(body) = value.as_object() else {
        return;
    };
    if body.contains_key("$ref") {
        // The same as writing the body here; the component itself is checked with the others.
        cx.keys(body, pointer, "a request body reference", &["$ref"]);
        cx.follow(body, pointer, "requestBodies");
        return;
    }
    request_body_object(cx, body, pointer);
}

/// A request body written out (inline, or in `#/components/requestBodies`).
fn request_body_object<'s>(cx: &mut Ctx<'s>, body: &'s Map<String, Value>, pointer: &Path<'_>) {
    cx.keys(
        body,
        pointer,
        "a request body",
        &["description", "content", "required"],
    );
    let cpointer = pointer.child("content");
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        cx.err(
            pointer,
            "the request body needs `content` with one media type (`application/json`)",
        );
        return;
    };
    if content.len() != 1 {
        cx.err(
            &cpointer,
            format!(
                "request bodies with {} media types are not supported by the generator; give exactly one (`application/json`, or `application/scim+json` for bulkUpload)",
                content.len()
            ),
        );
        return;
    }
    for (media_type, media) in content {
        let mpointer = cpointer.child(media_type);
        if !matches!(
            media_type.as_str(),
            "application/json" | "application/scim+json"
        ) {
            cx.err(
                &mpointer,
                format!("request media type `{media_type}` is not supported by the generator; use `application/json` (or `application/scim+json` for bulkUpload)"),
            );
            continue;
        }
        media_object(cx, media, &mpointer, "request body");
    }
}

/// A media type object: a `$ref` schema to a named object schema, and examples; returns the schema reference.
fn media_object<'s>(
    cx: &mut Ctx<'s>,
    value: &'s Value,
    pointer: &Path<'_>,
    what: &str,
) -> Option<&'s str> {
    let media = value.as_object()?;
    cx.keys(
        media,
        pointer,
        "a media type",
        &["schema", "example", "examples"],
    );
    let spointer = pointer.child("schema");
    let Some(schema) = media.get("schema") else {
        cx.err(
            pointer,
            format!("the {what} needs `schema: {{$ref: '#/components/schemas/...'}}`"),
        );
        return None;
    };
    let Some(schema) = schema.as_object().filter(|s| s.contains_key("$ref")) else {
        cx.err(
            &spointer,
            format!("the {what} schema must be a `$ref` to a named component schema (e.g. `#/components/schemas/synchronizationJob`); inline schemas are not supported by the generator"),
        );
        return None;
    };
    cx.keys(
        schema,
        &spointer,
        format_args!("a {what} schema reference"),
        &["$ref"],
    );
    let (target, reference) = cx.follow(schema, &spointer, "schemas")?;
    if !matches!(classify(target), Named::Object(_)) {
        cx.err(
            &spointer.child("$ref"),
            format!("the {what} schema `{reference}` is not an object schema; bodies must be named object schemas"),
        );
        return None;
    }
    examples::check_media(cx, media, pointer, reference);
    Some(reference)
}

fn responses<'s>(
    cx: &mut Ctx<'s>,
    op: &'s Map<String, Value>,
    pointer: &Path<'_>,
    method: &str,
    pageable: Option<(&str, &str)>,
) {
    let rpointer = pointer.child("responses");
    let Some(value) = op.get("responses") else {
        cx.err(pointer, "the operation has no `responses`; list the success statuses and `default: {$ref: '#/components/responses/error'}`");
        return;
    };
    let Some(responses) = value.as_object() else {
        return;
    };
    let mut has_default = false;
    let mut success: Vec<(u16, Option<&'s str>)> = Vec::new();
    for (status, response) in responses {
        let spointer = rpointer.child(status);
        if status == "default" {
            has_default = true;
            let reference = response.as_object().filter(|r| r.contains_key("$ref"));
            match reference {
                Some(reference) => {
                    cx.keys(reference, &spointer, "the `default` response reference", &["$ref"]);
                    cx.follow(reference, &spointer, "responses");
                }
                None => cx.err(
                    &spointer,
                    "the `default` response must be `$ref: '#/components/responses/error'` (the OData error), not inline",
                ),
            }
            continue;
        }
        let code = status.parse::<u16>().ok().filter(|_| status.len() == 3);
        match code {
            Some(code @ 200..=299) => {
                if let Some(schema) = response_object(cx, response, &spointer, Some(code), false) {
                    success.push((code, schema));
                }
            }
            Some(code) => cx.err(
                &spointer,
                format!("status `{code}` is not supported by the generator: list only success (2xx) statuses; errors are described by `default`"),
            ),
            None => cx.err(
                &spointer,
                format!("status `{status}` is not supported by the generator; list each success status (e.g. `200`, `201`, `204`)"),
            ),
        }
    }
    if !has_default {
        cx.err(&rpointer, "the operation has no `default` error response; add `default: {$ref: '#/components/responses/error'}`");
    }
    if success.is_empty() && responses.keys().all(|k| k == "default") {
        cx.err(
            &rpointer,
            "the operation has no success (2xx) response; list each documented success status",
        );
    }
    let mut schemas = success.iter().filter_map(|(_, s)| *s);
    if let Some(first) = schemas.next()
        && schemas.any(|s| s != first)
    {
        let schemas: BTreeSet<&str> = success.iter().filter_map(|(_, s)| *s).collect();
        cx.err(
            &rpointer,
            format!(
                "the success responses return different schemas ({}); the generator needs one response type per operation",
                schemas.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let Some((next, item)) = pageable else { return };
    let ppointer = pointer.child("x-ms-pageable");
    let Some(reference) = success
        .iter()
        .find(|(code, _)| *code == 200)
        .and_then(|(_, s)| *s)
    else {
        cx.err(&ppointer, "a pageable operation needs a `200` response with an `application/json` collection-response schema");
        return;
    };
    if method != "get" {
        return;
    }
    let Some(properties) = cx
        .lookup(reference)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
    else {
        cx.err(
            &ppointer,
            format!(
                "the page schema `{reference}` has no `properties`; it needs `{item}` and `{next}`"
            ),
        );
        return;
    };
    if !properties.get(item).is_some_and(is_array_of_refs) {
        cx.err(
            &ppointer,
            format!("the page schema `{reference}` needs a `{item}` property `{{type: array, items: {{$ref: ...}}}}` (from `itemName`)"),
        );
    }
    if properties
        .get(next)
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        != Some("string")
    {
        cx.err(
            &ppointer,
            format!("the page schema `{reference}` needs a `{next}` property `{{type: string}}` (from `nextLinkName`)"),
        );
    }
}

/// A response object (inline); returns `Some(schema reference)` when it has JSON content, `Some(None)` when
/// it has none, `None` when it is unusable.
fn response_object<'s>(
    cx: &mut Ctx<'s>,
    value: &'s Value,
    pointer: &Path<'_>,
    status: Option<u16>,
    component: bool,
) -> Option<Option<&'s str>> {
    let response = value.as_object()?;
    if response.contains_key("$ref") {
        if component {
            cx.err(
                pointer,
                "a component response must be defined here, not a `$ref` to another one",
            );
            return None;
        }
        // The same as writing the response here: the component is checked for this status.
        cx.keys(response, pointer, "a response reference", &["$ref"]);
        let (target, reference) = cx.follow(response, pointer, "responses")?;
        return response_object(cx, target, &Path::at(reference), status, true);
    }
    cx.keys(response, pointer, "a response", &["description", "content"]);
    let Some(content) = response.get("content") else {
        return Some(None);
    };
    let cpointer = pointer.child("content");
    let content = content.as_object()?;
    if content.is_empty() {
        return Some(None);
    }
    if status == Some(204) {
        cx.err(
            &cpointer,
            "a `204` response has no content; remove `content` or use `200`",
        );
        return None;
    }
    let mut schema = None;
    for (media_type, media) in content {
        let mpointer = cpointer.child(media_type);
        if media_type != "application/json" {
            cx.err(
                &mpointer,
                format!("response content `{media_type}` is not supported by the generator; only `application/json` is"),
            );
            continue;
        }
        schema = media_object(cx, media, &mpointer, "response");
    }
    schema.map(Some)
}

fn component_request_bodies(cx: &mut Ctx<'_>) {
    let Some(bodies) = cx
        .lookup("#/components/requestBodies")
        .and_then(Value::as_object)
    else {
        return;
    };
    let pointer = Path::at("#/components/requestBodies");
    for (name, body) in bodies {
        let at = pointer.child(name);
        match body.as_object() {
            Some(map) if map.contains_key("$ref") => cx.err(
                &at,
                "a component request body must be defined here, not a `$ref` to another one",
            ),
            Some(map) => request_body_object(cx, map, &at),
            None => {}
        }
    }
}

fn component_responses(cx: &mut Ctx<'_>) {
    let Some(responses) = cx
        .lookup("#/components/responses")
        .and_then(Value::as_object)
    else {
        return;
    };
    let pointer = Path::at("#/components/responses");
    for (name, response) in responses {
        response_object(cx, response, &pointer.child(name), None, true);
    }
}
