//! Lowering: the validated OpenAPI document becomes our own model of the API ([`crate::model::Api`]).
//!
//! This is where URL paths turn into a tree of request builders shared by every parent, operations at
//! different paths merge into one builder method, and schemas turn into Rust-named types. Lowering trusts a
//! document [`crate::validate`] accepted; it refuses only what shows once names are Rust names: two schemas or
//! enum members that become one name, two methods of one builder that become one name (a navigation and an
//! action, say), and two operations merged into one builder method that differ.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    IntegerFormat, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat,
    Type as OaType, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::conventions::{
    self, ENTITY_QUERY_OPTIONS, KeySegment, PERMISSION_KINDS, QUERY_OPTIONS, clean_segment,
    param_of, singular, snake_name, type_name, variant_name,
};
use crate::diagnostic::{SpecError, SpecErrors, child, unescape_token};
use crate::load::LoadedSpec;
use crate::locate::located;
use crate::model::{
    AltKey, Api, Body, Child, Deprecation, Enum, Field, HttpMethod, IdType, Member, Node, Object,
    Operation, Parent, Query, Response, Root, Route, Step, Type, UNKNOWN_VARIANT,
};

/// Enums by schema name.
type EnumIndex<'e> = BTreeMap<&'e str, &'e Enum>;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Lowers a spec [`crate::validate::validate`] accepted into the API model; `Err` lists the names that clash
/// and the merged operations that differ.
pub fn lower(spec: &LoadedSpec) -> Result<Api, SpecErrors> {
    let mut cx = Lowering {
        spec,
        doc: &spec.openapi,
        errors: Vec::new(),
        versions: strings(spec.openapi.info.extensions.get("x-graph-versions")),
        objects_wanted: BTreeSet::new(),
    };
    let api = cx.run();
    if cx.errors.is_empty() {
        Ok(api)
    } else {
        Err(located(&spec.text, cx.errors))
    }
}

fn id_type(param: &str) -> IdType {
    let of = param.strip_suffix("-id").unwrap_or(param).to_string();
    let rust = if param.ends_with("-id") {
        format!("{}Id", type_name(&of))
    } else {
        type_name(param)
    };
    IdType {
        param: param.to_string(),
        rust,
        of,
    }
}

/// A list of strings from an extension value (empty when absent).
fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A declared parent path with the parent (by index) and alternate key (by index in its `keys`) it addresses.
type ParentPath = (String, usize, Option<usize>);

/// The parents the spec declares (`x-graph-parents`), grouped by entity set, and each declared path with
/// the parent and key it addresses.
fn declared_parents(doc: &OpenAPI) -> (Vec<Parent>, Vec<ParentPath>) {
    let mut parents: Vec<Parent> = Vec::new();
    let mut prefixes = Vec::new();
    for path in strings(doc.extensions.get("x-graph-parents")) {
        let Some(parsed) = KeySegment::parse(&path) else {
            continue;
        };
        let ix = match parents.iter().position(|p| p.set == parsed.set) {
            Some(ix) => ix,
            None => {
                let entity = singular(parsed.set);
                parents.push(Parent {
                    set: parsed.set.to_string(),
                    marker: type_name(parsed.set),
                    builder: format!("{}Requests", type_name(&entity)),
                    method: snake_name(&entity),
                    entity,
                    id: id_type(""),
                    keys: Vec::new(),
                    children: Vec::new(),
                });
                parents.len() - 1
            }
        };
        let parent = &mut parents[ix];
        let key = match parsed.key {
            None => {
                parent.id = id_type(parsed.param);
                None
            }
            Some(key) => {
                parent.keys.push(AltKey {
                    key: key.to_string(),
                    method: format!("{}_by_{}", parent.method, snake_name(key)),
                    param: snake_name(key),
                    id: id_type(parsed.param),
                });
                Some(parent.keys.len() - 1)
            }
        };
        prefixes.push((path, ix, key));
    }
    (parents, prefixes)
}

struct Lowering<'a> {
    spec: &'a LoadedSpec,
    doc: &'a OpenAPI,
    errors: Vec<SpecError>,
    versions: Vec<String>,
    /// Schema names of the objects that get emitted (bodies and responses; closed over references later).
    objects_wanted: BTreeSet<String>,
}

impl<'a> Lowering<'a> {
    fn error(&mut self, pointer: String, message: impl Into<String>) {
        // Lines are found once all errors are known (see `lower`).
        self.errors
            .push(SpecError::new(self.spec.name.clone(), pointer, message));
    }

    fn run(&mut self) -> Api {
        let (parents, nodes) = self.lower_paths();
        let enums = self.lower_enums();
        let objects = self.lower_objects(&enums);
        let mut ids: Vec<IdType> = Vec::new();
        for parent in &parents {
            ids.push(parent.id.clone());
            ids.extend(parent.keys.iter().map(|k| k.id.clone()));
        }
        for node in &nodes {
            for child in &node.children {
                if let Step::Id(id) = &child.step
                    && !ids.iter().any(|i| i.rust == id.rust)
                {
                    ids.push(id.clone());
                }
            }
        }
        self.check_type_names(&objects, &enums, &ids, &parents, &nodes);
        self.check_method_names(&parents, &nodes);
        let mut api = Api {
            spec_name: self.spec.name.clone(),
            versions: self.versions.clone(),
            objects,
            enums,
            ids,
            parents,
            nodes,
        };
        canonicalize(&mut api);
        api
    }

    /// Spec names that would become one Rust name do not compile; each clash is an error at the schema that
    /// needs renaming. Schemas share a namespace with each other, with the ids and builders they are imported
    /// beside, and with the standard names the emitted code uses; an enum's members share one with each other
    /// and, when it is open, with the variant that keeps unknown members.
    fn check_type_names(
        &mut self,
        objects: &[Object],
        enums: &[Enum],
        ids: &[IdType],
        parents: &[Parent],
        nodes: &[Node],
    ) {
        const TAKEN: &[&str] = &[
            "Api",
            "Box",
            "Deserialize",
            "Err",
            "Map",
            "None",
            "Ok",
            "Option",
            "Parent",
            "PhantomData",
            "Result",
            // requests.rs: how a builder's parent was addressed.
            "Route",
            "Serialize",
            "Some",
            "String",
            "Value",
            "Vec",
        ];
        let mut names: BTreeMap<&str, String> = BTreeMap::new();
        for taken in TAKEN {
            names.insert(taken, format!("the standard name `{taken}`"));
        }
        for id in ids {
            names.insert(&id.rust, format!("the id type of `{{{}}}`", id.param));
        }
        for p in parents {
            names.insert(&p.marker, format!("the marker of `/{}`", p.set));
            names.insert(&p.builder, format!("the builder of `/{}/{{id}}`", p.set));
        }
        for n in nodes {
            names.insert(
                &n.rust,
                format!("the builder of `…/{}`", n.segments.join("/")),
            );
        }
        // By name, so the schema reported does not depend on the order of the spec's keys.
        let mut schemas: Vec<(&String, &String)> = enums
            .iter()
            .map(|e| (&e.name, &e.rust))
            .chain(objects.iter().map(|o| (&o.name, &o.rust)))
            .collect();
        schemas.sort_unstable();
        for (name, rust) in schemas {
            let pointer = child("#/components/schemas", name);
            match names.get(rust.as_str()) {
                Some(first) => self.error(
                    pointer,
                    format!(
                        "the schema becomes the Rust type `{rust}`, as {first} does; rename one"
                    ),
                ),
                None => {
                    names.insert(rust, format!("schema `{name}`"));
                }
            }
        }
        for e in enums {
            let mut seen: BTreeMap<&str, String> = BTreeMap::new();
            if !e.closed && !e.flags {
                seen.insert(
                    UNKNOWN_VARIANT,
                    "the variant that keeps unknown members".into(),
                );
                seen.insert(
                    crate::emit::EMPTY_VARIANT,
                    "the variant for the empty string".into(),
                );
            }
            for (i, m) in e.members.iter().enumerate() {
                if let Some(first) = seen.insert(&m.rust, format!("`{}`", m.wire)) {
                    self.error(
                        format!("{}/enum/{i}", child("#/components/schemas", &e.name)),
                        format!(
                            "the member `{}` becomes the Rust variant `{}`, as {first} does; rename one",
                            m.wire, m.rust
                        ),
                    );
                }
            }
        }
    }

    /// One builder cannot have two methods of one name: a navigation and an action (a `bulkUpload` below a
    /// job and a `bulkUpload` action on it), two segments that become one snake_case name, or a segment named
    /// like a CRUD method (`get`, `list`, ...). Each clash is an error at the greater of the two pointers.
    fn check_method_names(&mut self, parents: &[Parent], nodes: &[Node]) {
        // Each method with the pointer that shows it in the spec and the words that name it.
        let navigation = |method: &str, node: usize| {
            let path = subtree_paths(nodes, node)
                .into_iter()
                .next()
                .unwrap_or_default();
            let segment = nodes[node].segments.last().cloned().unwrap_or_default();
            let what = format!("the navigation to `{segment}` (first used by `{path}`)");
            (method.to_string(), child("#/paths", &path), what)
        };
        for parent in parents {
            let methods = parent.children.iter();
            let methods = methods.map(|root| navigation(&root.method, root.node));
            self.method_clashes(&parent.builder, methods.collect());
        }
        for node in nodes {
            let mut methods: Vec<_> = node
                .children
                .iter()
                .map(|c| navigation(&c.method, c.node))
                .collect();
            for op in &node.operations {
                let (pointer, what) = operation_words(op);
                methods.push((op.method.clone(), pointer, what));
            }
            self.method_clashes(&node.rust, methods);
        }
    }

    /// Reports each pair of `(method, pointer, words)` of one builder that share a method name.
    fn method_clashes(&mut self, builder: &str, mut methods: Vec<(String, String, String)>) {
        methods.sort();
        for pair in methods.windows(2) {
            let [(name, _, first), (other, pointer, second)] = pair else {
                continue;
            };
            if name == other {
                self.error(pointer.clone(), clash_message(second, first, name, builder));
            }
        }
    }

    // ----- paths and operations -------------------------------------------------------------

    fn lower_paths(&mut self) -> (Vec<Parent>, Vec<Node>) {
        let (mut parents, prefixes) = declared_parents(self.doc);
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let mut links = Links::default();

        for (path, item) in &self.doc.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            // Validation made every path a declared parent followed by the subtree.
            let Some((rest, parent_ix, key)) = prefixes.iter().find_map(|(prefix, parent, key)| {
                let rest = path.strip_prefix(prefix.as_str())?.strip_prefix('/')?;
                Some((rest, *parent, *key))
            }) else {
                continue;
            };
            let rest: Vec<&str> = rest.split('/').collect();
            let pointer = child("#/paths", path);
            for (method, op) in item.iter() {
                let Some(http) = http_method(method) else {
                    continue;
                };
                let kind = op
                    .extensions
                    .get("x-ms-docs-operation-type")
                    .and_then(Value::as_str)
                    .unwrap_or("operation");
                let (node_segments, action) = match rest.split_last() {
                    Some((last, head)) if kind != "operation" => (head, Some(last.to_string())),
                    _ => (rest.as_slice(), None),
                };
                let node_segments: Vec<String> =
                    node_segments.iter().map(|s| s.to_string()).collect();
                // Validation left a segment below the parent for every operation.
                let Some(node_ix) = ensure_node(
                    &mut nodes,
                    &mut node_index,
                    &mut links,
                    &mut parents,
                    parent_ix,
                    &node_segments,
                ) else {
                    continue;
                };
                let route = Route {
                    parent: parent_ix,
                    key,
                    path: path.clone(),
                    operation_id: op.operation_id.clone().unwrap_or_default(),
                };
                let lowered = self.lower_operation(op, item, http, method, action, route);
                let node = &mut nodes[node_ix];
                if let Some(existing) = node
                    .operations
                    .iter_mut()
                    .find(|o| o.method == lowered.method)
                {
                    // Twins are one operation at several parents; a method of the same name from another
                    // segment (an action `get` beside the GET, `Restart` beside `restart`) is a clash.
                    if existing.action_segment != lowered.action_segment {
                        // Reported at the greater pointer, whatever the order of the paths.
                        let mut pair = [operation_words(existing), operation_words(&lowered)];
                        pair.sort();
                        let [(_, first), (at, second)] = pair;
                        let message = clash_message(&second, &first, &lowered.method, &node.rust);
                        self.error(at, message);
                        continue;
                    }
                    if let Some(diff) = twin_difference(existing, &lowered) {
                        let message = format!(
                            "operation `{}` is the twin of `{}` (same builder method `{}`) but its {diff} differs; twins must share bodies, responses and statuses",
                            lowered.operation_ids[0], existing.operation_ids[0], lowered.method
                        );
                        self.error(child(&pointer, method), message);
                        continue;
                    }
                    // The twin whose parent is addressed by id speaks for all (its text does not describe
                    // an alternate key), then the one with the smallest path, whatever the file order.
                    let rank = |r: &Route| (r.key.is_some(), r.path.clone());
                    if existing
                        .routes
                        .iter()
                        .all(|r| rank(&lowered.routes[0]) < rank(r))
                    {
                        existing.summary = lowered.summary.clone();
                        existing.description = lowered.description.clone();
                        existing.permissions = lowered.permissions.clone();
                        existing.deprecated = lowered.deprecated.clone();
                    }
                    existing.operation_ids.extend(lowered.operation_ids);
                    existing.paths.extend(lowered.paths);
                    existing.routes.extend(lowered.routes);
                    for p in lowered.parents {
                        if !existing.parents.contains(&p) {
                            existing.parents.push(p);
                        }
                    }
                } else {
                    node.operations.push(lowered);
                }
            }
        }
        // Versions of children: union over everything below them.
        for ix in (0..nodes.len()).rev() {
            let child_versions: Vec<(usize, Vec<String>)> = nodes[ix]
                .children
                .iter()
                .enumerate()
                .map(|(c, child)| (c, subtree_versions(&nodes, child.node, &self.versions)))
                .collect();
            for (c, versions) in child_versions {
                nodes[ix].children[c].versions = versions;
            }
        }
        (parents, nodes)
    }

    fn lower_operation(
        &mut self,
        op: &openapiv3::Operation,
        item: &openapiv3::PathItem,
        http: HttpMethod,
        method_name: &str,
        action: Option<String>,
        route: Route,
    ) -> Operation {
        let pageable = op.extensions.contains_key("x-ms-pageable");
        let method = match &action {
            Some(segment) => snake_name(clean_segment(segment)),
            None => match http {
                HttpMethod::Get if pageable => "list".into(),
                HttpMethod::Get => "get".into(),
                HttpMethod::Post => "create".into(),
                HttpMethod::Put => "put".into(),
                HttpMethod::Patch => "update".into(),
                HttpMethod::Delete => "delete".into(),
            },
        };
        let versions = match op.extensions.get("x-graph-versions") {
            Some(list) => strings(Some(list)),
            None => self.versions.clone(),
        };
        let idempotent = op
            .extensions
            .get("x-graph-idempotent")
            .and_then(Value::as_bool)
            .unwrap_or_else(|| conventions::idempotent_by_default(method_name));

        // Query options: the set validation accepted is one of the conventional ones.
        let query_names: BTreeSet<&str> = item
            .parameters
            .iter()
            .chain(op.parameters.iter())
            .filter_map(
                |param| match resolve(self.doc, param, "parameters", |c| &c.parameters) {
                    Some(Parameter::Query { parameter_data, .. }) => {
                        Some(parameter_data.name.as_str())
                    }
                    _ => None,
                },
            )
            .collect();
        let query = if query_names.is_empty() {
            Query::None
        } else if query_names.len() == QUERY_OPTIONS.len() {
            Query::Collection
        } else {
            debug_assert!(query_names.iter().eq(ENTITY_QUERY_OPTIONS.iter()));
            Query::Entity
        };

        let body = op
            .request_body
            .as_ref()
            .and_then(|body| resolve(self.doc, body, "requestBodies", |c| &c.request_bodies))
            .and_then(|body| body.content.iter().next())
            .and_then(|(media, mt)| {
                let name = mt.schema.as_ref().and_then(ref_name)?;
                self.objects_wanted.insert(name.to_string());
                Some(Body {
                    rust: type_name(name),
                    content_type: media.clone(),
                })
            });

        let mut success = Vec::new();
        let mut bodies: Vec<Option<&str>> = Vec::new();
        for (status, response) in &op.responses.responses {
            let (StatusCode::Code(code), Some(response)) = (
                status,
                resolve(self.doc, response, "responses", |c| &c.responses),
            ) else {
                continue;
            };
            if !(200..300).contains(code) {
                continue;
            }
            success.push(*code);
            bodies.push(
                response
                    .content
                    .get("application/json")
                    .and_then(|m| m.schema.as_ref())
                    .and_then(ref_name),
            );
        }
        let response = match bodies.iter().flatten().next() {
            None => Response::Empty,
            Some(&name) if pageable => match self.page_item(name) {
                Some(item) => {
                    let rust = type_name(&item);
                    self.objects_wanted.insert(item);
                    Response::Page(rust)
                }
                None => Response::Empty,
            },
            Some(&name) => {
                self.objects_wanted.insert(name.to_string());
                if bodies.iter().any(Option::is_none) {
                    Response::JsonOrEmpty(type_name(name))
                } else {
                    Response::Json(type_name(name))
                }
            }
        };

        Operation {
            method,
            operation_ids: vec![route.operation_id.clone()],
            paths: vec![route.path.clone()],
            parents: vec![route.parent],
            routes: vec![route],
            http,
            action_segment: action,
            summary: op.summary.clone().unwrap_or_default(),
            description: op.description.clone().unwrap_or_default(),
            versions,
            deprecated: op.extensions.get("x-graph-deprecated").map(deprecation),
            permissions: permissions_lines(op.extensions.get("x-graph-permissions")),
            success,
            body,
            response,
            query,
            idempotent,
        }
    }

    fn schema(&self, name: &str) -> Option<&'a Schema> {
        match self.doc.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// Item schema name of a collection-response schema.
    fn page_item(&self, name: &str) -> Option<String> {
        let SchemaKind::Type(OaType::Object(obj)) = &self.schema(name)?.schema_kind else {
            return None;
        };
        let ReferenceOr::Item(value) = obj.properties.get("value")? else {
            return None;
        };
        let SchemaKind::Type(OaType::Array(arr)) = &value.schema_kind else {
            return None;
        };
        match arr.items.as_ref()? {
            ReferenceOr::Reference { reference } => {
                reference.strip_prefix(SCHEMA_PREFIX).map(String::from)
            }
            ReferenceOr::Item(_) => None,
        }
    }

    // ----- schemas --------------------------------------------------------------------------

    fn lower_enums(&mut self) -> Vec<Enum> {
        let mut enums = Vec::new();
        let Some(components) = self.doc.components.as_ref() else {
            return enums;
        };
        for (name, schema) in &components.schemas {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let SchemaKind::Type(OaType::String(s)) = &schema.schema_kind else {
                continue;
            };
            if s.enumeration.is_empty() {
                continue;
            }
            let ext = &schema.schema_data.extensions;
            let flag = |key: &str, field: Option<&str>| {
                ext.get(key)
                    .and_then(|v| field.map_or(Some(v), |f| v.get(f)))
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            };
            let values: Vec<i64> = ext
                .get("x-graph-enum-values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            let other_names: Vec<(&String, Vec<String>)> = ext
                .get("x-graph-enum-names")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(version, names)| (version, strings(Some(names))))
                        .collect()
                })
                .unwrap_or_default();
            let members = s
                .enumeration
                .iter()
                .zip(&values)
                .enumerate()
                .filter_map(|(i, (wire, value))| {
                    let wire = wire.as_ref()?;
                    let aliases = other_names
                        .iter()
                        .filter_map(|(version, names)| {
                            names
                                .get(i)
                                .filter(|n| *n != wire)
                                .map(|n| (version.to_string(), n.clone()))
                        })
                        .collect();
                    Some(Member {
                        wire: wire.clone(),
                        rust: variant_name(wire),
                        value: *value,
                        aliases,
                    })
                })
                .collect();
            enums.push(Enum {
                name: name.clone(),
                rust: type_name(name),
                doc: schema_doc(schema),
                members,
                flags: flag("x-ms-enum-flags", Some("isFlags")),
                closed: flag("x-graph-enum-closed", None),
                deprecated: ext.get("x-graph-deprecated").map(deprecation),
            });
        }
        enums
    }

    fn lower_objects(&mut self, enum_list: &[Enum]) -> Vec<Object> {
        let enums: EnumIndex<'_> = enum_list.iter().map(|e| (e.name.as_str(), e)).collect();
        // Close the wanted set over references, then emit in spec order.
        let mut pending: Vec<String> = self.objects_wanted.iter().cloned().collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = self.schema(&name) {
                for target in referenced_schemas(schema) {
                    if !seen.contains(&target) {
                        pending.push(target);
                    }
                }
            }
        }
        let mut objects = Vec::new();
        let Some(components) = self.doc.components.as_ref() else {
            return objects;
        };
        for (name, schema) in &components.schemas {
            if !seen.contains(name) || enums.contains_key(name.as_str()) {
                continue;
            }
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let SchemaKind::Type(OaType::Object(obj)) = &schema.schema_kind else {
                continue;
            };
            let fields = obj
                .properties
                .iter()
                .filter_map(|(wire, prop)| {
                    let (ty, schema) = match prop {
                        ReferenceOr::Reference { reference } => (ref_type(reference, &enums), None),
                        ReferenceOr::Item(s) => (property_type(s, &enums), Some(s.as_ref())),
                    };
                    let data = schema.map(|s| &s.schema_data);
                    let secret = data
                        .and_then(|d| d.extensions.get("x-graph-secret"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    Some(Field {
                        wire: wire.clone(),
                        rust: snake_name(wire),
                        doc: schema.map(schema_doc).unwrap_or_default(),
                        ty: if secret && ty == Some(Type::String) {
                            Type::Secret
                        } else {
                            ty?
                        },
                        nullable: data.is_some_and(|d| d.nullable),
                        read_only: data.is_some_and(|d| d.read_only),
                    })
                })
                .collect();
            objects.push(Object {
                name: name.clone(),
                rust: type_name(name),
                doc: schema_doc(schema),
                fields,
                deprecated: schema
                    .schema_data
                    .extensions
                    .get("x-graph-deprecated")
                    .map(deprecation),
            });
        }
        box_cycles(&mut objects);
        objects
    }
}

/// The type of a property that is a `$ref` to a component schema.
fn ref_type(reference: &str, enums: &EnumIndex<'_>) -> Option<Type> {
    let name = reference.strip_prefix(SCHEMA_PREFIX)?;
    Some(match enums.get(name) {
        Some(e) if e.flags => Type::Flags(e.rust.clone()),
        Some(e) => Type::Enum(e.rust.clone()),
        None => Type::Object {
            rust: type_name(name),
            boxed: false,
        },
    })
}

/// The type of an inline property schema, of the kinds validation accepts.
fn property_type(schema: &Schema, enums: &EnumIndex<'_>) -> Option<Type> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => match all_of.first()? {
            ReferenceOr::Reference { reference } => ref_type(reference, enums),
            ReferenceOr::Item(_) => None,
        },
        SchemaKind::Type(OaType::String(s)) => match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some(Type::DateTime),
            VariantOrUnknownOrEmpty::Unknown(f) if f == "duration" => Some(Type::Duration),
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Some(Type::Uuid),
            _ => Some(Type::String),
        },
        SchemaKind::Type(OaType::Boolean(_)) => Some(Type::Bool),
        SchemaKind::Type(OaType::Integer(i)) => match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some(Type::I32),
            _ => Some(Type::I64),
        },
        SchemaKind::Type(OaType::Array(a)) => {
            let inner = match a.items.as_ref()? {
                ReferenceOr::Reference { reference } => ref_type(reference, enums)?,
                ReferenceOr::Item(s) => property_type(s, enums)?,
            };
            Some(Type::Array(Box::new(inner)))
        }
        SchemaKind::Type(OaType::Object(_)) => Some(Type::JsonObject),
        _ => None,
    }
}

/// What `item` stands for: itself when written out, or the member of `#/components/<section>` it references
/// (`of` picks that section); both spellings mean the same.
fn resolve<'d, T>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    section: &str,
    of: fn(&'d openapiv3::Components) -> &'d indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Option<&'d T> {
    match item {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/")?
                .strip_prefix(section)?
                .strip_prefix('/')?;
            match of(doc.components.as_ref()?).get(&unescape_token(name))? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn http_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "patch" => HttpMethod::Patch,
        "delete" => HttpMethod::Delete,
        _ => return None,
    })
}

fn ref_name(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_PREFIX),
        ReferenceOr::Item(_) => None,
    }
}

/// An `x-graph-deprecated` value (of an operation or a schema).
fn deprecation(value: &Value) -> Deprecation {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Deprecation {
        versions: strings(value.get("versions")),
        date: text("date"),
        removal: text("removalDate"),
        replacement: text("replacement"),
    }
}

fn schema_doc(schema: &Schema) -> String {
    schema.schema_data.description.clone().unwrap_or_default()
}

/// Display lines for `x-graph-permissions`.
fn permissions_lines(value: Option<&Value>) -> Vec<String> {
    let Some(Value::Object(map)) = value else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (kind, label) in PERMISSION_KINDS {
        let Some(entry) = map.get(*kind) else {
            continue;
        };
        let least = strings(entry.get("least"));
        let higher = strings(entry.get("higher"));
        let text = if least.is_empty() && higher.is_empty() {
            "not supported".to_string()
        } else if higher.is_empty() {
            least.join(", ")
        } else {
            format!("{} (higher: {})", least.join(", "), higher.join(", "))
        };
        lines.push(format!("{label}: {text}"));
    }
    lines
}

/// Schemas a schema refers to (properties, array items, nullable references).
fn referenced_schemas(schema: &Schema) -> Vec<String> {
    fn walk(schema: &Schema, out: &mut Vec<String>) {
        match &schema.schema_kind {
            SchemaKind::Type(OaType::Object(o)) => {
                for prop in o.properties.values() {
                    match prop {
                        ReferenceOr::Reference { reference } => push(reference, out),
                        ReferenceOr::Item(s) => walk(s, out),
                    }
                }
            }
            SchemaKind::Type(OaType::Array(a)) => match &a.items {
                Some(ReferenceOr::Reference { reference }) => push(reference, out),
                Some(ReferenceOr::Item(s)) => walk(s, out),
                None => {}
            },
            SchemaKind::AllOf { all_of } => {
                for s in all_of {
                    match s {
                        ReferenceOr::Reference { reference } => push(reference, out),
                        ReferenceOr::Item(s) => walk(s, out),
                    }
                }
            }
            _ => {}
        }
    }
    fn push(reference: &str, out: &mut Vec<String>) {
        if let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) {
            out.push(name.to_string());
        }
    }
    let mut out = Vec::new();
    walk(schema, &mut out);
    out
}

/// Boxes direct (non-collection) object fields whose target leads back to the field's own type: exactly
/// the fields whose two ends share a strongly connected component of the "contains directly" graph.
fn box_cycles(objects: &mut [Object]) {
    let index: BTreeMap<String, usize> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.rust.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = objects
        .iter()
        .map(|o| {
            o.fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Object { rust, .. } => index.get(rust).copied(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, object) in objects.iter_mut().enumerate() {
        for field in &mut object.fields {
            if let Type::Object { rust, boxed } = &mut field.ty {
                *boxed = index
                    .get(rust.as_str())
                    .is_some_and(|&j| component[j] == component[i]);
            }
        }
    }
}

/// Tarjan's algorithm, iterative: the component id of every vertex.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut stack, mut on_stack) = (Vec::new(), vec![false; n]);
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if order[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Which links already exist, so that building the tree stays linear in the number of paths.
#[derive(Default)]
struct Links {
    /// `(parent, top-level node)`.
    roots: BTreeSet<(usize, usize)>,
    /// `(node, parent)`.
    node_parents: BTreeSet<(usize, usize)>,
    /// `(node, child node)` → position in `node.children`.
    children: BTreeMap<(usize, usize), usize>,
}

fn ensure_node(
    nodes: &mut Vec<Node>,
    index: &mut BTreeMap<Vec<String>, usize>,
    links: &mut Links,
    parents: &mut [Parent],
    parent: usize,
    segments: &[String],
) -> Option<usize> {
    let mut current: Option<usize> = None;
    for depth in 1..=segments.len() {
        let key = segments[..depth].to_vec();
        let ix = match index.get(&key) {
            Some(&ix) => ix,
            None => {
                nodes.push(Node {
                    rust: node_type_name(&key),
                    doc: node_doc(&key),
                    segments: key.clone(),
                    parents: Vec::new(),
                    children: Vec::new(),
                    operations: Vec::new(),
                });
                let ix = nodes.len() - 1;
                index.insert(key.clone(), ix);
                ix
            }
        };
        if links.node_parents.insert((ix, parent)) {
            nodes[ix].parents.push(parent);
        }
        let segment = &key[depth - 1];
        match current {
            None => {
                if links.roots.insert((parent, ix)) {
                    parents[parent].children.push(Root {
                        node: ix,
                        method: snake_name(clean_segment(segment)),
                    });
                }
            }
            Some(up) => {
                let existing = links.children.get(&(up, ix)).copied();
                match existing {
                    Some(c) => {
                        if !nodes[up].children[c].parents.contains(&parent) {
                            nodes[up].children[c].parents.push(parent);
                        }
                    }
                    None => {
                        let (method, step) = match param_of(segment) {
                            Some(param) => {
                                let collection =
                                    key.get(depth - 2).map(String::as_str).unwrap_or(param);
                                (
                                    snake_name(&singular(clean_segment(collection))),
                                    Step::Id(id_type(param)),
                                )
                            }
                            None => (
                                snake_name(clean_segment(segment)),
                                Step::Segment(segment.clone()),
                            ),
                        };
                        links.children.insert((up, ix), nodes[up].children.len());
                        nodes[up].children.push(Child {
                            method,
                            node: ix,
                            step,
                            parents: vec![parent],
                            versions: Vec::new(),
                        });
                    }
                }
            }
        }
        current = Some(ix);
    }
    current
}

/// `["synchronization", "jobs", "{synchronizationJob-id}", "schema"]` → `SynchronizationJobSchemaRequests`.
fn node_type_name(segments: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for segment in segments {
        if param_of(segment).is_some() {
            if let Some(last) = parts.last_mut() {
                *last = singular(last);
            }
        } else {
            parts.push(type_name(clean_segment(segment)));
        }
    }
    format!("{}Requests", parts.concat())
}

fn node_doc(segments: &[String]) -> String {
    format!("Requests on `…/{}`.", segments.join("/"))
}

/// The pointer of an operation (at its smallest path) and the words that name it in a clash.
fn operation_words(op: &Operation) -> (String, String) {
    let route = op.routes.iter().min_by(|a, b| a.path.cmp(&b.path));
    let path = route.map(|r| r.path.as_str()).unwrap_or_default();
    let pointer = child(&child("#/paths", path), op.http.as_str().to_lowercase());
    let words = match &op.action_segment {
        Some(segment) => format!("the action `{segment}`"),
        None => format!("the `{}` operation at `{path}`", op.http.as_str()),
    };
    (pointer, words)
}

/// The error for two methods of one builder that become one name (`second` is the one reported).
fn clash_message(second: &str, first: &str, name: &str, builder: &str) -> String {
    format!(
        "{second} and {first} both become the method `{name}` of `{builder}`; one builder cannot have two methods of one name: leave one of them out (list it in `x-graph-omitted` with the reason) or give it another path segment"
    )
}

/// The spec paths of every operation at or below node `ix`, sorted.
fn subtree_paths(nodes: &[Node], ix: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![ix];
    while let Some(n) = stack.pop() {
        for op in &nodes[n].operations {
            found.extend(op.routes.iter().map(|r| r.path.clone()));
        }
        stack.extend(nodes[n].children.iter().map(|c| c.node));
    }
    found
}

fn subtree_versions(nodes: &[Node], ix: usize, all: &[String]) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![ix];
    while let Some(n) = stack.pop() {
        for op in &nodes[n].operations {
            found.extend(op.versions.iter().cloned());
        }
        stack.extend(nodes[n].children.iter().map(|c| c.node));
    }
    all.iter().filter(|v| found.contains(*v)).cloned().collect()
}

/// What differs between two operations merged into one builder method, if anything.
fn twin_difference(a: &Operation, b: &Operation) -> Option<&'static str> {
    if a.http != b.http {
        Some("HTTP method")
    } else if a.body != b.body {
        Some("request body")
    } else if a.response != b.response {
        Some("response")
    } else if a.success != b.success {
        Some("success statuses")
    } else if a.query != b.query {
        Some("query options")
    } else if a.versions != b.versions {
        Some("versions")
    } else {
        None
    }
}

/// Puts everything that came from a YAML mapping into a canonical order, so the output does not depend
/// on the order of keys in the spec (sequences such as enum members keep their declared order).
fn canonicalize(api: &mut Api) {
    api.objects.sort_by(|a, b| a.rust.cmp(&b.rust));
    for object in &mut api.objects {
        object.fields.sort_by(|a, b| a.wire.cmp(&b.wire));
    }
    api.enums.sort_by(|a, b| a.rust.cmp(&b.rust));
    for e in &mut api.enums {
        for member in &mut e.members {
            member.aliases.sort();
        }
    }
    api.ids.sort_by(|a, b| a.rust.cmp(&b.rust));

    // Parents by entity set, nodes by path; indices are remapped.
    let mut parent_order: Vec<usize> = (0..api.parents.len()).collect();
    parent_order.sort_by(|&a, &b| api.parents[a].set.cmp(&api.parents[b].set));
    let mut parent_new = vec![0; api.parents.len()];
    for (new, &old) in parent_order.iter().enumerate() {
        parent_new[old] = new;
    }
    let mut node_order: Vec<usize> = (0..api.nodes.len()).collect();
    node_order.sort_by(|&a, &b| api.nodes[a].segments.cmp(&api.nodes[b].segments));
    let mut node_new = vec![0; api.nodes.len()];
    for (new, &old) in node_order.iter().enumerate() {
        node_new[old] = new;
    }
    let remap_parents = |list: &mut Vec<usize>| {
        for p in list.iter_mut() {
            *p = parent_new[*p];
        }
        list.sort_unstable();
    };
    let mut parents: Vec<Parent> = parent_order
        .iter()
        .map(|&i| api.parents[i].clone())
        .collect();
    for parent in &mut parents {
        for c in parent.children.iter_mut() {
            c.node = node_new[c.node];
        }
        parent.children.sort_unstable_by_key(|c| c.node);
    }
    let mut nodes: Vec<Node> = node_order.iter().map(|&i| api.nodes[i].clone()).collect();
    for node in &mut nodes {
        remap_parents(&mut node.parents);
        for child in &mut node.children {
            child.node = node_new[child.node];
            remap_parents(&mut child.parents);
        }
        node.children.sort_by(|a, b| a.method.cmp(&b.method));
        for op in &mut node.operations {
            remap_parents(&mut op.parents);
            // Twins are listed by path; the first one names the operation.
            for route in &mut op.routes {
                route.parent = parent_new[route.parent];
            }
            op.routes.sort_by(|a, b| a.path.cmp(&b.path));
            op.paths = op.routes.iter().map(|r| r.path.clone()).collect();
            op.operation_ids = op.routes.iter().map(|r| r.operation_id.clone()).collect();
            op.success.sort_unstable();
        }
        node.operations.sort_by(|a, b| a.method.cmp(&b.method));
    }
    api.parents = parents;
    api.nodes = nodes;
}
