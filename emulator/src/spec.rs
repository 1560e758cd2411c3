//! The spec (`spec/msgraph-sync.yaml`, embedded at build time) as the emulator reads it: its
//! route table, one entry per operation, and its component schemas for checking request bodies.

use std::sync::OnceLock;

use http::Method;
use serde_json::{Map, Value};

/// The spec's text, as built into the emulator.
pub const SPEC_YAML: &str = include_str!("../../spec/msgraph-sync.yaml");

/// One segment of a route's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A fixed segment, e.g. `jobs` or `microsoft.graph.Ping()`.
    Literal(String),
    /// A path parameter, e.g. `{synchronizationJob-id}` (named without braces).
    Param(String),
    /// `servicePrincipals(appId='{appId}')`: the alternate key of a service principal.
    AppIdKey,
}

/// The request body an operation takes.
#[derive(Clone, Debug)]
pub(crate) struct BodySpec {
    /// The media type, `application/json` or `application/scim+json`.
    pub media_type: String,
    /// The component schema's name.
    pub schema: String,
    /// Whether a body must be sent.
    pub required: bool,
}

/// One operation of the spec.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub method: Method,
    /// The spec's path, e.g. `/servicePrincipals/{servicePrincipal-id}/synchronization/jobs`.
    pub path: String,
    pub segments: Vec<Segment>,
    pub operation_id: String,
    /// Only in beta (`x-graph-versions: [beta]`).
    pub beta_only: bool,
    pub body: Option<BodySpec>,
    /// The OData query options the operation takes (`$top`, `$select`, ...).
    pub query_options: Vec<String>,
    /// The path after the parent, parameters written `{}`: `synchronization/jobs/{}/start`.
    pub tail: String,
}

/// The spec, loaded once per process.
pub(crate) struct Spec {
    pub routes: Vec<Route>,
    pub schemas: Map<String, Value>,
}

/// The loaded spec. The embedded text is checked by this crate's tests, so a failure to load it
/// is a build defect; it is reported by panicking once, at the first use.
pub(crate) fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| load(SPEC_YAML).expect("the embedded spec loads"))
}

/// Loads a spec text into routes and schemas.
pub(crate) fn load(text: &str) -> Result<Spec, String> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| format!("spec YAML: {e}"))?;
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .ok_or("spec has no components/schemas")?;
    let parameters = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("spec has no paths")?;
    let mut routes = Vec::new();
    for (path, item) in paths {
        let item = item
            .as_object()
            .ok_or_else(|| format!("{path}: not a map"))?;
        for (method, op) in item {
            let method = match method.as_str() {
                "get" => Method::GET,
                "put" => Method::PUT,
                "post" => Method::POST,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                _ => continue,
            };
            routes.push(route(path, method, op, &parameters)?);
        }
    }
    Ok(Spec { routes, schemas })
}

fn route(
    path: &str,
    method: Method,
    op: &Value,
    parameters: &Map<String, Value>,
) -> Result<Route, String> {
    let where_ = format!("{method} {path}");
    let segments: Vec<Segment> = path
        .trim_start_matches('/')
        .split('/')
        .map(|s| {
            if s == "servicePrincipals(appId='{appId}')" {
                Segment::AppIdKey
            } else if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Segment::Param(name.to_owned())
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect();
    let parent_len = match segments.first() {
        Some(Segment::AppIdKey) => 1,
        Some(Segment::Literal(s)) if s == "servicePrincipals" || s == "applications" => 2,
        _ => return Err(format!("{where_}: unknown parent")),
    };
    let tail = segments[parent_len.min(segments.len())..]
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.as_str(),
            _ => "{}",
        })
        .collect::<Vec<_>>()
        .join("/");
    let beta_only = op
        .get("x-graph-versions")
        .and_then(Value::as_array)
        .is_some_and(|v| !v.iter().any(|v| v == "v1.0"));
    let body = match op.get("requestBody") {
        None => None,
        Some(rb) => {
            let content = rb
                .get("content")
                .and_then(Value::as_object)
                .ok_or_else(|| format!("{where_}: request body without content"))?;
            let (media_type, media) = content
                .iter()
                .next()
                .ok_or_else(|| format!("{where_}: request body without a media type"))?;
            let schema = media
                .pointer("/schema/$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .ok_or_else(|| format!("{where_}: request body schema is not a $ref"))?;
            Some(BodySpec {
                media_type: media_type.clone(),
                schema: schema.to_owned(),
                required: rb.get("required").and_then(Value::as_bool).unwrap_or(false),
            })
        }
    };
    let mut query_options = Vec::new();
    for p in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let resolved = match p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
        {
            Some(name) => parameters
                .get(name)
                .ok_or_else(|| format!("{where_}: unknown parameter {name}"))?,
            None => p,
        };
        if resolved.get("in").and_then(Value::as_str) == Some("query")
            && let Some(name) = resolved.get("name").and_then(Value::as_str)
        {
            query_options.push(name.to_owned());
        }
    }
    Ok(Route {
        method,
        path: path.to_owned(),
        segments,
        operation_id: op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        beta_only,
        body,
        query_options,
        tail,
    })
}

/// The path parameters of a matched route, in order, decoded.
#[derive(Debug, Default, Clone)]
pub(crate) struct PathParams {
    pub values: Vec<(String, String)>,
}

impl PathParams {
    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a path matched no route.
pub(crate) enum NoMatch {
    /// No route has this shape; the first segment that no route takes.
    UnknownSegment(String),
    /// Routes have this shape, but not with this method.
    MethodNotAllowed,
}

/// Finds the route for `method` and the raw (still percent-encoded) segments after the version.
pub(crate) fn find<'a>(
    routes: &'a [Route],
    method: &Method,
    raw_segments: &[&str],
) -> Result<(&'a Route, PathParams), NoMatch> {
    // Decoded once; a segment that is not UTF-8 once decoded matches nothing.
    let segments: Vec<Option<String>> = raw_segments.iter().map(|s| decode(s)).collect();
    let mut best_depth = 0;
    let mut shape_matches = false;
    for route in routes {
        match match_segments(&route.segments, &segments) {
            Ok(()) if route.method == method => return Ok((route, params_of(route, &segments))),
            Ok(()) => shape_matches = true,
            Err(depth) => best_depth = best_depth.max(depth),
        }
    }
    if shape_matches {
        return Err(NoMatch::MethodNotAllowed);
    }
    // A path that stops short of every route names its last segment.
    let at = best_depth.min(raw_segments.len().saturating_sub(1));
    let segment = raw_segments.get(at).copied().unwrap_or_default();
    Err(NoMatch::UnknownSegment(
        decode(segment).unwrap_or_else(|| segment.to_owned()),
    ))
}

/// `Ok` on a full match, else how many segments matched.
fn match_segments(pattern: &[Segment], segments: &[Option<String>]) -> Result<(), usize> {
    for (i, seg) in pattern.iter().enumerate() {
        let Some(Some(value)) = segments.get(i) else {
            return Err(i);
        };
        let ok = match seg {
            Segment::Literal(lit) => value.eq_ignore_ascii_case(lit),
            Segment::Param(_) => true,
            Segment::AppIdKey => app_id_key(value).is_some(),
        };
        if !ok {
            return Err(i);
        }
    }
    if segments.len() == pattern.len() {
        Ok(())
    } else {
        Err(pattern.len())
    }
}

/// The parameters of a route that matched `segments`.
fn params_of(route: &Route, segments: &[Option<String>]) -> PathParams {
    let mut params = PathParams::default();
    for (seg, value) in route.segments.iter().zip(segments) {
        let value = value.clone().unwrap_or_default();
        match seg {
            Segment::Param(name) => params.values.push((name.clone(), value)),
            Segment::AppIdKey => params
                .values
                .push(("appId".to_owned(), app_id_key(&value).unwrap_or_default())),
            Segment::Literal(_) => {}
        }
    }
    params
}

/// `servicePrincipals(appId='x''y')` → `x'y`.
fn app_id_key(segment: &str) -> Option<String> {
    let inner = segment
        .strip_prefix("servicePrincipals(appId='")
        .or_else(|| segment.strip_prefix("servicePrincipals(appid='"))?
        .strip_suffix("')")?;
    // Single quotes inside must come doubled.
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// Percent-decodes one path segment; `None` when it is not UTF-8 once decoded.
pub(crate) fn decode(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_spec_is_a_route() {
        let spec = spec();
        assert!(spec.routes.len() >= 40, "{}", spec.routes.len());
        let ping = spec
            .routes
            .iter()
            .find(|r| r.tail == "synchronization/microsoft.graph.Ping()")
            .unwrap();
        assert!(ping.beta_only);
        let bulk = spec
            .routes
            .iter()
            .find(|r| r.tail.ends_with("bulkUpload") && r.method == Method::POST)
            .unwrap();
        assert_eq!(
            bulk.body.as_ref().unwrap().media_type,
            "application/scim+json"
        );
    }

    #[test]
    fn paths_match_with_decoding_and_the_alternate_key() {
        let spec = spec();
        let (route, params) = find(
            &spec.routes,
            &Method::POST,
            &[
                "servicePrincipals(appId='o''brien')",
                "synchronization",
                "jobs",
                "a%2Fb",
                "restart",
            ],
        )
        .ok()
        .unwrap();
        assert_eq!(route.tail, "synchronization/jobs/{}/restart");
        assert_eq!(params.get("appId"), Some("o'brien"));
        assert_eq!(params.get("synchronizationJob-id"), Some("a/b"));
        assert!(matches!(
            find(
                &spec.routes,
                &Method::DELETE,
                &["servicePrincipals", "x", "synchronization", "jobs"]
            ),
            Err(NoMatch::MethodNotAllowed)
        ));
        match find(
            &spec.routes,
            &Method::GET,
            &["servicePrincipals", "x", "synchronization", "nope"],
        ) {
            Err(NoMatch::UnknownSegment(s)) => assert_eq!(s, "nope"),
            _ => panic!("expected an unknown segment"),
        }
        assert!(app_id_key("servicePrincipals(appId='a'b')").is_none());
        match find(
            &spec.routes,
            &Method::GET,
            &["servicePrincipals(appId='a')", "synchronization", "jobs"],
        ) {
            Err(NoMatch::UnknownSegment(s)) => assert_eq!(s, "jobs"),
            _ => panic!("expected an unknown segment"),
        }
    }
}
