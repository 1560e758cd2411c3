//! Finding and editing parts of a synchronization schema without touching the rest.
//!
//! `PUT …/schema` replaces the whole schema, so the safe way to change one mapping is to read the
//! schema, change that mapping in place, check it ([`check`](super::schema_check)), and put it
//! back: every other rule, mapping, directory and unknown property goes back as it was read.
//!
//! Names (directories, objects, attributes) are compared ignoring ASCII case, as the service does.
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_sync::toolkit::schema_check::put_checked;
//! use msgraph_sync::toolkit::schema_diff::diff;
//! use msgraph_sync::toolkit::schema_edit::MappingSource;
//!
//! let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
//! let before = job.schema().get().await?;
//! let mut schema = before.clone();
//! let users = schema.object_mapping_mut("User", "User")?;
//! users.map_attribute("timezone", MappingSource::attribute("extensionAttribute11"));
//! users.map_attribute("department", MappingSource::expression(r#"ToUpper([department])"#));
//! for change in diff(&before, &schema) {
//!     println!("{change}");
//! }
//! put_checked(&job.schema(), &schema).await?; // refuses, naming rule/object/attribute, if a check fails
//! # Ok(()) }
//! ```

use std::fmt;

use crate::runtime::Nullable;
use crate::{
    AttributeDefinition, AttributeFlowBehavior, AttributeFlowType, AttributeMapping,
    AttributeMappingSource, AttributeMappingSourceType, DirectoryDefinition, Filter,
    ObjectDefinition, ObjectMapping, SynchronizationRule, SynchronizationSchema,
};

pub(crate) fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub(crate) fn name_is(name: &Nullable<String>, wanted: &str) -> bool {
    name.as_ref().is_some_and(|n| eq(n, wanted))
}

pub(crate) fn items<T>(list: &Nullable<Vec<T>>) -> &[T] {
    list.as_ref().map_or(&[][..], Vec::as_slice)
}

/// A list to push to: an absent or `null` list becomes an empty one.
fn items_mut<T>(list: &mut Nullable<Vec<T>>) -> &mut Vec<T> {
    if !list.is_value() {
        *list = Nullable::Value(Vec::new());
    }
    match list {
        Nullable::Value(v) => v,
        _ => unreachable!("set to a value above"),
    }
}

pub(crate) fn text(n: &Nullable<String>) -> &str {
    n.as_ref().map_or("", String::as_str)
}

/// Finders on a schema.
impl SynchronizationSchema {
    /// The rules.
    pub fn rules(&self) -> &[SynchronizationRule] {
        items(&self.synchronization_rules)
    }

    /// The directory definitions.
    pub fn directory_definitions(&self) -> &[DirectoryDefinition] {
        items(&self.directories)
    }

    /// The rule that synchronizes `source_directory` to `target_directory`
    /// (`sourceDirectoryName`/`targetDirectoryName`).
    ///
    /// ```
    /// # use msgraph_sync::SynchronizationSchema;
    /// let schema: SynchronizationSchema = serde_json::from_value(serde_json::json!({"synchronizationRules": [
    ///     {"id": "r1", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "salesforce.com"}]})).unwrap();
    /// assert_eq!(schema.rule_between("azure active directory", "Salesforce.com").unwrap().id.as_ref().unwrap(), "r1");
    /// assert!(schema.rule_between("salesforce.com", "Azure Active Directory").is_none());
    /// ```
    pub fn rule_between(
        &self,
        source_directory: &str,
        target_directory: &str,
    ) -> Option<&SynchronizationRule> {
        self.rules().iter().find(|r| {
            name_is(&r.source_directory_name, source_directory)
                && name_is(&r.target_directory_name, target_directory)
        })
    }

    /// [`rule_between`](Self::rule_between), for editing.
    pub fn rule_between_mut(
        &mut self,
        source_directory: &str,
        target_directory: &str,
    ) -> Option<&mut SynchronizationRule> {
        self.synchronization_rules.as_mut()?.iter_mut().find(|r| {
            name_is(&r.source_directory_name, source_directory)
                && name_is(&r.target_directory_name, target_directory)
        })
    }

    /// The rule with this id (exactly, e.g. `…#V2`).
    pub fn rule_by_id(&self, id: &str) -> Option<&SynchronizationRule> {
        self.rules()
            .iter()
            .find(|r| r.id.as_ref().is_some_and(|i| i == id))
    }

    /// The one object mapping, across all rules, from `source_object` to `target_object`; an
    /// error names what exists when there is none, and the rules when there are several (then
    /// go through [`rule_between`](Self::rule_between)).
    ///
    /// ```
    /// # use msgraph_sync::SynchronizationSchema;
    /// let schema: SynchronizationSchema = serde_json::from_value(serde_json::json!({"synchronizationRules": [
    ///     {"name": "USER_TO_USER", "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User"}]}]})).unwrap();
    /// assert!(schema.object_mapping("user", "User").is_ok());
    /// let err = schema.object_mapping("Group", "Group").unwrap_err();
    /// assert_eq!(err.to_string(), "no object mapping from `Group` to `Group`; the schema maps: rule `USER_TO_USER`: User → User");
    /// ```
    pub fn object_mapping(
        &self,
        source_object: &str,
        target_object: &str,
    ) -> Result<&ObjectMapping, SchemaEditError> {
        let found: Vec<(&SynchronizationRule, &ObjectMapping)> = self
            .rules()
            .iter()
            .flat_map(|r| r.object_mappings_slice().iter().map(move |m| (r, m)))
            .filter(|(_, m)| m.maps(source_object, target_object))
            .collect();
        match found.as_slice() {
            [(_, m)] => Ok(m),
            _ => Err(self.object_mapping_error(
                source_object,
                target_object,
                found.iter().map(|(r, _)| *r),
            )),
        }
    }

    /// [`object_mapping`](Self::object_mapping), for editing.
    pub fn object_mapping_mut(
        &mut self,
        source_object: &str,
        target_object: &str,
    ) -> Result<&mut ObjectMapping, SchemaEditError> {
        // Locate first (immutably) so the error can list what exists.
        let count = self
            .rules()
            .iter()
            .flat_map(|r| r.object_mappings_slice())
            .filter(|m| m.maps(source_object, target_object))
            .count();
        if count != 1 {
            return Err(self.object_mapping_error(
                source_object,
                target_object,
                self.rules().iter().filter(|r| {
                    r.object_mappings_slice()
                        .iter()
                        .any(|m| m.maps(source_object, target_object))
                }),
            ));
        }
        self.synchronization_rules
            .as_mut()
            .into_iter()
            .flatten()
            .flat_map(|r| r.object_mappings.as_mut().into_iter().flatten())
            .find(|m| m.maps(source_object, target_object))
            .ok_or_else(|| SchemaEditError::NoObjectMapping {
                source_object: source_object.to_owned(),
                target_object: target_object.to_owned(),
                available: Vec::new(),
            })
    }

    fn object_mapping_error<'a>(
        &self,
        source_object: &str,
        target_object: &str,
        rules: impl Iterator<Item = &'a SynchronizationRule>,
    ) -> SchemaEditError {
        let rules: Vec<String> = rules.map(|r| r.label()).collect();
        if rules.len() > 1 {
            return SchemaEditError::AmbiguousObjectMapping {
                source_object: source_object.to_owned(),
                target_object: target_object.to_owned(),
                rules,
            };
        }
        SchemaEditError::NoObjectMapping {
            source_object: source_object.to_owned(),
            target_object: target_object.to_owned(),
            available: self
                .rules()
                .iter()
                .flat_map(|r| {
                    r.object_mappings_slice().iter().map(move |m| {
                        format!(
                            "rule `{}`: {} → {}",
                            r.label(),
                            text(&m.source_object_name),
                            text(&m.target_object_name)
                        )
                    })
                })
                .collect(),
        }
    }

    /// The directory definition named `name`.
    pub fn directory(&self, name: &str) -> Option<&DirectoryDefinition> {
        self.directory_definitions()
            .iter()
            .find(|d| name_is(&d.name, name))
    }

    /// The directory definition named `name`, for editing.
    pub fn directory_mut(&mut self, name: &str) -> Option<&mut DirectoryDefinition> {
        self.directories
            .as_mut()?
            .iter_mut()
            .find(|d| name_is(&d.name, name))
    }

    /// The definition of object `object` in directory `directory`, with its attributes.
    ///
    /// ```
    /// # use msgraph_sync::SynchronizationSchema;
    /// let schema: SynchronizationSchema = serde_json::from_value(serde_json::json!({"directories": [{"name": "salesforce.com",
    ///     "objects": [{"name": "User", "attributes": [{"name": "IsActive", "type": "Boolean"}]}]}]})).unwrap();
    /// let user = schema.object_definition("salesforce.com", "User").unwrap();
    /// assert!(user.attribute("isactive").is_some());
    /// ```
    pub fn object_definition(&self, directory: &str, object: &str) -> Option<&ObjectDefinition> {
        self.directory(directory)?.object(object)
    }
}

impl SynchronizationRule {
    fn object_mappings_slice(&self) -> &[ObjectMapping] {
        items(&self.object_mappings)
    }

    /// `name` (or the id, when it has no name), for messages.
    pub(crate) fn label(&self) -> String {
        match (self.name.as_ref(), self.id.as_ref()) {
            (Some(name), _) if !name.is_empty() => name.clone(),
            (_, Some(id)) => id.clone(),
            _ => "<unnamed>".to_owned(),
        }
    }

    /// The object mapping in this rule from `source_object` to `target_object`.
    pub fn object_mapping(
        &self,
        source_object: &str,
        target_object: &str,
    ) -> Option<&ObjectMapping> {
        self.object_mappings_slice()
            .iter()
            .find(|m| m.maps(source_object, target_object))
    }

    /// The object mapping in this rule from `source_object` to `target_object`, for editing.
    pub fn object_mapping_mut(
        &mut self,
        source_object: &str,
        target_object: &str,
    ) -> Option<&mut ObjectMapping> {
        self.object_mappings
            .as_mut()?
            .iter_mut()
            .find(|m| m.maps(source_object, target_object))
    }
}

impl DirectoryDefinition {
    /// The object definition named `name`.
    pub fn object(&self, name: &str) -> Option<&ObjectDefinition> {
        items(&self.objects).iter().find(|o| name_is(&o.name, name))
    }

    /// The object definition named `name`, for editing.
    pub fn object_mut(&mut self, name: &str) -> Option<&mut ObjectDefinition> {
        self.objects
            .as_mut()?
            .iter_mut()
            .find(|o| name_is(&o.name, name))
    }
}

impl ObjectDefinition {
    /// The attributes.
    pub fn attribute_definitions(&self) -> &[AttributeDefinition] {
        items(&self.attributes)
    }

    /// The attribute named `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDefinition> {
        self.attribute_definitions()
            .iter()
            .find(|a| name_is(&a.name, name))
    }

    /// Adds `attribute`, or replaces the one with the same name (keeping its position). Returns the
    /// replaced one.
    ///
    /// ```
    /// # use msgraph_sync::{AttributeDefinition, ObjectDefinition};
    /// let mut user = ObjectDefinition::default();
    /// let custom = AttributeDefinition { name: "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute".to_owned().into(), ..Default::default() };
    /// assert!(user.put_attribute(custom).is_none());
    /// assert_eq!(user.attribute_definitions().len(), 1);
    /// ```
    pub fn put_attribute(&mut self, attribute: AttributeDefinition) -> Option<AttributeDefinition> {
        let name = text(&attribute.name).to_owned();
        let list = items_mut(&mut self.attributes);
        match list.iter_mut().find(|a| name_is(&a.name, &name)) {
            Some(slot) => Some(std::mem::replace(slot, attribute)),
            None => {
                list.push(attribute);
                None
            }
        }
    }
}

/// Where a mapped value comes from: an attribute, a constant, or an expression.
///
/// ```
/// use msgraph_sync::toolkit::schema_edit::MappingSource;
/// let source = MappingSource::constant(r#"Say "hi""#).to_model();
/// assert_eq!(source.expression.as_ref().unwrap(), r#""Say \"hi\"""#);
/// let source = MappingSource::expression("Join(\" \", [givenName], [surname])").to_model();
/// assert_eq!(source.name.as_ref().unwrap(), "Join");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingSource {
    /// The value of a source attribute (`[name]`).
    Attribute(String),
    /// A constant string.
    Constant(String),
    /// An expression in the attribute-mapping expression language, e.g.
    /// `Join(" ", [givenName], [surname])`. The service parses it on PUT; check it first with the
    /// schema's `parseExpression` when in doubt.
    Expression(String),
}

impl MappingSource {
    /// The source attribute `name`.
    pub fn attribute(name: impl Into<String>) -> Self {
        Self::Attribute(name.into())
    }

    /// The constant `value`.
    pub fn constant(value: impl Into<String>) -> Self {
        Self::Constant(value.into())
    }

    /// The expression `text`.
    pub fn expression(text: impl Into<String>) -> Self {
        Self::Expression(text.into())
    }

    /// The `attributeMappingSource` sent to the service.
    pub fn to_model(&self) -> AttributeMappingSource {
        let (expression, name, kind) = match self {
            MappingSource::Attribute(name) => (
                format!("[{name}]"),
                name.clone(),
                AttributeMappingSourceType::Attribute,
            ),
            MappingSource::Constant(value) => (
                quote(value),
                value.clone(),
                AttributeMappingSourceType::Constant,
            ),
            MappingSource::Expression(text) => {
                let trimmed = text.trim();
                let name = trimmed.split('(').next().unwrap_or("").trim();
                if trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed[1..].contains('[')
                {
                    // A bare attribute reference written as an expression.
                    let attr = &trimmed[1..trimmed.len() - 1];
                    (
                        trimmed.to_owned(),
                        attr.to_owned(),
                        AttributeMappingSourceType::Attribute,
                    )
                } else {
                    (
                        trimmed.to_owned(),
                        name.to_owned(),
                        AttributeMappingSourceType::Function,
                    )
                }
            }
        };
        AttributeMappingSource {
            expression: Nullable::Value(expression),
            name: Nullable::Value(name),
            parameters: Nullable::Value(Vec::new()),
            type_: Some(kind),
            ..Default::default()
        }
    }
}

/// `value` as an expression-language string constant: in double quotes, `\` and `"` escaped with
/// a backslash.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Edits of one object mapping.
impl ObjectMapping {
    /// Whether this maps `source_object` to `target_object`.
    pub fn maps(&self, source_object: &str, target_object: &str) -> bool {
        name_is(&self.source_object_name, source_object)
            && name_is(&self.target_object_name, target_object)
    }

    /// The attribute mappings.
    pub fn attribute_mapping_list(&self) -> &[AttributeMapping] {
        items(&self.attribute_mappings)
    }

    /// The mapping of target attribute `target_attribute`.
    pub fn attribute_mapping(&self, target_attribute: &str) -> Option<&AttributeMapping> {
        self.attribute_mapping_list()
            .iter()
            .find(|m| name_is(&m.target_attribute_name, target_attribute))
    }

    /// The mapping of target attribute `target_attribute`, for editing.
    pub fn attribute_mapping_mut(
        &mut self,
        target_attribute: &str,
    ) -> Option<&mut AttributeMapping> {
        self.attribute_mappings
            .as_mut()?
            .iter_mut()
            .find(|m| name_is(&m.target_attribute_name, target_attribute))
    }

    /// Maps `target_attribute` from `source`. An existing mapping of that attribute gets the new
    /// source (unless it already has this expression: then its parsed form stays) and keeps
    /// everything else (flow type, matching priority, default value, unknown properties); otherwise a mapping is added with the documented defaults (`FlowWhenChanged`,
    /// `Always`, not a matching attribute). Returns the mapping for further changes.
    ///
    /// ```
    /// use msgraph_sync::toolkit::schema_edit::MappingSource;
    /// use msgraph_sync::{AttributeFlowType, ObjectMapping};
    /// let mut users: ObjectMapping = serde_json::from_value(serde_json::json!({"attributeMappings": [
    ///     {"targetAttributeName": "mail", "flowType": "ObjectAddOnly", "futureProperty": 1,
    ///      "source": {"type": "Attribute", "name": "mail", "expression": "[mail]"}}]})).unwrap();
    /// users.map_attribute("mail", MappingSource::attribute("userPrincipalName"));
    /// users.map_attribute("timezone", MappingSource::attribute("extensionAttribute11")).flow_type = Some(AttributeFlowType::Always);
    /// let json = serde_json::to_value(&users).unwrap();
    /// assert_eq!(json["attributeMappings"][0]["source"]["expression"], "[userPrincipalName]");
    /// assert_eq!(json["attributeMappings"][0]["flowType"], "ObjectAddOnly");
    /// assert_eq!(json["attributeMappings"][0]["futureProperty"], 1);
    /// assert_eq!(json["attributeMappings"][1]["targetAttributeName"], "timezone");
    /// ```
    pub fn map_attribute(
        &mut self,
        target_attribute: &str,
        source: MappingSource,
    ) -> &mut AttributeMapping {
        let list = items_mut(&mut self.attribute_mappings);
        let index = match list
            .iter()
            .position(|m| name_is(&m.target_attribute_name, target_attribute))
        {
            Some(i) => {
                // The same expression keeps the parsed form the service returned.
                let new = source.to_model();
                let same = list[i].source.as_ref().is_some_and(|old| {
                    old.type_ == new.type_
                        && old.expression.as_ref().map(|e| e.trim())
                            == new.expression.as_ref().map(|e| e.trim())
                });
                if !same {
                    list[i].source = Nullable::Value(new);
                }
                i
            }
            None => {
                list.push(AttributeMapping {
                    default_value: Nullable::Null,
                    export_missing_references: Some(false),
                    flow_behavior: Some(AttributeFlowBehavior::FlowWhenChanged),
                    flow_type: Some(AttributeFlowType::Always),
                    matching_priority: Some(0),
                    source: Nullable::Value(source.to_model()),
                    target_attribute_name: Nullable::Value(target_attribute.to_owned()),
                    ..Default::default()
                });
                list.len() - 1
            }
        };
        &mut list[index]
    }

    /// Adds `mapping`, or replaces the whole mapping of the same target attribute (keeping its
    /// position). Returns the replaced one.
    pub fn put_attribute_mapping(&mut self, mapping: AttributeMapping) -> Option<AttributeMapping> {
        let target = text(&mapping.target_attribute_name).to_owned();
        let list = items_mut(&mut self.attribute_mappings);
        match list
            .iter_mut()
            .find(|m| name_is(&m.target_attribute_name, &target))
        {
            Some(slot) => Some(std::mem::replace(slot, mapping)),
            None => {
                list.push(mapping);
                None
            }
        }
    }

    /// Removes the mapping of `target_attribute` and returns it.
    pub fn remove_attribute_mapping(&mut self, target_attribute: &str) -> Option<AttributeMapping> {
        let list = self.attribute_mappings.as_mut()?;
        let i = list
            .iter()
            .position(|m| name_is(&m.target_attribute_name, target_attribute))?;
        Some(list.remove(i))
    }

    /// Sets the matching priority of the mapping of `target_attribute`: `0` makes it an ordinary
    /// mapping, `1`, `2`, … a matching attribute tried in that order.
    ///
    /// ```
    /// # use msgraph_sync::ObjectMapping;
    /// let mut users: ObjectMapping = serde_json::from_value(serde_json::json!({"name": "Users",
    ///     "attributeMappings": [{"targetAttributeName": "userName", "matchingPriority": 0}]})).unwrap();
    /// users.set_matching_priority("userName", 1).unwrap();
    /// assert_eq!(users.attribute_mapping("userName").unwrap().matching_priority, Some(1));
    /// assert_eq!(users.set_matching_priority("email", 2).unwrap_err().to_string(),
    ///     "object mapping `Users` has no mapping of target attribute `email`");
    /// ```
    pub fn set_matching_priority(
        &mut self,
        target_attribute: &str,
        priority: i32,
    ) -> Result<(), SchemaEditError> {
        let label = self.label();
        match self.attribute_mapping_mut(target_attribute) {
            Some(m) => {
                m.matching_priority = Some(priority.max(0));
                Ok(())
            }
            None => Err(SchemaEditError::NoAttributeMapping {
                object_mapping: label,
                target_attribute: target_attribute.to_owned(),
            }),
        }
    }

    /// Sets the scoping filter (`None` clears it: every object is in scope).
    ///
    /// ```
    /// use msgraph_sync::toolkit::schema_edit::scoping;
    /// # let mut users = msgraph_sync::ObjectMapping::default();
    /// users.set_scope(Some(scoping::filter([scoping::group("Sales", [
    ///     scoping::clause("department", "EQUALS", ["Sales"]),
    ///     scoping::clause("accountEnabled", "IS TRUE", Vec::<String>::new()),
    /// ])])));
    /// let json = serde_json::to_value(&users).unwrap();
    /// assert_eq!(json["scope"]["groups"][0]["clauses"][0]["targetOperand"]["values"][0], "Sales");
    /// ```
    pub fn set_scope(&mut self, scope: Option<Filter>) {
        self.scope = match scope {
            Some(f) => Nullable::Value(f),
            None => Nullable::Null,
        };
    }

    /// `name`, or `source → target`, for messages.
    pub(crate) fn label(&self) -> String {
        match self.name.as_ref() {
            Some(name) if !name.is_empty() => name.clone(),
            _ => format!(
                "{} → {}",
                text(&self.source_object_name),
                text(&self.target_object_name)
            ),
        }
    }
}

/// Builders for scoping filters: a filter is true when any of its groups is; a group is true when
/// all of its clauses are.
pub mod scoping {
    use crate::runtime::Nullable;
    use crate::{Filter, FilterClause, FilterGroup, FilterOperand};

    /// A clause: `source_attribute operator values`, e.g. `("department", "EQUALS", ["Sales"])`.
    /// Operators are the schema's filter operators (`EQUALS`, `NOT EQUALS`, `IS TRUE`, `IS NULL`,
    /// `REGEX MATCH`, …; see the schema's `filterOperators`).
    pub fn clause<I, S>(source_attribute: &str, operator: &str, values: I) -> FilterClause
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        FilterClause {
            operator_name: Nullable::Value(operator.to_owned()),
            source_operand_name: Nullable::Value(source_attribute.to_owned()),
            target_operand: Nullable::Value(FilterOperand {
                values: Nullable::Value(values.into_iter().map(Into::into).collect()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// A group of clauses that must all hold.
    pub fn group(name: &str, clauses: impl IntoIterator<Item = FilterClause>) -> FilterGroup {
        FilterGroup {
            clauses: Nullable::Value(clauses.into_iter().collect()),
            name: Nullable::Value(name.to_owned()),
            ..Default::default()
        }
    }

    /// A filter of groups, any of which admits an object.
    pub fn filter(groups: impl IntoIterator<Item = FilterGroup>) -> Filter {
        Filter {
            groups: Nullable::Value(groups.into_iter().collect()),
            ..Default::default()
        }
    }
}

/// An edit that could not be made, naming what was looked for and what exists.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaEditError {
    /// No object mapping maps these objects.
    NoObjectMapping {
        /// The source object looked for.
        source_object: String,
        /// The target object looked for.
        target_object: String,
        /// The object mappings the schema has (`rule `name`: source → target`).
        available: Vec<String>,
    },
    /// Several rules map these objects; pick the rule with
    /// [`rule_between_mut`](SynchronizationSchema::rule_between_mut).
    AmbiguousObjectMapping {
        /// The source object looked for.
        source_object: String,
        /// The target object looked for.
        target_object: String,
        /// The rules that map them.
        rules: Vec<String>,
    },
    /// The object mapping has no mapping of this target attribute.
    NoAttributeMapping {
        /// The object mapping (its name, or `source → target`).
        object_mapping: String,
        /// The target attribute looked for.
        target_attribute: String,
    },
}

impl fmt::Display for SchemaEditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaEditError::NoObjectMapping {
                source_object,
                target_object,
                available,
            } => {
                write!(
                    f,
                    "no object mapping from `{source_object}` to `{target_object}`"
                )?;
                if available.is_empty() {
                    f.write_str("; the schema has no object mappings")
                } else {
                    write!(f, "; the schema maps: {}", available.join(", "))
                }
            }
            SchemaEditError::AmbiguousObjectMapping {
                source_object,
                target_object,
                rules,
            } => write!(
                f,
                "several rules map `{source_object}` to `{target_object}` ({}); choose one with rule_between_mut",
                rules.join(", ")
            ),
            SchemaEditError::NoAttributeMapping {
                object_mapping,
                target_attribute,
            } => write!(
                f,
                "object mapping `{object_mapping}` has no mapping of target attribute `{target_attribute}`"
            ),
        }
    }
}

impl std::error::Error for SchemaEditError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The docs' realistic schema (inventory 5.4) with two unknown properties added.
    fn schema() -> SynchronizationSchema {
        serde_json::from_str(include_str!("testdata/schema.json")).unwrap()
    }

    #[test]
    fn finders() {
        let s = schema();
        let rule = s.rule_between("Azure Active Directory", "salesforce.com");
        // The docs' rule has no directory names; found by id instead.
        assert!(rule.is_none());
        let rule = s
            .rule_by_id("4c5ecfa1-a072-4460-b1c3-4adde3479854")
            .unwrap();
        assert_eq!(rule.label(), "USER_OUTBOUND_USER");
        let users = rule.object_mapping("user", "USER").unwrap();
        let active = users.attribute_mapping("isactive").unwrap();
        assert_eq!(
            active.source.as_ref().unwrap().expression.as_ref().unwrap(),
            "Not([IsSoftDeleted])"
        );
        assert!(s.object_mapping("User", "User").is_ok());
        let aad = s.directory("azure active directory").unwrap();
        assert!(
            aad.object("User")
                .unwrap()
                .attribute("streetAddress")
                .is_some()
        );
        assert!(s.object_definition("salesforce.com", "User").is_none());
    }

    #[test]
    fn edits_leave_everything_else_as_read() {
        let before = schema();
        let mut s = before.clone();
        let users = s.object_mapping_mut("User", "User").unwrap();
        users.map_attribute("timezone", MappingSource::attribute("extensionAttribute11"));
        users.map_attribute("IsActive", MappingSource::constant("True"));
        users.set_matching_priority("timezone", 1).unwrap();
        users.set_scope(Some(scoping::filter([scoping::group(
            "g",
            [scoping::clause("a", "IS TRUE", [""; 0])],
        )])));
        let mut after = serde_json::to_value(&s).unwrap();
        let before_json = serde_json::to_value(&before).unwrap();
        // Exactly the edited parts differ.
        let mapping = &mut after["synchronizationRules"][0]["objectMappings"][0];
        assert_eq!(
            mapping["attributeMappings"][1],
            json!({
            "defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged",
            "flowType": "Always", "matchingPriority": 1, "targetAttributeName": "timezone",
            "source": {"expression": "[extensionAttribute11]", "name": "extensionAttribute11", "parameters": [], "type": "Attribute"}})
        );
        assert_eq!(
            mapping["attributeMappings"][0]["source"],
            json!({"expression": "\"True\"", "name": "True", "parameters": [], "type": "Constant"})
        );
        assert_eq!(mapping["attributeMappings"][0]["defaultValue"], "True");
        mapping["attributeMappings"] = before_json["synchronizationRules"][0]["objectMappings"][0]
            ["attributeMappings"]
            .clone();
        mapping["scope"] = json!(null);
        assert_eq!(after, before_json);
        assert_eq!(after["x-unknown"], json!({"kept": [1, 2.5, "x"]}));

        let users = s.object_mapping_mut("User", "User").unwrap();
        let removed = users.remove_attribute_mapping("TIMEZONE").unwrap();
        assert_eq!(removed.matching_priority, Some(1));
        assert!(users.remove_attribute_mapping("timezone").is_none());
        assert!(matches!(
            users.set_matching_priority("nope", 1),
            Err(SchemaEditError::NoAttributeMapping { .. })
        ));
    }

    #[test]
    fn ambiguous_and_missing_object_mappings_are_named() {
        let mut s: SynchronizationSchema = serde_json::from_value(json!({"synchronizationRules": [
            {"name": "A", "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User"}]},
            {"id": "b", "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User"}]}]})).unwrap();
        let e = s.object_mapping_mut("User", "User").unwrap_err();
        assert_eq!(
            e.to_string(),
            "several rules map `User` to `User` (A, b); choose one with rule_between_mut"
        );
        let e = s.object_mapping("Group", "Group").unwrap_err();
        assert_eq!(
            e.to_string(),
            "no object mapping from `Group` to `Group`; the schema maps: rule `A`: User → User, rule `b`: User → User"
        );
        assert!(
            SynchronizationSchema::default()
                .object_mapping_mut("User", "User")
                .unwrap_err()
                .to_string()
                .ends_with("the schema has no object mappings")
        );
    }

    #[test]
    fn mapping_the_same_expression_again_changes_nothing() {
        let before = schema();
        let mut s = before.clone();
        let users = s.object_mapping_mut("User", "User").unwrap();
        users.map_attribute(
            "IsActive",
            MappingSource::expression("Not([IsSoftDeleted])"),
        );
        assert_eq!(s, before);
        let users = s.object_mapping_mut("User", "User").unwrap();
        users.map_attribute(
            "IsActive",
            MappingSource::expression("Not([IsSoftDeleted]) "),
        );
        assert_eq!(s, before, "surrounding blanks do not count");
        let users = s.object_mapping_mut("User", "User").unwrap();
        users.map_attribute("IsActive", MappingSource::attribute("IsSoftDeleted"));
        assert_ne!(s, before);
    }

    #[test]
    fn sources() {
        assert_eq!(quote(r"a\b"), r#""a\\b""#);
        let bare = MappingSource::expression(" [mail] ").to_model();
        assert_eq!(bare.type_, Some(AttributeMappingSourceType::Attribute));
        assert_eq!(bare.name.as_ref().unwrap(), "mail");
        let f = MappingSource::expression("Join(\",\", [a], [b])").to_model();
        assert_eq!(f.type_, Some(AttributeMappingSourceType::Function));
    }
}
