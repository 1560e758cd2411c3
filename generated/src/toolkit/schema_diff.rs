//! A short, human-readable list of the changes between two schemas, for a review before
//! `PUT …/schema` or a log after it.
//!
//! Rules are matched by id (or name), object mappings by source and target object, attribute
//! mappings by target attribute, directories, objects and attributes by name (ignoring case).
//!
//! ```
//! use msgraph_sync::SynchronizationSchema;
//! use msgraph_sync::toolkit::schema_diff::diff;
//! use msgraph_sync::toolkit::schema_edit::MappingSource;
//!
//! let before: SynchronizationSchema = serde_json::from_value(serde_json::json!({"synchronizationRules": [{"name": "USERS",
//!     "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
//!         {"targetAttributeName": "mail", "source": {"type": "Attribute", "name": "mail", "expression": "[mail]"}}]}]}]})).unwrap();
//! let mut after = before.clone();
//! let users = after.object_mapping_mut("User", "User").unwrap();
//! users.map_attribute("mail", MappingSource::attribute("userPrincipalName"));
//! users.map_attribute("timezone", MappingSource::attribute("extensionAttribute11"));
//! let lines: Vec<String> = diff(&before, &after).iter().map(ToString::to_string).collect();
//! assert_eq!(lines, [
//!     "rule `USERS`, object mapping `User → User`: mapping of `mail`: source [mail] → [userPrincipalName]",
//!     "rule `USERS`, object mapping `User → User`: added mapping of `timezone` from [extensionAttribute11]",
//! ]);
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;

use super::schema_edit::{items, text};
use crate::runtime::Nullable;
use crate::{
    AttributeDefinition, AttributeMapping, AttributeMappingSource, AttributeMappingSourceType,
    DirectoryDefinition, Filter, ObjectDefinition, ObjectMapping, SynchronizationRule,
    SynchronizationSchema,
};

/// Where a change is: a rule and object mapping, or a directory and object.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Place {
    /// The schema itself.
    Schema,
    /// A rule (its name, or id).
    Rule(String),
    /// An object mapping in a rule.
    ObjectMapping {
        /// The rule.
        rule: String,
        /// The object mapping (its name, or `source → target`).
        mapping: String,
    },
    /// A directory.
    Directory(String),
    /// An object in a directory.
    Object {
        /// The directory.
        directory: String,
        /// The object.
        object: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Schema => f.write_str("schema"),
            Place::Rule(rule) => write!(f, "rule `{rule}`"),
            Place::ObjectMapping { rule, mapping } => {
                write!(f, "rule `{rule}`, object mapping `{mapping}`")
            }
            Place::Directory(d) => write!(f, "directory `{d}`"),
            Place::Object { directory, object } => {
                write!(f, "directory `{directory}`, object `{object}`")
            }
        }
    }
}

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// Something was added (a rule, object mapping, directory, object or attribute).
    Added,
    /// Something was removed.
    Removed,
    /// An attribute mapping was added: target attribute and source.
    MappingAdded {
        /// The target attribute.
        attribute: String,
        /// The source, as an expression.
        source: String,
    },
    /// An attribute mapping was removed.
    MappingRemoved {
        /// The target attribute.
        attribute: String,
        /// The source it had.
        source: String,
    },
    /// A property of an attribute mapping changed.
    MappingChanged {
        /// The target attribute.
        attribute: String,
        /// The property (`source`, `flowType`, `matching priority`, …).
        property: &'static str,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// The scoping filter of an object mapping changed.
    ScopingChanged {
        /// Before, summarized.
        old: String,
        /// After, summarized.
        new: String,
    },
    /// A property changed.
    PropertyChanged {
        /// The property.
        property: &'static str,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// Properties without a summary of their own changed (unknown ones, metadata, …).
    OtherPropertiesChanged,
}

/// One change between two schemas; `Display` is a line for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaChange {
    /// Where.
    pub place: Place,
    /// The thing added or removed (rule, object mapping, directory, object, attribute), for
    /// [`ChangeKind::Added`]/[`ChangeKind::Removed`].
    pub subject: Option<String>,
    /// What changed.
    pub kind: ChangeKind,
}

impl fmt::Display for SchemaChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        let subject = self.subject.as_deref().unwrap_or("");
        match &self.kind {
            ChangeKind::Added => write!(f, "added {subject}"),
            ChangeKind::Removed => write!(f, "removed {subject}"),
            ChangeKind::MappingAdded { attribute, source } => {
                write!(f, "added mapping of `{attribute}` from {source}")
            }
            ChangeKind::MappingRemoved { attribute, source } => {
                write!(f, "removed mapping of `{attribute}` (was from {source})")
            }
            ChangeKind::MappingChanged {
                attribute,
                property,
                old,
                new,
            } => write!(f, "mapping of `{attribute}`: {property} {old} → {new}"),
            ChangeKind::ScopingChanged { old, new } => write!(f, "scoping {old} → {new}"),
            ChangeKind::PropertyChanged { property, old, new } => {
                write!(f, "{property} {old} → {new}")
            }
            ChangeKind::OtherPropertiesChanged => f.write_str("other properties changed"),
        }
    }
}

/// The changes from `old` to `new`, in schema order: rules first, then directories.
pub fn diff(old: &SynchronizationSchema, new: &SynchronizationSchema) -> Vec<SchemaChange> {
    let mut out = Vec::new();
    let rule_key = |r: &SynchronizationRule| {
        r.id.as_ref()
            .filter(|id| !id.is_empty())
            .cloned()
            .unwrap_or_else(|| text(&r.name).to_owned())
    };
    for pair in pair_up(
        items(&old.synchronization_rules),
        items(&new.synchronization_rules),
        |r| rule_key(r).to_ascii_lowercase(),
    ) {
        match pair {
            Pair::Removed(r) => out.push(change(
                Place::Schema,
                Some(format!("rule `{}`", r.label())),
                ChangeKind::Removed,
            )),
            Pair::Added(r) => out.push(change(
                Place::Schema,
                Some(format!("rule `{}`", r.label())),
                ChangeKind::Added,
            )),
            Pair::Both(a, b) => diff_rule(a, b, &mut out),
        }
    }
    for pair in pair_up(items(&old.directories), items(&new.directories), |d| {
        name_key(&d.name)
    }) {
        match pair {
            Pair::Removed(d) => out.push(change(
                Place::Schema,
                Some(format!("directory `{}`", text(&d.name))),
                ChangeKind::Removed,
            )),
            Pair::Added(d) => out.push(change(
                Place::Schema,
                Some(format!("directory `{}`", text(&d.name))),
                ChangeKind::Added,
            )),
            Pair::Both(a, b) => diff_directory(a, b, &mut out),
        }
    }
    let strip = |s: &SynchronizationSchema| SynchronizationSchema {
        synchronization_rules: Nullable::Absent,
        directories: Nullable::Absent,
        ..s.clone()
    };
    if strip(old) != strip(new) {
        if old.version != new.version {
            out.push(change(
                Place::Schema,
                None,
                ChangeKind::PropertyChanged {
                    property: "version",
                    old: shown(&old.version),
                    new: shown(&new.version),
                },
            ));
        }
        let without_version = |s: &SynchronizationSchema| SynchronizationSchema {
            version: Nullable::Absent,
            ..strip(s)
        };
        if without_version(old) != without_version(new) {
            out.push(change(
                Place::Schema,
                None,
                ChangeKind::OtherPropertiesChanged,
            ));
        }
    }
    out
}

fn change(place: Place, subject: Option<String>, kind: ChangeKind) -> SchemaChange {
    SchemaChange {
        place,
        subject,
        kind,
    }
}

fn shown(n: &Nullable<String>) -> String {
    match n {
        Nullable::Value(v) => format!("`{v}`"),
        Nullable::Null => "null".to_owned(),
        Nullable::Absent => "(none)".to_owned(),
    }
}

enum Pair<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Both(&'a T, &'a T),
}

/// Pairs items of `old` and `new` by `same`, each used once: old items in order (paired or
/// removed), then the new items left (added).
fn pair_up<'a, T>(old: &'a [T], new: &'a [T], key: impl Fn(&T) -> String) -> Vec<Pair<'a, T>> {
    // The new items by key, each key's items in order; linear in the number of items.
    let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, b) in new.iter().enumerate() {
        by_key.entry(key(b)).or_default().push_back(i);
    }
    let mut used = vec![false; new.len()];
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    for a in old {
        match by_key.get_mut(&key(a)).and_then(VecDeque::pop_front) {
            Some(i) => {
                used[i] = true;
                out.push(Pair::Both(a, &new[i]));
            }
            None => out.push(Pair::Removed(a)),
        }
    }
    out.extend(
        new.iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(b, _)| Pair::Added(b)),
    );
    out
}

/// A name as a matching key (ASCII case ignored, as the service does).
fn name_key(name: &Nullable<String>) -> String {
    text(name).to_ascii_lowercase()
}

fn diff_rule(a: &SynchronizationRule, b: &SynchronizationRule, out: &mut Vec<SchemaChange>) {
    let rule = b.label();
    for pair in pair_up(items(&a.object_mappings), items(&b.object_mappings), |m| {
        let (source, target) = (
            name_key(&m.source_object_name),
            name_key(&m.target_object_name),
        );
        format!("{source}\u{0}{target}")
    }) {
        match pair {
            Pair::Removed(m) => out.push(change(
                Place::Rule(rule.clone()),
                Some(format!("object mapping `{}`", m.label())),
                ChangeKind::Removed,
            )),
            Pair::Added(m) => out.push(change(
                Place::Rule(rule.clone()),
                Some(format!("object mapping `{}`", m.label())),
                ChangeKind::Added,
            )),
            Pair::Both(x, y) => diff_object_mapping(&rule, x, y, out),
        }
    }
    let strip = |r: &SynchronizationRule| SynchronizationRule {
        object_mappings: Nullable::Absent,
        ..r.clone()
    };
    if strip(a) != strip(b) {
        out.push(change(
            Place::Rule(rule),
            None,
            ChangeKind::OtherPropertiesChanged,
        ));
    }
}

fn diff_object_mapping(
    rule: &str,
    a: &ObjectMapping,
    b: &ObjectMapping,
    out: &mut Vec<SchemaChange>,
) {
    let place = Place::ObjectMapping {
        rule: rule.to_owned(),
        mapping: b.label(),
    };
    for pair in pair_up(
        items(&a.attribute_mappings),
        items(&b.attribute_mappings),
        |m| name_key(&m.target_attribute_name),
    ) {
        match pair {
            Pair::Removed(m) => out.push(change(
                place.clone(),
                None,
                ChangeKind::MappingRemoved {
                    attribute: text(&m.target_attribute_name).to_owned(),
                    source: describe_source(m.source.as_ref()),
                },
            )),
            Pair::Added(m) => out.push(change(
                place.clone(),
                None,
                ChangeKind::MappingAdded {
                    attribute: text(&m.target_attribute_name).to_owned(),
                    source: describe_source(m.source.as_ref()),
                },
            )),
            Pair::Both(x, y) => diff_attribute_mapping(&place, x, y, out),
        }
    }
    if a.scope != b.scope {
        out.push(change(
            place.clone(),
            None,
            ChangeKind::ScopingChanged {
                old: describe_scope(a.scope.as_ref()),
                new: describe_scope(b.scope.as_ref()),
            },
        ));
    }
    if a.enabled != b.enabled {
        out.push(change(
            place.clone(),
            None,
            ChangeKind::PropertyChanged {
                property: "enabled",
                old: format!("{:?}", a.enabled),
                new: format!("{:?}", b.enabled),
            },
        ));
    }
    if a.flow_types != b.flow_types {
        let show = |v: &Option<crate::ObjectFlowTypes>| {
            v.as_ref().map_or("(none)".to_owned(), |f| format!("`{f}`"))
        };
        out.push(change(
            place.clone(),
            None,
            ChangeKind::PropertyChanged {
                property: "flowTypes",
                old: show(&a.flow_types),
                new: show(&b.flow_types),
            },
        ));
    }
    let strip = |m: &ObjectMapping| ObjectMapping {
        attribute_mappings: Nullable::Absent,
        scope: Nullable::Absent,
        enabled: None,
        flow_types: None,
        ..m.clone()
    };
    if strip(a) != strip(b) {
        out.push(change(place, None, ChangeKind::OtherPropertiesChanged));
    }
}

fn diff_attribute_mapping(
    place: &Place,
    a: &AttributeMapping,
    b: &AttributeMapping,
    out: &mut Vec<SchemaChange>,
) {
    let attribute = text(&b.target_attribute_name).to_owned();
    let mut push = |property, old: String, new: String| {
        out.push(change(
            place.clone(),
            None,
            ChangeKind::MappingChanged {
                attribute: attribute.clone(),
                property,
                old,
                new,
            },
        ));
    };
    if a.source != b.source {
        let (old, new) = (
            describe_source(a.source.as_ref()),
            describe_source(b.source.as_ref()),
        );
        if old == new {
            push("source (parsed form)", old, new);
        } else {
            push("source", old, new);
        }
    }
    let show = |v: Option<String>| v.map_or("(none)".to_owned(), |s| format!("`{s}`"));
    if a.flow_type != b.flow_type {
        push(
            "flowType",
            show(a.flow_type.as_ref().map(ToString::to_string)),
            show(b.flow_type.as_ref().map(ToString::to_string)),
        );
    }
    if a.flow_behavior != b.flow_behavior {
        push(
            "flowBehavior",
            show(a.flow_behavior.as_ref().map(ToString::to_string)),
            show(b.flow_behavior.as_ref().map(ToString::to_string)),
        );
    }
    if a.matching_priority.unwrap_or(0) != b.matching_priority.unwrap_or(0) {
        push(
            "matching priority",
            a.matching_priority.unwrap_or(0).to_string(),
            b.matching_priority.unwrap_or(0).to_string(),
        );
    }
    if a.default_value != b.default_value {
        push(
            "defaultValue",
            shown(&a.default_value),
            shown(&b.default_value),
        );
    }
    let strip = |m: &AttributeMapping| AttributeMapping {
        source: Nullable::Absent,
        flow_type: None,
        flow_behavior: None,
        matching_priority: None,
        default_value: Nullable::Absent,
        target_attribute_name: Nullable::Absent,
        ..m.clone()
    };
    if strip(a) != strip(b) {
        push("other properties", "…".to_owned(), "…".to_owned());
    }
}

/// A source as an expression: its text, or `[attribute]`, `"constant"`, `Function(…)`.
///
/// ```
/// use msgraph_sync::toolkit::schema_diff::describe_source;
/// use msgraph_sync::toolkit::schema_edit::MappingSource;
/// assert_eq!(describe_source(Some(&MappingSource::constant("True").to_model())), "\"True\"");
/// assert_eq!(describe_source(None), "(no source)");
/// ```
pub fn describe_source(source: Option<&AttributeMappingSource>) -> String {
    let Some(source) = source else {
        return "(no source)".to_owned();
    };
    if let Some(expr) = source.expression.as_ref().filter(|e| !e.is_empty()) {
        return expr.clone();
    }
    let name = text(&source.name);
    match source.type_ {
        Some(AttributeMappingSourceType::Attribute) => format!("[{name}]"),
        Some(AttributeMappingSourceType::Constant) => format!("\"{name}\""),
        Some(AttributeMappingSourceType::Function) => format!("{name}(…)"),
        _ if name.is_empty() => "(empty source)".to_owned(),
        _ => name.to_owned(),
    }
}

/// A scoping filter in a line: `none`, or its groups (`OR`) of clauses (`AND`).
fn describe_scope(scope: Option<&Filter>) -> String {
    let Some(filter) = scope else {
        return "none".to_owned();
    };
    let groups: Vec<String> = items(&filter.groups)
        .iter()
        .map(|g| {
            let clauses: Vec<String> = items(&g.clauses)
                .iter()
                .map(|c| {
                    let values = c
                        .target_operand
                        .as_ref()
                        .map(|o| items(&o.values).join(", "))
                        .unwrap_or_default();
                    format!(
                        "{} {} {values}",
                        text(&c.source_operand_name),
                        text(&c.operator_name)
                    )
                    .trim_end()
                    .to_owned()
                })
                .collect();
            format!("({})", clauses.join(" AND "))
        })
        .collect();
    if groups.is_empty() {
        "no groups".to_owned()
    } else {
        groups.join(" OR ")
    }
}

fn diff_directory(a: &DirectoryDefinition, b: &DirectoryDefinition, out: &mut Vec<SchemaChange>) {
    let directory = text(&b.name).to_owned();
    for pair in pair_up(items(&a.objects), items(&b.objects), |o| name_key(&o.name)) {
        match pair {
            Pair::Removed(o) => out.push(change(
                Place::Directory(directory.clone()),
                Some(format!("object `{}`", text(&o.name))),
                ChangeKind::Removed,
            )),
            Pair::Added(o) => out.push(change(
                Place::Directory(directory.clone()),
                Some(format!("object `{}`", text(&o.name))),
                ChangeKind::Added,
            )),
            Pair::Both(x, y) => diff_object(&directory, x, y, out),
        }
    }
    let strip = |d: &DirectoryDefinition| DirectoryDefinition {
        objects: Nullable::Absent,
        ..d.clone()
    };
    if strip(a) != strip(b) {
        out.push(change(
            Place::Directory(directory),
            None,
            ChangeKind::OtherPropertiesChanged,
        ));
    }
}

fn diff_object(
    directory: &str,
    a: &ObjectDefinition,
    b: &ObjectDefinition,
    out: &mut Vec<SchemaChange>,
) {
    let place = Place::Object {
        directory: directory.to_owned(),
        object: text(&b.name).to_owned(),
    };
    let name = |x: &AttributeDefinition| format!("attribute `{}`", text(&x.name));
    for pair in pair_up(items(&a.attributes), items(&b.attributes), |x| {
        name_key(&x.name)
    }) {
        match pair {
            Pair::Removed(x) => out.push(change(place.clone(), Some(name(x)), ChangeKind::Removed)),
            Pair::Added(x) => out.push(change(place.clone(), Some(name(x)), ChangeKind::Added)),
            Pair::Both(x, y) if x != y => out.push(change(
                place.clone(),
                None,
                ChangeKind::PropertyChanged {
                    property: "definition of",
                    old: name(x),
                    new: "changed".to_owned(),
                },
            )),
            Pair::Both(..) => {}
        }
    }
    let strip = |o: &ObjectDefinition| ObjectDefinition {
        attributes: Nullable::Absent,
        ..o.clone()
    };
    if strip(a) != strip(b) {
        out.push(change(place, None, ChangeKind::OtherPropertiesChanged));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toolkit::schema_edit::{MappingSource, scoping};

    fn docs() -> SynchronizationSchema {
        serde_json::from_str(include_str!("testdata/schema.json")).unwrap()
    }

    fn lines(a: &SynchronizationSchema, b: &SynchronizationSchema) -> Vec<String> {
        diff(a, b).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn identical_schemas_have_no_changes() {
        assert!(diff(&docs(), &docs()).is_empty());
        assert!(
            diff(
                &SynchronizationSchema::default(),
                &SynchronizationSchema::default()
            )
            .is_empty()
        );
    }

    #[test]
    fn every_kind_of_change_reads_well() {
        let old = docs();
        let mut new = old.clone();
        let users = new.object_mapping_mut("User", "User").unwrap();
        users.map_attribute("timezone", MappingSource::attribute("extensionAttribute11"));
        let active = users.attribute_mapping_mut("IsActive").unwrap();
        active.flow_type = Some(crate::AttributeFlowType::ObjectAddOnly);
        active.matching_priority = Some(2);
        active.default_value = Nullable::Null;
        users.set_scope(Some(scoping::filter([scoping::group(
            "g",
            [
                scoping::clause("department", "EQUALS", ["Sales"]),
                scoping::clause("accountEnabled", "IS TRUE", Vec::<String>::new()),
            ],
        )])));
        users.enabled = Some(false);
        let user = new.directory_mut("salesforce.com").unwrap();
        user.objects = Nullable::Value(vec![ObjectDefinition {
            name: "User".to_owned().into(),
            ..Default::default()
        }]);
        new.directory_mut("Azure Active Directory")
            .unwrap()
            .object_mut("User")
            .unwrap()
            .put_attribute(AttributeDefinition {
                name: "extensionAttribute11".to_owned().into(),
                ..Default::default()
            });
        new.version = Nullable::Value("2".into());
        assert_eq!(
            lines(&old, &new),
            [
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: mapping of `IsActive`: flowType `Always` → `ObjectAddOnly`",
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: mapping of `IsActive`: matching priority 0 → 2",
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: mapping of `IsActive`: defaultValue `True` → null",
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: added mapping of `timezone` from [extensionAttribute11]",
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: scoping none → (department EQUALS Sales AND accountEnabled IS TRUE)",
                "rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: enabled Some(true) → Some(false)",
                "directory `Azure Active Directory`, object `User`: added attribute `extensionAttribute11`",
                "directory `salesforce.com`: added object `User`",
                "schema: version (none) → `2`",
            ]
        );
        let back: Vec<String> = lines(&new, &old);
        assert!(
            back.contains(&"directory `salesforce.com`: removed object `User`".to_owned()),
            "{back:?}"
        );
        assert!(back.contains(&"rule `USER_OUTBOUND_USER`, object mapping `Synchronize Azure Active Directory Users to salesforce.com`: removed mapping of `timezone` (was from [extensionAttribute11])".to_owned()));
    }

    #[test]
    fn rules_unknown_properties_and_removals() {
        let old = docs();
        let mut new = old.clone();
        new.synchronization_rules
            .as_mut()
            .unwrap()
            .push(SynchronizationRule {
                name: "GROUPS".to_owned().into(),
                ..Default::default()
            });
        new.synchronization_rules.as_mut().unwrap()[0].editable = Some(false);
        new.directories.as_mut().unwrap().remove(1);
        let mut with_unknown = serde_json::to_value(&new).unwrap();
        with_unknown["x-unknown"] = serde_json::json!("changed");
        let new: SynchronizationSchema = serde_json::from_value(with_unknown).unwrap();
        assert_eq!(
            lines(&old, &new),
            [
                "rule `USER_OUTBOUND_USER`: other properties changed",
                "schema: added rule `GROUPS`",
                "schema: removed directory `salesforce.com`",
                "schema: other properties changed",
            ]
        );
    }
}
