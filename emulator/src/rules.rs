//! The documented rules a schema PUT must follow (update-schema page): a mapping names objects
//! that exist in its rule's directories; an attribute exists in its directory's object before it
//! is mapped; a target attribute is mapped at most once per object mapping.
//!
//! Names compare without regard to case, as directory attribute names do. A rule that names no
//! directory, or a directory whose `objects` are absent, cannot be checked and is taken as is.

use serde_json::Value;

use crate::error::ApiError;

/// Every broken rule of `schema`; the first becomes the error, all of them its `details`.
pub(crate) fn check(schema: &Value) -> Result<(), ApiError> {
    let problems = problems(schema);
    let Some((target, message)) = problems.first().cloned() else {
        return Ok(());
    };
    let mut error = ApiError::bad_request(message).with_target(target);
    error.extra.details = problems
        .into_iter()
        .map(|(target, message)| ("InvalidSchema".to_owned(), message, target))
        .collect();
    Err(error)
}

fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn find_named<'v>(items: &'v [Value], name: &str) -> Option<&'v Value> {
    items
        .iter()
        .find(|i| str_of(i, "name").is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// `(target, message)` of each broken rule.
pub(crate) fn problems(schema: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let directories = array(schema, "directories");
    for (i, rule) in array(schema, "synchronizationRules").iter().enumerate() {
        let at = format!("synchronizationRules[{i}]");
        let mut directory = |key: &str| -> Option<&Value> {
            let name = str_of(rule, key)?;
            let found = find_named(directories, name);
            if found.is_none() {
                out.push((
                    format!("{at}.{key}"),
                    format!("The directory '{name}' named by {at}.{key} is not among the schema's directories."),
                ));
            }
            found
        };
        let source_dir = directory("sourceDirectoryName");
        let target_dir = directory("targetDirectoryName");
        for (j, mapping) in array(rule, "objectMappings").iter().enumerate() {
            let at = format!("{at}.objectMappings[{j}]");
            let mut object = |dir: Option<&Value>, key: &str| -> Option<Value> {
                let dir = dir?;
                dir.get("objects").and_then(Value::as_array)?;
                let name = str_of(mapping, key)?;
                let found = find_named(array(dir, "objects"), name).cloned();
                if found.is_none() {
                    out.push((
                        format!("{at}.{key}"),
                        format!(
                            "The object '{name}' does not exist in directory '{}'.",
                            str_of(dir, "name").unwrap_or_default()
                        ),
                    ));
                }
                found
            };
            let source_object = object(source_dir, "sourceObjectName");
            let target_object = object(target_dir, "targetObjectName");
            let mut targets: Vec<String> = Vec::new();
            for (k, attribute_mapping) in array(mapping, "attributeMappings").iter().enumerate() {
                let at = format!("{at}.attributeMappings[{k}]");
                if let Some(target) = str_of(attribute_mapping, "targetAttributeName") {
                    if targets.iter().any(|t| t.eq_ignore_ascii_case(target)) {
                        out.push((
                            format!("{at}.targetAttributeName"),
                            format!(
                                "The target attribute '{target}' is already mapped in this object mapping; \
                                 an attribute can be mapped only once as a target."
                            ),
                        ));
                    }
                    targets.push(target.to_owned());
                    if let Some(object) = &target_object
                        && find_named(array(object, "attributes"), target).is_none()
                    {
                        out.push((
                                format!("{at}.targetAttributeName"),
                                format!(
                                    "The attribute '{target}' does not exist in object '{}' of the target \
                                     directory; add it to the directory's schema before mapping it.",
                                    str_of(object, "name").unwrap_or_default()
                                ),
                            ));
                    }
                }
                if let (Some(object), Some(source)) =
                    (&source_object, attribute_mapping.get("source"))
                {
                    let mut names = Vec::new();
                    source_attributes(source, &mut names, 0);
                    for name in names {
                        if find_named(array(object, "attributes"), &name).is_none() {
                            out.push((
                                format!("{at}.source"),
                                format!(
                                    "The attribute '{name}' does not exist in object '{}' of the source \
                                     directory; add it to the directory's schema before mapping it.",
                                    str_of(object, "name").unwrap_or_default()
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The attribute names an attribute-mapping source reads (recursively through function parameters).
fn source_attributes(source: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match source.get("type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("Attribute") => {
            if let Some(name) = str_of(source, "name") {
                out.push(name.to_owned());
            }
        }
        Some(t) if t.eq_ignore_ascii_case("Function") => {
            for parameter in array(source, "parameters") {
                if let Some(value) = parameter.get("value") {
                    source_attributes(value, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(mappings: Value) -> Value {
        json!({
            "directories": [
                {"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [
                    {"name": "mail"}, {"name": "IsSoftDeleted"}]}]},
                {"name": "Salesforce", "objects": [{"name": "User", "attributes": [
                    {"name": "email"}, {"name": "IsActive"}]}]}
            ],
            "synchronizationRules": [{
                "sourceDirectoryName": "Azure Active Directory",
                "targetDirectoryName": "Salesforce",
                "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User",
                    "attributeMappings": mappings}]
            }]
        })
    }

    #[test]
    fn a_consistent_schema_passes() {
        let s = schema(json!([
            {"source": {"type": "Attribute", "name": "Mail"}, "targetAttributeName": "email"},
            {"source": {"type": "Function", "name": "Not", "parameters": [
                {"key": "source", "value": {"type": "Attribute", "name": "IsSoftDeleted"}}]},
             "targetAttributeName": "IsActive"}
        ]));
        assert_eq!(problems(&s), vec![]);
    }

    #[test]
    fn each_rule_is_enforced_and_located() {
        let s = schema(json!([
            {"source": {"type": "Attribute", "name": "mail"}, "targetAttributeName": "email"},
            {"source": {"type": "Attribute", "name": "mail"}, "targetAttributeName": "EMAIL"},
            {"source": {"type": "Attribute", "name": "nope"}, "targetAttributeName": "timezone"}
        ]));
        let p = problems(&s);
        let at = "synchronizationRules[0].objectMappings[0].attributeMappings";
        assert_eq!(p[0].0, format!("{at}[1].targetAttributeName"));
        assert!(p[0].1.contains("mapped only once"));
        assert_eq!(p[1].0, format!("{at}[2].targetAttributeName"));
        assert!(p[1].1.contains("'timezone' does not exist"));
        assert_eq!(p[2].0, format!("{at}[2].source"));
        let mut s = schema(json!([]));
        s["synchronizationRules"][0]["objectMappings"][0]["targetObjectName"] = json!("Account");
        s["synchronizationRules"][0]["sourceDirectoryName"] = json!("Nowhere");
        let p = problems(&s);
        assert_eq!(p[0].0, "synchronizationRules[0].sourceDirectoryName");
        assert_eq!(
            p[1].0,
            "synchronizationRules[0].objectMappings[0].targetObjectName"
        );
        assert!(check(&s).unwrap_err().extra.details.len() == 2);
    }
}
