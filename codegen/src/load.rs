//! Loading the spec: YAML text in, a [`LoadedSpec`] out, or [`SpecErrors`] that name the place.
//!
//! Loading checks what a document must be before anything else can read it: YAML syntax (with serde_yaml's
//! line), keys that YAML keeps apart but JSON would merge, the `openapi` version (checked on the raw document
//! before the typed deserialization, so the message is about the version and not about a missing field), and
//! the typed [`openapiv3::OpenAPI`] document, whose errors are located by re-trying the parts of the document
//! one by one. Everything the generator does not support is refused later, by [`crate::validate`]. Lines are
//! found by [`crate::locate`].

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostic::{self, SpecError, SpecErrors, child};
use crate::locate::{duplicate_key, line_of, located};

/// A parsed spec with its source text.
pub struct LoadedSpec {
    /// File name as given (`spec/msgraph-sync.yaml`).
    pub name: String,
    /// Source text.
    pub text: String,
    /// Typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON, for pointer look-ups and vendor extensions.
    pub raw: Value,
}

impl LoadedSpec {
    /// 1-based YAML line of the node a `#`-prefixed JSON pointer names (the line of its key, or of its `- `
    /// item marker), or `None` when the scan cannot tell.
    /// For many pointers, use one [`crate::locate::Locator`].
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        line_of(&self.text, pointer)
    }
}

impl std::fmt::Debug for LoadedSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedSpec")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Reads and loads a spec file; an IO error becomes a [`SpecError`] at pointer `#`.
pub fn load_file(path: &Path) -> Result<LoadedSpec, SpecErrors> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        SpecErrors::one(SpecError::new(
            name.clone(),
            "#",
            format!("cannot read the spec file: {e}"),
        ))
    })?;
    load_str(&name, &text)
}

/// Loads a spec from its text; `name` is used in error messages and kept in [`LoadedSpec::name`].
pub fn load_str(name: &str, text: &str) -> Result<LoadedSpec, SpecErrors> {
    let at = |pointer: &str, message: String| SpecError {
        file: name.to_string(),
        pointer: pointer.to_string(),
        line: line_of(text, pointer),
        message,
    };

    let raw = yaml_to_json(name, text)?;
    check_version(&raw).map_err(|(p, m)| SpecErrors::one(at(&p, m)))?;

    let openapi = match serde::Deserialize::deserialize(&raw) {
        Ok(openapi) => openapi,
        Err(e) => {
            let (pointer, message) = locate_typed_error(&raw).unwrap_or_else(|| {
                (
                    "#".to_string(),
                    format!("not a valid OpenAPI 3.0 document: {e}"),
                )
            });
            return Err(SpecErrors::one(at(&pointer, message)));
        }
    };

    Ok(LoadedSpec {
        name: name.to_string(),
        text: text.to_string(),
        openapi,
        raw,
    })
}

/// Parses the YAML text into JSON: the YAML error, or every conversion problem (located), or the document.
fn yaml_to_json(name: &str, text: &str) -> Result<Value, SpecErrors> {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| yaml_error(name, text, &e))?;
    let mut problems = Vec::new();
    let raw = to_json(yaml, &diagnostic::Path::ROOT, &mut |p, m| {
        problems.push(SpecError::new(name, p.to_pointer(), m));
    });
    if problems.is_empty() {
        Ok(raw)
    } else {
        Err(located(text, problems))
    }
}

/// A YAML value as JSON, reporting what JSON cannot say: tags, collection keys, non-finite numbers, and keys
/// that only differ in their YAML type (`200` and `'200'`), which JSON would merge silently. (Keys YAML itself
/// repeats are serde_yaml's error already.)
fn to_json(
    value: serde_yaml::Value,
    path: &diagnostic::Path<'_>,
    error: &mut dyn FnMut(&diagnostic::Path<'_>, String),
) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                Value::Number(f)
            } else {
                let message = format!(
                    "the number `{n}` cannot be represented in JSON; write a finite number"
                );
                error(path, message);
                Value::Null
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &path.child(i), error))
                .collect(),
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => {
                        let message = "a mapping key is a collection or a tagged value; keys must be plain strings";
                        error(path, message.to_string());
                        continue;
                    }
                };
                if out.contains_key(&key) {
                    let message = format!(
                        "the key `{key}` appears twice in this mapping (once quoted, once not); keep one"
                    );
                    error(&path.child(&key), message);
                    continue;
                }
                let item = to_json(item, &path.child(&key), error);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            let message = format!(
                "the YAML tag `{}` is not supported by the generator; remove it",
                tagged.tag
            );
            error(path, message);
            Value::Null
        }
    }
}

/// A YAML error, with serde_yaml's line; a repeated key names both of its lines.
fn yaml_error(name: &str, text: &str, e: &serde_yaml::Error) -> SpecErrors {
    let location = e.location().map(|l| (l.line(), l.column()));
    let (line, message) = match location
        .and_then(|(line, column)| duplicate_key(text, &e.to_string(), line, column))
    {
        Some((key, first, second)) => (
            Some(second),
            format!(
                "YAML error: the key `{key}` appears twice in the same mapping (lines {first} and {second}); keep one"
            ),
        ),
        None => (
            location.map(|(line, _)| line),
            format!("YAML syntax error: {e}"),
        ),
    };
    SpecErrors::one(SpecError {
        file: name.to_string(),
        pointer: "#".to_string(),
        line,
        message,
    })
}

/// The `openapi` field must be a `3.0.x` version string.
fn check_version(raw: &Value) -> Result<(), (String, String)> {
    let Some(root) = raw.as_object() else {
        return Err((
            "#".to_string(),
            "the document must be a YAML mapping with `openapi`, `info` and `paths`".to_string(),
        ));
    };
    match root.get("openapi") {
        None => Err((
            "#".to_string(),
            "`openapi` is missing; add `openapi: 3.0.3` at the top of the document".to_string(),
        )),
        Some(Value::String(v)) if is_openapi_30(v) => Ok(()),
        Some(Value::String(v)) => Err((
            "#/openapi".to_string(),
            format!(
                "`openapi` is `{v}`, but the generator supports OpenAPI 3.0.x only; write `openapi: 3.0.3`"
            ),
        )),
        Some(other) => Err((
            "#/openapi".to_string(),
            format!(
                "`openapi` must be a version string such as `3.0.3`, not `{other}`; quote it: `openapi: '3.0.3'`"
            ),
        )),
    }
}

fn is_openapi_30(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// What the typed deserialization of one part of the document expects.
#[derive(Clone, Copy)]
enum Part {
    Document,
    Info,
    Server,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
    Components,
    SecurityScheme,
    SecurityRequirement,
    Example,
    Tag,
    ExternalDocs,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Document => "document",
            Part::Info => "Info object",
            Part::Server => "Server object",
            Part::PathItem => "Path Item object",
            Part::Operation => "Operation object",
            Part::Parameter => "Parameter object",
            Part::RequestBody => "Request Body object",
            Part::Responses => "Responses object",
            Part::Response => "Response object",
            Part::MediaType => "Media Type object",
            Part::Schema => "Schema object",
            Part::Components => "Components object",
            Part::SecurityScheme => "Security Scheme object",
            Part::SecurityRequirement => "Security Requirement object",
            Part::Example => "Example object",
            Part::Tag => "Tag object",
            Part::ExternalDocs => "External Documentation object",
        }
    }

    fn probe(self, value: &Value) -> Result<(), String> {
        use openapiv3::ReferenceOr as R;
        fn p<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
            serde_json::from_value::<T>(value.clone())
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        match self {
            Part::Document => p::<openapiv3::OpenAPI>(value),
            Part::Info => p::<openapiv3::Info>(value),
            Part::Server => p::<openapiv3::Server>(value),
            Part::PathItem => p::<R<openapiv3::PathItem>>(value),
            Part::Operation => p::<openapiv3::Operation>(value),
            Part::Parameter => p::<R<openapiv3::Parameter>>(value),
            Part::RequestBody => p::<R<openapiv3::RequestBody>>(value),
            Part::Responses => p::<openapiv3::Responses>(value),
            Part::Response => p::<R<openapiv3::Response>>(value),
            Part::MediaType => p::<openapiv3::MediaType>(value),
            Part::Schema => p::<R<openapiv3::Schema>>(value),
            Part::Components => p::<openapiv3::Components>(value),
            Part::SecurityScheme => p::<R<openapiv3::SecurityScheme>>(value),
            Part::SecurityRequirement => p::<openapiv3::SecurityRequirement>(value),
            Part::Example => p::<R<openapiv3::Example>>(value),
            Part::Tag => p::<openapiv3::Tag>(value),
            Part::ExternalDocs => p::<openapiv3::ExternalDocumentation>(value),
        }
    }

    /// The typed sub-parts of `value`, with their pointers.
    fn children<'v>(self, value: &'v Value, pointer: &str) -> Vec<(Part, &'v Value, String)> {
        let mut out = Vec::new();
        let Some(map) = value.as_object() else {
            return out;
        };
        let mut one = |part: Part, key: &str| {
            if let Some(v) = map.get(key) {
                out.push((part, v, child(pointer, key)));
            }
        };
        match self {
            Part::Document => {
                one(Part::Info, "info");
                one(Part::Components, "components");
                one(Part::ExternalDocs, "externalDocs");
            }
            Part::Operation => {
                one(Part::RequestBody, "requestBody");
                one(Part::Responses, "responses");
                one(Part::ExternalDocs, "externalDocs");
            }
            Part::Parameter => one(Part::Schema, "schema"),
            Part::MediaType => one(Part::Schema, "schema"),
            Part::Schema => {
                one(Part::Schema, "items");
                one(Part::Schema, "not");
                if map
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                {
                    one(Part::Schema, "additionalProperties");
                }
            }
            _ => {}
        }
        let mut each = |part: Part, key: &str| {
            let base = child(pointer, key);
            match map.get(key) {
                Some(Value::Object(m)) => {
                    out.extend(m.iter().map(|(k, v)| (part, v, child(&base, k))));
                }
                Some(Value::Array(a)) => {
                    out.extend(
                        a.iter()
                            .enumerate()
                            .map(|(i, v)| (part, v, child(&base, i))),
                    );
                }
                _ => {}
            }
        };
        match self {
            Part::Document => {
                each(Part::Server, "servers");
                each(Part::PathItem, "paths");
                each(Part::SecurityRequirement, "security");
                each(Part::Tag, "tags");
            }
            Part::PathItem => {
                each(Part::Parameter, "parameters");
                each(Part::Server, "servers");
                for method in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    if let Some(op) = map.get(method) {
                        out.push((Part::Operation, op, child(pointer, method)));
                    }
                }
            }
            Part::Operation => {
                each(Part::Parameter, "parameters");
                each(Part::SecurityRequirement, "security");
                each(Part::Server, "servers");
            }
            Part::RequestBody | Part::Response => each(Part::MediaType, "content"),
            Part::Responses => {
                out.extend(
                    map.iter()
                        .map(|(k, v)| (Part::Response, v, child(pointer, k))),
                );
            }
            Part::MediaType => each(Part::Example, "examples"),
            Part::Schema => {
                each(Part::Schema, "properties");
                each(Part::Schema, "allOf");
                each(Part::Schema, "oneOf");
                each(Part::Schema, "anyOf");
            }
            Part::Components => {
                each(Part::Schema, "schemas");
                each(Part::Parameter, "parameters");
                each(Part::Response, "responses");
                each(Part::RequestBody, "requestBodies");
                each(Part::SecurityScheme, "securitySchemes");
                each(Part::Example, "examples");
            }
            _ => {}
        }
        out
    }
}

/// Finds the innermost part of the document that the typed deserialization refuses.
fn locate_typed_error(raw: &Value) -> Option<(String, String)> {
    fn first_failure(
        part: Part,
        value: &Value,
        pointer: &str,
        depth: usize,
    ) -> Option<(String, String)> {
        let message = part.probe(value).err()?;
        if depth < 64 {
            for (child_part, child_value, child_pointer) in part.children(value, pointer) {
                if let Some(found) =
                    first_failure(child_part, child_value, &child_pointer, depth + 1)
                {
                    return Some(found);
                }
            }
        }
        Some((
            pointer.to_string(),
            format!("not a valid OpenAPI 3.0 {}: {message}", part.noun()),
        ))
    }
    first_failure(Part::Document, raw, "#", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What JSON cannot say is refused at its node, every problem at once, each with its line.
    #[test]
    fn conversion_problems_are_located() {
        let text = "\
a: .nan
b: [1, -.inf]
c: {200: x, '200': y}
d: !custom 1
? [k]
: v
e:
  f: !!int 7
  g: 18446744073709551615
";
        let errors = yaml_to_json("t.yaml", text).expect_err("refused");
        let got: Vec<(&str, Option<usize>, &str)> = errors
            .0
            .iter()
            .map(|e| (e.pointer.as_str(), e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "#",
                    Some(1),
                    "a mapping key is a collection or a tagged value; keys must be plain strings"
                ),
                (
                    "#/a",
                    Some(1),
                    "the number `.nan` cannot be represented in JSON; write a finite number"
                ),
                (
                    "#/b/1",
                    Some(2),
                    "the number `-.inf` cannot be represented in JSON; write a finite number"
                ),
                (
                    "#/c/200",
                    Some(3),
                    "the key `200` appears twice in this mapping (once quoted, once not); keep one"
                ),
                (
                    "#/d",
                    Some(4),
                    "the YAML tag `!custom` is not supported by the generator; remove it"
                ),
            ]
        );
        let fine = yaml_to_json(
            "t.yaml",
            "e:\n  f: !!int 7\n  g: 18446744073709551615\n  h: ~\n",
        )
        .expect("fine");
        assert_eq!(
            fine,
            serde_json::json!({"e": {"f": 7, "g": 18446744073709551615_u64, "h": null}})
        );
    }

    /// A key YAML repeats is serde_yaml's error, with both lines.
    #[test]
    fn repeated_key_names_both_lines() {
        let errors = yaml_to_json("t.yaml", "a:\n  b: 1\n  c: 2\n  b: 3\n").expect_err("refused");
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].line, Some(4));
        assert!(
            errors.0[0]
                .message
                .contains("the key `b` appears twice in the same mapping (lines 2 and 4)"),
            "{}",
            errors.0[0].message
        );
    }
}
