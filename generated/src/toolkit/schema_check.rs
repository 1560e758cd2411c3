//! Client-side checks of a schema before `PUT …/schema`, with the service's documented rules,
//! each problem located by rule, object mapping and attribute.
//!
//! Checked:
//! - a target attribute is mapped at most once per object mapping;
//! - a mapped target attribute exists on the target object of the rule's target directory, and
//!   an attribute a source reads exists on the source object of its source directory ("an
//!   attribute must exist in the schema before it is mapped"), when the rule names its
//!   directories; an object mapping names objects its directories define;
//! - matching attributes are consistent: no two share a matching priority, none takes a constant;
//! - expression sources parse as far as the client can tell: balanced parentheses, brackets and
//!   quotes, and only documented function names (plus any you add, e.g. from the schema's
//!   `functions` list).
//!
//! The service has the last word: a schema that passes can still be refused.
//!
//! ```
//! use msgraph_sync::SynchronizationSchema;
//! use msgraph_sync::toolkit::schema_check::{check, ProblemKind};
//!
//! let schema: SynchronizationSchema = serde_json::from_value(serde_json::json!({
//!   "directories": [
//!     {"name": "AAD", "objects": [{"name": "User", "attributes": [{"name": "mail"}, {"name": "department"}]}]},
//!     {"name": "App", "objects": [{"name": "User", "attributes": [{"name": "email"}, {"name": "dept"}]}]}],
//!   "synchronizationRules": [{"name": "USERS", "sourceDirectoryName": "AAD", "targetDirectoryName": "App",
//!     "objectMappings": [{"name": "Users", "sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
//!       {"targetAttributeName": "email", "source": {"type": "Attribute", "name": "mail"}},
//!       {"targetAttributeName": "email", "source": {"type": "Function", "expression": "ToLower([mail]"}},
//!       {"targetAttributeName": "title", "source": {"type": "Attribute", "name": "jobTitle"}}]}]}]})).unwrap();
//! let problems = check(&schema).unwrap_err();
//! let kinds: Vec<ProblemKind> = problems.problems().iter().map(|p| p.kind).collect();
//! assert_eq!(kinds, [ProblemKind::TargetMappedTwice, ProblemKind::InvalidExpression,
//!     ProblemKind::UnknownTargetAttribute, ProblemKind::UnknownSourceAttribute]);
//! assert_eq!(problems.problems()[0].to_string(),
//!     "rule `USERS`, object mapping `Users`, attribute `email`: target attribute `email` is mapped 2 times; map it at most once");
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use super::schema_edit::{eq, items, text};
use crate::requests::{SynchronizationJobSchemaRequests, SynchronizationTemplateSchemaRequests};
use crate::runtime::{Error, NoQuery, Request, Version};
use crate::{
    Applications, AttributeMappingSource, AttributeMappingSourceType, ObjectDefinition,
    ObjectMapping, Parent, SynchronizationRule, SynchronizationSchema,
};

/// The functions of the attribute-mapping expression language, as documented ("Reference for
/// writing expressions for attribute mappings in Microsoft Entra ID", and the schema's
/// `functions` list).
pub const DOCUMENTED_FUNCTIONS: &[&str] = &[
    "Append",
    "AppRoleAssignmentsComplex",
    "BitAnd",
    "CBool",
    "CDate",
    "Coalesce",
    "ConvertToBase64",
    "ConvertToUTF8Hex",
    "Count",
    "CStr",
    "DateAdd",
    "DateDiff",
    "DateFromNum",
    "DefaultDomain",
    "FormatDateTime",
    "Guid",
    "IgnoreFlowIfNullOrEmpty",
    "IIF",
    "InStr",
    "IsNull",
    "IsNullOrEmpty",
    "IsPresent",
    "IsString",
    "Item",
    "Join",
    "Left",
    "Mid",
    "NormalizeDiacritics",
    "Not",
    "Now",
    "NumFromDate",
    "PCase",
    "RandomString",
    "Redact",
    "RemoveDuplicates",
    "Replace",
    "SelectUniqueValue",
    "SingleAppRoleAssignment",
    "Split",
    "StripSpaces",
    "Switch",
    "ToLower",
    "ToUpper",
    "Word",
];

/// What kind of problem a [`SchemaProblem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A target attribute is mapped more than once in one object mapping.
    TargetMappedTwice,
    /// An attribute mapping has no target attribute name.
    MissingTargetAttribute,
    /// A mapped target attribute is not defined on the target object.
    UnknownTargetAttribute,
    /// A source reads an attribute the source object does not define.
    UnknownSourceAttribute,
    /// A rule names a directory the schema does not define.
    UnknownDirectory,
    /// An object mapping names an object its directory does not define.
    UnknownObject,
    /// Two matching attributes share a matching priority.
    DuplicateMatchingPriority,
    /// A matching attribute takes a constant, so it cannot match anything.
    ConstantMatchingAttribute,
    /// An expression does not parse (unbalanced parentheses, brackets or quotes, …).
    InvalidExpression,
    /// An expression calls a function that is not documented.
    UnknownFunction,
}

/// One problem, located by rule, object mapping and attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The rule (its name, or its id).
    pub rule: String,
    /// The object mapping (its name, or `source → target`), if the problem is inside one.
    pub object_mapping: Option<String>,
    /// The target attribute of the attribute mapping, if the problem is inside one.
    pub attribute: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule `{}`", self.rule)?;
        if let Some(m) = &self.object_mapping {
            write!(f, ", object mapping `{m}`")?;
        }
        if let Some(a) = &self.attribute {
            write!(f, ", attribute `{a}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The problems [`check`] found (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaCheckError {
    problems: Vec<SchemaProblem>,
}

impl SchemaCheckError {
    /// The problems, in schema order.
    pub fn problems(&self) -> &[SchemaProblem] {
        &self.problems
    }
}

impl fmt::Display for SchemaCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "the schema has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n- {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaCheckError {}

/// Checks `schema` with the [`DOCUMENTED_FUNCTIONS`].
pub fn check(schema: &SynchronizationSchema) -> Result<(), SchemaCheckError> {
    Checks::new().check(schema)
}

/// Schema checks with options.
///
/// ```
/// use msgraph_sync::toolkit::schema_check::Checks;
/// let schema = serde_json::from_value(serde_json::json!({"synchronizationRules": [{"name": "R", "objectMappings": [
///     {"attributeMappings": [{"targetAttributeName": "x", "source": {"type": "Function", "expression": "MyNewFunction([a])"}}]}]}]})).unwrap();
/// assert!(Checks::new().check(&schema).is_err());
/// assert!(Checks::new().functions(["MyNewFunction"]).check(&schema).is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct Checks {
    functions: Vec<String>,
}

impl Default for Checks {
    fn default() -> Self {
        Self::new()
    }
}

impl Checks {
    /// The checks with the documented functions.
    pub fn new() -> Self {
        Self {
            functions: DOCUMENTED_FUNCTIONS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }

    /// Also accepts these function names (e.g. the `name`s from the schema's `functions`).
    pub fn functions<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.functions.extend(names.into_iter().map(Into::into));
        self
    }

    fn is_function(&self, name: &str) -> bool {
        self.functions.iter().any(|f| eq(f, name))
    }

    /// Runs every check; `Err` lists every problem found.
    pub fn check(&self, schema: &SynchronizationSchema) -> Result<(), SchemaCheckError> {
        let mut problems = Vec::new();
        for rule in schema.rules() {
            self.check_rule(schema, rule, &mut problems);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(SchemaCheckError { problems })
        }
    }

    fn check_rule<'s>(
        &self,
        schema: &'s SynchronizationSchema,
        rule: &'s SynchronizationRule,
        out: &mut Vec<SchemaProblem>,
    ) {
        let rule_label = rule.label();
        let problem = |kind,
                       mapping: Option<&ObjectMapping>,
                       attribute: Option<&str>,
                       message: String| SchemaProblem {
            kind,
            rule: rule_label.clone(),
            object_mapping: mapping.map(ObjectMapping::label),
            attribute: attribute.map(str::to_owned),
            message,
        };
        // The rule's directories, when it names them.
        let mut directory = |name: &str| -> Option<Option<&crate::DirectoryDefinition>> {
            if name.is_empty() {
                return None;
            }
            let found = schema.directory(name);
            if found.is_none() {
                out.push(problem(
                    ProblemKind::UnknownDirectory,
                    None,
                    None,
                    format!("directory `{name}` is not defined in the schema's directories"),
                ));
            }
            Some(found)
        };
        let source_dir = directory(text(&rule.source_directory_name)).flatten();
        let target_dir = directory(text(&rule.target_directory_name)).flatten();

        for mapping in items(&rule.object_mappings) {
            let mut object = |dir: Option<&'s crate::DirectoryDefinition>, name: &str| {
                let dir = dir?;
                let found = dir.object(name);
                if found.is_none() && !name.is_empty() {
                    out.push(problem(
                        ProblemKind::UnknownObject,
                        Some(mapping),
                        None,
                        format!(
                            "object `{name}` is not defined in directory `{}`",
                            text(&dir.name)
                        ),
                    ));
                }
                found.map(|o| (dir, o))
            };
            let source_obj = object(source_dir, text(&mapping.source_object_name));
            let target_obj = object(target_dir, text(&mapping.target_object_name));

            // Counted first, and the objects' attribute names gathered once: linear in the schema.
            let mut counts: HashMap<String, usize> = HashMap::new();
            for am in items(&mapping.attribute_mappings) {
                *counts
                    .entry(text(&am.target_attribute_name).to_ascii_lowercase())
                    .or_default() += 1;
            }
            let target_names = target_obj.map(|(_, o)| attribute_names(o));
            let source_names = source_obj.map(|(_, o)| attribute_names(o));
            let mut seen: HashMap<String, usize> = HashMap::new();
            let mut priorities: BTreeMap<i32, &str> = BTreeMap::new();
            for am in items(&mapping.attribute_mappings) {
                let target = text(&am.target_attribute_name);
                if target.is_empty() {
                    out.push(problem(
                        ProblemKind::MissingTargetAttribute,
                        Some(mapping),
                        None,
                        "an attribute mapping has no targetAttributeName".to_owned(),
                    ));
                    continue;
                }
                let lower = target.to_ascii_lowercase();
                let n = counts.get(&lower).copied().unwrap_or(0);
                let so_far = seen.entry(lower.clone()).or_default();
                *so_far += 1;
                // Reported once, at the second mapping of the attribute.
                if *so_far == 2 {
                    out.push(problem(
                        ProblemKind::TargetMappedTwice,
                        Some(mapping),
                        Some(target),
                        format!(
                            "target attribute `{target}` is mapped {n} times; map it at most once"
                        ),
                    ));
                }
                if let (Some((dir, obj)), Some(names)) = (target_obj, &target_names)
                    && !names.contains(&lower)
                {
                    out.push(problem(
                        ProblemKind::UnknownTargetAttribute,
                        Some(mapping),
                        Some(target),
                        format!(
                            "target attribute `{target}` is not defined on object `{}` of directory `{}`; add it to the directory schema first",
                            text(&obj.name),
                            text(&dir.name)
                        ),
                    ));
                }
                let priority = am.matching_priority.unwrap_or(0);
                let source = am.source.as_ref();
                if priority > 0 {
                    if let Some(other) = priorities.insert(priority, target) {
                        out.push(problem(
                            ProblemKind::DuplicateMatchingPriority,
                            Some(mapping),
                            Some(target),
                            format!("matching priority {priority} is also used by `{other}`; give each matching attribute its own priority"),
                        ));
                    }
                    if source.is_some_and(|s| s.type_ == Some(AttributeMappingSourceType::Constant))
                    {
                        out.push(problem(
                            ProblemKind::ConstantMatchingAttribute,
                            Some(mapping),
                            Some(target),
                            "a matching attribute takes a constant, so it cannot match objects"
                                .to_owned(),
                        ));
                    }
                }
                if let Some(source) = source {
                    let mut attributes = Vec::new();
                    match self.source_references(source, &mut attributes) {
                        Err((kind, message)) => {
                            out.push(problem(kind, Some(mapping), Some(target), message))
                        }
                        Ok(()) => {
                            if let (Some((dir, obj)), Some(names)) = (source_obj, &source_names) {
                                for attr in attributes {
                                    if !names.contains(&attr.to_ascii_lowercase()) {
                                        out.push(problem(
                                            ProblemKind::UnknownSourceAttribute,
                                            Some(mapping),
                                            Some(target),
                                            format!(
                                                "source attribute `{attr}` is not defined on object `{}` of directory `{}`",
                                                text(&obj.name),
                                                text(&dir.name)
                                            ),
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The attributes a source reads; an error for an expression that does not parse or calls an
    /// unknown function.
    fn source_references(
        &self,
        source: &AttributeMappingSource,
        attributes: &mut Vec<String>,
    ) -> Result<(), (ProblemKind, String)> {
        match source.type_ {
            Some(AttributeMappingSourceType::Constant) => Ok(()),
            Some(AttributeMappingSourceType::Attribute) => {
                let name = text(&source.name);
                if !name.is_empty() {
                    attributes.push(name.to_owned());
                } else if let Some(expr) = source.expression.as_ref() {
                    let parsed = parse_expression(expr)
                        .map_err(|e| (ProblemKind::InvalidExpression, e.to_string()))?;
                    attributes.extend(parsed.attributes);
                }
                Ok(())
            }
            _ => {
                if let Some(expr) = source.expression.as_ref().filter(|e| !e.trim().is_empty()) {
                    let parsed = parse_expression(expr)
                        .map_err(|e| (ProblemKind::InvalidExpression, e.to_string()))?;
                    if let Some(f) = parsed.functions.iter().find(|f| !self.is_function(f)) {
                        return Err((
                            ProblemKind::UnknownFunction,
                            format!(
                                "expression `{expr}` calls `{f}`, which is not a documented function"
                            ),
                        ));
                    }
                    attributes.extend(parsed.attributes);
                    return Ok(());
                }
                // No text: walk the parsed tree the service returns.
                if source.type_ == Some(AttributeMappingSourceType::Function) {
                    let name = text(&source.name);
                    if !name.is_empty() && !self.is_function(name) {
                        return Err((
                            ProblemKind::UnknownFunction,
                            format!(
                                "the source calls `{name}`, which is not a documented function"
                            ),
                        ));
                    }
                }
                for p in items(&source.parameters) {
                    if let Some(v) = p.value.as_ref() {
                        self.source_references(v, attributes)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The object's attribute names, lower-cased (names compare ignoring ASCII case).
fn attribute_names(object: &ObjectDefinition) -> HashSet<String> {
    object
        .attribute_definitions()
        .iter()
        .map(|a| text(&a.name).to_ascii_lowercase())
        .collect()
}

/// What an expression refers to, from [`parse_expression`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExpressionRefs {
    /// The functions called, in order of appearance.
    pub functions: Vec<String>,
    /// The attributes read (`[name]`), in order of appearance.
    pub attributes: Vec<String>,
}

/// Where and why an expression does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressionError {
    /// The character offset (0-based).
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expression error at character {}: {}",
            self.position + 1,
            self.message
        )
    }
}

impl std::error::Error for ExpressionError {}

/// Parses an attribute-mapping expression as far as the client can: string constants in double
/// quotes with `\` escapes, attribute references in brackets, function calls with balanced
/// parentheses; bare words and numbers (`3`, `true`) and operators (`=`) are accepted.
///
/// ```
/// use msgraph_sync::toolkit::schema_check::parse_expression;
/// let refs = parse_expression(r#"Join(" ", [givenName], ToUpper([surname]))"#).unwrap();
/// assert_eq!(refs.functions, ["Join", "ToUpper"]);
/// assert_eq!(refs.attributes, ["givenName", "surname"]);
/// assert_eq!(parse_expression(r#"Replace([a], "\"", "x""#).unwrap_err().to_string(),
///     "expression error at character 8: `(` is never closed");
/// assert_eq!(parse_expression("ToLower([mail)").unwrap_err().message, "attribute reference `[` is never closed with `]`");
/// ```
pub fn parse_expression(expression: &str) -> Result<ExpressionRefs, ExpressionError> {
    let err = |position, message: &str| ExpressionError {
        position,
        message: message.to_owned(),
    };
    let chars: Vec<char> = expression.chars().collect();
    if chars.iter().all(|c| c.is_whitespace()) {
        return Err(err(0, "the expression is empty"));
    }
    let mut refs = ExpressionRefs::default();
    let mut open: Vec<usize> = Vec::new();
    let mut word = String::new();
    let mut word_start = 0;
    let mut last_word: Option<(String, usize)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' || c == '.' {
            if word.is_empty() {
                word_start = i;
            }
            word.push(c);
            i += 1;
            continue;
        }
        if !word.is_empty() {
            last_word = Some((std::mem::take(&mut word), word_start));
        }
        match c {
            '"' => {
                let start = i;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(err(start, "string constant `\"` is never closed")),
                        Some('\\') => i += 2,
                        Some('"') => break,
                        Some(_) => i += 1,
                    }
                }
                last_word = None;
            }
            '[' => {
                let start = i;
                let mut name = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('[') => {
                            return Err(err(
                                start,
                                "attribute reference `[` is never closed with `]`",
                            ));
                        }
                        Some(']') => break,
                        Some(ch) => name.push(*ch),
                    }
                    i += 1;
                }
                if name.trim().is_empty() {
                    return Err(err(start, "empty attribute reference `[]`"));
                }
                refs.attributes.push(name);
                last_word = None;
            }
            ']' => return Err(err(i, "`]` without a matching `[`")),
            '(' => match last_word.take() {
                Some((name, _)) => {
                    refs.functions.push(name);
                    open.push(i);
                }
                None => return Err(err(i, "`(` must follow a function name")),
            },
            ')' => {
                if open.pop().is_none() {
                    return Err(err(i, "`)` without a matching `(`"));
                }
                last_word = None;
            }
            c if c.is_whitespace() => {}
            _ => last_word = None,
        }
        i += 1;
    }
    if let Some(start) = open.pop() {
        return Err(err(start, "`(` is never closed"));
    }
    Ok(refs)
}

/// The schema endpoints a schema can be put to: a job's schema, and an application template's.
pub trait SchemaEndpoint: Sync {
    /// The `PUT …/schema` request.
    fn put_schema(&self, schema: &SynchronizationSchema) -> Request<(), NoQuery>;
}

impl<P: Parent, V: Version> SchemaEndpoint for SynchronizationJobSchemaRequests<P, V> {
    fn put_schema(&self, schema: &SynchronizationSchema) -> Request<(), NoQuery> {
        self.put(schema)
    }
}

impl<V: Version> SchemaEndpoint for SynchronizationTemplateSchemaRequests<Applications, V> {
    fn put_schema(&self, schema: &SynchronizationSchema) -> Request<(), NoQuery> {
        self.put(schema)
    }
}

/// Why [`put_checked`] did not put the schema, or the PUT failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum PutSchemaError {
    /// The checks found problems; nothing was sent.
    Check(SchemaCheckError),
    /// The PUT failed.
    Request(Error),
}

impl fmt::Display for PutSchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutSchemaError::Check(e) => write!(f, "schema not sent: {e}"),
            PutSchemaError::Request(e) => write!(f, "PUT schema failed: {e}"),
        }
    }
}

impl std::error::Error for PutSchemaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PutSchemaError::Check(e) => Some(e),
            PutSchemaError::Request(e) => Some(e),
        }
    }
}

/// Runs [`check`] and, if it passes, puts `schema` (replacing the whole schema).
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_sync::toolkit::schema_check::{put_checked, PutSchemaError};
/// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
/// let schema = job.schema().get().await?;
/// match put_checked(&job.schema(), &schema).await {
///     Err(PutSchemaError::Check(problems)) => eprintln!("{problems}"),
///     other => other?,
/// }
/// # Ok(()) }
/// ```
pub async fn put_checked(
    endpoint: &impl SchemaEndpoint,
    schema: &SynchronizationSchema,
) -> Result<(), PutSchemaError> {
    put_checked_with(endpoint, schema, &Checks::new()).await
}

/// [`put_checked`] with [`Checks`] of your own.
pub async fn put_checked_with(
    endpoint: &impl SchemaEndpoint,
    schema: &SynchronizationSchema,
    checks: &Checks,
) -> Result<(), PutSchemaError> {
    checks.check(schema).map_err(PutSchemaError::Check)?;
    endpoint
        .put_schema(schema)
        .await
        .map_err(PutSchemaError::Request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(mappings: serde_json::Value) -> SynchronizationSchema {
        serde_json::from_value(json!({
            "directories": [
                {"name": "AAD", "objects": [{"name": "User", "attributes": [{"name": "mail"}, {"name": "objectId"}, {"name": "IsSoftDeleted"}]}]},
                {"name": "App", "objects": [{"name": "User", "attributes": [{"name": "userName"}, {"name": "active"}, {"name": "externalId"}]}]}],
            "synchronizationRules": [{"id": "r#V2", "sourceDirectoryName": "AAD", "targetDirectoryName": "App",
                "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": mappings}]}]
        }))
        .unwrap()
    }

    fn kinds(s: &SynchronizationSchema) -> Vec<ProblemKind> {
        match check(s) {
            Ok(()) => Vec::new(),
            Err(e) => e.problems().iter().map(|p| p.kind).collect(),
        }
    }

    #[test]
    fn a_good_schema_passes_and_the_docs_schema_passes() {
        let s = schema(json!([
            {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"type": "Attribute", "name": "mail", "expression": "[mail]"}},
            {"targetAttributeName": "externalId", "matchingPriority": 2, "source": {"type": "Attribute", "name": "objectId"}},
            {"targetAttributeName": "active", "source": {"type": "Function", "name": "Not", "expression": "Not([IsSoftDeleted])",
                "parameters": [{"key": "source", "value": {"type": "Attribute", "name": "IsSoftDeleted"}}]}}
        ]));
        assert_eq!(kinds(&s), []);
        let docs: SynchronizationSchema =
            serde_json::from_str(include_str!("testdata/schema.json")).unwrap();
        assert_eq!(kinds(&docs), []);
    }

    #[test]
    fn each_rule_is_located() {
        let s = schema(json!([
            {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"type": "Attribute", "name": "mail"}},
            {"targetAttributeName": "USERNAME", "source": {"type": "Attribute", "name": "mail"}},
            {"targetAttributeName": "active", "matchingPriority": 1, "source": {"type": "Constant", "name": "x"}},
            {"targetAttributeName": "externalId", "source": {"type": "Function", "expression": "Frobnicate([objectId])"}},
            {"targetAttributeName": "nickName", "source": {"type": "Attribute", "name": "mailNickname"}},
            {"source": {"type": "Attribute", "name": "mail"}},
            {"targetAttributeName": "active", "source": {"type": "Function", "name": "Nope",
                "parameters": [{"key": "s", "value": {"type": "Attribute", "name": "ghost"}}]}}
        ]));
        let err = check(&s).unwrap_err();
        let shown: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "rule `r#V2`, object mapping `User → User`, attribute `USERNAME`: target attribute `USERNAME` is mapped 2 times; map it at most once",
                "rule `r#V2`, object mapping `User → User`, attribute `active`: matching priority 1 is also used by `userName`; give each matching attribute its own priority",
                "rule `r#V2`, object mapping `User → User`, attribute `active`: a matching attribute takes a constant, so it cannot match objects",
                "rule `r#V2`, object mapping `User → User`, attribute `externalId`: expression `Frobnicate([objectId])` calls `Frobnicate`, which is not a documented function",
                "rule `r#V2`, object mapping `User → User`, attribute `nickName`: target attribute `nickName` is not defined on object `User` of directory `App`; add it to the directory schema first",
                "rule `r#V2`, object mapping `User → User`, attribute `nickName`: source attribute `mailNickname` is not defined on object `User` of directory `AAD`",
                "rule `r#V2`, object mapping `User → User`: an attribute mapping has no targetAttributeName",
                "rule `r#V2`, object mapping `User → User`, attribute `active`: target attribute `active` is mapped 2 times; map it at most once",
                "rule `r#V2`, object mapping `User → User`, attribute `active`: the source calls `Nope`, which is not a documented function",
            ]
        );
        assert!(
            err.to_string()
                .starts_with("the schema has 9 problems:\n- rule `r#V2`")
        );
    }

    #[test]
    fn a_large_schema_is_checked_and_diffed_in_one_pass() {
        // 20,000 mappings on objects of 20,000 attributes: linear work, not 400 million comparisons.
        let n = 20_000;
        let attrs: Vec<serde_json::Value> =
            (0..n).map(|i| json!({"name": format!("a{i}")})).collect();
        let mut mappings: Vec<serde_json::Value> = (0..n)
            .map(|i| json!({"targetAttributeName": format!("a{i}"), "source": {"type": "Attribute", "name": format!("A{i}")}}))
            .collect();
        mappings.push(
            json!({"targetAttributeName": "A7", "source": {"type": "Attribute", "name": "a7"}}),
        );
        let s: SynchronizationSchema = serde_json::from_value(json!({
            "directories": [{"name": "S", "objects": [{"name": "O", "attributes": attrs}]},
                            {"name": "T", "objects": [{"name": "O", "attributes": attrs}]}],
            "synchronizationRules": [{"name": "R", "sourceDirectoryName": "S", "targetDirectoryName": "T",
                "objectMappings": [{"sourceObjectName": "O", "targetObjectName": "O", "attributeMappings": mappings}]}]}))
        .unwrap();
        let problems = check(&s).unwrap_err();
        assert_eq!(problems.problems().len(), 1);
        assert_eq!(problems.problems()[0].attribute.as_deref(), Some("A7"));
        let mut t = s.clone();
        t.object_mapping_mut("O", "O")
            .unwrap()
            .remove_attribute_mapping("a19999");
        let changes = crate::toolkit::schema_diff::diff(&s, &t);
        assert_eq!(changes.len(), 1, "{changes:?}");
    }

    #[test]
    fn unknown_directories_and_objects() {
        let s: SynchronizationSchema = serde_json::from_value(json!({
            "directories": [{"name": "AAD", "objects": [{"name": "User"}]}],
            "synchronizationRules": [{"name": "R", "sourceDirectoryName": "AAD", "targetDirectoryName": "Gone",
                "objectMappings": [{"sourceObjectName": "Group", "targetObjectName": "Group", "attributeMappings": [
                    {"targetAttributeName": "x", "source": {"type": "Attribute", "name": "y"}}]}]}]})).unwrap();
        assert_eq!(
            kinds(&s),
            [ProblemKind::UnknownDirectory, ProblemKind::UnknownObject]
        );
    }

    #[test]
    fn expressions() {
        for ok in [
            "[mail]",
            r#"Replace([preferredLanguage], "-", , , "_", ,  )"#,
            r#"IIF([country]="USA", "US", "Other")"#,
            r#"Left([givenName], 1)"#,
            r#"Append("Company: \"Contoso\" \\", [x])"#,
            "Not([IsSoftDeleted])",
            "DefaultDomain()",
        ] {
            assert!(parse_expression(ok).is_ok(), "{ok}");
        }
        for (bad, pos, msg) in [
            ("", 0, "the expression is empty"),
            ("ToLower([mail]", 7, "`(` is never closed"),
            ("ToLower([mail]))", 15, "`)` without a matching `(`"),
            ("([a])", 0, "`(` must follow a function name"),
            ("Join(\"x, [a])", 5, "string constant `\"` is never closed"),
            (
                "Join(\"x\", [a[b]])",
                10,
                "attribute reference `[` is never closed with `]`",
            ),
            ("a]", 1, "`]` without a matching `[`"),
            ("F([ ])", 2, "empty attribute reference `[]`"),
            ("F(\"\\", 2, "string constant `\"` is never closed"),
        ] {
            let e = parse_expression(bad).unwrap_err();
            assert_eq!((e.position, e.message.as_str()), (pos, msg), "{bad}");
        }
        // Hostile input: deep nesting is fine (no recursion), any text is answered.
        let deep = format!("{}[a]{}", "F(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(parse_expression(&deep).unwrap().functions.len(), 100_000);
    }
}
