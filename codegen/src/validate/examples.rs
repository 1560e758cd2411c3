//! Rule 5: request and response examples match their schemas.
//!
//! Checked: JSON types, `nullable`, int32/int64 ranges, ISO-8601 date-times and durations, UUIDs, enum
//! membership (case-insensitive, other versions' spellings too), flag enums as `", "`-separated members,
//! arrays, nested objects through `$ref`, free-form objects. Unknown properties are allowed (service types are
//! open). The empty string is tolerated for non-nullable date-times and enums: the service sends it there.
//! Errors point inside the example (`.../examples/created/value/schedule/interval`).

use serde_json::{Map, Value};

use super::schemas::{Named, classify, is_flags};
use super::{Ctx, describe};
use crate::diagnostic::Path;

/// Checks `example` and `examples.*.value` of a media type (at `pointer`) against the component schema at
/// `schema_pointer`.
pub(super) fn check_media(
    cx: &mut Ctx<'_>,
    media: &Map<String, Value>,
    pointer: &Path<'_>,
    schema_pointer: &str,
) {
    if let Some(example) = media.get("example") {
        named(
            cx,
            schema_pointer,
            example,
            &pointer.child("example"),
            false,
            0,
        );
    }
    let Some(examples) = media.get("examples") else {
        return;
    };
    let epointer = pointer.child("examples");
    let Some(examples) = examples.as_object() else {
        return;
    };
    for (name, example) in examples {
        let xpointer = epointer.child(name);
        let Some(example) = example.as_object() else {
            continue;
        };
        if example.contains_key("$ref") {
            cx.err(
                &xpointer,
                "example `$ref`s are not supported by the generator; inline the example under `value`",
            );
            continue;
        }
        cx.keys(
            example,
            &xpointer,
            "an example",
            &["summary", "description", "value"],
        );
        match example.get("value") {
            Some(value) => named(
                cx,
                schema_pointer,
                value,
                &xpointer.child("value"),
                false,
                0,
            ),
            None => cx.err(
                &xpointer,
                format!("example `{name}` has no `value`; put the JSON payload under `value`"),
            ),
        }
    }
}

const MAX_DEPTH: usize = 128;

/// `value` (at `at`) against the named component schema at `schema_pointer`.
fn named(
    cx: &mut Ctx<'_>,
    schema_pointer: &str,
    value: &Value,
    at: &Path<'_>,
    nullable: bool,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(schema) = cx.lookup(schema_pointer) else {
        return;
    };
    if value.is_null() {
        if !nullable {
            cx.err(at, format!("null is not allowed here: the value is a `{schema_pointer}`, which is not nullable at this place"));
        }
        return;
    }
    match classify(schema) {
        Named::Object(map) => {
            let Some(object) = value.as_object() else {
                cx.err(
                    at,
                    format!(
                        "expected an object (`{schema_pointer}`), found {}",
                        describe(value)
                    ),
                );
                return;
            };
            let Some(properties) = map.get("properties").and_then(Value::as_object) else {
                return;
            };
            let schema_path = Path::at(schema_pointer);
            let ppointer = schema_path.child("properties");
            for (key, item) in object {
                if let Some(property) = properties.get(key) {
                    property_value(
                        cx,
                        property,
                        &ppointer.child(key),
                        item,
                        &at.child(key),
                        depth + 1,
                    );
                }
            }
        }
        Named::Enum(map) => enum_value(cx, map, schema_pointer, value, at, nullable),
        Named::Other => {}
    }
}

/// `value` (at `at`) against the property schema `schema` (at `schema_pointer`).
fn property_value(
    cx: &mut Ctx<'_>,
    schema: &Value,
    schema_pointer: &Path<'_>,
    value: &Value,
    at: &Path<'_>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if reference.starts_with("#/components/schemas/") {
            named(cx, reference, value, at, false, depth + 1);
        }
        return;
    }
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if let Some(all_of) = map.get("allOf") {
        let reference = all_of
            .get(0)
            .and_then(|r| r.get("$ref"))
            .and_then(Value::as_str);
        if let Some(reference) = reference.filter(|r| r.starts_with("#/components/schemas/")) {
            named(cx, reference, value, at, nullable, depth + 1);
        }
        return;
    }
    if value.is_null() {
        if !nullable {
            cx.err(at, format!("null is not allowed here: `{schema_pointer}` is not nullable (add `nullable: true` if the service sends null)"));
        }
        return;
    }
    let format = map.get("format").and_then(Value::as_str);
    // Described for messages only.
    let found = || describe(value);
    match map.get("type").and_then(Value::as_str) {
        Some("string") => {
            let Some(text) = value.as_str() else {
                cx.err(
                    at,
                    format!(
                        "expected a string for `{schema_pointer}`, found {}",
                        found()
                    ),
                );
                return;
            };
            match format {
                Some("date-time") => {
                    if text.is_empty() {
                        if nullable {
                            cx.err(
                                at,
                                format!("the empty string is only tolerated for non-nullable date-times (a service quirk); `{schema_pointer}` is nullable, so write null or a date-time"),
                            );
                        }
                    } else if !is_date_time(text) {
                        cx.err(
                            at,
                            format!("expected an ISO-8601 date-time such as `2024-01-31T08:00:00Z` for `{schema_pointer}`, found {}", found()),
                        );
                    }
                }
                Some("duration") if !is_duration(text) => {
                    cx.err(
                        at,
                        format!("expected an ISO-8601 duration such as `PT40M` or `P10675199DT2H48M5.4775807S` for `{schema_pointer}`, found {}", found()),
                    );
                }
                Some("uuid") if !is_uuid(text) => {
                    cx.err(
                        at,
                        format!("expected a UUID such as `00000000-0000-0000-0000-000000000000` for `{schema_pointer}`, found {}", found()),
                    );
                }
                _ => {}
            }
        }
        Some("boolean") if !value.is_boolean() => {
            cx.err(
                at,
                format!(
                    "expected `true` or `false` for `{schema_pointer}`, found {}",
                    found()
                ),
            );
        }
        Some("integer") => {
            let in_range = match format {
                Some("int32") => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                _ => value.as_i64().is_some(),
            };
            if !in_range {
                let kind = format.unwrap_or("int64");
                cx.err(
                    at,
                    format!(
                        "expected an {kind} integer for `{schema_pointer}`, found {}",
                        found()
                    ),
                );
            }
        }
        Some("array") => {
            let Some(items) = value.as_array() else {
                cx.err(
                    at,
                    format!("expected a list for `{schema_pointer}`, found {}", found()),
                );
                return;
            };
            let Some(item_schema) = map.get("items") else {
                return;
            };
            let ipointer = schema_pointer.child("items");
            for (i, item) in items.iter().enumerate() {
                property_value(cx, item_schema, &ipointer, item, &at.child(i), depth + 1);
            }
        }
        Some("object") if !value.is_object() => {
            cx.err(
                at,
                format!(
                    "expected a JSON object for `{schema_pointer}`, found {}",
                    found()
                ),
            );
        }
        _ => {}
    }
}

fn enum_value(
    cx: &mut Ctx<'_>,
    map: &Map<String, Value>,
    schema_pointer: &str,
    value: &Value,
    at: &Path<'_>,
    nullable: bool,
) {
    let Some(text) = value.as_str() else {
        cx.err(
            at,
            format!(
                "expected a member of the enum `{schema_pointer}` (a string), found {}",
                describe(value)
            ),
        );
        return;
    };
    if text.is_empty() {
        if nullable {
            cx.err(
                at,
                format!("the empty string is only tolerated for non-nullable enums (a service quirk); this `{schema_pointer}` is nullable, so write null or a member"),
            );
        }
        return;
    }
    let members = map
        .get("enum")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let names = map.get("x-graph-enum-names").and_then(Value::as_object);
    // The spellings are the members and other versions' names of them.
    let known = |part: &str| {
        members
            .iter()
            .chain(
                names
                    .into_iter()
                    .flat_map(Map::values)
                    .filter_map(Value::as_array)
                    .flatten(),
            )
            .filter_map(Value::as_str)
            .any(|s| s.eq_ignore_ascii_case(part))
    };
    let flags = is_flags(map);
    let unknown = if flags {
        text.split(',').map(str::trim).find(|part| !known(part))
    } else {
        Some(text).filter(|part| !known(part))
    };
    if let Some(part) = unknown {
        let what = if flags { "flag member" } else { "member" };
        let members: Vec<&str> = members.iter().filter_map(Value::as_str).collect();
        cx.err(
            at,
            format!(
                "`{part}` is not a {what} of the enum `{schema_pointer}` (members: {}; compared case-insensitively{})",
                members.join(", "),
                if flags { ", flags joined with \", \"" } else { "" }
            ),
        );
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub(super) fn is_date_time(s: &str) -> bool {
    let (Some(date), Some(rest)) = (s.get(..10), s.get(10..)) else {
        return false;
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(_), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return false;
    }
    let Some(rest) = rest.strip_prefix('T') else {
        return false;
    };
    let (Some(time), Some(mut zone)) = (rest.get(..8), rest.get(8..)) else {
        return false;
    };
    let mut parts = time.split(':');
    let (Some(h), Some(mi), Some(se), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(h), Some(mi), Some(se)) = (digits(h, 2), digits(mi, 2), digits(se, 2)) else {
        return false;
    };
    if h > 23 || mi > 59 || se > 60 {
        return false;
    }
    if let Some(fraction) = zone.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return false;
        }
        zone = fraction.get(len..).unwrap_or("");
    }
    if zone == "Z" {
        return true;
    }
    let Some(offset) = zone.strip_prefix('+').or_else(|| zone.strip_prefix('-')) else {
        return false;
    };
    let (Some(oh), Some(colon), Some(om)) = (offset.get(..2), offset.get(2..3), offset.get(3..))
    else {
        return false;
    };
    matches!((digits(oh, 2), colon, digits(om, 2)), (Some(oh), ":", Some(om)) if oh <= 23 && om <= 59)
}

/// ISO-8601 duration: `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with at least one component.
pub(super) fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(s) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match s.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (s, None),
    };
    let Some(date_count) = components(date, &['Y', 'M', 'W', 'D'], false) else {
        return false;
    };
    let time_count = match time {
        None => 0,
        Some(time) => match components(time, &['H', 'M', 'S'], true) {
            Some(0) | None => return false,
            Some(n) => n,
        },
    };
    date_count + time_count > 0
}

/// Number of `<number><designator>` components in order; a fraction only on the last designator when
/// `fraction_last`.
fn components(mut s: &str, designators: &[char], fraction_last: bool) -> Option<usize> {
    let mut count = 0;
    let mut next = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        if int_len == 0 {
            return None;
        }
        let mut len = int_len;
        let mut fractional = false;
        if s.get(len..)?.starts_with('.') {
            let frac_len = s
                .get(len + 1..)?
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            if frac_len == 0 {
                return None;
            }
            len += 1 + frac_len;
            fractional = true;
        }
        let designator = s.get(len..)?.chars().next()?;
        let index = designators
            .iter()
            .skip(next)
            .position(|d| *d == designator)?
            + next;
        if fractional && !(fraction_last && index + 1 == designators.len()) {
            return None;
        }
        next = index + 1;
        count += 1;
        s = s.get(len + designator.len_utf8()..)?;
    }
    Some(count)
}

/// `8-4-4-4-12` hex digits.
pub(super) fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        for ok in [
            "2024-01-31T08:00:00Z",
            "0001-01-01T00:00:00Z",
            "2024-01-31T08:00:00.1234567+02:00",
            "2017-06-06T16:36:55.0735941-07:00",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-01-31",
            "2024-01-31T08:00:00",
            "2024-13-01T00:00:00Z",
            "2024-01-31 08:00:00Z",
            "2024-01-31T08:00:00.Z",
            "2024-01-31T08:00:00+0200",
            "é024-01-31T08:00:00Z",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn durations() {
        for ok in [
            "PT40M",
            "P10675199DT2H48M5.4775807S",
            "-PT1M12.6316819S",
            "P1Y2M3W4D",
            "PT0S",
            "P1D",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "", "P", "PT", "40M", "PT1.5M", "P1DT", "PM1", "PT1S2M", "P1H", "PT.5S", "P1D2D",
            "PT1é",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("0ef3c7ff-3a23-4ea2-9c0c-5d6d1c9f7e8a"));
        assert!(!is_uuid("0ef3c7ff3a234ea29c0c5d6d1c9f7e8a"));
        assert!(!is_uuid("0ef3c7ff-3a23-4ea2-9c0c-5d6d1c9f7e8g"));
    }
}
