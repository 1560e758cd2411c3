//! Lowering: the validated OpenAPI document becomes our own model of the API ([`crate::model::Api`]).
//!
//! This is where URL paths turn into a tree of request builders shared by every parent, operations at
//! different paths merge into one builder method, and schemas turn into Rust-named types. Anything that
//! cannot be lowered is reported as a located [`SpecError`], never skipped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    IntegerFormat, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat,
    Type as OaType, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diagnostic::{SpecError, SpecErrors};
use crate::load::LoadedSpec;
use crate::model::{
    AltKey, Api, Body, Child, Deprecation, Enum, Field, HttpMethod, IdType, Member, Node, Object,
    Operation, Parent, Query, Response, Root, Step, Type, UNKNOWN_VARIANT,
};

/// Enums by schema name.
type EnumIndex<'e> = BTreeMap<&'e str, &'e Enum>;

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";

/// Lowers a validated spec into the API model.
pub fn lower(spec: &LoadedSpec) -> Result<Api, SpecErrors> {
    let mut cx = Lowering::new(spec);
    let api = NAMES.with(|names| {
        names.borrow_mut().clear();
        let api = cx.run();
        names.borrow_mut().clear();
        api
    });
    if cx.errors.is_empty() {
        Ok(api)
    } else {
        cx.errors.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        Err(SpecErrors(cx.errors))
    }
}

/// Escapes one JSON-pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Rust type name for a schema or segment name; see [`usable_ident`].
fn type_name(name: &str) -> String {
    remembered(Case::Type, name, |words| words.to_upper_camel_case())
}

/// Rust field or method name; see [`usable_ident`].
fn snake_name(name: &str) -> String {
    remembered(Case::Snake, name, |words| words.to_snake_case())
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Case {
    Type,
    Snake,
}

thread_local! {
    /// Names converted during the current [`lower`] on this thread: the same schema, segment or parameter name
    /// is converted many times (215 type names for 86 distinct ones on the curated spec), and heck takes
    /// about 8,000 instructions a name. Emptied when a lowering starts and ends.
    static NAMES: std::cell::RefCell<HashMap<(Case, String), String>> = Default::default();
}

/// `convert(ascii_words(name))`, made usable, converted once per lowering.
fn remembered(case: Case, name: &str, convert: fn(&str) -> String) -> String {
    let key = (case, name.to_string());
    if let Some(known) = NAMES.with(|names| names.borrow().get(&key).cloned()) {
        return known;
    }
    let converted = usable_ident(convert(&ascii_words(name)));
    NAMES.with(|names| names.borrow_mut().insert(key, converted.clone()));
    converted
}

/// Enum variant name for a wire member; see [`usable_ident`].
fn variant_name(wire: &str) -> String {
    usable_ident(ascii_words(wire).to_upper_camel_case())
}

/// `name` with every character other than an ASCII letter or digit turned into a word break.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A name made a Rust identifier: a keyword gets a trailing `_` (`type_`), a name that does not start with a
/// letter gets a leading `_` (`_2fa`), and an empty name becomes `_unnamed`. The name is heck's output from
/// [`ascii_words`], so it holds only ASCII letters, digits and `_`.
fn usable_ident(name: String) -> String {
    const KEYWORDS: &[&str] = &[
        "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
        "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if name.is_empty() {
        return "_unnamed".to_string();
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return format!("_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    name
}

/// Singular of a collection segment: `jobs` → `job`, `directories` → `directory`.
fn singular(segment: &str) -> String {
    if let Some(stem) = segment.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = segment.strip_suffix('s') {
        stem.to_string()
    } else {
        segment.to_string()
    }
}

/// `microsoft.graph.Ping()` → `Ping`.
fn clean_segment(segment: &str) -> &str {
    let s = segment.strip_prefix("microsoft.graph.").unwrap_or(segment);
    s.strip_suffix("()").unwrap_or(s)
}

/// `{synchronizationJob-id}` → `synchronizationJob-id`.
fn param_of(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
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

/// The parent part of a path: `/servicePrincipals/{servicePrincipal-id}` or `/servicePrincipals(appId='{appId}')`.
struct ParsedPath<'a> {
    set: &'a str,
    /// `None` for the plain id form, `Some(key)` for an alternate key.
    key: Option<&'a str>,
    param: &'a str,
    rest: Vec<&'a str>,
}

fn parse_path(path: &str) -> Option<ParsedPath<'_>> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let first = parts.next()?;
    if let Some(open) = first.find('(') {
        // servicePrincipals(appId='{appId}')
        let set = &first[..open];
        let inner = first[open + 1..].strip_suffix(')')?;
        let (key, value) = inner.split_once('=')?;
        let param = param_of(value.strip_prefix('\'')?.strip_suffix('\'')?)?;
        Some(ParsedPath {
            set,
            key: Some(key),
            param,
            rest: parts.collect(),
        })
    } else {
        let param = param_of(parts.next()?)?;
        Some(ParsedPath {
            set: first,
            key: None,
            param,
            rest: parts.collect(),
        })
    }
}

struct Lowering<'a> {
    spec: &'a LoadedSpec,
    doc: &'a OpenAPI,
    errors: Vec<SpecError>,
    versions: Vec<String>,
    /// Schema name → Rust type name, for objects that get emitted.
    objects_wanted: BTreeSet<String>,
}

impl<'a> Lowering<'a> {
    fn new(spec: &'a LoadedSpec) -> Self {
        Lowering {
            spec,
            doc: &spec.openapi,
            errors: Vec::new(),
            versions: Vec::new(),
            objects_wanted: BTreeSet::new(),
        }
    }

    fn error(&mut self, pointer: String, message: impl Into<String>) {
        let line = self.spec.line_of(&pointer);
        self.errors.push(SpecError {
            file: self.spec.name.clone(),
            pointer,
            line,
            message: message.into(),
        });
    }

    fn run(&mut self) -> Api {
        self.versions = match self.doc.info.extensions.get("x-graph-versions") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => {
                self.error(
                    "#/info".into(),
                    "`x-graph-versions` (the API versions described) is missing",
                );
                Vec::new()
            }
        };
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
        let schemas = enums
            .iter()
            .map(|e| (&e.name, &e.rust))
            .chain(objects.iter().map(|o| (&o.name, &o.rust)));
        for (name, rust) in schemas {
            let pointer = format!("#/components/schemas/{}", escape(name));
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
            }
            for (i, m) in e.members.iter().enumerate() {
                if let Some(first) = seen.insert(&m.rust, format!("`{}`", m.wire)) {
                    self.error(
                        format!("#/components/schemas/{}/enum/{i}", escape(&e.name)),
                        format!(
                            "the member `{}` becomes the Rust variant `{}`, as {first} does; rename one",
                            m.wire, m.rust
                        ),
                    );
                }
            }
        }
    }

    // ----- paths and operations -------------------------------------------------------------

    fn lower_paths(&mut self) -> (Vec<Parent>, Vec<Node>) {
        let mut parents: Vec<Parent> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let mut links = Links::default();

        for (path, item) in &self.doc.paths.paths {
            let pointer = format!("#/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                self.error(
                    pointer,
                    "path item `$ref` is not supported by the generator",
                );
                continue;
            };
            let Some(parsed) = parse_path(path) else {
                self.error(pointer, "path does not start with `/<entitySet>/{id}` or `/<entitySet>(<key>='{value}')`");
                continue;
            };
            let parent_ix = self.parent_for(&mut parents, &parsed, &pointer);
            if parsed.rest.is_empty() {
                self.error(
                    pointer,
                    "operations on the parent entity itself are not part of this API",
                );
                continue;
            }
            for (method, op) in item.iter() {
                let op_pointer = format!("{pointer}/{method}");
                let Some(http) = http_method(method) else {
                    self.error(
                        op_pointer,
                        format!("HTTP method `{method}` is not supported by the generator"),
                    );
                    continue;
                };
                let kind = op
                    .extensions
                    .get("x-ms-docs-operation-type")
                    .and_then(Value::as_str)
                    .unwrap_or("operation");
                let (node_segments, action): (Vec<String>, Option<String>) = if kind == "operation"
                {
                    (parsed.rest.iter().map(|s| s.to_string()).collect(), None)
                } else {
                    let (last, head) = parsed.rest.split_last().expect("rest is not empty");
                    (
                        head.iter().map(|s| s.to_string()).collect(),
                        Some(last.to_string()),
                    )
                };
                if node_segments.is_empty() {
                    self.error(
                        op_pointer,
                        "an action or function needs a resource to bind to",
                    );
                    continue;
                }
                let node_ix = ensure_node(
                    &mut nodes,
                    &mut node_index,
                    &mut links,
                    &mut parents,
                    parent_ix,
                    &node_segments,
                );
                let Some(lowered) = self.lower_operation(
                    op,
                    item,
                    http,
                    action,
                    parent_ix,
                    &path.clone(),
                    &op_pointer,
                ) else {
                    continue;
                };
                let node = &mut nodes[node_ix];
                if let Some(existing) = node
                    .operations
                    .iter_mut()
                    .find(|o| o.method == lowered.method)
                {
                    if let Some(diff) = twin_difference(existing, &lowered) {
                        self.error(
                            op_pointer,
                            format!(
                                "operation `{}` is the twin of `{}` (same builder method `{}`) but its {diff} differs; twins must share bodies, responses and statuses",
                                lowered.operation_ids[0], existing.operation_ids[0], lowered.method
                            ),
                        );
                        continue;
                    }
                    // The twin with the smallest path speaks for all, whatever the file order.
                    if existing.paths.iter().all(|p| lowered.paths[0] < *p) {
                        existing.summary = lowered.summary.clone();
                        existing.description = lowered.description.clone();
                        existing.permissions = lowered.permissions.clone();
                        existing.deprecated = lowered.deprecated.clone();
                    }
                    existing.operation_ids.extend(lowered.operation_ids);
                    existing.paths.extend(lowered.paths);
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
        for node in &mut nodes {
            node.parents.sort_unstable();
            for child in &mut node.children {
                child.parents.sort_unstable();
            }
            for op in &mut node.operations {
                op.parents.sort_unstable();
            }
        }
        (parents, nodes)
    }

    fn parent_for(
        &mut self,
        parents: &mut Vec<Parent>,
        parsed: &ParsedPath<'_>,
        pointer: &str,
    ) -> usize {
        let ix = match parents.iter().position(|p| p.set == parsed.set) {
            Some(ix) => ix,
            None => {
                let singular = singular(parsed.set);
                parents.push(Parent {
                    set: parsed.set.to_string(),
                    marker: type_name(parsed.set),
                    builder: format!("{}Requests", type_name(&singular)),
                    method: snake_name(&singular),
                    id: id_type(""),
                    keys: Vec::new(),
                    children: Vec::new(),
                });
                parents.len() - 1
            }
        };
        let parent = &mut parents[ix];
        match parsed.key {
            None => {
                if parent.id.param.is_empty() {
                    parent.id = id_type(parsed.param);
                } else if parent.id.param != parsed.param {
                    let message = format!(
                        "entity set `{}` is addressed with `{{{}}}` here but `{{{}}}` elsewhere; use one parameter name",
                        parsed.set, parsed.param, parent.id.param
                    );
                    self.error(pointer.to_string(), message);
                }
            }
            Some(key) => {
                if !parent.keys.iter().any(|k| k.key == key) {
                    let method = format!("{}_by_{}", parent.method, snake_name(key));
                    parent.keys.push(AltKey {
                        key: key.to_string(),
                        method,
                        id: id_type(parsed.param),
                    });
                }
            }
        }
        ix
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        op: &openapiv3::Operation,
        item: &openapiv3::PathItem,
        http: HttpMethod,
        action: Option<String>,
        parent: usize,
        path: &str,
        pointer: &str,
    ) -> Option<Operation> {
        let Some(operation_id) = op.operation_id.clone() else {
            self.error(pointer.to_string(), "operation has no `operationId`");
            return None;
        };
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
            Some(Value::Array(v)) => v
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(_) => {
                self.error(
                    format!("{pointer}/x-graph-versions"),
                    "`x-graph-versions` must be a list of versions",
                );
                self.versions.clone()
            }
            None => self.versions.clone(),
        };
        let deprecated = op
            .extensions
            .get("x-graph-deprecated")
            .map(|d| Deprecation {
                versions: d
                    .get("versions")
                    .and_then(Value::as_array)
                    .map(|v| {
                        v.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                date: str_field(d, "date"),
                removal: str_field(d, "removalDate"),
                replacement: str_field(d, "replacement"),
            });
        let permissions = permissions_lines(op.extensions.get("x-graph-permissions"));

        // Query options.
        let mut query_names = BTreeSet::new();
        for (i, param) in item
            .parameters
            .iter()
            .chain(op.parameters.iter())
            .enumerate()
        {
            if let Some(Parameter::Query { parameter_data, .. }) = self.resolve_parameter(param) {
                query_names.insert(parameter_data.name.clone());
            } else if self.resolve_parameter(param).is_none() {
                self.error(
                    format!("{pointer}/parameters/{i}"),
                    "parameter `$ref` does not resolve",
                );
            }
        }
        let collection: BTreeSet<String> = ["$top", "$filter", "$select", "$skiptoken", "$count"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let query = if query_names.is_empty() {
            Query::None
        } else if query_names == collection {
            Query::Collection
        } else if query_names.len() == 1 && query_names.contains("$select") {
            Query::Entity
        } else {
            self.error(
                format!("{pointer}/parameters"),
                format!(
                    "query options {query_names:?} are not a set the generator supports: all of $top, $filter, $select, $skiptoken, $count, or only $select"
                ),
            );
            Query::None
        };

        // Request body.
        let body = match &op.request_body {
            None => None,
            Some(ReferenceOr::Reference { .. }) => {
                self.error(
                    format!("{pointer}/requestBody"),
                    "request body `$ref` is not supported by the generator",
                );
                None
            }
            Some(ReferenceOr::Item(body)) => {
                let mut content = body.content.iter();
                match (content.next(), content.next()) {
                    (Some((media, mt)), None) => match mt.schema.as_ref().and_then(ref_name) {
                        Some(name) => {
                            self.objects_wanted.insert(name.to_string());
                            Some(Body {
                                rust: type_name(name),
                                content_type: media.clone(),
                            })
                        }
                        None => {
                            self.error(
                                format!("{pointer}/requestBody/content/{}/schema", escape(media)),
                                "request body schema must be a `$ref` to a named schema",
                            );
                            None
                        }
                    },
                    _ => {
                        self.error(
                            format!("{pointer}/requestBody/content"),
                            "request body must have exactly one media type",
                        );
                        None
                    }
                }
            }
        };

        // Responses.
        let mut success = Vec::new();
        let mut bodies: Vec<Option<String>> = Vec::new();
        for (status, response) in &op.responses.responses {
            let StatusCode::Code(code) = status else {
                self.error(
                    format!("{pointer}/responses"),
                    "status ranges such as `2XX` are not supported; list each status",
                );
                continue;
            };
            if !(200..300).contains(code) {
                continue;
            }
            success.push(*code);
            let rpointer = format!("{pointer}/responses/{code}");
            let ReferenceOr::Item(response) = response else {
                self.error(
                    rpointer,
                    "success response `$ref` is not supported by the generator",
                );
                continue;
            };
            if response.content.is_empty() {
                bodies.push(None);
                continue;
            }
            match response
                .content
                .get("application/json")
                .and_then(|m| m.schema.as_ref())
                .and_then(ref_name)
            {
                Some(name) => bodies.push(Some(name.to_string())),
                None => self.error(
                    format!("{rpointer}/content"),
                    "success response content must be `application/json` with a `$ref` schema",
                ),
            }
        }
        if success.is_empty() {
            self.error(
                format!("{pointer}/responses"),
                "operation declares no success (2xx) status",
            );
        }
        let named: BTreeSet<&String> = bodies.iter().flatten().collect();
        let response = match named.len() {
            0 => Response::Empty,
            1 => {
                let name = named.into_iter().next().expect("one name").clone();
                if pageable {
                    match self.page_item(&name) {
                        Some(item) => {
                            self.objects_wanted.insert(item.clone());
                            Response::Page(type_name(&item))
                        }
                        None => {
                            self.error(
                                format!("{pointer}/x-ms-pageable"),
                                format!("pageable operation returns `{name}`, which has no `value` array of `$ref` items"),
                            );
                            Response::Empty
                        }
                    }
                } else {
                    self.objects_wanted.insert(name.clone());
                    if bodies.iter().any(Option::is_none) {
                        Response::JsonOrEmpty(type_name(&name))
                    } else {
                        Response::Json(type_name(&name))
                    }
                }
            }
            _ => {
                self.error(
                    format!("{pointer}/responses"),
                    "success responses return different schemas; the generator needs one",
                );
                Response::Empty
            }
        };

        Some(Operation {
            method,
            operation_ids: vec![operation_id],
            paths: vec![path.to_string()],
            http,
            action_segment: action,
            summary: op.summary.clone().unwrap_or_default(),
            description: op.description.clone().unwrap_or_default(),
            parents: vec![parent],
            versions,
            deprecated,
            permissions,
            success,
            body,
            response,
            query,
        })
    }

    fn resolve_parameter<'p>(&'p self, param: &'p ReferenceOr<Parameter>) -> Option<&'p Parameter> {
        match param {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(PARAMETER_PREFIX)?;
                match self.doc.components.as_ref()?.parameters.get(name)? {
                    ReferenceOr::Item(p) => Some(p),
                    ReferenceOr::Reference { .. } => None,
                }
            }
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
        let value = match obj.properties.get("value")? {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { .. } => return None,
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
            let pointer = format!("#/components/schemas/{}", escape(name));
            let ext = &schema.schema_data.extensions;
            let flags = ext
                .get("x-ms-enum-flags")
                .and_then(|f| f.get("isFlags"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let closed = ext
                .get("x-graph-enum-closed")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let values: Vec<i64> = ext
                .get("x-graph-enum-values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            if values.len() != s.enumeration.len() {
                self.error(
                    format!("{pointer}/x-graph-enum-values"),
                    "needs one integer CSDL value per enum member",
                );
                continue;
            }
            let other_names: Vec<(String, Vec<String>)> = ext
                .get("x-graph-enum-names")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(version, names)| {
                            let names = names
                                .as_array()
                                .map(|a| {
                                    a.iter()
                                        .filter_map(|n| n.as_str().map(String::from))
                                        .collect()
                                })
                                .unwrap_or_default();
                            (version.clone(), names)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut members = Vec::new();
            for (i, (wire, value)) in s.enumeration.iter().zip(&values).enumerate() {
                let Some(wire) = wire else {
                    self.error(
                        format!("{pointer}/enum/{i}"),
                        "`null` is not an enum member; mark the property nullable",
                    );
                    continue;
                };
                let aliases = other_names
                    .iter()
                    .filter_map(|(version, names)| {
                        names
                            .get(i)
                            .filter(|n| *n != wire)
                            .map(|n| (version.clone(), n.clone()))
                    })
                    .collect();
                members.push(Member {
                    wire: wire.clone(),
                    rust: variant_name(wire),
                    value: *value,
                    aliases,
                });
            }
            enums.push(Enum {
                name: name.clone(),
                rust: type_name(name),
                doc: schema_doc(schema),
                members,
                flags,
                closed,
            });
        }
        enums
    }

    fn lower_objects(&mut self, enum_list: &[Enum]) -> Vec<Object> {
        let enums: BTreeMap<&str, &Enum> = enum_list.iter().map(|e| (e.name.as_str(), e)).collect();
        let enums = &enums;
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
            let pointer = format!("#/components/schemas/{}", escape(name));
            let ReferenceOr::Item(schema) = schema else {
                self.error(
                    pointer,
                    "schema aliases (`$ref` as a component) are not supported by the generator",
                );
                continue;
            };
            let SchemaKind::Type(OaType::Object(obj)) = &schema.schema_kind else {
                self.error(
                    pointer,
                    "only object schemas and string enums can be named components",
                );
                continue;
            };
            let mut fields = Vec::new();
            let mut rust_names = BTreeSet::new();
            for (wire, prop) in &obj.properties {
                let ppointer = format!("{pointer}/properties/{}", escape(wire));
                let (prop_schema, direct_ref) = match prop {
                    ReferenceOr::Reference { reference } => (None, Some(reference.as_str())),
                    ReferenceOr::Item(s) => (Some(s.as_ref()), None),
                };
                let nullable = prop_schema.is_some_and(|s| s.schema_data.nullable);
                let read_only = prop_schema.is_some_and(|s| s.schema_data.read_only);
                let secret = prop_schema
                    .and_then(|s| s.schema_data.extensions.get("x-graph-secret"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let ty = match (direct_ref, prop_schema) {
                    (Some(reference), _) => self.ref_type(reference, enums, &ppointer),
                    (None, Some(s)) => self.property_type(s, enums, &ppointer),
                    (None, None) => None,
                };
                let Some(mut ty) = ty else { continue };
                if secret {
                    if ty == Type::String {
                        ty = Type::Secret;
                    } else {
                        self.error(
                            format!("{ppointer}/x-graph-secret"),
                            "only string properties can be secrets",
                        );
                    }
                }
                let rust = snake_name(wire);
                if !rust_names.insert(rust.clone()) || rust == "additional_properties" {
                    self.error(
                        ppointer,
                        format!(
                            "property name maps to the Rust field `{rust}`, which is already taken"
                        ),
                    );
                    continue;
                }
                let doc = prop_schema.map(schema_doc).unwrap_or_default();
                fields.push(Field {
                    wire: wire.clone(),
                    rust,
                    doc,
                    ty,
                    nullable,
                    read_only,
                });
            }
            objects.push(Object {
                name: name.clone(),
                rust: type_name(name),
                doc: schema_doc(schema),
                fields,
            });
        }
        box_cycles(&mut objects);
        objects
    }

    fn ref_type(&mut self, reference: &str, enums: &EnumIndex<'_>, pointer: &str) -> Option<Type> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.error(
                pointer.to_string(),
                format!("`$ref: {reference}` is not a local schema reference"),
            );
            return None;
        };
        if let Some(e) = enums.get(name) {
            return Some(if e.flags {
                Type::Flags(e.rust.clone())
            } else {
                Type::Enum(e.rust.clone())
            });
        }
        if self.schema(name).is_none() {
            self.error(
                pointer.to_string(),
                format!("`$ref: {reference}` does not resolve"),
            );
            return None;
        }
        Some(Type::Object {
            rust: type_name(name),
            boxed: false,
        })
    }

    fn property_type(
        &mut self,
        schema: &Schema,
        enums: &EnumIndex<'_>,
        pointer: &str,
    ) -> Option<Type> {
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => self.ref_type(reference, enums, pointer),
                ReferenceOr::Item(_) => {
                    self.error(
                        format!("{pointer}/allOf/0"),
                        "`allOf` is only supported as `[{$ref}]` with `nullable`",
                    );
                    None
                }
            },
            SchemaKind::Type(OaType::String(s)) => {
                if !s.enumeration.is_empty() {
                    self.error(
                        pointer.to_string(),
                        "inline enums are not supported; name the enum in components/schemas",
                    );
                    return None;
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Empty => Some(Type::String),
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some(Type::DateTime),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "duration" => Some(Type::Duration),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Some(Type::Uuid),
                    other => {
                        self.error(
                            format!("{pointer}/format"),
                            format!("string format {other:?} is not supported by the generator"),
                        );
                        None
                    }
                }
            }
            SchemaKind::Type(OaType::Boolean(_)) => Some(Type::Bool),
            SchemaKind::Type(OaType::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some(Type::I32),
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some(Type::I64),
                _ => {
                    self.error(
                        format!("{pointer}/format"),
                        "integers need `format: int32` or `format: int64`",
                    );
                    None
                }
            },
            SchemaKind::Type(OaType::Array(a)) => {
                let Some(items) = &a.items else {
                    self.error(pointer.to_string(), "array without `items`");
                    return None;
                };
                let inner = match items {
                    ReferenceOr::Reference { reference } => {
                        self.ref_type(reference, enums, &format!("{pointer}/items"))?
                    }
                    ReferenceOr::Item(s) => {
                        if matches!(s.schema_kind, SchemaKind::Type(OaType::Array(_))) {
                            self.error(
                                format!("{pointer}/items"),
                                "arrays of arrays are not supported by the generator",
                            );
                            return None;
                        }
                        self.property_type(s, enums, &format!("{pointer}/items"))?
                    }
                };
                Some(Type::Array(Box::new(inner)))
            }
            SchemaKind::Type(OaType::Object(o)) if o.properties.is_empty() => {
                Some(Type::JsonObject)
            }
            _ => {
                self.error(
                    pointer.to_string(),
                    "this property schema is not supported by the generator (see docs/DESIGN.md)",
                );
                None
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

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
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
    for (kind, label) in [
        ("delegatedWork", "Delegated (work or school account)"),
        (
            "delegatedPersonal",
            "Delegated (personal Microsoft account)",
        ),
        ("application", "Application"),
    ] {
        let Some(entry) = map.get(kind) else { continue };
        let list = |key: &str| -> Vec<String> {
            entry
                .get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let least = list("least");
        let higher = list("higher");
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
) -> usize {
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
    current.expect("segments are not empty")
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
        parent.keys.sort_by(|a, b| a.key.cmp(&b.key));
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
            let mut pairs: Vec<(String, String)> = op
                .paths
                .iter()
                .cloned()
                .zip(op.operation_ids.iter().cloned())
                .collect();
            pairs.sort();
            op.paths = pairs.iter().map(|(p, _)| p.clone()).collect();
            op.operation_ids = pairs.into_iter().map(|(_, id)| id).collect();
            op.success.sort_unstable();
        }
        node.operations.sort_by(|a, b| a.method.cmp(&b.method));
    }
    api.parents = parents;
    api.nodes = nodes;
}

#[cfg(test)]
mod tests {
    use super::{snake_name, type_name, variant_name};

    /// Every name the spec can hold becomes a Rust identifier (`Ident::new` panics on anything else).
    #[test]
    fn any_wire_name_becomes_a_usable_identifier() {
        let cases = [
            ("anchor", "anchor", "Anchor", "Anchor"),
            ("type", "type_", "Type", "Type"),
            ("self", "self_", "Self_", "Self_"),
            ("2fa", "_2fa", "_2fa", "_2fa"),
            ("@odata.type", "odata_type", "OdataType", "OdataType"),
            ("", "_unnamed", "_unnamed", "_unnamed"),
            ("@", "_unnamed", "_unnamed", "_unnamed"),
            ("Ünïcode", "n_code", "NCode", "NCode"),
            (
                "quarantineReason",
                "quarantine_reason",
                "QuarantineReason",
                "QuarantineReason",
            ),
        ];
        for (wire, snake, ty, variant) in cases {
            assert_eq!(snake_name(wire), snake, "{wire:?} as a field");
            assert_eq!(type_name(wire), ty, "{wire:?} as a type");
            assert_eq!(variant_name(wire), variant, "{wire:?} as a variant");
            for name in [snake_name(wire), type_name(wire), variant_name(wire)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{wire:?} gave {name:?}, which is not an identifier"
                );
            }
        }
    }
}
