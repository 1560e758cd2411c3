//! Validation: the spec is checked against the subset of OpenAPI 3.0 that the generator supports
//! (`docs/DESIGN.md` §1) before anything is generated from it.
//!
//! Every rule reports through one `Ctx`, with the JSON pointer of the offending node and its YAML line, and
//! every rule runs: [`validate`] returns all errors at once, sorted by pointer. Anything the generator does not
//! understand is refused ("not supported by the generator"), never skipped. The checks read the raw JSON form of
//! the document ([`LoadedSpec::raw`]) so that what the typed model drops is seen too: unknown keys, extensions,
//! what sits beside a `$ref`, example values. The types of the fields the typed model has were checked when it
//! was loaded ([`crate::load`] refuses, located, a document it cannot read), so they are not checked again
//! here: a node of another JSON type is skipped silently. [`crate::lower`] trusts what passes here.
//!
//! | module | rules |
//! | --- | --- |
//! | `refs` | the one walk over every node: every `$ref` is local, points into `#/components/` and resolves; each string and key meets the `text` rule |
//! | `text` | no string holds a bidi control or a bare CR (spec text ends up in generated code) |
//! | `document` | root, `info`, `x-graph-parents`, `x-graph-subtree`, `servers`, `security`, `tags`, `components` |
//! | `paths` | path shapes and segments, parameters (inline or `$ref`), operations, query options, bodies, responses |
//! | `schemas` | component schemas, property kinds, enums and flag enums |
//! | `examples` | request and response examples against their schemas |
//! | `omitted` | `x-graph-omitted`: operations of the official metadata left out on purpose, with a reason |

mod document;
mod examples;
mod omitted;
mod paths;
mod refs;
mod schemas;
mod text;

use std::fmt;

use serde_json::{Map, Value};

use crate::conventions::KeySegment;
use crate::diagnostic::{Path, SpecError, SpecErrors};
use crate::load::LoadedSpec;
use crate::locate::Locator;

/// Validates a loaded spec; `Err` lists every problem found, sorted by pointer.
pub fn validate(spec: &LoadedSpec) -> Result<(), SpecErrors> {
    let mut cx = Ctx::new(spec);
    refs::check(&mut cx);
    document::check(&mut cx);
    schemas::check(&mut cx);
    paths::check(&mut cx);
    omitted::check(&mut cx);
    let mut errors = SpecErrors(cx.errors);
    errors.sort();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The state shared by the rules: the spec, the errors so far, and facts read once.
struct Ctx<'s> {
    spec: &'s LoadedSpec,
    errors: Vec<SpecError>,
    /// Lines of the errors' pointers (one locator, so that many errors cost about one scan of the text).
    locator: Locator<'s>,
    /// `info.x-graph-versions`, when it is well-formed (empty otherwise, which turns version checks off).
    versions: Vec<&'s str>,
    /// The well-formed entries of `x-graph-parents` (the paths of the entities the API hangs off).
    parents: Vec<&'s str>,
    /// `x-graph-subtree`, when it is a string (the path below every parent, e.g. `/synchronization`).
    subtree: Option<&'s str>,
}

impl<'s> Ctx<'s> {
    fn new(spec: &'s LoadedSpec) -> Self {
        let versions = spec
            .raw
            .pointer("/info/x-graph-versions")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let parents = spec
            .raw
            .get("x-graph-parents")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|p| KeySegment::parse(p).is_some())
                    .collect()
            })
            .unwrap_or_default();
        let subtree = spec
            .raw
            .get("x-graph-subtree")
            .and_then(Value::as_str)
            .filter(|s| s.len() > 1 && s.starts_with('/'));
        Ctx {
            spec,
            errors: Vec::new(),
            locator: Locator::new(&spec.text),
            versions,
            parents,
            subtree,
        }
    }

    fn raw(&self) -> &'s Value {
        &self.spec.raw
    }

    /// Reports an error at `pointer`; the pointer's text and YAML line are only worked out here.
    fn err(&mut self, pointer: &Path<'_>, message: impl Into<String>) {
        let pointer = pointer.to_pointer();
        let line = self.locator.line_of(&pointer);
        self.errors.push(SpecError {
            file: self.spec.name.clone(),
            pointer,
            line,
            message: message.into(),
        });
    }

    /// The node a `#`-prefixed JSON pointer names.
    fn lookup(&self, pointer: &str) -> Option<&'s Value> {
        self.raw().pointer(pointer.strip_prefix('#')?)
    }

    /// Follows the `$ref` of `node` (at `pointer`), which must name a member of `#/components/<section>`.
    /// Reports a reference to another section; stays silent on references that do not resolve at all, which
    /// [`refs`] reports. Returns the target and its pointer.
    fn follow(
        &mut self,
        node: &'s Map<String, Value>,
        pointer: &Path<'_>,
        section: &str,
    ) -> Option<(&'s Value, &'s str)> {
        let reference = node.get("$ref")?.as_str()?;
        let target = self.lookup(reference)?;
        let name = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.strip_prefix(section))
            .and_then(|rest| rest.strip_prefix('/'));
        match name {
            Some(name) if !name.is_empty() && !name.contains('/') => Some((target, reference)),
            _ => {
                self.err(
                    &pointer.child("$ref"),
                    format!(
                        "`$ref: {reference}` must name a member of `#/components/{section}` here"
                    ),
                );
                None
            }
        }
    }

    /// Checks the keys of an object against the ones the generator understands in this place (`what`); every
    /// other key is refused, with a hint for the common ones.
    fn keys(
        &mut self,
        map: &Map<String, Value>,
        pointer: &Path<'_>,
        what: impl fmt::Display,
        allowed: &[&str],
    ) {
        for key in map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let at = pointer.child(key);
            let message = if key.starts_with("x-") {
                let here = allowed
                    .iter()
                    .filter(|k| k.starts_with("x-"))
                    .copied()
                    .collect::<Vec<_>>();
                let here = if here.is_empty() {
                    "none".to_string()
                } else {
                    here.join(", ")
                };
                match extension_home(key) {
                    Some(home) => format!(
                        "the extension `{key}` does not belong on {what}; it goes on {home} (extensions understood here: {here})"
                    ),
                    None => format!(
                        "unknown extension `{key}` on {what}: not supported by the generator (extensions understood here: {here}); remove it or see docs/DESIGN.md §1"
                    ),
                }
            } else {
                format!(
                    "`{key}` is not supported by the generator on {what}; {}",
                    keyword_hint(key)
                )
            };
            self.err(&at, message);
        }
    }

    /// Reports a wrongly typed value at `pointer` (`expected` says what it must be).
    fn expect(&mut self, pointer: &Path<'_>, name: &str, expected: &str, found: &Value) {
        self.err(
            pointer,
            format!("`{name}` must be {expected}, not {}", describe(found)),
        );
    }
}

/// Where a known extension belongs, for the message when it is found elsewhere.
fn extension_home(key: &str) -> Option<&'static str> {
    Some(match key {
        "x-graph-versions" => "`info` (all versions) and operations (a subset)",
        "x-graph-deprecated" => "operations and component schemas",
        "x-graph-permissions"
        | "x-graph-idempotent"
        | "x-ms-pageable"
        | "x-ms-docs-operation-type" => "operations",
        "x-graph-parents" | "x-graph-subtree" | "x-graph-omitted" => "the document root",
        "x-graph-csdl" => "component object schemas",
        "x-graph-secret" => "string property schemas",
        "x-graph-enum-values"
        | "x-ms-enum-flags"
        | "x-graph-enum-names"
        | "x-graph-enum-closed" => "component enum schemas",
        _ => return None,
    })
}

/// The fix for a keyword the generator refuses.
fn keyword_hint(key: &str) -> String {
    match key {
        "oneOf" | "anyOf" | "not" | "discriminator" => {
            "polymorphic schemas are not modelled; describe one concrete type (docs/DESIGN.md §1)".into()
        }
        "allOf" => "`allOf` is only supported as the nullable-reference idiom `{allOf: [{$ref: '#/components/schemas/X'}], nullable: true}` on a property".into(),
        "deprecated" => "record deprecations with `x-graph-deprecated` on the operation or component schema".into(),
        "callbacks" | "links" | "headers" | "servers" | "encoding" | "xml" | "externalValue" => "remove it".into(),
        "example" => "put examples on the request body or response media type (`examples.<name>.value`)".into(),
        "default" | "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" | "minLength"
        | "maxLength" | "pattern" | "minItems" | "maxItems" | "uniqueItems" | "minProperties" | "maxProperties"
        | "writeOnly" => "validation keywords and defaults are not modelled; remove it".into(),
        "head" | "options" | "trace" => "only get, put, post, patch and delete operations are supported".into(),
        "$ref" => "a `$ref` is not allowed here; define the object inline".into(),
        _ => "remove it (docs/DESIGN.md §1 lists what the generator understands)".into(),
    }
}

/// A short description of a JSON value for messages: its type and, for scalars, the value.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => {
            let shown: String = s.chars().take(60).collect();
            let more = if s.chars().count() > 60 { "…" } else { "" };
            format!("the string `{shown:?}`{more}")
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// Case-insensitive near match among `candidates`, for "did you mean" hints.
fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> String {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &String)> = None;
    for candidate in candidates {
        let distance = edit_distance(&lower, &candidate.to_lowercase());
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (previous + cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            previous = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Checks that `value` (at `pointer`, named `name`) is a list of distinct non-empty strings; returns them.
fn string_list<'v>(
    cx: &mut Ctx<'_>,
    value: &'v Value,
    pointer: &Path<'_>,
    name: &str,
) -> Option<Vec<&'v str>> {
    let Some(items) = value.as_array() else {
        cx.expect(pointer, name, "a list of strings", value);
        return None;
    };
    let mut out: Vec<&'v str> = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let at = pointer.child(i);
        match item.as_str() {
            Some("") => {
                cx.err(&at, format!("`{name}` has an empty string; remove it"));
                ok = false;
            }
            Some(s) if out.contains(&s) => {
                cx.err(
                    &at,
                    format!("`{name}` lists `{s}` twice; remove the repetition"),
                );
                ok = false;
            }
            Some(s) => out.push(s),
            None => {
                cx.expect(&at, &format!("{name}[{i}]"), "a string", item);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// Checks an optional boolean flag.
fn bool_flag(
    cx: &mut Ctx<'_>,
    map: &Map<String, Value>,
    pointer: &Path<'_>,
    key: &str,
) -> Option<bool> {
    let value = map.get(key)?;
    match value.as_bool() {
        Some(b) => Some(b),
        None => {
            cx.expect(&pointer.child(key), key, "`true` or `false`", value);
            None
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `x-graph-deprecated` on an operation or a component schema (`what`: "operation", "type"); `versions` are
/// the versions it is in (`None`: all of `Ctx::versions`).
fn deprecated(
    cx: &mut Ctx<'_>,
    map: &Map<String, Value>,
    pointer: &Path<'_>,
    versions: Option<&[&str]>,
    what: &str,
) {
    let Some(value) = map.get("x-graph-deprecated") else {
        return;
    };
    let all;
    let versions = match versions {
        Some(versions) => versions,
        None => {
            all = cx.versions.clone();
            &all
        }
    };
    let dpointer = pointer.child("x-graph-deprecated");
    let Some(d) = value.as_object() else {
        cx.expect(
            &dpointer,
            "x-graph-deprecated",
            "a mapping `{versions: [beta], date: 2026-02-06, removalDate: 2027-07-06, replacement: text}`",
            value,
        );
        return;
    };
    cx.keys(
        d,
        &dpointer,
        "`x-graph-deprecated`",
        &["versions", "date", "removalDate", "replacement"],
    );
    match d.get("versions") {
        None => cx.err(&dpointer, format!("`x-graph-deprecated` needs `versions`: the versions in which the {what} is deprecated")),
        Some(list) => {
            let lpointer = dpointer.child("versions");
            if let Some(list) = string_list(cx, list, &lpointer, "versions") {
                if list.is_empty() {
                    cx.err(&lpointer, format!("`versions` is empty; name the versions in which the {what} is deprecated"));
                }
                for (i, version) in list.iter().enumerate() {
                    if !versions.is_empty() && !versions.contains(version) {
                        cx.err(
                            &lpointer.child(i),
                            format!("deprecated in `{version}`, but the {what} is only in {}", versions.join(", ")),
                        );
                    }
                }
            }
        }
    }
    let mut dates: Vec<&str> = Vec::new();
    for key in ["date", "removalDate"] {
        match d.get(key) {
            None if key == "date" => {
                cx.err(&dpointer, "`x-graph-deprecated` needs `date` (YYYY-MM-DD, when the deprecation was announced)")
            }
            None => {}
            Some(Value::String(s)) if is_date(s) => dates.push(s),
            Some(other) => cx.expect(&dpointer.child(key), key, "a date `YYYY-MM-DD`", other),
        }
    }
    if let [date, removal] = dates.as_slice()
        && removal < date
    {
        cx.err(
            &dpointer.child("removalDate"),
            format!("`removalDate` {removal} is before `date` {date}"),
        );
    }
    if let Some(replacement) = d.get("replacement")
        && !replacement.is_string()
    {
        cx.expect(
            &dpointer.child("replacement"),
            "replacement",
            "a string",
            replacement,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_works() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("same", "same"), 0);
        let names = ["synchronizationJob".to_string(), "other".to_string()];
        assert_eq!(
            did_you_mean("synchronizationjobs", &names),
            "; did you mean `synchronizationJob`?"
        );
        assert_eq!(did_you_mean("nothing", &names), "");
    }
}
