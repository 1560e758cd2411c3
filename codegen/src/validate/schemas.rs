//! Component schemas: named object schemas with the property kinds of docs/DESIGN.md §1, and string enums
//! (plain and flag enums) with their CSDL values.

use serde_json::{Map, Value};

use super::{Ctx, bool_flag, deprecated, describe, keyword_hint, string_list};
use crate::diagnostic::Path;

/// What a named component schema stands for.
pub(super) enum Named<'s> {
    /// `type: object` with `properties`.
    Object(&'s Map<String, Value>),
    /// A string enum (a flag enum when [`is_flags`]).
    Enum(&'s Map<String, Value>),
    /// Anything else (refused by [`check`]).
    Other,
}

/// Tells what a component schema is, without reporting anything.
pub(super) fn classify(schema: &Value) -> Named<'_> {
    let Some(map) = schema.as_object() else {
        return Named::Other;
    };
    if map.contains_key("enum") {
        Named::Enum(map)
    } else if map.get("type").and_then(Value::as_str) == Some("object") && !map.contains_key("$ref")
    {
        Named::Object(map)
    } else {
        Named::Other
    }
}

/// Whether an enum schema is a flag enum.
pub(super) fn is_flags(map: &Map<String, Value>) -> bool {
    map.get("x-ms-enum-flags")
        .and_then(|f| f.get("isFlags"))
        .and_then(Value::as_bool)
        == Some(true)
}

const CSDL_KINDS: &[&str] = &[
    "entity",
    "complex",
    "action-parameters",
    "collection-response",
    "scim",
];

pub(super) fn check(cx: &mut Ctx<'_>) {
    let Some(schemas) = cx.lookup("#/components/schemas").and_then(Value::as_object) else {
        return;
    };
    let spointer = Path::at("#/components/schemas");
    for (name, schema) in schemas {
        let pointer = spointer.child(name);
        let Some(map) = schema.as_object() else {
            continue;
        };
        if map.contains_key("$ref") {
            cx.err(
                &pointer,
                format!("component schema `{name}` is a `$ref` alias, which is not supported by the generator; reference the target directly"),
            );
            continue;
        }
        match classify(schema) {
            Named::Object(map) => object(cx, name, map, &pointer),
            Named::Enum(map) => enumeration(cx, name, map, &pointer),
            Named::Other => {
                if let Some(kw) = ["allOf", "oneOf", "anyOf", "not"]
                    .into_iter()
                    .find(|k| map.contains_key(*k))
                {
                    cx.err(
                        &pointer.child(kw),
                        format!("`{kw}` on component schema `{name}` is not supported by the generator; flatten the inherited properties into one `type: object` schema"),
                    );
                } else {
                    cx.err(
                        &pointer,
                        format!("component schema `{name}` must be an object schema (`type: object` with `properties`) or a string enum; other named schemas are not supported by the generator"),
                    );
                }
            }
        }
    }
}

fn object<'s>(cx: &mut Ctx<'s>, name: &str, map: &'s Map<String, Value>, pointer: &Path<'_>) {
    cx.keys(
        map,
        pointer,
        "an object schema",
        &[
            "type",
            "properties",
            "description",
            "title",
            "required",
            "additionalProperties",
            "x-graph-csdl",
            "x-graph-deprecated",
        ],
    );
    deprecated(cx, map, pointer, None, "type");
    let csdl = match map.get("x-graph-csdl") {
        None => None,
        Some(Value::String(kind)) if CSDL_KINDS.contains(&kind.as_str()) => Some(kind.as_str()),
        Some(other) => {
            cx.expect(
                &pointer.child("x-graph-csdl"),
                "x-graph-csdl",
                &format!("one of {}", CSDL_KINDS.join(", ")),
                other,
            );
            None
        }
    };
    if let Some(extra) = map.get("additionalProperties")
        && extra != &Value::Bool(true)
    {
        cx.err(
            &pointer.child("additionalProperties"),
            "on a component object schema only `additionalProperties: true` is supported (service types are open anyway); remove it",
        );
    }
    let properties = map.get("properties").and_then(Value::as_object);
    if let Some(properties) = properties {
        let ppointer = pointer.child("properties");
        for (prop, schema) in properties {
            property(cx, schema, &ppointer.child(prop), false);
        }
    }
    if let Some(required) = map.get("required") {
        let rpointer = pointer.child("required");
        if !matches!(csdl, Some("action-parameters" | "scim")) {
            cx.err(
                &rpointer,
                format!(
                    "`required` lists are only supported on `x-graph-csdl: action-parameters` or `scim` schemas; `{name}` is a response type and the service sends partial objects, so remove it"
                ),
            );
        } else if let Some(names) = string_list(cx, required, &rpointer, "required") {
            for (i, required_name) in names.iter().enumerate() {
                if !properties.is_some_and(|p| p.contains_key(*required_name)) {
                    cx.err(
                        &rpointer.child(i),
                        format!("required property `{required_name}` is not in `properties`"),
                    );
                }
            }
        }
    }
    if csdl == Some("collection-response") {
        let value = properties.and_then(|p| p.get("value"));
        if !value.is_some_and(is_array_of_refs) {
            cx.err(
                pointer,
                format!("collection-response schema `{name}` needs a `value` property `{{type: array, items: {{$ref: ...}}}}`"),
            );
        }
    }
}

/// `{type: array, items: {$ref: '#/components/schemas/X'}}`.
pub(super) fn is_array_of_refs(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("array")
        && schema
            .get("items")
            .and_then(|i| i.get("$ref"))
            .and_then(Value::as_str)
            .is_some_and(|r| r.starts_with("#/components/schemas/"))
}

const STRING_FORMATS: &[&str] = &["date-time", "duration", "uuid"];

/// The keys every property kind accepts.
const COMMON: [&str; 4] = ["type", "nullable", "readOnly", "description"];

/// A property schema (or an array's `items`): one of the property kinds of docs/DESIGN.md §1.
fn property<'s>(cx: &mut Ctx<'s>, value: &'s Value, pointer: &Path<'_>, in_items: bool) {
    let what = if in_items {
        "array `items`"
    } else {
        "a property schema"
    };
    let Some(map) = value.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        for key in map.keys().filter(|k| *k != "$ref" && *k != "description") {
            let message = if key == "nullable" {
                "`nullable` next to `$ref` is ignored by OpenAPI 3.0; write a nullable reference as `{allOf: [{$ref: ...}], nullable: true}`".to_string()
            } else {
                format!(
                    "`{key}` next to `$ref` is ignored by OpenAPI 3.0 and not supported by the generator; use `{{allOf: [{{$ref: ...}}], nullable: true, {key}: ...}}` or remove it"
                )
            };
            cx.err(&pointer.child(key), message);
        }
        // The typed document drops what sits beside a `$ref`, so this one is checked here.
        if let Some(description) = map.get("description")
            && !description.is_string()
        {
            cx.expect(
                &pointer.child("description"),
                "description",
                "a string",
                description,
            );
        }
        cx.follow(map, pointer, "schemas");
        return;
    }
    if map.contains_key("allOf") {
        nullable_ref(cx, map, pointer, what);
        return;
    }
    if map.contains_key("enum") {
        cx.err(
            &pointer.child("enum"),
            "inline enums are not supported by the generator; declare a named string enum in `#/components/schemas` (with `x-graph-enum-values`) and `$ref` it",
        );
        return;
    }
    let ty = match map.get("type") {
        Some(Value::String(ty)) => ty.as_str(),
        Some(_) => return,
        None => {
            let mut polymorphic = false;
            for kw in ["oneOf", "anyOf", "not", "discriminator"]
                .into_iter()
                .filter(|k| map.contains_key(*k))
            {
                polymorphic = true;
                cx.err(
                    &pointer.child(kw),
                    format!(
                        "`{kw}` is not supported by the generator on {what}; {}",
                        keyword_hint(kw)
                    ),
                );
            }
            if !polymorphic {
                cx.err(pointer, format!("{what} needs a `type` or a `$ref`; untyped schemas are not supported by the generator"));
            }
            return;
        }
    };
    match ty {
        "string" => {
            cx.keys(
                map,
                pointer,
                what,
                &[
                    "type",
                    "nullable",
                    "readOnly",
                    "description",
                    "format",
                    "x-graph-secret",
                ],
            );
            if let Some(f) = map.get("format").and_then(Value::as_str)
                && !STRING_FORMATS.contains(&f)
            {
                cx.err(
                    &pointer.child("format"),
                    format!(
                        "string format `{f}` is not supported by the generator; use one of {} or no format",
                        STRING_FORMATS.join(", ")
                    ),
                );
            }
            match map.get("x-graph-secret") {
                None | Some(Value::Bool(true)) if !map.contains_key("format") => {}
                Some(Value::Bool(true)) => {
                    cx.err(&pointer.child("x-graph-secret"), "`x-graph-secret` applies to plain strings only (no `format`)");
                }
                None => {}
                Some(other) => cx.expect(&pointer.child("x-graph-secret"), "x-graph-secret", "`true` (or absent)", other),
            }
        }
        "boolean" => cx.keys(map, pointer, what, &COMMON),
        "integer" => {
            cx.keys(
                map,
                pointer,
                what,
                &["type", "nullable", "readOnly", "description", "format"],
            );
            match map.get("format").and_then(Value::as_str) {
                Some("int32" | "int64") => {}
                Some(f) => cx.err(
                    &pointer.child("format"),
                    format!("integer format `{f}` is not supported by the generator; use `int32` or `int64`"),
                ),
                None => cx.err(pointer, "integers need `format: int32` or `format: int64`"),
            }
        }
        "number" => cx.err(
            &pointer.child("type"),
            "`type: number` is not supported by the generator; use `{type: integer, format: int32|int64}` or a string",
        ),
        "array" => {
            cx.keys(
                map,
                pointer,
                what,
                &["type", "nullable", "readOnly", "description", "items"],
            );
            match map.get("items") {
                None => cx.err(pointer, "an array needs `items`"),
                Some(items) if items.get("type").and_then(Value::as_str) == Some("array") => cx.err(
                    &pointer.child("items"),
                    "arrays of arrays are not supported by the generator; wrap the inner list in a named object schema",
                ),
                Some(items) => property(cx, items, &pointer.child("items"), true),
            }
        }
        "object" => {
            if map.contains_key("properties") {
                cx.err(
                    &pointer.child("properties"),
                    "inline objects with `properties` are not supported by the generator; declare a named object schema in `#/components/schemas` and `$ref` it",
                );
                return;
            }
            cx.keys(
                map,
                pointer,
                what,
                &[
                    "type",
                    "nullable",
                    "readOnly",
                    "description",
                    "additionalProperties",
                ],
            );
            if map.get("additionalProperties") != Some(&Value::Bool(true)) {
                cx.err(
                    pointer,
                    "a free-form object is written `{type: object, additionalProperties: true}`; other inline objects are not supported by the generator",
                );
            }
        }
        other => cx.err(
            &pointer.child("type"),
            format!("`type: {other}` is not supported by the generator (supported: string, boolean, integer, array, object)"),
        ),
    }
}

/// `{allOf: [{$ref: ...}], nullable: true}`, optionally with `description` and `readOnly`.
fn nullable_ref<'s>(cx: &mut Ctx<'s>, map: &'s Map<String, Value>, pointer: &Path<'_>, what: &str) {
    cx.keys(
        map,
        pointer,
        format_args!("{what} using `allOf`"),
        &["allOf", "nullable", "description", "readOnly"],
    );
    let apointer = pointer.child("allOf");
    let single = match map
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => only
            .as_object()
            .filter(|o| o.len() == 1 && o.contains_key("$ref")),
        _ => None,
    };
    let Some(single) = single else {
        cx.err(
            &apointer,
            "`allOf` is not supported by the generator except as the nullable-reference idiom `{allOf: [{$ref: '#/components/schemas/X'}], nullable: true}` (exactly one `$ref` element)",
        );
        return;
    };
    cx.follow(single, &apointer.child(0usize), "schemas");
    if map.get("nullable") != Some(&Value::Bool(true)) {
        cx.err(
            pointer,
            "a single-`$ref` `allOf` is the nullable-reference idiom and needs `nullable: true`; for a non-null reference write `$ref` directly",
        );
    }
}

fn enumeration(cx: &mut Ctx<'_>, name: &str, map: &Map<String, Value>, pointer: &Path<'_>) {
    cx.keys(
        map,
        pointer,
        "an enum schema",
        &[
            "type",
            "enum",
            "description",
            "title",
            "x-graph-enum-values",
            "x-ms-enum-flags",
            "x-graph-enum-names",
            "x-graph-enum-closed",
            "x-graph-deprecated",
        ],
    );
    deprecated(cx, map, pointer, None, "type");
    match map.get("type").and_then(Value::as_str) {
        Some("string") => {}
        Some(other) => {
            cx.err(
                &pointer.child("type"),
                format!("enum `{name}` has `type: {other}`; enums that are not strings are not supported by the generator (write `type: string` with the member names and put the numbers in `x-graph-enum-values`)"),
            );
            return;
        }
        None => {
            cx.err(pointer, format!("enum `{name}` needs `type: string`"));
            return;
        }
    }
    let epointer = pointer.child("enum");
    let Some(items) = map.get("enum").and_then(Value::as_array) else {
        cx.err(&epointer, "`enum` must be a list of member names");
        return;
    };
    if items.is_empty() {
        cx.err(&epointer, format!("enum `{name}` has no members"));
        return;
    }
    let mut members: Vec<&str> = Vec::with_capacity(items.len());
    let mut members_ok = true;
    for (i, item) in items.iter().enumerate() {
        let ipointer = epointer.child(i);
        match item.as_str() {
            Some("") => {
                cx.err(&ipointer, "an enum member cannot be the empty string");
                members_ok = false;
            }
            Some(member) => {
                if let Some(j) = members.iter().position(|m| m.eq_ignore_ascii_case(member)) {
                    cx.err(
                        &ipointer,
                        format!("duplicate enum member `{member}`: same as `{}` at {epointer}/{j} (members are compared case-insensitively); remove one", members.get(j).copied().unwrap_or("")),
                    );
                    members_ok = false;
                }
                members.push(member);
            }
            None => {
                cx.err(
                    &ipointer,
                    format!("enum member {} is not a string; enums that are not strings are not supported by the generator", describe(item)),
                );
                members_ok = false;
                members.push("");
            }
        }
    }

    let flags = match map.get("x-ms-enum-flags") {
        None => false,
        Some(Value::Object(f)) => {
            let fpointer = pointer.child("x-ms-enum-flags");
            cx.keys(f, &fpointer, "`x-ms-enum-flags`", &["isFlags"]);
            match f.get("isFlags") {
                Some(Value::Bool(b)) => *b,
                _ => {
                    cx.err(&fpointer, "`x-ms-enum-flags` must be `{isFlags: true}`");
                    false
                }
            }
        }
        Some(other) => {
            cx.expect(
                &pointer.child("x-ms-enum-flags"),
                "x-ms-enum-flags",
                "`{isFlags: true}`",
                other,
            );
            false
        }
    };
    bool_flag(cx, map, pointer, "x-graph-enum-closed");
    enum_names(cx, map, pointer, &members);

    let vpointer = pointer.child("x-graph-enum-values");
    let Some(values) = map.get("x-graph-enum-values") else {
        cx.err(
            pointer,
            format!("enum `{name}` has no `x-graph-enum-values`; add the CSDL value of each member, in `enum` order"),
        );
        return;
    };
    let Some(values) = values.as_array() else {
        cx.expect(
            &vpointer,
            "x-graph-enum-values",
            "a list of integers",
            values,
        );
        return;
    };
    if values.len() != members.len() {
        cx.err(
            &vpointer,
            format!(
                "`x-graph-enum-values` has {} values but `enum` has {} members; give one CSDL value per member, in the same order",
                values.len(),
                members.len()
            ),
        );
        return;
    }
    let mut numbers: Vec<i64> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value.as_i64() {
            Some(n) => {
                if let Some(j) = numbers.iter().position(|m| *m == n) {
                    cx.err(
                        &vpointer.child(i),
                        format!(
                            "value {n} of `{}` repeats the value of `{}`; CSDL values must be distinct",
                            members.get(i).copied().unwrap_or(""),
                            members.get(j).copied().unwrap_or("")
                        ),
                    );
                    return;
                }
                numbers.push(n);
            }
            None => {
                cx.expect(
                    &vpointer.child(i),
                    "x-graph-enum-values",
                    "a list of integers",
                    value,
                );
                return;
            }
        }
    }
    if flags && members_ok {
        flag_values(cx, &members, &numbers, &vpointer);
    }
}

/// Each flag value is 0, a power of two, or exactly the union of other members.
fn flag_values(cx: &mut Ctx<'_>, members: &[&str], values: &[i64], pointer: &Path<'_>) {
    for (i, &value) in values.iter().enumerate() {
        let member = members.get(i).copied().unwrap_or("");
        let at = pointer.child(i);
        if value < 0 {
            cx.err(&at, format!("flag value {value} of `{member}` is negative; flag values are 0, powers of two, or unions of members"));
            continue;
        }
        if value == 0 || (value & (value - 1)) == 0 {
            continue;
        }
        let inside: Vec<(&str, i64)> = values
            .iter()
            .enumerate()
            .filter(|&(j, &v)| j != i && v > 0 && v & !value == 0)
            .map(|(j, &v)| (members.get(j).copied().unwrap_or(""), v))
            .collect();
        let union = inside.iter().fold(0, |acc, (_, v)| acc | v);
        if union != value {
            let parts = if inside.is_empty() {
                "no other member fits inside it".to_string()
            } else {
                format!(
                    "the members inside it ({}) only make {union}",
                    inside
                        .iter()
                        .map(|(m, v)| format!("{m} = {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            cx.err(
                &at,
                format!(
                    "flag value {value} of `{member}` is neither 0, a power of two, nor the union of other members: {parts} (missing bits {}); fix the value or add the missing members",
                    value & !union
                ),
            );
        }
    }
}

/// `x-graph-enum-names: {beta: [...]}`: another version's spellings, one per member.
fn enum_names(cx: &mut Ctx<'_>, map: &Map<String, Value>, pointer: &Path<'_>, members: &[&str]) {
    let Some(value) = map.get("x-graph-enum-names") else {
        return;
    };
    let npointer = pointer.child("x-graph-enum-names");
    let Some(names) = value.as_object() else {
        cx.expect(
            &npointer,
            "x-graph-enum-names",
            "a mapping of version to member names, e.g. `{beta: [...]}`",
            value,
        );
        return;
    };
    for (version, list) in names {
        let vpointer = npointer.child(version);
        if !cx.versions.is_empty() && !cx.versions.contains(&version.as_str()) {
            let message = format!(
                "`x-graph-enum-names` names version `{version}`, which is not in `info.x-graph-versions` ({})",
                cx.versions.join(", ")
            );
            cx.err(&vpointer, message);
        }
        let Some(list) = string_list(cx, list, &vpointer, "x-graph-enum-names") else {
            continue;
        };
        if list.len() != members.len() {
            cx.err(
                &vpointer,
                format!(
                    "`x-graph-enum-names.{version}` has {} names but `enum` has {} members; give one spelling per member, in order",
                    list.len(),
                    members.len()
                ),
            );
            continue;
        }
        for (i, n) in list.iter().enumerate() {
            if let Some(j) = list.iter().take(i).position(|m| m.eq_ignore_ascii_case(n)) {
                cx.err(
                    &vpointer.child(i),
                    format!(
                        "`{n}` repeats `{}` (case-insensitive)",
                        list.get(j).copied().unwrap_or("")
                    ),
                );
            }
        }
    }
}
