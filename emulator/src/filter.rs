//! The `$filter` subset the emulator evaluates on job and template lists:
//! `<property path> eq|ne <literal>` and `startswith(<property path>, '<text>')`, joined by `and`.
//! A path is properties joined by `/` (`status/code`, `schedule/state`); a literal is a quoted
//! string (`''` for a quote), `true`, `false`, `null` or an integer. Anything else is answered with
//! the service's 400 for an unsupported filter.

use serde_json::Value;

use crate::error::ApiError;
use crate::spec::spec;

/// A parsed filter.
#[derive(Debug)]
pub(crate) struct Filter {
    clauses: Vec<Clause>,
}

#[derive(Debug)]
enum Clause {
    Compare {
        path: Vec<String>,
        equal: bool,
        literal: Value,
    },
    StartsWith {
        path: Vec<String>,
        prefix: String,
    },
}

fn unsupported(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid filter clause: {detail}"))
}

impl Filter {
    /// Parses `text` for items of `type_name` (property names are checked against the spec).
    pub fn parse(text: &str, type_name: &str) -> Result<Filter, ApiError> {
        let mut clauses = Vec::new();
        for part in split_and(text) {
            let part = part.trim();
            if part.is_empty() {
                return Err(unsupported("an empty clause."));
            }
            let clause = if let Some(args) = part
                .strip_prefix("startswith(")
                .or_else(|| part.strip_prefix("startsWith("))
                .and_then(|a| a.strip_suffix(')'))
            {
                let (path, literal) = args
                    .split_once(',')
                    .ok_or_else(|| unsupported("startswith takes two arguments."))?;
                let prefix = match literal_value(literal.trim())? {
                    Value::String(s) => s,
                    _ => return Err(unsupported("startswith compares with a string.")),
                };
                Clause::StartsWith {
                    path: property_path(path.trim(), type_name)?,
                    prefix,
                }
            } else {
                let mut words = part.splitn(3, ' ');
                let (path, op, literal) = (words.next(), words.next(), words.next());
                let (Some(path), Some(op), Some(literal)) = (path, op, literal) else {
                    return Err(unsupported(&format!(
                        "'{part}' is not supported; use <property> eq <value>."
                    )));
                };
                let equal = match op {
                    "eq" => true,
                    "ne" => false,
                    _ => {
                        return Err(unsupported(&format!(
                            "the operator '{op}' is not supported (eq, ne)."
                        )));
                    }
                };
                Clause::Compare {
                    path: property_path(path, type_name)?,
                    equal,
                    literal: literal_value(literal.trim())?,
                }
            };
            clauses.push(clause);
        }
        Ok(Filter { clauses })
    }

    /// Whether `item` passes every clause.
    pub fn matches(&self, item: &Value) -> bool {
        self.clauses.iter().all(|clause| match clause {
            Clause::Compare {
                path,
                equal,
                literal,
            } => {
                let value = lookup(item, path);
                let same = match (value, literal) {
                    (Some(Value::String(a)), Value::String(b)) => a.eq_ignore_ascii_case(b),
                    (None, Value::Null) => true,
                    (Some(a), b) => a == b,
                    (None, _) => false,
                };
                same == *equal
            }
            Clause::StartsWith { path, prefix } => {
                lookup(item, path).and_then(Value::as_str).is_some_and(|s| {
                    s.to_ascii_lowercase()
                        .starts_with(&prefix.to_ascii_lowercase())
                })
            }
        })
    }
}

fn lookup<'v>(item: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(item, |v, key| v.get(key))
}

/// Splits on ` and ` outside quotes.
fn split_and(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut in_quote = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            in_quote = !in_quote;
        }
        if !in_quote && rest.starts_with(" and ") {
            parts.push(String::new());
            rest = &rest[5..];
            continue;
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    parts
}

fn literal_value(text: &str) -> Result<Value, ApiError> {
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        if inner.replace("''", "").contains('\'') {
            return Err(unsupported("a quote inside a string must be doubled."));
        }
        return Ok(Value::String(inner.replace("''", "'")));
    }
    match text {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "null" => Ok(Value::Null),
        _ => text.parse::<i64>().map(Value::from).map_err(|_| {
            unsupported(&format!(
                "'{text}' is not a literal (a quoted string, true, false, null or an integer)."
            ))
        }),
    }
}

/// Checks each step of `a/b/c` against the spec's schemas.
fn property_path(text: &str, type_name: &str) -> Result<Vec<String>, ApiError> {
    let schemas = &spec().schemas;
    let mut current = type_name.to_owned();
    let mut path = Vec::new();
    for name in text.split('/') {
        let property = schemas
            .get(&current)
            .and_then(|s| s.pointer("/properties"))
            .and_then(|p| p.get(name))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{current}'."
                ))
            })?;
        let reference = property
            .get("$ref")
            .or_else(|| property.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"));
        current = reference.unwrap_or_default().to_owned();
        path.push(name.to_owned());
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_subset_filters() {
        let job = json!({"id": "Box.1", "templateId": "BoxOutDelta", "status": {"code": "Active"}});
        let f = Filter::parse(
            "templateId eq 'boxoutdelta' and status/code ne 'Paused'",
            "synchronizationJob",
        )
        .unwrap();
        assert!(f.matches(&job));
        assert!(
            Filter::parse("startswith(id,'Box.')", "synchronizationJob")
                .unwrap()
                .matches(&job)
        );
        assert!(
            !Filter::parse("status/code eq 'Paused'", "synchronizationJob")
                .unwrap()
                .matches(&job)
        );
        for bad in [
            "templateId gt 'a'",
            "nope eq 'a'",
            "status/nope eq 'a'",
            "templateId eq a",
            "x",
            "templateId eq 'a''",
        ] {
            assert!(Filter::parse(bad, "synchronizationJob").is_err(), "{bad}");
        }
    }
}
