//! The validated, ordered model of the API that the emit stages read.
//!
//! `lower` builds it from the OpenAPI document; nothing in here knows about OpenAPI or about Rust tokens.
//! Every list keeps the spec's order, so the output is deterministic.

/// The whole API, as the generator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Spec file name, for headers.
    pub spec_name: String,
    /// API versions the spec describes, e.g. `["v1.0", "beta"]`.
    pub versions: Vec<String>,
    /// Object schemas (entities, complex types, bodies).
    pub objects: Vec<Object>,
    /// String enums and flag enums.
    pub enums: Vec<Enum>,
    /// Typed ids, one per path parameter kind.
    pub ids: Vec<IdType>,
    /// The entities the API hangs off (`x-graph-parents`), one per entity set, ordered by set name.
    pub parents: Vec<Parent>,
    /// Request-builder nodes, parents before children.
    pub nodes: Vec<Node>,
}

/// An object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Schema name in the spec (`synchronizationJob`).
    pub name: String,
    /// Rust type name (`SynchronizationJob`).
    pub rust: String,
    /// Doc text.
    pub doc: String,
    /// Declared properties, spec order.
    pub fields: Vec<Field>,
    /// Deprecation of the type (`x-graph-deprecated` on the schema), if any.
    pub deprecated: Option<Deprecation>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name (`@odata.nextLink`, `request-id`, `templateId`).
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Doc text.
    pub doc: String,
    /// Value type.
    pub ty: Type,
    /// CSDL nullable: absent, `null` and a value are told apart.
    pub nullable: bool,
    /// Documented as read-only.
    pub read_only: bool,
}

/// A property's value type.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `string`.
    String,
    /// `string` holding a secret; redacted in `Debug`.
    Secret,
    /// `boolean`.
    Bool,
    /// `integer`/`int32`.
    I32,
    /// `integer`/`int64`.
    I64,
    /// `string`/`date-time`.
    DateTime,
    /// `string`/`duration`.
    Duration,
    /// `string`/`uuid`, kept as text.
    Uuid,
    /// A free-form JSON object.
    JsonObject,
    /// Another object schema, by Rust name; `boxed` breaks a recursive cycle.
    Object {
        /// Rust type name.
        rust: String,
        /// Whether the field must be boxed.
        boxed: bool,
    },
    /// A string enum, by Rust name.
    Enum(String),
    /// A flag set, by Rust set-type name.
    Flags(String),
    /// A collection.
    Array(Box<Type>),
}

/// Name of the variant of an open enum that keeps members this version of the crate does not know.
pub const UNKNOWN_VARIANT: &str = "Unrecognized";

/// A string enum or a flag enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Schema name.
    pub name: String,
    /// Rust name of the enum, or of the flag set for flags.
    pub rust: String,
    /// Doc text.
    pub doc: String,
    /// Members in declared order.
    pub members: Vec<Member>,
    /// Whether this is a flag enum.
    pub flags: bool,
    /// Whether unknown members are refused.
    pub closed: bool,
    /// Deprecation of the type (`x-graph-deprecated` on the schema), if any.
    pub deprecated: Option<Deprecation>,
}

/// One enum member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Wire name, canonical spelling.
    pub wire: String,
    /// Rust variant name.
    pub rust: String,
    /// CSDL value.
    pub value: i64,
    /// Other versions' spellings, e.g. `("beta", "isOAuthEnabled")`.
    pub aliases: Vec<(String, String)>,
}

/// A typed id for one kind of path parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct IdType {
    /// Path parameter name (`synchronizationJob-id`).
    pub param: String,
    /// Rust type name (`SynchronizationJobId`).
    pub rust: String,
    /// What it identifies, for docs (`synchronizationJob`).
    pub of: String,
}

/// An entity set the API is reached from.
#[derive(Debug, Clone, PartialEq)]
pub struct Parent {
    /// Entity set name (`servicePrincipals`).
    pub set: String,
    /// One entity of the set, for docs (`servicePrincipal`).
    pub entity: String,
    /// Marker type name (`ServicePrincipals`).
    pub marker: String,
    /// Builder type for one entity (`ServicePrincipalRequests`).
    pub builder: String,
    /// Method on `Api` (`service_principal`).
    pub method: String,
    /// Id type (`ServicePrincipalId`) and its path parameter.
    pub id: IdType,
    /// Alternate keys (`appId`), each with its method and id type.
    pub keys: Vec<AltKey>,
    /// First-level nodes under this parent.
    pub children: Vec<Root>,
}

/// A first-level node under a parent: the node and the method that reaches it (`synchronization`).
#[derive(Debug, Clone, PartialEq)]
pub struct Root {
    /// Node index.
    pub node: usize,
    /// Method name.
    pub method: String,
}

/// An alternate key of a parent: `servicePrincipals(appId='...')`.
#[derive(Debug, Clone, PartialEq)]
pub struct AltKey {
    /// Key property (`appId`).
    pub key: String,
    /// Method on `Api` (`service_principal_by_app_id`).
    pub method: String,
    /// Name of the method's parameter (`app_id`).
    pub param: String,
    /// Id type of the key value.
    pub id: IdType,
}

/// A request-builder node: one resource of the URL tree, shared by every parent that has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Path segments below the parent, parameters as `{name}`.
    pub segments: Vec<String>,
    /// Rust builder type name (`SynchronizationJobRequests`).
    pub rust: String,
    /// Doc text.
    pub doc: String,
    /// Parents (by `Api::parents` index) under which the node exists.
    pub parents: Vec<usize>,
    /// Child navigations.
    pub children: Vec<Child>,
    /// Operations on this node.
    pub operations: Vec<Operation>,
}

/// A navigation from a node to a child node.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    /// Method name (`jobs`, `job`).
    pub method: String,
    /// Child node index.
    pub node: usize,
    /// The literal segment, or the id type for a parameter segment.
    pub step: Step,
    /// Parents under which the child exists.
    pub parents: Vec<usize>,
    /// Versions in which anything below the child exists.
    pub versions: Vec<String>,
}

/// One step down the URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A literal segment.
    Segment(String),
    /// A parameter segment with its id type.
    Id(IdType),
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One operation, merged across the parents that have it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Builder method name (`start`, `list`, `put`).
    pub method: String,
    /// OperationIds, one per path it came from (the same order as `paths` and `routes`).
    pub operation_ids: Vec<String>,
    /// Full spec paths it came from, sorted.
    pub paths: Vec<String>,
    /// The paths it came from with the way each is reached, sorted by path: the operation id to report is the
    /// one of the route the request actually takes.
    pub routes: Vec<Route>,
    /// HTTP method.
    pub http: HttpMethod,
    /// Action or function segment appended to the node path, if any.
    pub action_segment: Option<String>,
    /// Summary line.
    pub summary: String,
    /// Longer description.
    pub description: String,
    /// Parents that have it.
    pub parents: Vec<usize>,
    /// Versions that have it.
    pub versions: Vec<String>,
    /// Deprecation note per version.
    pub deprecated: Option<Deprecation>,
    /// Permissions, as display lines.
    pub permissions: Vec<String>,
    /// Success statuses.
    pub success: Vec<u16>,
    /// Request body.
    pub body: Option<Body>,
    /// Response shape.
    pub response: Response,
    /// Query options it takes.
    pub query: Query,
    /// Safe to send again after a 503/504 or a transport error (`x-graph-idempotent`, or by HTTP method:
    /// GET, PUT and DELETE are).
    pub idempotent: bool,
}

/// One path an operation is reached by.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The parent (by `Api::parents` index).
    pub parent: usize,
    /// `None` when the parent is addressed by its id, `Some(i)` by its alternate key `parents[parent].keys[i]`.
    pub key: Option<usize>,
    /// Full spec path.
    pub path: String,
    /// The operation id of that path.
    pub operation_id: String,
}

/// A deprecation recorded in the spec (of an operation or a type).
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    /// Versions in which it is deprecated.
    pub versions: Vec<String>,
    /// Date announced.
    pub date: String,
    /// Planned removal date.
    pub removal: String,
    /// What to use instead.
    pub replacement: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Rust type of the body.
    pub rust: String,
    /// Media type.
    pub content_type: String,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Nothing.
    Empty,
    /// One object.
    Json(String),
    /// One object on some statuses, nothing on others.
    JsonOrEmpty(String),
    /// A page of items following `@odata.nextLink`.
    Page(String),
}

/// Which OData query options an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// None.
    None,
    /// `$select`.
    Entity,
    /// `$top`, `$filter`, `$select`, `$skiptoken`, `$count`.
    Collection,
}

impl Api {
    /// Number of operations, counting each merged operation once.
    pub fn operation_count(&self) -> usize {
        self.nodes.iter().map(|n| n.operations.len()).sum()
    }
}
