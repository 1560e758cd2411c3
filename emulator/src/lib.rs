//! A local emulator of the Microsoft Graph synchronization service (Microsoft Entra provisioning):
//! a real HTTP server on 127.0.0.1 that serves every operation of `spec/msgraph-sync.yaml` under
//! `/v1.0` and `/beta`, with the documented behaviour, a clock the test controls, fault
//! injection and a request log. Test provisioning automation without a tenant.
//!
//! # In a test
//!
//! Add the emulator as a dev-dependency (`msgraph-sync-emulator = { path = "emulator" }`), seed
//! an application with a template, point the client at [`Emulator::base_url`]:
//!
//! ```
//! use msgraph_sync::{Client, Nullable, SynchronizationJob};
//! use msgraph_sync_emulator::{App, Emulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! const SP: &str = "a1b2c3d4-0000-0000-0000-000000000000";
//! let emulator = Emulator::builder()
//!     .app(App::new(SP).template("BoxOutDelta").valid_credentials())
//!     .start()
//!     .await?;
//! let client = Client::builder().base_url(emulator.base_url()).static_token("test").build()?;
//! let jobs = client.v1().service_principal(SP).synchronization().jobs();
//!
//! let body = SynchronizationJob { template_id: Nullable::Value("BoxOutDelta".into()), ..Default::default() };
//! let job = jobs.create(&body).await?;
//! let id = job.id.clone().unwrap_or_default();
//! jobs.job(&id).start().await?;
//!
//! // No sleeping: move the emulated clock past the first cycle.
//! emulator.advance(std::time::Duration::from_secs(60));
//! let job = jobs.job(&id).get().await?;
//! let status = job.status.as_ref().and_then(|s| s.code.clone());
//! assert_eq!(status.map(|c| c.to_string()), Some("Active".to_owned()));
//! assert_eq!(emulator.job(SP, &id).unwrap()["status"]["lastExecution"]["countExported"], 10);
//! # Ok(())
//! # }
//! ```
//!
//! From the command line: `cargo run -p msgraph-sync-emulator -- --port 8080` (or `--port 0` for
//! any free port; it prints `listening on http://127.0.0.1:PORT`), `--state FILE` to load a
//! snapshot, `--demo` to seed the README's quickstart tenant. Admin endpoints (no token needed):
//! `GET|PUT /_emulator/state` (snapshot), `GET /_emulator/clock`, `POST /_emulator/clock/advance`
//! (`{"seconds": 60}`, `{"duration": "PT40M"}` or `{"to": "<date-time>"}`),
//! `GET|POST|DELETE /_emulator/faults` ([`Fault`] as JSON), `GET|DELETE /_emulator/requests`,
//! `GET /_emulator/bulkUploads`.
//!
//! # What the emulator does
//!
//! - **Routing** comes from the spec's `paths`: every operation under `/v1.0` and `/beta`, through
//!   `servicePrincipals/{id}`, `servicePrincipals(appId='...')` and `applications/{id}` as the spec
//!   has them. Beta-only operations on v1.0, and unknown paths, answer 400 `BadRequest`
//!   "Resource not found for the segment '...'"; a wrong method 405.
//! - **Requests**: a bearer token is required (401 `InvalidAuthenticationToken`; a check can be
//!   set with [`EmulatorBuilder::token_check`]); bodies must be JSON (`application/scim+json` for
//!   bulkUpload) and are checked against the spec's schemas: wrong types, unknown enum members,
//!   nulls in non-nullable properties and properties the type does not declare are refused with 400
//!   and a `target` naming the place (`criteria.resetScope`). Bodies over the limit (4 MiB by
//!   default) get 413. Service principal and application ids must be GUIDs (400
//!   `Request_BadRequest` "Invalid object identifier"), unknown ones 404 `Request_ResourceNotFound`.
//! - **Responses** carry `request-id` and `client-request-id` (echoed when sent); errors are
//!   `{"error": {"code", "message", "target"?, "details"?, "innerError": {"date", "request-id",
//!   "client-request-id"}}}`.
//! - **Jobs** are created from a template of the service principal's application (201, id
//!   `<templateId>.<32 hex>`, schedule Disabled with interval `P10675199DT2H48M5.4775807S`, status
//!   NotConfigured, timestamps `0001-01-01T00:00:00Z`, the template's schema copied); an unknown
//!   template is a 400 with target `templateId`. start (Active, quarantine cleared, interval
//!   `PT40M`), pause, restart with `criteria.resetScope` (Watermark, Escrows, QuarantineState,
//!   ConnectorDataStore, Full; none = the portal's restart, i.e. the first three), PATCH
//!   (`synchronizationJobSettings`), DELETE.
//! - **The engine** runs an Active job's cycles on the emulated clock: a cycle begins at start
//!   and every interval after, and takes 20 s. The first cycle imports every in-scope source
//!   object (10 users and 2 groups unless [`Emulator::set_source_objects`] says otherwise) for
//!   each enabled object mapping of the schema, later ones import the changes added with
//!   [`Emulator::add_source_changes`]; counters, `synchronizedEntryCountByType`, the executions
//!   and the steady-state times are filled in. Missing credentials (no BaseAddress or SecretToken
//!   among the secrets) or a BaseAddress that is not an http(s) URL fail the cycle and put the job
//!   in quarantine (`EncounteredQuarantineException`); more than half of a cycle's exports failing
//!   ([`Emulator::set_export_failure_rate`]) does too (`EncounteredEscrowProportionThreshold`). A
//!   quarantined job retries after its interval, doubling up to a day per attempt (`seriesCount`
//!   counts them); after 28 days in one series it is disabled. Healthy credentials end the
//!   quarantine at the next attempt.
//! - **Schemas**: GET, PUT (replaces the whole schema; the documented rules are enforced: mapped
//!   objects and attributes must exist in the rule's directories, a target attribute is mapped
//!   once per object mapping; every problem is listed in `details`), DELETE (back to the
//!   template's schema; for a template, back to its factory schema). Templates seeded without a
//!   schema get the spec's example schema (`directoryExtensionSchema`), completed so that it
//!   passes those rules. `functions`, `filterOperators`, `discover` and `parseExpression` answer in
//!   the documented shapes; parseExpression parses the whole expression language and evaluates
//!   the functions in [`EVALUATED_FUNCTIONS`].
//! - **Secrets**: PUT stores them (a key sent again replaces its value); GET of the
//!   synchronization resource shows settings (BaseAddress, SyncAll, ...) but masks credentials as
//!   `*`. validateCredentials checks what is sent, or what is stored with `useSavedCredentials`
//!   (400 `CredentialsMissing`/`CredentialsInvalid`). acquireAccessToken stores an emulated
//!   token. Ping (beta) answers `{"value": "OK"}`.
//! - **provisionOnDemand** checks the rule id against the job's schema, one subject whose type
//!   is a source object of the rule, at most 5 group members; at most 5 requests per 10 s of the
//!   emulated clock per job, then 429 with `Retry-After`. The result is the documented key/value
//!   pair of JSON texts: `Success` the first time, `Skipped`/`RedundantExport` the next,
//!   `Skipped`/`NotEffectivelyEntitled` for objects made out of scope with
//!   [`Emulator::set_out_of_scope`], `Failure` when the job's credentials are missing.
//! - **bulkUpload** needs `Content-Type: application/scim+json`, the BulkRequest schema URN and
//!   at most 50 operations (400), at most 40 requests per emulated second per job (429), and
//!   answers 202 with a `Location`; [`Emulator::bulk_uploads`] returns what arrived.
//! - **Lists** page with `$top` and `@odata.nextLink` (`$skiptoken`), take `$count`, `$select`
//!   (unknown property: 400) and a `$filter` subset: `<path> eq|ne <literal>`,
//!   `startswith(<path>,'text')`, joined by `and` (anything else: 400 "Invalid filter clause").
//!   A query option the operation does not take is a 400, as in Graph.
//!
//! # Choices where the docs are silent
//!
//! Each follows Graph's usual behaviour or the inventory's real payloads; where neither says, the
//! emulator picks the precise answer and says so here.
//!
//! - Unknown job, template or directory: 404 `NotFound`; unknown template on create: 400 with
//!   target `templateId` (the create page only says the id must match a template).
//! - A started job's interval is `PT40M` (the inventory shows `PT20M`, `PT40M` and `PT2M`; 40
//!   minutes is the gallery applications' usual). A cycle takes 20 s of emulated time.
//! - Quarantine backs off from the interval, doubling per attempt, capped at a day, and disables
//!   the job after 28 days (the provisioning docs describe a slowing retry and a 4-week cut-off
//!   without numbers per step). More than 50% of a cycle's exports escrowed quarantines the job.
//! - GET of the synchronization resource masks credentials as `*` and shows settings in full;
//!   the docs only say secrets are write-only.
//! - provisionOnDemand takes one parameter with one subject (the docs' examples provision one
//!   user, or one group with up to 5 members); the user record mimics the docs' example 1, a
//!   group's record is `{}` as in example 3.
//! - Ping (beta) answers `{"value": "OK"}` (its body is not documented).
//! - `$top` is at most 999; `$skiptoken` values are the emulator's own (`emu-<offset>`), so only a
//!   received next link is a valid one.
//! - `innerError.date` is the wall-clock time in whole seconds with `Z`.
//! - Service principal and application ids must be GUIDs, as Graph's directory objects are; job
//!   and template ids are compared exactly and without regard to case respectively.
//!
//! # What is not emulated
//!
//! - **Real provisioning.** No target application is called; the engine models counts and states,
//!   not objects and attribute flows. Expression mappings are not evaluated during cycles, and
//!   scoping filters are not applied (the source counts are taken as in scope).
//! - **Permissions and roles.** Any bearer token is accepted unless a token check is set; the
//!   token is not decoded, so 403 (missing permission or role) never happens. The docs' permission
//!   tables cannot be checked without the identity platform.
//! - **Exact wording of undocumented errors.** Where the docs show no error (unknown job or
//!   template, schema rule violations, credential problems, query errors), the code and message
//!   are the emulator's own, chosen to be precise; the status codes follow Graph's conventions.
//! - **The beta connectivity API** (`validateConnectivity`, `connectivityParameters`), the
//!   undocumented OData-convention paths (`/$count`, `bulkUpload/$value`, `directories` CRUD,
//!   `applications/{id}/synchronization/jobs`) and anything else outside the spec: the spec is what
//!   the emulator serves.
//! - **Timing.** A cycle takes a fixed 20 s of emulated time whatever the object count; a big jump
//!   of the clock runs at most 500 cycles per job one by one and folds the rest into one.
//!   Throttling outside provisionOnDemand and bulkUpload is only what faults inject.
//! - **Audit logs.** bulkUpload's `Location` points at `auditLogs/provisioning`, which the emulator
//!   does not serve (it is outside the synchronization API).
//! - **HTTP/2 and TLS.** Plain HTTP/1.1 on 127.0.0.1.

mod error;
mod expr;
mod faults;
mod filter;
mod graph;
mod ids;
mod on_demand;
mod rules;
mod server;
mod spec;
mod state;
mod time;
mod validate;

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use crate::expr::EVALUATED as EVALUATED_FUNCTIONS;
pub use crate::faults::Fault;
pub use crate::spec::SPEC_YAML;

use crate::server::{Clock, Config, Shared, lock};
use crate::state::{Application, Secret, ServicePrincipal, State, Template, template_properties};
use crate::time::Instant;

/// A check of the bearer token: `true` lets the request through.
pub type TokenCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Why the emulator could not start or take a seed.
#[derive(Debug)]
pub enum Error {
    /// Binding the listener failed.
    Io(std::io::Error),
    /// A seed, snapshot or fault is invalid; the message says where.
    Invalid(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "emulator: {e}"),
            Error::Invalid(message) => write!(f, "emulator: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Invalid(_) => None,
        }
    }
}

/// One request as the emulator received it (the `Authorization` header's value redacted).
///
/// The body is kept as sent, secrets included, for the test's own assertions; `Debug` shows only
/// its length.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The path, as sent (still percent-encoded).
    pub path: String,
    /// The query, without `?`.
    pub query: Option<String>,
    /// The headers in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when over the size limit).
    pub body: Vec<u8>,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl RecordedRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "body": String::from_utf8_lossy(&self.body),
        })
    }
}

/// A gallery application to seed: its application object, its service principal and templates.
///
/// ```
/// use msgraph_sync_emulator::App;
/// let app = App::new("a1b2c3d4-0000-0000-0000-000000000000")
///     .template("BoxOutDelta")
///     .secret("BaseAddress", "https://scim.example.com/scim")
///     .secret("SecretToken", "token");
/// # let _ = app;
/// ```
#[derive(Clone)]
pub struct App {
    service_principal_id: String,
    application_id: String,
    app_id: String,
    templates: Vec<(String, Option<Value>)>,
    secrets: Vec<(String, String)>,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("service_principal_id", &self.service_principal_id)
            .field("application_id", &self.application_id)
            .field("app_id", &self.app_id)
            .field(
                "templates",
                &self.templates.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            )
            .field(
                "secrets",
                &self.secrets.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl App {
    /// An application whose service principal has object id `service_principal_id` (a GUID);
    /// the application's object id and appId are fresh GUIDs unless set.
    pub fn new(service_principal_id: &str) -> Self {
        Self {
            service_principal_id: service_principal_id.to_owned(),
            application_id: ids::uuid(),
            app_id: ids::uuid(),
            templates: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// The application object's id (for `applications/{id}` paths).
    pub fn application_id(mut self, id: &str) -> Self {
        self.application_id = id.to_owned();
        self
    }

    /// The appId (for `servicePrincipals(appId='...')` paths).
    pub fn app_id(mut self, app_id: &str) -> Self {
        self.app_id = app_id.to_owned();
        self
    }

    /// A template with the default schema (the spec's example schema).
    pub fn template(mut self, id: &str) -> Self {
        self.templates.push((id.to_owned(), None));
        self
    }

    /// A template with its own schema (checked like a schema PUT).
    pub fn template_with_schema(mut self, id: &str, schema: Value) -> Self {
        self.templates.push((id.to_owned(), Some(schema)));
        self
    }

    /// A stored secret of the service principal.
    pub fn secret(mut self, key: &str, value: &str) -> Self {
        self.secrets.push((key.to_owned(), value.to_owned()));
        self
    }

    /// BaseAddress and SecretToken that the engine accepts, so that jobs run.
    pub fn valid_credentials(self) -> Self {
        self.secret("BaseAddress", "https://scim.example.com/scim")
            .secret("SecretToken", "emulated-secret-token")
    }
}

/// Options for [`Emulator`]; [`EmulatorBuilder::start`] binds and serves.
pub struct EmulatorBuilder {
    port: u16,
    body_limit: usize,
    body_timeout: Duration,
    token_check: Option<TokenCheck>,
    realtime_clock: bool,
    start_time: Option<String>,
    snapshot: Option<Value>,
    apps: Vec<App>,
    log_limit: usize,
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("port", &self.port)
            .field("body_limit", &self.body_limit)
            .field("token_check", &self.token_check.is_some())
            .field("realtime_clock", &self.realtime_clock)
            .field("apps", &self.apps)
            .finish_non_exhaustive()
    }
}

/// The default limit of request bodies (Graph's 4 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 4 << 20;

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: Duration::from_secs(30),
            token_check: None,
            realtime_clock: false,
            start_time: None,
            snapshot: None,
            apps: Vec::new(),
            log_limit: 10_000,
        }
    }
}

impl EmulatorBuilder {
    /// The port on 127.0.0.1 (0, the default, takes a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The largest request body accepted; bigger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a request body may take to arrive (30 s by default); slower ones get 408.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// A check of each bearer token; a token it refuses gets 401.
    pub fn token_check(mut self, check: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.token_check = Some(Arc::new(check));
        self
    }

    /// Accept only this bearer token.
    pub fn accept_token(self, token: &str) -> Self {
        let token = token.to_owned();
        self.token_check(move |sent| sent == token)
    }

    /// Let the emulated clock also move with real time (the command line's default). Off by
    /// default: the clock moves only with [`Emulator::advance`].
    pub fn realtime_clock(mut self, on: bool) -> Self {
        self.realtime_clock = on;
        self
    }

    /// The emulated clock's first reading (ISO 8601), instead of the current time.
    pub fn start_time(mut self, date_time: &str) -> Self {
        self.start_time = Some(date_time.to_owned());
        self
    }

    /// Load a snapshot (the format of [`Emulator::snapshot`]) before serving.
    pub fn snapshot(mut self, snapshot: Value) -> Self {
        self.snapshot = Some(snapshot);
        self
    }

    /// Seed a gallery application.
    pub fn app(mut self, app: App) -> Self {
        self.apps.push(app);
        self
    }

    /// How many requests the log keeps (oldest dropped first; 0 keeps none).
    pub fn request_log_limit(mut self, requests: usize) -> Self {
        self.log_limit = requests;
        self
    }

    /// Binds 127.0.0.1 and serves on the current tokio runtime until the [`Emulator`] is dropped.
    pub async fn start(self) -> Result<Emulator, Error> {
        let start = match &self.start_time {
            Some(text) => Instant::parse(text)
                .ok_or_else(|| Error::Invalid(format!("start_time: not a date-time: {text:?}")))?,
            None => Instant::parse(&format!("{}Z", &Instant::now().to_string()[..19]))
                .unwrap_or(Instant::MIN),
        };
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .map_err(Error::Io)?;
        let addr = listener.local_addr().map_err(Error::Io)?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            clock: Mutex::new(Clock::new(start, self.realtime_clock)),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(VecDeque::new()),
            config: Config {
                body_limit: self.body_limit,
                body_timeout: self.body_timeout,
                token_check: self.token_check,
                log_limit: self.log_limit,
            },
            base_url: server::base_url(addr),
        });
        if let Some(snapshot) = self.snapshot {
            load_snapshot(&shared, snapshot)?;
        }
        for app in self.apps {
            add_app(&shared, app)?;
        }
        let (shutdown, receiver) = watch::channel(false);
        tokio::spawn(server::serve(listener, shared.clone(), receiver));
        Ok(Emulator {
            shared,
            addr,
            shutdown,
        })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

impl Emulator {
    /// Starts an empty emulator on a free port with the default options.
    pub async fn start() -> Result<Emulator, Error> {
        EmulatorBuilder::default().start().await
    }

    /// Options for a new emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`: requests go to `{base_url}/v1.0/...` and `{base_url}/beta/...`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Seeds a gallery application (application object, service principal, templates, secrets).
    pub fn add_app(&self, app: App) -> Result<(), Error> {
        add_app(&self.shared, app)
    }

    /// The whole tenant as JSON (the `--state FILE` format): applications, service principals with
    /// their secrets and jobs (including the engine's state), the source directory, bulk uploads and
    /// the clock's reading.
    pub fn snapshot(&self) -> Value {
        snapshot_of(&self.shared)
    }

    /// Replaces the tenant with a snapshot (the format of [`Emulator::snapshot`]; every member is
    /// optional). A snapshot with `now` also sets the clock.
    pub fn load_snapshot(&self, snapshot: Value) -> Result<(), Error> {
        load_snapshot(&self.shared, snapshot)
    }

    /// The emulated clock's reading (ISO 8601).
    pub fn now(&self) -> String {
        lock(&self.shared.clock).now().to_string()
    }

    /// Moves the emulated clock forward and runs every cycle due by then.
    pub fn advance(&self, by: Duration) {
        let ticks = i64::try_from(by.as_nanos() / 100).unwrap_or(i64::MAX);
        let _ = advance_shared(&self.shared, ticks);
    }

    /// Seeds a job made from `template_id` as `POST .../jobs` would (disabled, the template's
    /// schema); returns its id.
    pub fn add_job(&self, service_principal_id: &str, template_id: &str) -> Result<String, Error> {
        let mut state = lock(&self.shared.state);
        let app_id = state
            .service_principals
            .iter()
            .find(|sp| sp.id.eq_ignore_ascii_case(service_principal_id))
            .map(|sp| sp.app_id.clone())
            .ok_or_else(|| {
                Error::Invalid(format!("no service principal {service_principal_id:?}"))
            })?;
        let template = state
            .application_of(&app_id)
            .and_then(|a| {
                a.templates
                    .iter()
                    .find(|t| t.id.eq_ignore_ascii_case(template_id))
            })
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "no template {template_id:?} for {service_principal_id:?}"
                ))
            })?;
        let job = state::Job {
            id: format!("{}.{}", template.id, ids::hex32()),
            template_id: template.id.clone(),
            schema: template.schema.clone(),
            ..Default::default()
        };
        let id = job.id.clone();
        if let Some(sp) = state
            .service_principals
            .iter_mut()
            .find(|sp| sp.id.eq_ignore_ascii_case(service_principal_id))
        {
            sp.jobs.push(job);
        }
        Ok(id)
    }

    /// A job as `GET .../jobs/{id}` returns it, or `None`.
    pub fn job(&self, service_principal_id: &str, job_id: &str) -> Option<Value> {
        self.with_job(service_principal_id, job_id, |job| job.to_json())
            .ok()
    }

    /// A job's schema as stored, or `None`.
    pub fn job_schema(&self, service_principal_id: &str, job_id: &str) -> Option<Value> {
        self.with_job(service_principal_id, job_id, |job| {
            Value::clone(&job.schema)
        })
        .ok()
    }

    /// The ids of a service principal's jobs.
    pub fn job_ids(&self, service_principal_id: &str) -> Vec<String> {
        let mut state = lock(&self.shared.state);
        self.shared.now_caught_up(&mut state);
        state
            .service_principals
            .iter()
            .find(|sp| sp.id.eq_ignore_ascii_case(service_principal_id))
            .map(|sp| sp.jobs.iter().map(|j| j.id.clone()).collect())
            .unwrap_or_default()
    }

    /// The secrets stored for a service principal, in full (for the test's own assertions).
    pub fn stored_secrets(&self, service_principal_id: &str) -> Vec<(String, Option<String>)> {
        lock(&self.shared.state)
            .service_principals
            .iter()
            .find(|sp| sp.id.eq_ignore_ascii_case(service_principal_id))
            .map(|sp| {
                sp.secrets
                    .iter()
                    .map(|s| (s.key.clone(), s.value.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Makes this share (0.0–1.0) of a job's exports fail from its next cycle on.
    pub fn set_export_failure_rate(
        &self,
        service_principal_id: &str,
        job_id: &str,
        rate: f64,
    ) -> Result<(), Error> {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Error::Invalid(format!(
                "export failure rate {rate} is not within 0.0-1.0"
            )));
        }
        self.with_job(service_principal_id, job_id, |job| {
            job.engine.export_failure_rate = rate
        })
    }

    /// Adds source changes for a job's next incremental cycle.
    pub fn add_source_changes(
        &self,
        service_principal_id: &str,
        job_id: &str,
        changes: u32,
    ) -> Result<(), Error> {
        self.with_job(service_principal_id, job_id, |job| {
            job.engine.pending_changes += i64::from(changes)
        })
    }

    /// Sets how many objects of a source type (`User`, `Group`, ...) are in scope.
    pub fn set_source_objects(&self, object_type: &str, count: u32) {
        lock(&self.shared.state)
            .directory
            .object_counts
            .insert(object_type.to_owned(), i64::from(count));
    }

    /// Makes provisionOnDemand find this object out of scope.
    pub fn set_out_of_scope(&self, object_id: &str) {
        lock(&self.shared.state)
            .directory
            .out_of_scope
            .push(object_id.to_owned());
    }

    /// Every accepted bulkUpload: `{"servicePrincipalId", "jobId", "received", "body"}`.
    pub fn bulk_uploads(&self) -> Vec<Value> {
        lock(&self.shared.state)
            .bulk_uploads
            .iter()
            .map(|b| serde_json::to_value(b).unwrap_or_default())
            .collect()
    }

    /// The requests received so far, oldest first (admin endpoints are not recorded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Adds a fault rule (rules are tried in the order added; the first match applies).
    pub fn inject(&self, fault: Fault) -> Result<(), Error> {
        fault.check().map_err(Error::Invalid)?;
        lock(&self.shared.faults).push(fault);
        Ok(())
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    fn with_job<T>(
        &self,
        sp_id: &str,
        job_id: &str,
        f: impl FnOnce(&mut state::Job) -> T,
    ) -> Result<T, Error> {
        let mut state = lock(&self.shared.state);
        self.shared.now_caught_up(&mut state);
        let job = state
            .service_principals
            .iter_mut()
            .find(|sp| sp.id.eq_ignore_ascii_case(sp_id))
            .and_then(|sp| sp.jobs.iter_mut().find(|j| j.id == job_id))
            .ok_or_else(|| {
                Error::Invalid(format!("no job {job_id:?} on service principal {sp_id:?}"))
            })?;
        Ok(f(job))
    }
}

fn advance_shared(shared: &Shared, ticks: i64) -> Result<(), String> {
    if ticks < 0 {
        return Err("the clock only moves forward".to_owned());
    }
    let mut state = lock(&shared.state);
    lock(&shared.clock).advance(ticks);
    shared.now_caught_up(&mut state);
    Ok(())
}

fn snapshot_of(shared: &Shared) -> Value {
    let mut state = lock(&shared.state);
    let now = shared.now_caught_up(&mut state);
    state.now = Some(now);
    serde_json::to_value(&*state).unwrap_or_default()
}

fn load_snapshot(shared: &Shared, snapshot: Value) -> Result<(), Error> {
    let state: State =
        serde_json::from_value(snapshot).map_err(|e| Error::Invalid(format!("snapshot: {e}")))?;
    for sp in &state.service_principals {
        check_guid("servicePrincipals[].id", &sp.id)?;
    }
    for app in &state.applications {
        check_guid("applications[].id", &app.id)?;
        for template in &app.templates {
            check_schema(&format!("template {}", template.id), &template.schema)?;
        }
    }
    if let Some(now) = state.now {
        lock(&shared.clock).set(now);
    }
    *lock(&shared.state) = state;
    Ok(())
}

fn check_guid(what: &str, id: &str) -> Result<(), Error> {
    if validate::is_uuid(id) {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "{what}: {id:?} is not a GUID (Graph object ids are GUIDs)"
        )))
    }
}

fn check_schema(what: &str, schema: &Value) -> Result<(), Error> {
    if schema.is_null() {
        return Ok(());
    }
    validate::validate(&spec::spec().schemas, "synchronizationSchema", schema)
        .map_err(|p| Error::Invalid(format!("{what}: schema at {:?}: {}", p.target, p.message)))?;
    rules::check(schema).map_err(|e| {
        Error::Invalid(format!(
            "{what}: schema at {:?}: {}",
            e.extra.target, e.message
        ))
    })
}

fn add_app(shared: &Shared, app: App) -> Result<(), Error> {
    check_guid("App service principal id", &app.service_principal_id)?;
    check_guid("App application id", &app.application_id)?;
    check_guid("App appId", &app.app_id)?;
    let mut templates = Vec::new();
    for (id, schema) in app.templates {
        if id.is_empty() || id.contains('/') {
            return Err(Error::Invalid(format!(
                "template id {id:?} is empty or has a '/'"
            )));
        }
        let schema = schema.unwrap_or_else(default_schema);
        check_schema(&format!("template {id}"), &schema)?;
        templates.push(Template {
            properties: template_properties(&id),
            id,
            default_schema: Arc::new(schema.clone()),
            schema: Arc::new(schema),
        });
    }
    let mut state = lock(&shared.state);
    if state
        .service_principals
        .iter()
        .any(|sp| sp.id.eq_ignore_ascii_case(&app.service_principal_id))
    {
        return Err(Error::Invalid(format!(
            "service principal {} is already seeded",
            app.service_principal_id
        )));
    }
    if state.applications.iter().any(|a| {
        a.id.eq_ignore_ascii_case(&app.application_id) || a.app_id.eq_ignore_ascii_case(&app.app_id)
    }) {
        return Err(Error::Invalid(format!(
            "application {} / appId {} is already seeded",
            app.application_id, app.app_id
        )));
    }
    state.applications.push(Application {
        id: app.application_id,
        app_id: app.app_id.clone(),
        templates,
    });
    state.service_principals.push(ServicePrincipal {
        id: app.service_principal_id,
        app_id: app.app_id,
        secrets: app
            .secrets
            .into_iter()
            .map(|(key, value)| Secret {
                key,
                value: Some(value),
            })
            .collect(),
        jobs: Vec::new(),
    });
    Ok(())
}

/// The default schema of a template: the spec's `directoryExtensionSchema` example, completed so
/// that the rule names its directories and every mapped attribute exists.
pub fn default_schema() -> Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(build_default_schema).clone()
}

fn build_default_schema() -> Value {
    let doc: Value = serde_yaml::from_str(SPEC_YAML).unwrap_or_default();
    let mut schema = doc
        .pointer("/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs~1{synchronizationJob-id}~1schema/get/responses/200/content/application~1json/examples/directoryExtensionSchema/value")
        .cloned()
        .unwrap_or_else(|| json!({"directories": [], "synchronizationRules": []}));
    let attribute = |name: &str, anchor: bool| {
        json!({"anchor": anchor, "caseExact": false, "defaultValue": null, "metadata": [], "multivalued": false,
               "mutability": "ReadWrite", "name": name, "required": false, "referencedObjects": [], "type": "String"})
    };
    if let Some(attributes) = schema
        .pointer_mut("/directories/0/objects/0/attributes")
        .and_then(Value::as_array_mut)
        && !attributes.iter().any(|a| a["name"] == "IsSoftDeleted")
    {
        attributes.push(attribute("IsSoftDeleted", false));
    }
    if let Some(objects) = schema
        .pointer_mut("/directories/1/objects")
        .and_then(Value::as_array_mut)
        && objects.is_empty()
    {
        objects.push(json!({"name": "User", "attributes": [attribute("Id", true), attribute("IsActive", false)]}));
    }
    let source = schema.pointer("/directories/0/name").cloned();
    let target = schema.pointer("/directories/1/name").cloned();
    if let (Some(rule), Some(source), Some(target)) = (
        schema
            .pointer_mut("/synchronizationRules/0")
            .and_then(Value::as_object_mut),
        source,
        target,
    ) {
        rule.entry("sourceDirectoryName").or_insert(source);
        rule.entry("targetDirectoryName").or_insert(target);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schema_passes_the_schema_rules() {
        let schema = default_schema();
        check_schema("default", &schema).unwrap();
        assert_eq!(
            schema["synchronizationRules"][0]["objectMappings"][0]["sourceObjectName"],
            "User"
        );
    }

    #[test]
    fn seeds_with_bad_ids_are_refused() {
        let shared = Shared {
            state: Mutex::new(State::default()),
            clock: Mutex::new(Clock::new(Instant::MIN, false)),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(VecDeque::new()),
            config: Config {
                body_limit: 1,
                body_timeout: Duration::from_secs(1),
                token_check: None,
                log_limit: 0,
            },
            base_url: String::new(),
        };
        assert!(add_app(&shared, App::new("sp-1")).is_err());
        assert!(add_app(&shared, App::new(&ids::uuid()).template("a/b")).is_err());
        let bad_schema = json!({"synchronizationRules": [{"sourceDirectoryName": "Nowhere"}]});
        assert!(
            add_app(
                &shared,
                App::new(&ids::uuid()).template_with_schema("T", bad_schema)
            )
            .is_err()
        );
        assert!(load_snapshot(&shared, json!({"servicePrincipals": [{"id": "x"}]})).is_err());
        assert!(load_snapshot(&shared, json!({"servicePrincipals": 5})).is_err());
        load_snapshot(&shared, json!({"now": "2026-01-01T00:00:00Z"})).unwrap();
        assert_eq!(
            lock(&shared.clock).now().to_string(),
            "2026-01-01T00:00:00Z"
        );
    }
}
