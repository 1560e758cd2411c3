//! The document around the API: root keys, `info`, `servers`, `security`, `tags`, the `components` sections,
//! component parameters and security schemes.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Ctx, string_list};
use crate::conventions::{KeySegment, QUERY_OPTIONS, template_names};
use crate::diagnostic::Path;

pub(super) fn check(cx: &mut Ctx<'_>) {
    let Some(root) = cx.raw().as_object() else {
        return;
    };
    cx.keys(
        root,
        &Path::ROOT,
        "the document root",
        &[
            "openapi",
            "info",
            "paths",
            "components",
            "servers",
            "security",
            "tags",
            "externalDocs",
            "x-graph-parents",
            "x-graph-subtree",
            "x-graph-omitted",
        ],
    );
    info(cx, root);
    tree(cx, root);
    servers(cx, root);
    if let Some(security) = root.get("security") {
        security_requirements(cx, security, &Path::at("#/security"));
    }
    if let Some(tags) = root.get("tags") {
        tag_list(cx, tags, &Path::at("#/tags"));
    }
    if let Some(docs) = root.get("externalDocs") {
        external_docs(cx, docs, &Path::at("#/externalDocs"));
    }
    components(cx, root);
}

fn info(cx: &mut Ctx<'_>, root: &Map<String, Value>) {
    let pointer = Path::at("#/info");
    let Some(info) = root.get("info").and_then(Value::as_object) else {
        return;
    };
    cx.keys(
        info,
        &pointer,
        "`info`",
        &[
            "title",
            "version",
            "description",
            "termsOfService",
            "contact",
            "license",
            "x-graph-versions",
        ],
    );
    match info.get("x-graph-versions") {
        None => cx.err(
            &pointer,
            "`info.x-graph-versions` is missing; list the API versions the document describes, e.g. `x-graph-versions: [v1.0, beta]`",
        ),
        Some(value) => {
            let vpointer = pointer.child("x-graph-versions");
            if let Some(versions) = string_list(cx, value, &vpointer, "x-graph-versions") {
                if versions.is_empty() {
                    cx.err(&vpointer, "`x-graph-versions` is empty; list the versions, e.g. `[v1.0, beta]`");
                }
                for (i, version) in versions.iter().enumerate() {
                    if !version.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_') {
                        cx.err(
                            &vpointer.child(i),
                            format!("version `{version}` must be a URL segment such as `v1.0` or `beta`"),
                        );
                    }
                }
            }
        }
    }
}

/// `x-graph-parents` (the entities the API hangs off, by id or alternate key) and `x-graph-subtree` (the path
/// below each of them); every path is a parent followed by the subtree (checked in `paths`).
fn tree(cx: &mut Ctx<'_>, root: &Map<String, Value>) {
    const EXAMPLE: &str = "x-graph-parents: ['/servicePrincipals/{servicePrincipal-id}', \"/servicePrincipals(appId='{appId}')\"]";
    match root.get("x-graph-parents") {
        None => cx.err(
            &Path::ROOT,
            format!("`x-graph-parents` is missing; list the paths of the entities the API hangs off, e.g. `{EXAMPLE}`"),
        ),
        Some(value) => {
            let pointer = Path::at("#/x-graph-parents");
            let Some(list) = string_list(cx, value, &pointer, "x-graph-parents") else {
                return;
            };
            if list.is_empty() {
                cx.err(&pointer, format!("`x-graph-parents` is empty; list the parents, e.g. `{EXAMPLE}`"));
            }
            let parsed: Vec<Option<KeySegment<'_>>> = list.iter().map(|p| KeySegment::parse(p)).collect();
            for (i, (path, segment)) in list.iter().zip(&parsed).enumerate() {
                let at = pointer.child(i);
                let Some(segment) = segment else {
                    cx.err(&at, format!("parent `{path}` must be `/<entitySet>/{{<id>}}` or `/<entitySet>(<key>='{{<value>}}')` (names of letters, digits, `-` and `_`)"));
                    continue;
                };
                let same_set = || parsed.iter().take(i).flatten().filter(|p| p.set == segment.set);
                if segment.key.is_none() {
                    if let Some(first) = same_set().find(|p| p.key.is_none()) {
                        cx.err(&at, format!("entity set `{}` is addressed by `{{{}}}` here and by `{{{}}}` before; use one id parameter", segment.set, segment.param, first.param));
                    }
                } else if same_set().any(|p| p.key == segment.key) {
                    cx.err(&at, format!("the alternate key `{}` of `{}` is listed twice; remove one", segment.key.unwrap_or_default(), segment.set));
                } else if !parsed.iter().flatten().any(|p| p.set == segment.set && p.key.is_none()) {
                    cx.err(&at, format!("the alternate key `{path}` needs the entity set's id form too: add `/{}/{{<id>}}` to `x-graph-parents`", segment.set));
                }
            }
        }
    }
    match root.get("x-graph-subtree") {
        None => cx.err(
            &Path::ROOT,
            "`x-graph-subtree` is missing; give the path every operation lies under, below its parent, e.g. `x-graph-subtree: /synchronization`",
        ),
        Some(Value::String(subtree))
            if subtree.len() > 1
                && subtree.starts_with('/')
                && subtree[1..].split('/').all(|s| !s.is_empty() && !s.contains(['{', '}'])) => {}
        Some(other) => cx.expect(
            &Path::at("#/x-graph-subtree"),
            "x-graph-subtree",
            "a path of literal segments such as `/synchronization`",
            other,
        ),
    }
}

fn servers(cx: &mut Ctx<'_>, root: &Map<String, Value>) {
    let spointer = Path::at("#/servers");
    let Some(value) = root.get("servers") else {
        cx.err(&Path::ROOT, "`servers` is missing; add `- url: https://graph.microsoft.com/{version}` with a `version` variable");
        return;
    };
    let Some(servers) = value.as_array() else {
        return;
    };
    if servers.is_empty() {
        cx.err(
            &spointer,
            "`servers` is empty; add `- url: https://graph.microsoft.com/{version}`",
        );
    }
    for (i, server) in servers.iter().enumerate() {
        let pointer = spointer.child(i);
        let Some(server) = server.as_object() else {
            continue;
        };
        cx.keys(
            server,
            &pointer,
            "a server",
            &["url", "description", "variables"],
        );
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let names = template_names(url);
        let no_variables = Map::new();
        let variables = match server.get("variables") {
            None => &no_variables,
            Some(Value::Object(v)) => v,
            Some(_) => continue,
        };
        if !names.contains(&"version") {
            cx.err(
                &pointer.child("url"),
                format!("server url `{url}` has no `{{version}}` variable; write `https://graph.microsoft.com/{{version}}`"),
            );
        }
        for name in &names {
            if !variables.contains_key(*name) {
                cx.err(
                    &pointer.child("url"),
                    format!(
                        "server url variable `{{{name}}}` is not declared; add it under `variables`"
                    ),
                );
            }
        }
        let variables_pointer = pointer.child("variables");
        for (name, variable) in variables {
            let vpointer = variables_pointer.child(name);
            if !names.contains(&name.as_str()) {
                cx.err(
                    &vpointer,
                    format!(
                        "server variable `{name}` does not appear in the url `{url}`; remove it"
                    ),
                );
            }
            let Some(variable) = variable.as_object() else {
                continue;
            };
            cx.keys(
                variable,
                &vpointer,
                "a server variable",
                &["default", "enum", "description"],
            );
            let default = variable.get("default").and_then(Value::as_str);
            let members = match variable.get("enum") {
                Some(e) => string_list(cx, e, &vpointer.child("enum"), "enum"),
                None => None,
            };
            if let (Some(default), Some(members)) = (default, &members)
                && !members.contains(&default)
            {
                cx.err(
                    &vpointer.child("default"),
                    format!(
                        "default `{default}` is not one of the variable's `enum` ({})",
                        members.join(", ")
                    ),
                );
            }
            if name == "version" && !cx.versions.is_empty() {
                let same = members.as_ref().is_some_and(|m| {
                    m.len() == cx.versions.len() && cx.versions.iter().all(|v| m.contains(v))
                });
                if !same {
                    let message = format!(
                        "the `version` variable's `enum` must list exactly the versions of `info.x-graph-versions` ({})",
                        cx.versions.join(", ")
                    );
                    cx.err(&vpointer, message);
                }
            }
        }
    }
}

pub(super) fn security_requirements(cx: &mut Ctx<'_>, value: &Value, pointer: &Path<'_>) {
    let Some(items) = value.as_array() else {
        return;
    };
    let schemes = cx
        .lookup("#/components/securitySchemes")
        .and_then(Value::as_object);
    for (i, item) in items.iter().enumerate() {
        let ipointer = pointer.child(i);
        let Some(requirement) = item.as_object() else {
            continue;
        };
        for (name, scopes) in requirement {
            let spointer = ipointer.child(name);
            if !schemes.is_some_and(|s| s.contains_key(name)) {
                cx.err(
                    &spointer,
                    format!(
                        "security scheme `{name}` is not declared in `#/components/securitySchemes`"
                    ),
                );
            }
            string_list(cx, scopes, &spointer, name);
        }
    }
}

fn tag_list(cx: &mut Ctx<'_>, value: &Value, pointer: &Path<'_>) {
    let Some(items) = value.as_array() else {
        return;
    };
    for (i, tag) in items.iter().enumerate() {
        let tpointer = pointer.child(i);
        let Some(tag) = tag.as_object() else {
            continue;
        };
        cx.keys(
            tag,
            &tpointer,
            "a tag",
            &["name", "description", "externalDocs"],
        );
        if let Some(docs) = tag.get("externalDocs") {
            external_docs(cx, docs, &tpointer.child("externalDocs"));
        }
    }
}

pub(super) fn external_docs(cx: &mut Ctx<'_>, value: &Value, pointer: &Path<'_>) {
    let Some(docs) = value.as_object() else {
        return;
    };
    cx.keys(docs, pointer, "`externalDocs`", &["url", "description"]);
}

fn components<'s>(cx: &mut Ctx<'s>, root: &'s Map<String, Value>) {
    let Some(value) = root.get("components") else {
        return;
    };
    let cpointer = Path::at("#/components");
    let Some(components) = value.as_object() else {
        return;
    };
    cx.keys(
        components,
        &cpointer,
        "`components`",
        &[
            "schemas",
            "parameters",
            "responses",
            "requestBodies",
            "securitySchemes",
        ],
    );
    if let Some(params) = components.get("parameters").and_then(Value::as_object) {
        let ppointer = cpointer.child("parameters");
        // (name, location) of each parameter → the component that declares it first.
        let mut seen: HashMap<(&str, &str), &str> = HashMap::with_capacity(params.len());
        for (name, param) in params {
            let pointer = ppointer.child(name);
            if let Some((pname, location)) = parameter(cx, param, &pointer) {
                if let Some(first) = seen.get(&(pname, location)) {
                    let first = ppointer.child(*first);
                    let message = format!(
                        "the {location} parameter `{pname}` is declared twice (also at {first}); declare each parameter once and `$ref` it"
                    );
                    cx.err(&pointer, message);
                } else {
                    seen.insert((pname, location), name);
                }
            }
        }
    }
    if let Some(schemes) = components.get("securitySchemes").and_then(Value::as_object) {
        let spointer = cpointer.child("securitySchemes");
        for (name, scheme) in schemes {
            security_scheme(cx, scheme, &spointer.child(name));
        }
    }
}

/// A parameter defined in place (in `components` or inline in a `parameters` list); returns its name and
/// location when they are usable.
pub(super) fn parameter<'v>(
    cx: &mut Ctx<'_>,
    value: &'v Value,
    pointer: &Path<'_>,
) -> Option<(&'v str, &'static str)> {
    let param = value.as_object()?;
    if param.contains_key("$ref") {
        cx.err(
            pointer,
            "a parameter must be defined here, not a `$ref` to another one",
        );
        return None;
    }
    cx.keys(
        param,
        pointer,
        "a parameter",
        &[
            "name",
            "in",
            "description",
            "required",
            "schema",
            "style",
            "explode",
        ],
    );
    let name = param.get("name").and_then(Value::as_str)?;
    if name.is_empty() {
        cx.err(&pointer.child("name"), "`name` must be a non-empty string");
        return None;
    }
    let location = match param.get("in").and_then(Value::as_str) {
        Some("path") => "path",
        Some("query") => "query",
        Some(l @ ("header" | "cookie")) => {
            cx.err(
                &pointer.child("in"),
                format!("{l} parameters (`{name}`) are not supported by the generator; only path parameters and the OData query options are"),
            );
            return None;
        }
        _ => {
            cx.err(
                pointer,
                format!("parameter `{name}` needs `in: path` or `in: query`"),
            );
            return None;
        }
    };
    let required = param.get("required").and_then(Value::as_bool);
    let schema = param.get("schema");
    if schema.is_none() {
        cx.err(
            pointer,
            format!("parameter `{name}` has no `schema`; add `schema: {{type: string}}`"),
        );
    }
    let schema = schema.and_then(Value::as_object);
    let style = param.get("style").and_then(Value::as_str);
    let explode = param.get("explode").and_then(Value::as_bool);
    if location == "path" {
        if required != Some(true) {
            cx.err(
                pointer,
                format!("path parameter `{name}` must be `required: true`"),
            );
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            cx.err(
                &pointer.child("name"),
                format!("path parameter name `{name}` may only use letters, digits, `-` and `_`"),
            );
        }
        if let Some(schema) = schema
            && !(schema.get("type").and_then(Value::as_str) == Some("string") && schema.len() == 1)
        {
            cx.err(
                &pointer.child("schema"),
                format!("path parameter `{name}` must have `schema: {{type: string}}`"),
            );
        }
        if style.is_some_and(|s| s != "simple") {
            cx.err(
                &pointer.child("style"),
                "path parameters only support `style: simple`; remove it",
            );
        }
        if explode == Some(true) {
            cx.err(
                &pointer.child("explode"),
                "path parameters do not explode; remove `explode`",
            );
        }
    } else {
        if !QUERY_OPTIONS.contains(&name) {
            cx.err(
                &pointer.child("name"),
                format!(
                    "query parameter `{name}` is not supported by the generator; the supported query options are {}",
                    QUERY_OPTIONS.join(", ")
                ),
            );
            return None;
        }
        if required == Some(true) {
            cx.err(
                &pointer.child("required"),
                format!("query option `{name}` must be optional; remove `required: true`"),
            );
        }
        if style.is_some_and(|s| s != "form") {
            cx.err(
                &pointer.child("style"),
                "query options only support `style: form`; remove it",
            );
        }
        if let Some(schema) = schema {
            let ty = schema.get("type").and_then(Value::as_str);
            let expected = match name {
                "$top" => "integer",
                "$count" => "boolean",
                "$select" => "array",
                _ => "string",
            };
            let ok = match name {
                "$select" => {
                    ty == Some("string")
                        || (ty == Some("array")
                            && schema
                                .get("items")
                                .and_then(|i| i.get("type"))
                                .and_then(Value::as_str)
                                == Some("string"))
                }
                _ => ty == Some(expected),
            };
            if !ok {
                let want = match name {
                    "$top" => "`{type: integer, format: int32}`",
                    "$count" => "`{type: boolean}`",
                    "$select" => "`{type: array, items: {type: string}}` (with `explode: false`)",
                    _ => "`{type: string}`",
                };
                cx.err(
                    &pointer.child("schema"),
                    format!("query option `{name}` must have `schema: {want}`"),
                );
            }
            if ty == Some("array") && explode != Some(false) {
                cx.err(
                    pointer,
                    format!("query option `{name}` is a list sent comma-separated; add `explode: false` (OpenAPI's default for `form` is one parameter per item)"),
                );
            }
        }
    }
    Some((name, location))
}

fn security_scheme(cx: &mut Ctx<'_>, value: &Value, pointer: &Path<'_>) {
    let Some(scheme) = value.as_object() else {
        return;
    };
    if scheme.contains_key("$ref") {
        cx.err(
            pointer,
            "a security scheme `$ref` is not supported by the generator; define the scheme here",
        );
        return;
    }
    match scheme.get("type").and_then(Value::as_str) {
        Some("oauth2") => {
            cx.keys(scheme, pointer, "an oauth2 security scheme", &["type", "description", "flows"]);
            let Some(flows) = scheme.get("flows").and_then(Value::as_object) else {
                cx.err(pointer, "an oauth2 security scheme needs `flows`");
                return;
            };
            let fpointer = pointer.child("flows");
            cx.keys(flows, &fpointer, "oauth2 `flows`", &["implicit", "password", "clientCredentials", "authorizationCode"]);
            for (name, flow) in flows {
                let flow_pointer = fpointer.child(name);
                let Some(flow) = flow.as_object() else {
                    continue;
                };
                cx.keys(flow, &flow_pointer, "an oauth2 flow", &["authorizationUrl", "tokenUrl", "refreshUrl", "scopes"]);
                match flow.get("scopes") {
                    Some(Value::Object(scopes)) => {
                        for (scope, text) in scopes {
                            if !text.is_string() {
                                cx.expect(&flow_pointer.child("scopes").child(scope), scope, "a description string", text);
                            }
                        }
                    }
                    Some(other) => cx.expect(&flow_pointer.child("scopes"), "scopes", "a mapping of scope to description", other),
                    None => cx.err(&flow_pointer, "an oauth2 flow needs `scopes` (may be `{}`)"),
                }
            }
        }
        Some("http") => {
            cx.keys(scheme, pointer, "an http security scheme", &["type", "description", "scheme", "bearerFormat"]);
            let kind = scheme.get("scheme").and_then(Value::as_str).unwrap_or("");
            if !kind.eq_ignore_ascii_case("bearer") {
                cx.err(
                    &pointer.child("scheme"),
                    format!("http security scheme `{kind}` is not supported by the generator; only `scheme: bearer` is"),
                );
            }
        }
        Some(other) => cx.err(
            &pointer.child("type"),
            format!("security scheme type `{other}` is not supported by the generator; only `oauth2` and `http` (bearer) are"),
        ),
        None => cx.err(pointer, "the security scheme has no `type`; write `type: oauth2` or `type: http`"),
    }
}
