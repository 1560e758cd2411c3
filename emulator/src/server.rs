//! The HTTP side: the accept loop (hyper on tokio, so a fault can drop a connection), the axum
//! router with the admin endpoints, and the pipeline every Graph request goes through: ids, the
//! request log, faults, version, auth, routing, query options, body checks, then the operation.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::error::ApiError;
use crate::faults::{self, Effect, Fault, RetryAfter};
use crate::graph::{self, Reply};
use crate::spec::{self, NoMatch};
use crate::state::State;
use crate::time::Instant;
use crate::{RecordedRequest, TokenCheck};

/// Settings fixed when the emulator starts.
pub(crate) struct Config {
    pub body_limit: usize,
    /// How long a request body may take to arrive (then 408).
    pub body_timeout: Duration,
    pub token_check: Option<TokenCheck>,
    pub log_limit: usize,
}

/// The emulated clock: a reading that moves only when told to, or with real time as well.
pub(crate) struct Clock {
    base: Instant,
    realtime_since: Option<std::time::Instant>,
}

impl Clock {
    pub fn new(start: Instant, realtime: bool) -> Self {
        Self {
            base: start,
            realtime_since: realtime.then(std::time::Instant::now),
        }
    }

    pub fn now(&self) -> Instant {
        match self.realtime_since {
            Some(since) => self
                .base
                .plus_ticks(i64::try_from(since.elapsed().as_nanos() / 100).unwrap_or(i64::MAX)),
            None => self.base,
        }
    }

    pub fn advance(&mut self, ticks: i64) {
        self.base = self.base.plus_ticks(ticks);
    }

    pub fn set(&mut self, to: Instant) {
        self.base = to;
        if self.realtime_since.is_some() {
            self.realtime_since = Some(std::time::Instant::now());
        }
    }
}

/// What the server and the handle share.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub clock: Mutex<Clock>,
    pub faults: Mutex<Vec<Fault>>,
    pub log: Mutex<VecDeque<RecordedRequest>>,
    pub config: Config,
    pub base_url: String,
}

/// Locks a mutex, taking the data even if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The clock's reading, after running every cycle due by then.
    pub fn now_caught_up(&self, state: &mut State) -> Instant {
        let now = lock(&self.clock).now();
        state.catch_up(now);
        now
    }
}

/// A connection's kill switch, found in each request's extensions.
#[derive(Clone)]
struct Kill(Arc<Notify>);

/// Serves `listener` until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let router = router(shared);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let kill_for_requests = kill.clone();
            let service = hyper::service::service_fn(
                move |mut request: http::Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(Kill(kill_for_requests.clone()));
                    let router = router.clone();
                    async move { tower::ServiceExt::oneshot(router, request.map(Body::new)).await }
                },
            );
            let connection = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/_emulator/state",
            get(admin_get_state).put(admin_put_state),
        )
        .route("/_emulator/clock", get(admin_get_clock))
        .route("/_emulator/clock/advance", post(admin_advance))
        .route(
            "/_emulator/faults",
            get(admin_get_faults)
                .post(admin_add_fault)
                .delete(admin_clear_faults),
        )
        .route(
            "/_emulator/requests",
            get(admin_get_requests).delete(admin_clear_requests),
        )
        .route("/_emulator/bulkUploads", get(admin_get_bulk_uploads))
        .fallback(handle)
        .with_state(shared)
}

type SharedState = AxumState<Arc<Shared>>;

fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn admin_error(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        &json!({"error": {"code": "EmulatorAdmin", "message": message}}),
    )
}

async fn read_admin_json(request: Request, limit: usize) -> Result<Value, Response> {
    let bytes = match http_body_util::Limited::new(request.into_body(), limit)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(admin_error(StatusCode::PAYLOAD_TOO_LARGE, "body too large")),
    };
    serde_json::from_slice(&bytes)
        .map_err(|e| admin_error(StatusCode::BAD_REQUEST, &format!("invalid JSON: {e}")))
}

async fn admin_get_state(AxumState(shared): SharedState) -> Response {
    json_response(StatusCode::OK, &crate::snapshot_of(&shared))
}

async fn admin_put_state(AxumState(shared): SharedState, request: Request) -> Response {
    let value = match read_admin_json(request, shared.config.body_limit.max(64 << 20)).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match crate::load_snapshot(&shared, value) {
        Ok(()) => Response::builder()
            .status(StatusCode::NO_CONTENT)
            .body(Body::empty())
            .unwrap_or_default(),
        Err(e) => admin_error(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

async fn admin_get_clock(AxumState(shared): SharedState) -> Response {
    let now = lock(&shared.clock).now();
    json_response(StatusCode::OK, &json!({"now": now.to_string()}))
}

/// `POST /_emulator/clock/advance` with `{"seconds": n}` or `{"duration": "PT40M"}`, or
/// `{"to": "<date-time>"}` to set the clock.
async fn admin_advance(AxumState(shared): SharedState, request: Request) -> Response {
    let value = match read_admin_json(request, 4096).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let result = if let Some(seconds) = value.get("seconds").and_then(Value::as_f64) {
        crate::advance_shared(&shared, (seconds * 1e7) as i64)
    } else if let Some(text) = value.get("duration").and_then(Value::as_str) {
        match crate::time::parse_duration(text) {
            Some(ticks) => crate::advance_shared(&shared, ticks),
            None => Err(format!("not an ISO 8601 duration: {text:?}")),
        }
    } else if let Some(text) = value.get("to").and_then(Value::as_str) {
        match Instant::parse(text) {
            Some(to) => {
                lock(&shared.clock).set(to);
                let mut state = lock(&shared.state);
                shared.now_caught_up(&mut state);
                Ok(())
            }
            None => Err(format!("not a date-time: {text:?}")),
        }
    } else {
        Err(
            "send {\"seconds\": n}, {\"duration\": \"PT40M\"} or {\"to\": \"<date-time>\"}"
                .to_owned(),
        )
    };
    match result {
        Ok(()) => admin_get_clock(AxumState(shared)).await,
        Err(e) => admin_error(StatusCode::BAD_REQUEST, &e),
    }
}

async fn admin_get_faults(AxumState(shared): SharedState) -> Response {
    let faults = lock(&shared.faults).clone();
    json_response(StatusCode::OK, &json!({"value": faults}))
}

async fn admin_add_fault(AxumState(shared): SharedState, request: Request) -> Response {
    let value = match read_admin_json(request, 64 << 10).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let fault: Fault = match serde_json::from_value(value) {
        Ok(f) => f,
        Err(e) => return admin_error(StatusCode::BAD_REQUEST, &format!("not a fault: {e}")),
    };
    if let Err(e) = fault.check() {
        return admin_error(StatusCode::BAD_REQUEST, &e);
    }
    lock(&shared.faults).push(fault);
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::empty())
        .unwrap_or_default()
}

async fn admin_clear_faults(AxumState(shared): SharedState) -> Response {
    lock(&shared.faults).clear();
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::empty())
        .unwrap_or_default()
}

async fn admin_get_requests(AxumState(shared): SharedState) -> Response {
    let log: Vec<Value> = lock(&shared.log)
        .iter()
        .map(RecordedRequest::to_json)
        .collect();
    json_response(StatusCode::OK, &json!({"value": log}))
}

async fn admin_clear_requests(AxumState(shared): SharedState) -> Response {
    lock(&shared.log).clear();
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::empty())
        .unwrap_or_default()
}

async fn admin_get_bulk_uploads(AxumState(shared): SharedState) -> Response {
    let uploads = serde_json::to_value(&lock(&shared.state).bulk_uploads).unwrap_or_default();
    json_response(StatusCode::OK, &json!({"value": uploads}))
}

/// Everything a Graph request carries into the operation.
pub(crate) struct Incoming {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// The Graph pipeline.
async fn handle(AxumState(shared): SharedState, request: Request) -> Response {
    let request_id = crate::ids::uuid();
    let client_request_id = request
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 256)
        .map_or_else(|| request_id.clone(), str::to_owned);
    let kill = request.extensions().get::<Kill>().cloned();
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);

    let effect = faults::take(&mut lock(&shared.faults), parts.method.as_str(), &path);
    let ids = Ids {
        request: request_id,
        client: client_request_id,
    };

    // The body, within the limit.
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = shared.config.body_limit;
    let body = if declared.is_some_and(|n| n > limit as u64) {
        Err(BodyError::TooLarge)
    } else {
        let read = http_body_util::Limited::new(body, limit).collect();
        match tokio::time::timeout(shared.config.body_timeout, read).await {
            Ok(Ok(collected)) => Ok(collected.to_bytes()),
            Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(BodyError::TooLarge),
            Ok(Err(_)) => Err(BodyError::Broken),
            Err(_) => Err(BodyError::Timeout),
        }
    };
    record(
        &shared,
        &parts.method,
        &path,
        query.as_deref(),
        &parts.headers,
        body.as_ref().ok(),
    );

    if let Some(effect) = &effect {
        if let Some(delay) = effect.delay {
            tokio::time::sleep(delay).await;
        }
        if effect.drop_connection {
            if let Some(kill) = &kill {
                kill.0.notify_one();
            }
            // The connection task drops this request with the connection.
            std::future::pending::<()>().await;
        }
    }
    let response = match (&effect, body) {
        (
            Some(Effect {
                status: Some((status, retry_after)),
                ..
            }),
            _,
        ) => fault_status(&ids, *status, retry_after.as_ref()),
        (
            Some(Effect {
                redirect: Some((status, location)),
                ..
            }),
            _,
        ) => {
            let location = if location.starts_with('/') {
                format!("{}{location}", shared.base_url)
            } else {
                location.clone()
            };
            Response::builder()
                .status(StatusCode::from_u16(*status).unwrap_or(StatusCode::TEMPORARY_REDIRECT))
                .header(header::LOCATION, location)
                .body(Body::empty())
                .unwrap_or_default()
        }
        (_, Err(BodyError::TooLarge)) => error_response(
            &ids,
            &ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than the limit of {limit} bytes."),
            ),
        ),
        (_, Err(BodyError::Timeout)) => error_response(
            &ids,
            &ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                format!(
                    "The request body did not arrive within {} ms.",
                    shared.config.body_timeout.as_millis()
                ),
            ),
        ),
        (_, Err(BodyError::Broken)) => error_response(
            &ids,
            &ApiError::bad_request("The request body could not be read."),
        ),
        (_, Ok(body)) => {
            let incoming = Incoming {
                method: parts.method,
                path,
                query,
                headers: parts.headers,
                body,
            };
            let shared = shared.clone();
            match graph_request(&shared, &incoming) {
                Ok(reply) => reply_response(reply),
                Err(error) => error_response(&ids, &error),
            }
        }
    };
    let mut response = with_ids(response, &ids);
    if let Some(effect) = effect {
        if effect.truncate_body {
            response = truncate(response).await;
        } else if let Some(pause) = effect.slow_body {
            response = slow(response, pause).await;
        }
    }
    response
}

/// Why a request body could not be read.
enum BodyError {
    TooLarge,
    Timeout,
    Broken,
}

/// How long a connection may take to send a request's head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

struct Ids {
    request: String,
    client: String,
}

fn record(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Option<&Bytes>,
) {
    if shared.config.log_limit == 0 {
        return;
    }
    let entry = RecordedRequest {
        method: method.to_string(),
        path: path.to_owned(),
        query: query.map(str::to_owned),
        headers: headers
            .iter()
            .map(|(name, value)| {
                let value = if name == header::AUTHORIZATION {
                    "<redacted>".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect(),
        body: body.map(|b| b.to_vec()).unwrap_or_default(),
    };
    let mut log = lock(&shared.log);
    while log.len() >= shared.config.log_limit {
        log.pop_front();
    }
    log.push_back(entry);
}

fn with_ids(mut response: Response, ids: &Ids) -> Response {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ids.request) {
        headers.insert("request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&ids.client) {
        headers.insert("client-request-id", v);
    }
    response
}

fn error_response(ids: &Ids, error: &ApiError) -> Response {
    let date =
        Instant::parse(&format!("{}Z", &Instant::now().to_string()[..19])).unwrap_or(Instant::MIN);
    let mut response = json_response(error.status, &error.body(&ids.request, &ids.client, date));
    for (name, value) in &error.extra.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(*name, v);
        }
    }
    response
}

fn fault_status(ids: &Ids, status: u16, retry_after: Option<&RetryAfter>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let code = match status.as_u16() {
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        500 => "InternalServerError",
        _ => "UnknownError",
    };
    let mut error = ApiError::new(status, code, format!("Injected fault: {status}."));
    match retry_after {
        Some(RetryAfter::Seconds(s)) => error = error.with_header("retry-after", s.to_string()),
        Some(RetryAfter::DateIn(s)) => {
            let when = std::time::SystemTime::now() + Duration::from_secs(*s);
            error = error.with_header("retry-after", httpdate::fmt_http_date(when));
        }
        None => {}
    }
    error_response(ids, &error)
}

fn reply_response(reply: Reply) -> Response {
    let (mut response, headers) = match reply {
        Reply::Json {
            status,
            body,
            headers,
        } => (json_response(status, &body), headers),
        Reply::Empty { status, headers } => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = status;
            (r, headers)
        }
    };
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    response
}

/// Half the body with the full `Content-Length`, then an error: hyper closes the connection.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(1)),
    );
    // The half is written and flushed before the error ends the connection.
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok::<Bytes, std::io::Error>(half), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "truncated by a fault",
                        )),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The body in eight pieces with a pause before each.
async fn slow(response: Response, pause: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let piece = bytes.len().div_ceil(8).max(1);
    let pieces: Vec<Bytes> = (0..bytes.len())
        .step_by(piece)
        .map(|at| bytes.slice(at..(at + piece).min(bytes.len())))
        .collect();
    let stream = futures_util::stream::unfold(pieces.into_iter(), move |mut pieces| async move {
        let next = pieces.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<Bytes, std::io::Error>(next), pieces))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Version, auth, routing, query options and body checks, then the operation.
fn graph_request(shared: &Shared, incoming: &Incoming) -> Result<Reply, ApiError> {
    let raw: Vec<&str> = incoming.path.trim_start_matches('/').split('/').collect();
    let (version, rest) = match raw.split_first() {
        Some((v, rest)) if *v == "v1.0" || *v == "beta" => (*v, rest),
        Some((v, _)) if !v.is_empty() => {
            return Err(ApiError::bad_request(format!(
                "Invalid version: {}",
                spec::decode(v).unwrap_or_default()
            )));
        }
        _ => {
            return Err(ApiError::bad_request(
                "Invalid version: the path must start with /v1.0 or /beta.",
            ));
        }
    };
    check_auth(shared, &incoming.headers)?;
    let rest: Vec<&str> = match rest {
        // A trailing slash is tolerated as the docs write some paths with one.
        [init @ .., ""] if !init.is_empty() => init.to_vec(),
        _ => rest.to_vec(),
    };
    let spec = spec::spec();
    let (route, params) = match spec::find(&spec.routes, &incoming.method, &rest) {
        Ok(found) => found,
        Err(NoMatch::MethodNotAllowed) => {
            return Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "Request_BadRequest",
                "Specified HTTP method is not allowed for the request target.",
            ));
        }
        Err(NoMatch::UnknownSegment(segment)) => return Err(ApiError::unknown_segment(&segment)),
    };
    if route.beta_only && version == "v1.0" {
        let segment = route
            .segments
            .iter()
            .filter_map(|s| match s {
                spec::Segment::Literal(l) => Some(l.trim_end_matches("()")),
                _ => None,
            })
            .next_back()
            .unwrap_or_default();
        return Err(ApiError::unknown_segment(segment));
    }
    let query = graph::Query::parse(incoming.query.as_deref(), &route.query_options)?;
    let body = graph::body(route, incoming)?;
    let mut state = lock(&shared.state);
    let now = shared.now_caught_up(&mut state);
    let ctx = graph::Ctx {
        route,
        params: &params,
        version,
        query,
        body,
        now,
        base_url: &shared.base_url,
        path: &incoming.path,
    };
    graph::dispatch(&ctx, &mut state)
}

fn check_auth(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let unauthorized = |message: &str| {
        ApiError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", message)
            .with_header("www-authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"")
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ if value.is_empty() => return Err(unauthorized("Access token is empty.")),
        _ => {
            return Err(unauthorized(
                "Access token validation failure. The Authorization header is not a bearer token.",
            ));
        }
    };
    if token.is_empty() {
        return Err(unauthorized("Access token is empty."));
    }
    if let Some(check) = &shared.config.token_check
        && !check(token)
    {
        return Err(unauthorized(
            "Access token validation failure. Invalid audience.",
        ));
    }
    Ok(())
}

/// The address a listener is bound to, as a base URL.
pub(crate) fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_only_when_told_unless_realtime() {
        let start = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        let mut manual = Clock::new(start, false);
        let realtime = Clock::new(start, true);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(manual.now(), start);
        assert!(realtime.now() > start);
        manual.advance(10_000_000);
        assert_eq!(manual.now().to_string(), "2026-01-01T00:00:01Z");
        manual.set(start);
        assert_eq!(manual.now(), start);
    }
}
