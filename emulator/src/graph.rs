//! The operations: one function per spec operation shape, on the tenant state.

use http::StatusCode;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::server::Incoming;
use crate::spec::{PathParams, Route, spec};
use crate::state::{
    BulkUploadRecord, Job, Secret, ServicePrincipal, State, Template, credentials_problem_in,
};
use crate::time::{Instant, SECOND};
use crate::validate::{is_uuid, validate};
use crate::{expr, rules};

/// An operation's answer.
pub(crate) enum Reply {
    Json {
        status: StatusCode,
        body: Value,
        headers: Vec<(&'static str, String)>,
    },
    Empty {
        status: StatusCode,
        headers: Vec<(&'static str, String)>,
    },
}

impl Reply {
    fn ok(body: Value) -> Self {
        Reply::Json {
            status: StatusCode::OK,
            body,
            headers: Vec::new(),
        }
    }

    fn no_content() -> Self {
        Reply::Empty {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
        }
    }
}

/// One request, checked, ready for its operation.
pub(crate) struct Ctx<'a> {
    pub route: &'a Route,
    pub params: &'a PathParams,
    pub version: &'a str,
    pub query: Query,
    pub body: Option<Value>,
    pub now: Instant,
    pub base_url: &'a str,
    pub path: &'a str,
}

/// The OData query options of a request.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub top: Option<usize>,
    pub skip_token: Option<usize>,
    pub select: Option<Vec<String>>,
    pub filter: Option<String>,
    pub count: bool,
}

/// The largest `$top` the emulator takes (Graph's usual page-size ceiling).
const MAX_TOP: usize = 999;

impl Query {
    /// Parses the query string; an option the operation does not take is refused as Graph does.
    pub fn parse(raw: Option<&str>, allowed: &[String]) -> Result<Query, ApiError> {
        let mut query = Query::default();
        let mut seen: Vec<String> = Vec::new();
        for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .map(|s| s.into_owned())
                    .map_err(|_| {
                        ApiError::bad_request("The query string is not valid UTF-8 once decoded.")
                    })
            };
            let name = decode(name)?;
            let value = decode(value)?;
            if !name.starts_with('$') {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(ApiError::bad_request(format!(
                    "Query option '{name}' was specified more than once."
                )));
            }
            seen.push(lower.clone());
            if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                let known = [
                    "$top",
                    "$skip",
                    "$filter",
                    "$select",
                    "$expand",
                    "$orderby",
                    "$count",
                    "$search",
                    "$skiptoken",
                    "$format",
                ];
                if !known.contains(&lower.as_str()) {
                    return Err(ApiError::bad_request(format!(
                        "The query parameter '{name}' is not supported."
                    )));
                }
                let pretty: String = lower[1..2].to_ascii_uppercase() + &lower[2..];
                return Err(ApiError::bad_request(format!(
                    "The query specified in the URI is not valid. Query option '{pretty}' is not allowed. \
                     To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or \
                     QueryValidationSettings."
                )));
            }
            match lower.as_str() {
                "$top" => {
                    let top = value.parse::<usize>().map_err(|_| {
                        ApiError::bad_request(format!("Invalid value '{value}' for $top query parameter: it must be a non-negative integer."))
                    })?;
                    if top > MAX_TOP {
                        return Err(ApiError::bad_request(format!(
                            "Invalid value '{value}' for $top query parameter: the maximum is {MAX_TOP}."
                        )));
                    }
                    query.top = Some(top);
                }
                "$skiptoken" => {
                    let offset = value
                        .strip_prefix("emu-")
                        .and_then(|n| n.parse::<usize>().ok())
                        .ok_or_else(|| {
                            ApiError::bad_request(
                                "The $skiptoken is not valid: use the @odata.nextLink as received.",
                            )
                        })?;
                    query.skip_token = Some(offset);
                }
                "$select" => {
                    let fields: Vec<String> =
                        value.split(',').map(|f| f.trim().to_owned()).collect();
                    if fields.iter().any(String::is_empty) {
                        return Err(ApiError::bad_request(
                            "Syntax error: $select has an empty property name.",
                        ));
                    }
                    query.select = Some(fields);
                }
                "$filter" => query.filter = Some(value),
                "$count" => {
                    query.count = match value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "Invalid value '{value}' for $count query option: expected true or false."
                            )));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(query)
    }
}

/// The request body of an operation: content type, JSON, and the spec's schema.
pub(crate) fn body(route: &Route, incoming: &Incoming) -> Result<Option<Value>, ApiError> {
    let Some(spec_body) = &route.body else {
        // Operations without a body ignore one, as the service does for actions like start.
        return Ok(None);
    };
    let content_type = incoming
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if incoming.body.is_empty() {
        if spec_body.required {
            return Err(ApiError::bad_request(
                "Empty Payload. JSON content expected.",
            ));
        }
        return Ok(None);
    }
    let content_type_ok = match content_type.as_deref() {
        Some(ct) if spec_body.media_type == "application/scim+json" => {
            ct == "application/scim+json"
        }
        Some(ct) => ct == "application/json" || ct == spec_body.media_type,
        None => false,
    };
    if !content_type_ok {
        return Err(ApiError::bad_request(format!(
            "Content-Type must be '{}'{}.",
            spec_body.media_type,
            content_type
                .map(|ct| format!(", not '{ct}'"))
                .unwrap_or_default()
        )));
    }
    let value: Value =
        serde_json::from_slice(&incoming.body).map_err(|_| ApiError::unreadable_json())?;
    validate(&spec().schemas, &spec_body.schema, &value)
        .map_err(|p| ApiError::bad_request(p.message).with_target(p.target))?;
    Ok(Some(value))
}

/// Runs the operation of `ctx.route`.
pub(crate) fn dispatch(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let method = ctx.route.method.as_str();
    let parent_is_app = ctx.params.get("application-id").is_some();
    match (method, ctx.route.tail.as_str(), parent_is_app) {
        ("GET", "synchronization", false) => get_synchronization(ctx, state),
        ("PUT", "synchronization", false) => put_synchronization(ctx, state),
        ("PUT", "synchronization/secrets", false) => put_secrets(ctx, state),
        ("POST", "synchronization/acquireAccessToken", _) => acquire_access_token(ctx, state),
        ("GET", "synchronization/microsoft.graph.Ping()", false) => {
            service_principal(state, ctx.params)?;
            Ok(Reply::ok(json!({
                "@odata.context": format!("{}/{}/$metadata#Edm.String", ctx.base_url, ctx.version),
                "value": "OK",
            })))
        }
        ("GET", "synchronization/jobs", false) => list_jobs(ctx, state),
        ("POST", "synchronization/jobs", false) => create_job(ctx, state),
        ("POST", "synchronization/jobs/validateCredentials", false) => {
            validate_credentials(ctx, state, false)
        }
        ("GET", "synchronization/jobs/{}", false) => {
            let job = job(state, ctx.params)?;
            Ok(Reply::ok(select(
                context(ctx, "synchronizationJob", job.to_json(), true),
                &ctx.query,
                "synchronizationJob",
            )?))
        }
        ("PATCH", "synchronization/jobs/{}", false) => patch_job(ctx, state),
        ("DELETE", "synchronization/jobs/{}", false) => {
            let sp = service_principal(state, ctx.params)?;
            let id = job_id(ctx.params)?;
            let index = sp
                .jobs
                .iter()
                .position(|j| j.id == id)
                .ok_or_else(|| job_not_found(id))?;
            sp.jobs.remove(index);
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/jobs/{}/start", false) => {
            job(state, ctx.params)?.start(ctx.now);
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/jobs/{}/pause", false) => {
            job(state, ctx.params)?.pause();
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/jobs/{}/restart", false) => {
            let scope = ctx
                .body
                .as_ref()
                .and_then(|b| b.pointer("/criteria/resetScope"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            job(state, ctx.params)?.restart(ctx.now, scope.as_deref());
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/jobs/{}/provisionOnDemand", false) => {
            provision_on_demand(ctx, state)
        }
        ("POST", "synchronization/jobs/{}/validateCredentials", false) => {
            validate_credentials(ctx, state, true)
        }
        ("POST", "synchronization/jobs/{}/bulkUpload", false) => bulk_upload(ctx, state),
        ("GET", "synchronization/jobs/{}/schema", false) => {
            let job = job(state, ctx.params)?;
            let schema = schema_json(&job.schema, &job.id);
            Ok(Reply::ok(select(
                context(ctx, "synchronizationSchema", schema, true),
                &ctx.query,
                "synchronizationSchema",
            )?))
        }
        ("PUT", "synchronization/jobs/{}/schema", false) => {
            let schema = checked_schema(ctx)?;
            job(state, ctx.params)?.schema = schema.into();
            Ok(Reply::no_content())
        }
        ("DELETE", "synchronization/jobs/{}/schema", false) => {
            let app_id = service_principal(state, ctx.params)?.app_id.clone();
            let template_id = job(state, ctx.params)?.template_id.clone();
            let schema = state
                .application_of(&app_id)
                .and_then(|a| {
                    a.templates
                        .iter()
                        .find(|t| t.id.eq_ignore_ascii_case(&template_id))
                })
                .map(|t| t.schema.clone())
                .unwrap_or_else(|| json!({"directories": [], "synchronizationRules": []}).into());
            job(state, ctx.params)?.schema = schema;
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/jobs/{}/schema/parseExpression", false) => {
            job(state, ctx.params)?;
            Ok(Reply::ok(expr::parse_expression(
                ctx.body.as_ref().unwrap_or(&Value::Null),
            )))
        }
        ("GET", "synchronization/jobs/{}/schema/functions", false) => {
            job(state, ctx.params)?;
            Ok(Reply::ok(collection(ctx, "functions", expr::functions())))
        }
        ("GET", "synchronization/jobs/{}/schema/filterOperators", false) => {
            job(state, ctx.params)?;
            Ok(Reply::ok(collection(
                ctx,
                "filterOperators",
                expr::filter_operators(),
            )))
        }
        ("GET", "synchronization/jobs/{}/bulkUpload", false) => {
            let job = job(state, ctx.params)?;
            let value = json!({"id": job.id});
            Ok(Reply::ok(select(
                context(ctx, "bulkUpload", value, true),
                &ctx.query,
                "bulkUpload",
            )?))
        }
        ("GET", "synchronization/jobs/{}/schema/directories", false)
        | ("GET", "synchronization/templates/{}/schema/directories", _) => {
            let directories = schema_mut(state, ctx.params)?
                .get("directories")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            list(ctx, "directoryDefinition", directories)
        }
        ("GET", "synchronization/jobs/{}/schema/directories/{}", false)
        | ("GET", "synchronization/templates/{}/schema/directories/{}", _) => {
            let mut schema = schema_mut(state, ctx.params)?.clone();
            let directory =
                directory_mut(std::sync::Arc::make_mut(&mut schema), ctx.params)?.clone();
            Ok(Reply::ok(select(
                context(ctx, "directoryDefinition", directory, true),
                &ctx.query,
                "directoryDefinition",
            )?))
        }
        ("POST", "synchronization/jobs/{}/schema/directories/{}/discover", false)
        | ("POST", "synchronization/templates/{}/schema/directories/{}/discover", _) => {
            discover(ctx, state)
        }
        ("GET", "synchronization/templates", _) => {
            let app_id = app_id_of(state, ctx.params);
            let templates: Vec<Value> = templates(state, ctx.params)?
                .map(|ts| ts.iter().map(|t| template_json(t, &app_id)).collect())
                .unwrap_or_default();
            list(ctx, "synchronizationTemplate", templates)
        }
        ("GET", "synchronization/templates/{}", _) => {
            let app_id = app_id_of(state, ctx.params);
            let t = template(state, ctx.params)?;
            let value = template_json(t, &app_id);
            Ok(Reply::ok(select(
                context(ctx, "synchronizationTemplate", value, true),
                &ctx.query,
                "synchronizationTemplate",
            )?))
        }
        ("PUT", "synchronization/templates/{}", true)
        | ("PATCH", "synchronization/templates/{}", true) => {
            update_template(ctx, state, method == "PUT")
        }
        ("GET", "synchronization/templates/{}/schema", _) => {
            let t = template(state, ctx.params)?;
            let schema = schema_json(&t.schema, &t.id);
            Ok(Reply::ok(select(
                context(ctx, "synchronizationSchema", schema, true),
                &ctx.query,
                "synchronizationSchema",
            )?))
        }
        ("PUT", "synchronization/templates/{}/schema", true) => {
            let schema = checked_schema(ctx)?;
            template_mut(state, ctx.params)?.schema = schema.into();
            Ok(Reply::no_content())
        }
        ("DELETE", "synchronization/templates/{}/schema", true) => {
            let t = template_mut(state, ctx.params)?;
            t.schema = t.default_schema.clone();
            Ok(Reply::no_content())
        }
        ("POST", "synchronization/templates/{}/schema/parseExpression", _) => {
            template(state, ctx.params)?;
            Ok(Reply::ok(expr::parse_expression(
                ctx.body.as_ref().unwrap_or(&Value::Null),
            )))
        }
        ("GET", "synchronization/templates/{}/schema/functions", _) => {
            template(state, ctx.params)?;
            Ok(Reply::ok(collection(ctx, "functions", expr::functions())))
        }
        ("GET", "synchronization/templates/{}/schema/filterOperators", _) => {
            template(state, ctx.params)?;
            Ok(Reply::ok(collection(
                ctx,
                "filterOperators",
                expr::filter_operators(),
            )))
        }
        _ => Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            format!(
                "The emulator does not implement {} ({} {}) yet.",
                ctx.route.operation_id, ctx.route.method, ctx.route.path
            ),
        )),
    }
}

/// Whether `dispatch` has an arm for the route (checked by a test over the whole spec).
#[cfg(test)]
pub(crate) fn implemented(route: &Route) -> bool {
    let mut state = State::default();
    let params = PathParams {
        values: route
            .segments
            .iter()
            .filter_map(|s| match s {
                crate::spec::Segment::Param(n) => Some((n.clone(), "x".to_owned())),
                crate::spec::Segment::AppIdKey => Some(("appId".to_owned(), "x".to_owned())),
                _ => None,
            })
            .collect(),
    };
    let ctx = Ctx {
        route,
        params: &params,
        version: "beta",
        query: Query::default(),
        body: None,
        now: Instant::MIN,
        base_url: "http://x",
        path: "/",
    };
    !matches!(dispatch(&ctx, &mut state), Err(e) if e.status == StatusCode::NOT_IMPLEMENTED)
}

// ---- lookups -------------------------------------------------------------------------------

fn invalid_object_id(id: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid object identifier '{id}'."))
        .with_code("Request_BadRequest")
}

fn resource_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "Request_ResourceNotFound",
        format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

fn job_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "NotFound",
        format!("The synchronization job '{id}' was not found."),
    )
}

fn job_id(params: &PathParams) -> Result<&str, ApiError> {
    params
        .get("synchronizationJob-id")
        .ok_or_else(|| ApiError::bad_request("missing job id"))
}

/// The service principal of `servicePrincipals/{id}` or `servicePrincipals(appId='...')`.
pub(crate) fn service_principal<'s>(
    state: &'s mut State,
    params: &PathParams,
) -> Result<&'s mut ServicePrincipal, ApiError> {
    if let Some(id) = params.get("servicePrincipal-id") {
        if !is_uuid(id) {
            return Err(invalid_object_id(id));
        }
        return state
            .service_principals
            .iter_mut()
            .find(|sp| sp.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| resource_not_found(id));
    }
    if let Some(app_id) = params.get("appId") {
        if !is_uuid(app_id) {
            return Err(invalid_object_id(app_id));
        }
        return state
            .service_principals
            .iter_mut()
            .find(|sp| sp.app_id.eq_ignore_ascii_case(app_id))
            .ok_or_else(|| resource_not_found(&format!("servicePrincipals(appId='{app_id}')")));
    }
    Err(ApiError::bad_request(
        "The path names no service principal.",
    ))
}

fn job<'s>(state: &'s mut State, params: &PathParams) -> Result<&'s mut Job, ApiError> {
    let id = job_id(params)?;
    let sp = service_principal(state, params)?;
    sp.jobs
        .iter_mut()
        .find(|j| j.id == id)
        .ok_or_else(|| job_not_found(id))
}

/// The templates of the path's parent (an application, or a service principal's application);
/// `None` for a service principal whose application is not in the tenant (it has no templates).
fn templates<'s>(
    state: &'s mut State,
    params: &PathParams,
) -> Result<Option<&'s mut Vec<Template>>, ApiError> {
    if let Some(id) = params.get("application-id") {
        if !is_uuid(id) {
            return Err(invalid_object_id(id));
        }
        return state
            .applications
            .iter_mut()
            .find(|a| a.id.eq_ignore_ascii_case(id))
            .map(|a| Some(&mut a.templates))
            .ok_or_else(|| resource_not_found(id));
    }
    let app_id = service_principal(state, params)?.app_id.clone();
    Ok(state
        .applications
        .iter_mut()
        .find(|a| !app_id.is_empty() && a.app_id.eq_ignore_ascii_case(&app_id))
        .map(|app| &mut app.templates))
}

fn app_id_of(state: &State, params: &PathParams) -> String {
    if let Some(id) = params.get("application-id") {
        return state
            .applications
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
            .map(|a| a.app_id.clone())
            .unwrap_or_default();
    }
    params
        .get("servicePrincipal-id")
        .and_then(|id| {
            state
                .service_principals
                .iter()
                .find(|sp| sp.id.eq_ignore_ascii_case(id))
        })
        .map(|sp| sp.app_id.clone())
        .unwrap_or_default()
}

fn template<'s>(state: &'s mut State, params: &PathParams) -> Result<&'s Template, ApiError> {
    template_mut(state, params).map(|t| &*t)
}

fn template_mut<'s>(
    state: &'s mut State,
    params: &PathParams,
) -> Result<&'s mut Template, ApiError> {
    let id = params
        .get("synchronizationTemplate-id")
        .unwrap_or_default()
        .to_owned();
    templates(state, params)?
        .and_then(|templates| {
            templates
                .iter_mut()
                .find(|t| t.id.eq_ignore_ascii_case(&id))
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "NotFound",
                format!("The synchronization template '{id}' was not found."),
            )
        })
}

// ---- rendering -----------------------------------------------------------------------------

/// Adds `@odata.context` in front of an entity.
fn context(ctx: &Ctx<'_>, _type_name: &str, value: Value, entity: bool) -> Value {
    let Value::Object(map) = value else {
        return value;
    };
    let mut out = Map::new();
    let suffix = if entity { "/$entity" } else { "" };
    out.insert(
        "@odata.context".into(),
        json!(format!(
            "{}/{}/$metadata#{}{}",
            ctx.base_url,
            ctx.version,
            context_path(ctx, entity),
            suffix
        )),
    );
    out.extend(map);
    Value::Object(out)
}

/// The OData context path of the request: keys in parentheses after their collection
/// (`servicePrincipals('id')/synchronization/jobs`), the addressed entity's own key left out.
fn context_path(ctx: &Ctx<'_>, entity: bool) -> String {
    let segments = &ctx.route.segments;
    let mut values = ctx.params.values.iter().map(|(_, v)| v.replace('\'', "''"));
    let mut parts: Vec<String> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            crate::spec::Segment::Literal(l) => parts.push(l.clone()),
            crate::spec::Segment::AppIdKey => parts.push(format!(
                "servicePrincipals(appId='{}')",
                values.next().unwrap_or_default()
            )),
            crate::spec::Segment::Param(_) => {
                let value = values.next().unwrap_or_default();
                let last = i + 1 == segments.len();
                if !(last && entity)
                    && let Some(collection) = parts.last_mut()
                {
                    collection.push_str(&format!("('{value}')"));
                }
            }
        }
    }
    parts.join("/")
}

fn schema_json(schema: &Value, id: &str) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    if let Value::Object(map) = schema {
        for (k, v) in map {
            if k != "id" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn template_json(t: &Template, app_id: &str) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(t.id));
    out.insert("applicationId".into(), json!(app_id));
    for (k, v) in &t.properties {
        out.insert(k.clone(), v.clone());
    }
    out.insert("schema".into(), schema_json(&t.schema, &t.id));
    Value::Object(out)
}

/// Applies `$select` to one entity (its `id` and annotations are always kept).
fn select(value: Value, query: &Query, type_name: &str) -> Result<Value, ApiError> {
    let Some(fields) = &query.select else {
        return Ok(value);
    };
    let properties = spec()
        .schemas
        .get(type_name)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object);
    for field in fields {
        if field != "*" && !properties.is_some_and(|p| p.contains_key(field)) {
            return Err(ApiError::bad_request(format!(
                "Could not find a property named '{field}' on type 'microsoft.graph.{type_name}'."
            )));
        }
    }
    if fields.iter().any(|f| f == "*") {
        return Ok(value);
    }
    let Value::Object(map) = value else {
        return Ok(value);
    };
    Ok(Value::Object(
        map.into_iter()
            .filter(|(k, _)| k == "id" || k.starts_with('@') || fields.contains(k))
            .collect(),
    ))
}

fn collection(ctx: &Ctx<'_>, name: &str, items: Vec<Value>) -> Value {
    json!({
        "@odata.context": format!("{}/{}/$metadata#{}", ctx.base_url, ctx.version, name),
        "value": items,
    })
}

/// A list with `$filter`, `$count`, `$top`/`$skiptoken` paging and `$select`.
fn list(ctx: &Ctx<'_>, type_name: &str, items: Vec<Value>) -> Result<Reply, ApiError> {
    let filter = match &ctx.query.filter {
        Some(text) => Some(crate::filter::Filter::parse(text, type_name)?),
        None => None,
    };
    let items: Vec<Value> = items
        .into_iter()
        .filter(|item| filter.as_ref().is_none_or(|f| f.matches(item)))
        .collect();
    let total = items.len();
    let offset = ctx.query.skip_token.unwrap_or(0).min(total);
    let end = ctx
        .query
        .top
        .map_or(total, |top| offset.saturating_add(top).min(total));
    let mut page = Vec::with_capacity(end - offset);
    for item in &items[offset..end] {
        page.push(select(item.clone(), &ctx.query, type_name)?);
    }
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(format!(
            "{}/{}/$metadata#{}",
            ctx.base_url,
            ctx.version,
            context_path(ctx, false)
        )),
    );
    if ctx.query.count {
        body.insert("@odata.count".into(), json!(total));
    }
    if end < total {
        let mut next = format!(
            "{}{}?$top={}&$skiptoken=emu-{end}",
            ctx.base_url,
            ctx.path,
            ctx.query.top.unwrap_or(total)
        );
        for (name, value) in [
            ("$filter", ctx.query.filter.clone()),
            ("$select", ctx.query.select.as_ref().map(|s| s.join(","))),
            ("$count", ctx.query.count.then(|| "true".to_owned())),
        ] {
            if let Some(value) = value {
                next.push_str(&format!("&{name}={}", encode_query(&value)));
            }
        }
        body.insert("@odata.nextLink".into(), json!(next));
    }
    body.insert("value".into(), Value::Array(page));
    Ok(Reply::ok(Value::Object(body)))
}

fn encode_query(value: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b',')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(value, SET).to_string()
}

// ---- operations ----------------------------------------------------------------------------

/// Keys whose values are shown as stored: settings, not credentials.
const NON_SECRET_KEYS: &[&str] = &[
    "BaseAddress",
    "SyncAll",
    "SyncNotificationSettings",
    "SkipOutOfScopeDeletions",
    "Url",
    "Domain",
    "Sandbox",
    "SandboxName",
    "InstanceName",
    "EnforceDomain",
    "SynchronizationSchedule",
    "SystemOfRecord",
    "UpdateKeyOnSoftDelete",
    "PerformInboundEntitlementGrants",
    "HardDeletesEnabled",
    "ValidateDomain",
    "Server",
    "AuthenticationType",
    "SingleSignOnType",
    "CompanyId",
];

/// A stored secret as the service shows it: settings in full, credentials masked.
fn shown_secret(secret: &Secret) -> Value {
    let plain = NON_SECRET_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&secret.key));
    let value = match &secret.value {
        None => Value::Null,
        Some(v) if plain => json!(v),
        Some(_) => json!("*"),
    };
    json!({"key": secret.key, "value": value})
}

fn get_synchronization(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let sp = service_principal(state, ctx.params)?;
    let value = json!({
        "id": sp.id,
        "secrets": sp.secrets.iter().map(shown_secret).collect::<Vec<_>>(),
    });
    Ok(Reply::ok(select(
        context(ctx, "synchronization", value, true),
        &ctx.query,
        "synchronization",
    )?))
}

fn secrets_from(value: Option<&Value>) -> Vec<Secret> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|pair| Secret {
            key: pair
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            value: pair.get("value").and_then(Value::as_str).map(str::to_owned),
        })
        .collect()
}

/// Stores secrets: a key sent again replaces the stored value, other stored keys stay.
fn store_secrets(sp: &mut ServicePrincipal, secrets: Vec<Secret>) {
    for secret in secrets {
        match sp
            .secrets
            .iter_mut()
            .find(|s| s.key.eq_ignore_ascii_case(&secret.key))
        {
            Some(stored) => *stored = secret,
            None => sp.secrets.push(secret),
        }
    }
}

fn put_synchronization(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let secrets = secrets_from(ctx.body.as_ref().and_then(|b| b.get("secrets")));
    let sp = service_principal(state, ctx.params)?;
    store_secrets(sp, secrets);
    Ok(Reply::no_content())
}

fn put_secrets(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let secrets = secrets_from(ctx.body.as_ref().and_then(|b| b.get("value")));
    let sp = service_principal(state, ctx.params)?;
    store_secrets(sp, secrets);
    Ok(Reply::no_content())
}

fn acquire_access_token(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let credentials = secrets_from(ctx.body.as_ref().and_then(|b| b.get("credentials")));
    if credentials.is_empty() {
        return Err(
            ApiError::bad_request("credentials must name at least one key and value.")
                .with_target("credentials"),
        );
    }
    if let Some(empty) = credentials
        .iter()
        .find(|c| c.value.as_deref().is_none_or(str::is_empty))
    {
        return Err(
            ApiError::bad_request(format!("The credential '{}' has no value.", empty.key))
                .with_target("credentials"),
        );
    }
    let token = Secret {
        key: "Oauth2AccessToken".into(),
        value: Some(format!("emulated-{}", crate::ids::hex32())),
    };
    let created = Secret {
        key: "Oauth2AccessTokenCreationTime".into(),
        value: Some(ctx.now.to_string()),
    };
    if ctx.params.get("application-id").is_some() {
        // The application's own token is not kept: only its existence is checked.
        templates(state, ctx.params)?;
        return Ok(Reply::no_content());
    }
    let sp = service_principal(state, ctx.params)?;
    store_secrets(sp, vec![token, created]);
    Ok(Reply::no_content())
}

fn list_jobs(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let jobs: Vec<Value> = service_principal(state, ctx.params)?
        .jobs
        .iter()
        .map(Job::to_json)
        .collect();
    list(ctx, "synchronizationJob", jobs)
}

fn create_job(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let body = ctx.body.as_ref();
    let template_id = body
        .and_then(|b| b.get("templateId"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("The templateId property is required to create a job.")
                .with_target("templateId")
        })?
        .to_owned();
    let app_id = service_principal(state, ctx.params)?.app_id.clone();
    let template = state
        .application_of(&app_id)
        .and_then(|a| a.templates.iter().find(|t| t.id.eq_ignore_ascii_case(&template_id)))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "The template '{template_id}' does not exist for this service principal's application; \
                 list the available ones with GET .../synchronization/templates."
            ))
            .with_target("templateId")
        })?;
    let job = Job {
        id: format!("{}.{}", template.id, crate::ids::hex32()),
        template_id: template.id.clone(),
        schema: template.schema.clone(),
        synchronization_job_settings: body
            .and_then(|b| b.get("synchronizationJobSettings"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        ..Default::default()
    };
    let value = job.to_json();
    service_principal(state, ctx.params)?.jobs.push(job);
    Ok(Reply::Json {
        status: StatusCode::CREATED,
        body: context(ctx, "synchronizationJob", value, true),
        headers: Vec::new(),
    })
}

fn patch_job(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let body = ctx.body.clone().unwrap_or_default();
    let job = job(state, ctx.params)?;
    if let Some(settings) = body.get("synchronizationJobSettings") {
        job.synchronization_job_settings = settings.as_array().cloned().unwrap_or_default();
    }
    if let Some(template_id) = body.get("templateId").and_then(Value::as_str)
        && !template_id.eq_ignore_ascii_case(&job.template_id)
    {
        return Err(
            ApiError::bad_request("The templateId of a job cannot be changed.")
                .with_target("templateId"),
        );
    }
    Ok(Reply::no_content())
}

fn validate_credentials(ctx: &Ctx<'_>, state: &mut State, on_job: bool) -> Result<Reply, ApiError> {
    let body = ctx.body.clone().unwrap_or_default();
    let use_saved = body
        .get("useSavedCredentials")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let sent = secrets_from(body.get("credentials"));
    if on_job {
        job(state, ctx.params)?;
    }
    let sp = service_principal(state, ctx.params)?;
    let secrets = if use_saved { sp.secrets.clone() } else { sent };
    match credentials_problem_in(secrets.iter().map(|s| (s.key.as_str(), s.value.as_deref()))) {
        None => Ok(Reply::no_content()),
        Some(problem) => Err(ApiError::bad_request(problem.message)
            .with_code(&problem.code)
            .with_target(if use_saved {
                "useSavedCredentials"
            } else {
                "credentials"
            })),
    }
}

fn checked_schema(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut schema = ctx.body.clone().unwrap_or_else(|| json!({}));
    rules::check(&schema)?;
    if let Value::Object(map) = &mut schema {
        map.retain(|k, _| !k.starts_with('@'));
        map.insert("version".into(), json!(format!("Date:{}~", ctx.now)));
    }
    Ok(schema)
}

fn update_template(ctx: &Ctx<'_>, state: &mut State, replace: bool) -> Result<Reply, ApiError> {
    let body = ctx.body.clone().unwrap_or_default();
    let Value::Object(body) = body else {
        return Err(ApiError::unreadable_json());
    };
    if let Some(schema) = body.get("schema").filter(|s| !s.is_null()) {
        rules::check(schema).map_err(|e| {
            let target = e
                .extra
                .target
                .clone()
                .map_or("schema".to_owned(), |t| format!("schema.{t}"));
            e.with_target(target)
        })?;
    }
    let template = template_mut(state, ctx.params)?;
    if replace {
        // PUT/PATCH with the whole template: what is omitted is erased.
        template.properties = Map::new();
    }
    for (key, value) in body {
        match key.as_str() {
            "id" | "applicationId" => {}
            k if k.starts_with('@') => {}
            "schema" => template.schema = value.into(),
            _ => {
                template.properties.insert(key, value);
            }
        }
    }
    Ok(Reply::no_content())
}

/// The schema of the path's job or template.
fn schema_mut<'s>(
    state: &'s mut State,
    params: &PathParams,
) -> Result<&'s mut std::sync::Arc<Value>, ApiError> {
    if params.get("synchronizationJob-id").is_some() {
        Ok(&mut job(state, params)?.schema)
    } else {
        Ok(&mut template_mut(state, params)?.schema)
    }
}

/// The directory `{directoryDefinition-id}` of a schema.
fn directory_mut<'s>(
    schema: &'s mut Value,
    params: &PathParams,
) -> Result<&'s mut Value, ApiError> {
    let id = params.get("directoryDefinition-id").unwrap_or_default();
    schema
        .get_mut("directories")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .find(|d| {
            d.get("id")
                .and_then(Value::as_str)
                .is_some_and(|d| d.eq_ignore_ascii_case(id))
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "NotFound",
                format!("The directory '{id}' is not in the schema."),
            )
        })
}

fn discover(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let directory = directory_mut(
        std::sync::Arc::make_mut(schema_mut(state, ctx.params)?),
        ctx.params,
    )?;
    directory["discoverabilities"] = json!("AttributeNames, AttributeDataTypes");
    directory["discoveryDateTime"] = json!(ctx.now.to_string());
    directory["version"] = json!(crate::ids::uuid());
    let value = directory.clone();
    Ok(Reply::ok(context(ctx, "directoryDefinition", value, true)))
}

/// provisionOnDemand allows 5 requests per 10 seconds per job.
const ON_DEMAND_LIMIT: usize = 5;
const ON_DEMAND_WINDOW: i64 = 10 * SECOND;
/// bulkUpload allows 40 requests per second per job, 50 operations each.
const BULK_LIMIT: usize = 40;
const BULK_WINDOW: i64 = SECOND;
const BULK_MAX_OPERATIONS: usize = 50;

/// Counts a request in a sliding window; `Err(seconds)` to wait when the window is full.
fn rate_limit(
    times: &mut Vec<crate::time::Instant>,
    now: Instant,
    limit: usize,
    window: i64,
) -> Result<(), u64> {
    times.retain(|t| now.ticks_since(*t) < window);
    if times.len() >= limit {
        let oldest = times.iter().min().copied().unwrap_or(now);
        let wait = (window - now.ticks_since(oldest)).max(1);
        return Err(u64::try_from((wait + SECOND - 1) / SECOND)
            .unwrap_or(1)
            .max(1));
    }
    times.push(now);
    Ok(())
}

fn too_many(seconds: u64, what: &str) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        format!("Too many requests: {what}. Retry after {seconds} seconds."),
    )
    .with_header("retry-after", seconds.to_string())
}

fn provision_on_demand(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let body = ctx.body.clone().unwrap_or_default();
    let credentials = credentials_problem_in(
        service_principal(state, ctx.params)?
            .secrets
            .iter()
            .map(|s| (s.key.as_str(), s.value.as_deref()))
            .collect::<Vec<_>>()
            .into_iter(),
    );
    let out_of_scope = state.directory.out_of_scope.clone();
    let now = ctx.now;
    let job = job(state, ctx.params)?;
    let parameters = body
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let [parameter] = parameters.as_slice() else {
        return Err(ApiError::bad_request(
            "parameters must hold exactly one synchronizationJobApplicationParameters.",
        )
        .with_target("parameters"));
    };
    let rule_id = parameter
        .get("ruleId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let rule = job
        .schema
        .get("synchronizationRules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| {
            r.get("id").and_then(Value::as_str).is_some_and(|id| {
                id.eq_ignore_ascii_case(rule_id)
                    || id.eq_ignore_ascii_case(rule_id.trim_end_matches("#V2"))
            })
        })
        .cloned()
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "The ruleId '{rule_id}' is not the id of a rule of the job's schema."
            ))
            .with_target("parameters[0].ruleId")
        })?;
    let subjects = parameter
        .get("subjects")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let [subject] = subjects.as_slice() else {
        return Err(
            ApiError::bad_request("subjects must hold exactly one object to provision.")
                .with_target("parameters[0].subjects"),
        );
    };
    let object_id = subject
        .get("objectId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let type_name = subject
        .get("objectTypeName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if object_id.is_empty() {
        return Err(ApiError::bad_request("objectId is required.")
            .with_target("parameters[0].subjects[0].objectId"));
    }
    let sources: Vec<String> = rule
        .get("objectMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            m.get("sourceObjectName")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    if !sources.iter().any(|s| s.eq_ignore_ascii_case(&type_name)) {
        return Err(ApiError::bad_request(format!(
            "The objectTypeName '{type_name}' is not a source object of rule '{rule_id}' (it maps {}).",
            sources.join(", ")
        ))
        .with_target("parameters[0].subjects[0].objectTypeName"));
    }
    let members = subject
        .pointer("/links/members")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if members > 5 {
        return Err(ApiError::bad_request(
            "A group can be provisioned on demand with at most 5 members.",
        )
        .with_target("parameters[0].subjects[0].links.members"));
    }
    rate_limit(
        &mut job.engine.on_demand_times,
        now,
        ON_DEMAND_LIMIT,
        ON_DEMAND_WINDOW,
    )
    .map_err(|s| {
        too_many(
            s,
            "provisionOnDemand allows 5 requests per 10 seconds per job",
        )
    })?;
    let outcome = if let Some(problem) = credentials {
        crate::on_demand::Outcome::Failure(problem.code, problem.message)
    } else if out_of_scope
        .iter()
        .any(|o| o.eq_ignore_ascii_case(&object_id))
    {
        crate::on_demand::Outcome::Skipped(
            "NotEffectivelyEntitled".into(),
            "The object is not assigned to the application or is out of the provisioning scope."
                .into(),
        )
    } else if job
        .engine
        .provisioned_on_demand
        .iter()
        .any(|o| o.eq_ignore_ascii_case(&object_id))
    {
        crate::on_demand::Outcome::Skipped(
            "RedundantExport".into(),
            "The state of the user in both the source and target systems already match.".into(),
        )
    } else {
        job.engine.provisioned_on_demand.push(object_id.clone());
        crate::on_demand::Outcome::Success
    };
    let body = crate::on_demand::result(ctx, &object_id, &type_name, members, &outcome);
    Ok(Reply::ok(body))
}

fn bulk_upload(ctx: &Ctx<'_>, state: &mut State) -> Result<Reply, ApiError> {
    let body = ctx
        .body
        .clone()
        .ok_or_else(|| ApiError::bad_request("A SCIM BulkRequest body is required."))?;
    let operations = body
        .get("Operations")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if operations > BULK_MAX_OPERATIONS {
        return Err(ApiError::bad_request(format!(
            "The request has {operations} operations; at most {BULK_MAX_OPERATIONS} are allowed per request."
        ))
        .with_target("Operations"));
    }
    let schemas_ok = body
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| {
            s.iter()
                .any(|s| s == "urn:ietf:params:scim:api:messages:2.0:BulkRequest")
        });
    if !schemas_ok {
        return Err(ApiError::bad_request(
            "schemas must contain \"urn:ietf:params:scim:api:messages:2.0:BulkRequest\".",
        )
        .with_target("schemas"));
    }
    let sp_id = service_principal(state, ctx.params)?.id.clone();
    let now = ctx.now;
    let job = job(state, ctx.params)?;
    rate_limit(
        &mut job.engine.bulk_upload_times,
        now,
        BULK_LIMIT,
        BULK_WINDOW,
    )
    .map_err(|s| too_many(s, "bulkUpload allows 40 requests per second per job"))?;
    let job_id = job.id.clone();
    state.bulk_uploads.push(BulkUploadRecord {
        service_principal_id: sp_id,
        job_id: job_id.clone(),
        received: now,
        body,
    });
    let location = format!(
        "{}/{}/auditLogs/provisioning/?$filter=jobid eq '{job_id}'",
        ctx.base_url, ctx.version
    );
    Ok(Reply::Empty {
        status: StatusCode::ACCEPTED,
        headers: vec![("location", location.replace(' ', "%20"))],
    })
}

impl ApiError {
    /// Replaces the error code.
    pub(crate) fn with_code(mut self, code: &str) -> Self {
        self.code = code.to_owned();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_operation_has_an_implementation() {
        for route in &spec().routes {
            assert!(implemented(route), "{} {}", route.method, route.path);
        }
    }

    #[test]
    fn query_options_are_checked() {
        let all: Vec<String> = ["$top", "$filter", "$select", "$skiptoken", "$count"]
            .map(String::from)
            .to_vec();
        let q = Query::parse(Some("$top=2&$select=id,templateId&$count=true&x=1"), &all).unwrap();
        assert_eq!(q.top, Some(2));
        assert!(q.count);
        assert!(Query::parse(Some("$top=-1"), &all).is_err());
        assert!(Query::parse(Some("$top=1&$top=2"), &all).is_err());
        let e = Query::parse(Some("$top=1"), &["$select".to_owned()]).unwrap_err();
        assert!(
            e.message.contains("Query option 'Top' is not allowed"),
            "{}",
            e.message
        );
        assert!(Query::parse(Some("$skiptoken=garbage"), &all).is_err());
    }

    #[test]
    fn windows_limit_and_say_how_long_to_wait() {
        let t0 = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        let mut times = Vec::new();
        for _ in 0..5 {
            rate_limit(&mut times, t0, 5, 10 * SECOND).unwrap();
        }
        assert_eq!(
            rate_limit(&mut times, t0.plus_seconds(3.0), 5, 10 * SECOND),
            Err(7)
        );
        rate_limit(&mut times, t0.plus_seconds(10.0), 5, 10 * SECOND).unwrap();
    }
}
