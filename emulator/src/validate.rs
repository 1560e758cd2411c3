//! Checks a JSON request body against a component schema of the spec: the subset of OpenAPI the
//! spec uses (`$ref`, `allOf: [$ref]` + `nullable`, objects with `properties` and
//! `additionalProperties`, arrays, strings with `format` date-time/duration/uuid, enums including
//! flag enums, integers, booleans).
//!
//! As the service does: instance annotations (`@odata.type`, `value@odata.type`) are accepted
//! anywhere, enum members are matched without regard to case (the docs send `"string"` and
//! `"watermark"`), and a property that the type does not declare is refused unless the type is open.

use serde_json::{Map, Value};

use crate::time::{Instant, parse_duration};

/// The first problem found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Where, as a JSON path such as `synchronizationRules[0].objectMappings`; empty for the root.
    pub target: String,
    pub message: String,
}

/// Checks `value` against the component schema `name`.
pub(crate) fn validate(
    schemas: &Map<String, Value>,
    name: &str,
    value: &Value,
) -> Result<(), Problem> {
    let mut checker = Checker {
        schemas,
        path: String::new(),
        depth: 0,
    };
    checker.named(name, value)
}

struct Checker<'a> {
    schemas: &'a Map<String, Value>,
    path: String,
    depth: usize,
}

/// Deeper nesting than this is refused (the spec's deepest legitimate nesting is far below).
const MAX_DEPTH: usize = 64;

impl Checker<'_> {
    fn problem(&self, message: String) -> Problem {
        Problem {
            target: self.path.clone(),
            message,
        }
    }

    fn named(&mut self, name: &str, value: &Value) -> Result<(), Problem> {
        let schema = self
            .schemas
            .get(name)
            .ok_or_else(|| self.problem(format!("unknown schema {name}")))?;
        self.check(schema, Some(name), value)
    }

    fn reference(schema: &Value) -> Option<&str> {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
    }

    fn check(
        &mut self,
        schema: &Value,
        type_name: Option<&str>,
        value: &Value,
    ) -> Result<(), Problem> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.problem("the body is nested too deeply".to_owned()));
        }
        let result = self.check_inner(schema, type_name, value);
        self.depth -= 1;
        result
    }

    fn check_inner(
        &mut self,
        schema: &Value,
        type_name: Option<&str>,
        value: &Value,
    ) -> Result<(), Problem> {
        if let Some(name) = Self::reference(schema) {
            return self.named(name, value);
        }
        let nullable = schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
            if value.is_null() && nullable {
                return Ok(());
            }
            for inner in all_of {
                self.check(inner, None, value)?;
            }
            return Ok(());
        }
        if value.is_null() {
            if nullable {
                return Ok(());
            }
            let expected = describe(schema, type_name);
            return Err(self.problem(format!(
                "A null value was found where a non-nullable {expected} is expected."
            )));
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => self.object(schema, type_name, value),
            Some("array") => {
                let items = value.as_array().ok_or_else(|| {
                    self.problem(format!("Expected an array, found {}.", kind(value)))
                })?;
                let item_schema = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                let base = self.path.clone();
                for (i, item) in items.iter().enumerate() {
                    self.path = format!("{base}[{i}]");
                    self.check(&item_schema, None, item)?;
                }
                self.path = base;
                Ok(())
            }
            Some("string") => self.string(schema, type_name, value),
            Some("integer") => {
                let n = value.as_i64().ok_or_else(|| {
                    self.problem(format!("Expected an integer, found {}.", kind(value)))
                })?;
                if schema.get("format").and_then(Value::as_str) == Some("int32")
                    && i32::try_from(n).is_err()
                {
                    return Err(
                        self.problem(format!("The value {n} does not fit in an Edm.Int32."))
                    );
                }
                Ok(())
            }
            Some("boolean") => match value {
                Value::Bool(_) => Ok(()),
                _ => Err(self.problem(format!("Expected a boolean, found {}.", kind(value)))),
            },
            _ => Ok(()),
        }
    }

    fn object(
        &mut self,
        schema: &Value,
        type_name: Option<&str>,
        value: &Value,
    ) -> Result<(), Problem> {
        let map = value
            .as_object()
            .ok_or_else(|| self.problem(format!("Expected an object, found {}.", kind(value))))?;
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let open = schema
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false));
        let base = self.path.clone();
        for (key, member) in map {
            self.path = if base.is_empty() {
                key.clone()
            } else {
                format!("{base}.{key}")
            };
            match properties.get(key) {
                Some(property) => self.check(property, None, member)?,
                // Instance and property annotations are always allowed.
                None if key.contains('@') => {}
                None if open => {}
                None => {
                    let type_name = type_name.unwrap_or("object");
                    return Err(self.problem(format!(
                        "The property '{key}' does not exist on type 'microsoft.graph.{type_name}'. \
                         Make sure to only use property names that are defined by the type or mark \
                         the type as open type."
                    )));
                }
            }
        }
        self.path = base;
        Ok(())
    }

    fn string(
        &mut self,
        schema: &Value,
        type_name: Option<&str>,
        value: &Value,
    ) -> Result<(), Problem> {
        let text = value
            .as_str()
            .ok_or_else(|| self.problem(format!("Expected a string, found {}.", kind(value))))?;
        if let Some(members) = schema.get("enum").and_then(Value::as_array) {
            let flags = schema
                .pointer("/x-ms-enum-flags/isFlags")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let known = |m: &str| {
                members
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|k| k.eq_ignore_ascii_case(m))
                    || schema
                        .pointer("/x-graph-enum-names")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flat_map(|names| names.values())
                        .filter_map(Value::as_array)
                        .flatten()
                        .filter_map(Value::as_str)
                        .any(|k| k.eq_ignore_ascii_case(m))
            };
            let parts: Vec<&str> = if flags {
                text.split(',').map(str::trim).collect()
            } else {
                vec![text]
            };
            for part in parts {
                if !known(part) {
                    let enum_name = type_name.unwrap_or("enum");
                    return Err(self.problem(format!(
                        "The value '{part}' is not a member of the enumeration \
                         'microsoft.graph.{enum_name}'."
                    )));
                }
            }
            return Ok(());
        }
        let ok = match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => Instant::parse(text).is_some(),
            Some("duration") => parse_duration(text).is_some(),
            Some("uuid") => is_uuid(text),
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            let format = schema
                .get("format")
                .and_then(Value::as_str)
                .unwrap_or_default();
            Err(self.problem(format!("The value '{text}' is not a valid {format}.")))
        }
    }
}

fn describe(schema: &Value, type_name: Option<&str>) -> String {
    match (type_name, schema.get("type").and_then(Value::as_str)) {
        (Some(name), _) => format!("'microsoft.graph.{name}'"),
        (None, Some(t)) => t.to_owned(),
        (None, None) => "value".to_owned(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `8-4-4-4-12` hex digits.
pub(crate) fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::spec;
    use serde_json::json;

    fn check(name: &str, value: Value) -> Result<(), Problem> {
        validate(&spec().schemas, name, &value)
    }

    #[test]
    fn the_docs_bodies_pass() {
        check("synchronizationJob", json!({"templateId": "BoxOutDelta"})).unwrap();
        check(
            "restartRequestBody",
            json!({"criteria": {"resetScope": "watermark, Escrows, QuarantineState"}}),
        )
        .unwrap();
        check(
            "synchronizationJob",
            json!({"schedule": {"interval": "P10675199DT2H48M5.4775807S"}}),
        )
        .unwrap();
    }

    #[test]
    fn problems_name_the_place() {
        let p = check(
            "restartRequestBody",
            json!({"criteria": {"resetScope": "Watermark, Bogus"}}),
        )
        .unwrap_err();
        assert_eq!(p.target, "criteria.resetScope");
        assert!(p.message.contains("'Bogus'"), "{}", p.message);
        let p = check("synchronizationJob", json!({"templateId": 5})).unwrap_err();
        assert_eq!(
            (p.target.as_str(), p.message.as_str()),
            ("templateId", "Expected a string, found a number.")
        );
        let p = check("synchronizationJob", json!({"nope": 1})).unwrap_err();
        assert!(
            p.message
                .contains("'nope' does not exist on type 'microsoft.graph.synchronizationJob'")
        );
        let p = check(
            "synchronizationJob",
            json!({"schedule": {"interval": "PT"}}),
        )
        .unwrap_err();
        assert_eq!(p.target, "schedule.interval");
        let p = check(
            "synchronizationSecretsRequestBody",
            json!({"value": [{"key": null}]}),
        )
        .unwrap_err();
        assert_eq!(p.target, "value[0].key");
        check(
            "synchronizationJob",
            json!({"@odata.type": "#microsoft.graph.synchronizationJob"}),
        )
        .unwrap();
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut value = json!({"expression": "x"});
        for _ in 0..200 {
            value = json!({"parameters": [{"key": "k", "value": value}]});
        }
        let p = check("attributeMappingSource", value).unwrap_err();
        assert!(p.message.contains("nested too deeply"));
    }
}
