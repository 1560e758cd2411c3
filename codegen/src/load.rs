//! Loading the spec: YAML text in, a [`LoadedSpec`] out, or [`SpecErrors`] that name the place.
//!
//! Loading checks what a document must be before anything else can read it: YAML syntax (with serde_yaml's
//! line), keys that YAML keeps apart but JSON would merge, the `openapi` version (checked on the raw document
//! before the typed deserialization, so the message is about the version and not about a missing field), and
//! the typed [`openapiv3::OpenAPI`] document, whose errors are located by re-trying the parts of the document
//! one by one. Everything the generator does not support is refused later, by [`crate::validate`]. Lines are
//! found by [`crate::locate`].

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess};
use serde_json::Value;
use serde_json::map::Entry;

use crate::diagnostic::{self, SpecError, SpecErrors, child};
use crate::locate::{Locator, duplicate_key, line_of};

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

/// Parses the YAML text into JSON (see [`Json`]): the YAML error, or every conversion problem, or the
/// document.
fn yaml_to_json(name: &str, text: &str) -> Result<Value, SpecErrors> {
    // YAML straight to JSON, without a `serde_yaml::Value` in between; a problem the conversion finds is kept
    // with its pointer and only located (its line) when the YAML itself parses.
    let mut problems: Vec<(String, String)> = Vec::new();
    let parsed = Json {
        path: &diagnostic::Path::ROOT,
        report: true,
        error: &mut |p: &diagnostic::Path<'_>, m: String| problems.push((p.to_pointer(), m)),
    }
    .deserialize(serde_yaml::Deserializer::from_str(text));
    let raw = parsed.map_err(|e| yaml_error(name, text, &e))?;
    if !problems.is_empty() {
        let mut locator = Locator::new(text);
        let mut errors = SpecErrors(
            problems
                .into_iter()
                .map(|(pointer, message)| SpecError {
                    file: name.to_string(),
                    line: locator.line_of(&pointer),
                    pointer,
                    message,
                })
                .collect(),
        );
        errors.sort();
        return Err(errors);
    }
    Ok(raw)
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

/// Deserializes YAML into JSON, refusing what JSON cannot say (tags, complex keys, non-finite numbers) and keys
/// that only differ in their YAML type (`200` and `'200'`), which JSON would merge silently. Keys that YAML
/// itself repeats are the YAML error `serde_yaml::Value` gives, word for word.
///
/// The conversion is the one `serde_yaml::Value` makes, followed by a walk to JSON, in one pass: `serde_yaml`
/// calls the same visitor methods, and this visitor answers them as `serde_yaml::Value` does.
struct Json<'p, 'e> {
    /// Where the value is, for the errors.
    path: &'p diagnostic::Path<'p>,
    /// Whether conversion problems are reported: not below a node that is refused already.
    report: bool,
    error: &'e mut dyn FnMut(&diagnostic::Path<'_>, String),
}

impl Json<'_, '_> {
    fn report(&mut self, message: impl FnOnce() -> String) {
        if self.report {
            (self.error)(self.path, message());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Json<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Json<'_, '_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The words of `serde_yaml::Value`, which end up in the same error messages.
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_f64<E: de::Error>(mut self, f: f64) -> Result<Value, E> {
        Ok(match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                self.report(|| {
                    let n = serde_yaml::Number::from(f);
                    format!("the number `{n}` cannot be represented in JSON; write a finite number")
                });
                Value::Null
            }
        })
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = self.path.child(items.len());
            let item = seq.next_element_seed(Json {
                path: &path,
                report: self.report,
                error: &mut *self.error,
            })?;
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        use serde_yaml::Value as Y;
        let mut out = serde_json::Map::new();
        // Rare: the keys that are not YAML strings, with their JSON key when the entry was kept; and YAML string
        // keys whose entry was dropped because a non-string key had taken their JSON spelling.
        let mut odd: Vec<(Y, Option<String>)> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<Y>()? {
            let (key, odd_at) = match key {
                Y::String(s) => (s, None),
                other => {
                    // A key YAML repeats is refused as `serde_yaml::Mapping` refuses it, before its value is
                    // read; a non-string key can only repeat another non-string key.
                    if let Some((first, _)) = odd.iter().find(|(k, _)| *k == other) {
                        return Err(de::Error::custom(DuplicateKey(first)));
                    }
                    let json = match &other {
                        Y::Number(n) => Some(n.to_string()),
                        Y::Bool(b) => Some(b.to_string()),
                        Y::Null => Some("null".to_string()),
                        Y::String(s) => Some(s.clone()),
                        Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => None,
                    };
                    odd.push((other, None));
                    match json {
                        Some(json) => (json, Some(odd.len() - 1)),
                        None => {
                            self.report(|| "a mapping key is a collection or a tagged value; keys must be plain strings".to_string());
                            map.next_value_seed(self.silent())?;
                            continue;
                        }
                    }
                }
            };
            match out.entry(key) {
                Entry::Vacant(slot) => {
                    let path = self.path.child(slot.key().as_str());
                    let value = map.next_value_seed(Json {
                        path: &path,
                        report: self.report,
                        error: &mut *self.error,
                    })?;
                    if let Some((_, json)) = odd_at.and_then(|i| odd.get_mut(i)) {
                        *json = Some(slot.key().clone());
                    }
                    slot.insert(value);
                }
                Entry::Occupied(entry) => {
                    let key = entry.key();
                    // A string key repeats a string key (a YAML error) unless the entry is a non-string key's
                    // and no string key was dropped for it yet.
                    if odd_at.is_none()
                        && (!odd.iter().any(|(_, j)| j.as_deref() == Some(key.as_str()))
                            || dropped.contains(key))
                    {
                        return Err(de::Error::custom(DuplicateKey(&Y::String(key.clone()))));
                    }
                    if self.report {
                        let path = self.path.child(key.as_str());
                        (self.error)(
                            &path,
                            format!(
                                "the key `{key}` appears twice in this mapping (once quoted, once not); keep one"
                            ),
                        );
                    }
                    if odd_at.is_none() {
                        dropped.push(key.clone());
                    }
                    map.next_value_seed(self.silent())?;
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(mut self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        // A tagged value: read (as `serde_yaml::Value` reads it, so its YAML errors are the same) and refused.
        let (tag, contents) = data.variant_seed(TagSeed)?;
        contents.newtype_variant_seed(self.silent())?;
        self.report(|| {
            format!("the YAML tag `{tag}` is not supported by the generator; remove it")
        });
        Ok(Value::Null)
    }
}

impl Json<'_, '_> {
    /// The same place, reporting nothing: for values that are dropped.
    fn silent(&mut self) -> Json<'_, '_> {
        Json {
            path: self.path,
            report: false,
            error: &mut *self.error,
        }
    }
}

/// serde_yaml's message for a key a mapping repeats.
struct DuplicateKey<'k>(&'k serde_yaml::Value);

impl fmt::Display for DuplicateKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_yaml::Value as Y;
        f.write_str("duplicate entry ")?;
        match self.0 {
            Y::Null => f.write_str("with null key"),
            Y::Bool(b) => write!(f, "with key `{b}`"),
            Y::Number(n) => write!(f, "with key {n}"),
            Y::String(s) => write!(f, "with key {s:?}"),
            Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => f.write_str("in YAML map"),
        }
    }
}

/// A YAML tag, read as `serde_yaml::Value` reads it.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl de::Visitor<'_> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a YAML tag string")
    }

    fn visit_str<E: de::Error>(self, string: &str) -> Result<Self::Value, E> {
        self.visit_string(string.to_owned())
    }

    fn visit_string<E: de::Error>(self, string: String) -> Result<Self::Value, E> {
        if string.is_empty() {
            return Err(E::custom("empty YAML tag is not allowed"));
        }
        Ok(serde_yaml::value::Tag::new(string))
    }
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

    /// The conversion as it was before [`Json`]: a `serde_yaml::Value`, then a walk to JSON with eager
    /// pointers. The oracle [`Json`] must agree with, value for value and error for error.
    fn reference_parse(name: &str, text: &str) -> Result<Value, SpecErrors> {
        fn yaml_to_json(
            value: &serde_yaml::Value,
            pointer: &str,
            error: &mut dyn FnMut(&str, String),
        ) -> Value {
            use serde_yaml::Value as Y;
            match value {
                Y::Null => Value::Null,
                Y::Bool(b) => Value::Bool(*b),
                Y::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        Value::from(i)
                    } else if let Some(u) = n.as_u64() {
                        Value::from(u)
                    } else if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                        Value::Number(f)
                    } else {
                        error(
                            pointer,
                            format!(
                                "the number `{n}` cannot be represented in JSON; write a finite number"
                            ),
                        );
                        Value::Null
                    }
                }
                Y::String(s) => Value::String(s.clone()),
                Y::Sequence(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| yaml_to_json(item, &child(pointer, i), error))
                        .collect(),
                ),
                Y::Mapping(map) => {
                    let mut out = serde_json::Map::new();
                    for (key, item) in map {
                        let key = match key {
                            Y::String(s) => s.clone(),
                            Y::Number(n) => n.to_string(),
                            Y::Bool(b) => b.to_string(),
                            Y::Null => "null".to_string(),
                            Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => {
                                error(pointer, "a mapping key is a collection or a tagged value; keys must be plain strings".to_string());
                                continue;
                            }
                        };
                        let item_pointer = child(pointer, &key);
                        if out.contains_key(&key) {
                            error(
                                &item_pointer,
                                format!(
                                    "the key `{key}` appears twice in this mapping (once quoted, once not); keep one"
                                ),
                            );
                            continue;
                        }
                        let item = yaml_to_json(item, &item_pointer, error);
                        out.insert(key, item);
                    }
                    Value::Object(out)
                }
                Y::Tagged(tagged) => {
                    error(
                        pointer,
                        format!(
                            "the YAML tag `{}` is not supported by the generator; remove it",
                            tagged.tag
                        ),
                    );
                    Value::Null
                }
            }
        }

        let yaml: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| yaml_error(name, text, &e))?;
        let mut errors = Vec::new();
        let raw = yaml_to_json(&yaml, "#", &mut |p, m| {
            errors.push(SpecError {
                file: name.to_string(),
                pointer: p.to_string(),
                line: line_of(text, p),
                message: m,
            });
        });
        if !errors.is_empty() {
            let mut errors = SpecErrors(errors);
            errors.sort();
            return Err(errors);
        }
        Ok(raw)
    }

    fn same_as_reference(text: &str) {
        let new = yaml_to_json("t.yaml", text);
        let old = reference_parse("t.yaml", text);
        assert_eq!(new, old, "on {text:?}");
        // Key order is kept too.
        if let (Ok(new), Ok(old)) = (&new, &old) {
            assert_eq!(new.to_string(), old.to_string(), "on {text:?}");
        }
    }

    #[test]
    fn yaml_to_json_matches_the_reference() {
        let deep_seq = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let deep_map = format!("{}1{}", "{a: ".repeat(130), "}".repeat(130));
        let cases: &[&str] = &[
            "",
            "---",
            "~",
            "a: 1\n---\nb: 2\n",
            "a: [1, -2, 3.5, 1e3, 0x1F, 0o17, 18446744073709551615, 18446744073709551616, -9223372036854775809]\n",
            "a: .nan\nb: [.inf, -.inf]\nc: {d: .NaN}\n",
            "{200: a, '200': b}",
            "{'200': a, 200: b}",
            "{200: a, '200': b, '200': c}",
            "{'200': a, 200: b, 200: c}",
            "{200: a, '200': {x: 1, x: 2}}",
            "{200: a, '200': !t {x: 1, x: 2}}",
            "{200: a, '200': !t {x: 1}}",
            "{1.0: a, '1.0': b, 1.00: c}",
            "{0.0: a, -0.0: b}",
            "{.nan: a, .NaN: b}",
            "{true: a, 'true': b}",
            "{true: a, True: b}",
            "{null: a, ~: b}",
            "{null: a, 'null': b}",
            "{'null': a, null: b, 'null': c}",
            "{x: 1, x: 2}",
            "a:\n  b: 1\n  c: 2\n  b: 3\n",
            "a:\n  \"b\": 1\n  'b': 3\n",
            "? [a, b]\n: 1\n? [a, b]\n: 2\n",
            "? [a, b]\n: 1\nc: 2\n",
            "? {a: 1}\n: {x: .nan}\n",
            "!t k: v\n!t k: w\n",
            "!t k: v\nk: w\n",
            "a: !custom 1\nb: !!str 5\nc: !!int '7'\nd: !!float 1\nf: !!bool 'true'\n",
            "e: !!null ''\n",
            "e: !!null ~\nf: !!int x\n",
            "a: !!binary aGVsbG8=\nb: !!map {x: 1}\nc: !!seq [1]\nd: !<tag:example.com,2000:x> 1\n",
            "a: !custom {x: .nan, y: [1, 2]}\n",
            "a: !custom [1, {x: 1, x: 2}]\n",
            "a: ! x\n",
            "a: &anchor {b: 1, c: [1, 2]}\nd: *anchor\ne:\n  <<: *anchor\n  b: 2\n",
            "a: &x .inf\nb: *x\n",
            "a: *undefined\n",
            "a: [1, 2\n",
            "a: b: c\n",
            "\ta: 1\n",
            "- a\n- {'~/x': 1, 'a/b': [.inf]}\n",
            "a: {'~/x': {200: 1, '200': 2}}\n",
            "k: 'quoted'\nl: \"double\\n\"\nm: |\n  block\nn: >\n  folded\n",
            &deep_seq,
            &deep_map,
        ];
        for text in cases {
            same_as_reference(text);
        }
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/msgraph-sync.yaml"
        ))
        .expect("spec");
        same_as_reference(&spec);
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-specs");
        for entry in std::fs::read_dir(corpus).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                same_as_reference(&std::fs::read_to_string(&path).expect("case"));
            }
        }
        // Line-level mutations of the spec: dropped, repeated, re-indented and rewritten lines (at a dozen
        // places: each is a parse of the whole spec twice, ~0.1 s in a debug build).
        let lines: Vec<&str> = spec.lines().collect();
        for (i, line) in lines.iter().enumerate().step_by(lines.len() / 12 + 1) {
            let with = |replacement: &[&str]| {
                let mut out: Vec<&str> = lines.get(..i).unwrap_or(&[]).to_vec();
                out.extend_from_slice(replacement);
                out.extend_from_slice(lines.get(i + 1..).unwrap_or(&[]));
                out.join("\n")
            };
            same_as_reference(&with(&[]));
            same_as_reference(&with(&[line, line]));
            let indented = format!("  {line}");
            same_as_reference(&with(&[&indented]));
            if let Some((key, _)) = line.split_once(": ") {
                for value in [
                    ".nan",
                    "!t x",
                    "{200: a, '200': b}",
                    "[a, {b: 1, b: 2}]",
                    "~",
                ] {
                    let rewritten = format!("{key}: {value}");
                    same_as_reference(&with(&[&rewritten]));
                }
                let quoted = format!("{key}: 1\n{key}: 2");
                same_as_reference(&with(&[&quoted]));
            }
        }
    }
}
