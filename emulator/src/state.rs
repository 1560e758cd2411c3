//! The emulated tenant: applications with their templates, service principals with their secrets
//! and jobs, and the provisioning engine that runs a job's cycles on the emulated clock.
//!
//! Everything here serializes to the snapshot format (`--state FILE`, `GET /_emulator/state`):
//! camelCase JSON, every member optional when loading.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::time::{Instant, SECOND, parse_duration};

/// The interval of a job that has never been started: .NET `TimeSpan.MaxValue`.
pub(crate) const DISABLED_INTERVAL: &str = "P10675199DT2H48M5.4775807S";
/// The interval a job gets when first started (a gallery application's usual 40 minutes).
pub(crate) const DEFAULT_INTERVAL: &str = "PT40M";
/// How long one provisioning cycle takes on the emulated clock.
pub(crate) const CYCLE_TICKS: i64 = 20 * SECOND;
/// The longest wait between two attempts of a quarantined job.
pub(crate) const MAX_QUARANTINE_BACKOFF: i64 = 24 * 3600 * SECOND;
/// After this long in one quarantine series the job is disabled.
pub(crate) const QUARANTINE_DISABLE_AFTER: i64 = 28 * 24 * 3600 * SECOND;
/// More than this share of a cycle's exports escrowed puts the job in quarantine.
pub(crate) const ESCROW_PROPORTION_THRESHOLD: f64 = 0.5;
/// Cycles run one by one up to this many per job per catch-up; the rest of a big jump of the
/// clock is folded into one cycle at the last due time.
const MAX_CYCLES_PER_CATCH_UP: usize = 500;

/// The whole emulated tenant (the snapshot format).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct State {
    /// The emulated clock's reading when the snapshot was taken.
    pub now: Option<Instant>,
    pub applications: Vec<Application>,
    pub service_principals: Vec<ServicePrincipal>,
    /// The source directory the engine provisions from.
    pub directory: SourceDirectory,
    /// Every accepted bulkUpload request, oldest first.
    pub bulk_uploads: Vec<BulkUploadRecord>,
}

/// What the engine finds in the source directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct SourceDirectory {
    /// In-scope object count per source object type (`User`, `Group`).
    pub object_counts: BTreeMap<String, i64>,
    /// Object ids that provisionOnDemand finds out of scope.
    pub out_of_scope: Vec<String>,
}

impl Default for SourceDirectory {
    fn default() -> Self {
        Self {
            object_counts: BTreeMap::from([("Group".to_owned(), 2), ("User".to_owned(), 10)]),
            out_of_scope: Vec::new(),
        }
    }
}

/// An application object and its synchronization templates.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Application {
    /// Object id.
    pub id: String,
    /// Application (client) id, shared with its service principal.
    pub app_id: String,
    pub templates: Vec<Template>,
}

/// A synchronization template.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Template {
    pub id: String,
    /// Every other property as the service returns it (factoryTag, default, discoverable, ...).
    pub properties: Map<String, Value>,
    /// The template's schema (what new jobs copy).
    pub schema: Arc<Value>,
    /// The factory schema, restored by DELETE on the template's schema.
    pub default_schema: Arc<Value>,
}

/// A service principal: its secrets and jobs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ServicePrincipal {
    /// Object id.
    pub id: String,
    /// Application (client) id; links the service principal to its application's templates.
    pub app_id: String,
    pub secrets: Vec<Secret>,
    pub jobs: Vec<Job>,
}

/// One stored secret.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub(crate) struct Secret {
    pub key: String,
    pub value: Option<String>,
}

/// A synchronization job and the engine's state for it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Job {
    pub id: String,
    pub template_id: String,
    pub schedule: Schedule,
    pub status: Status,
    pub synchronization_job_settings: Vec<Value>,
    /// Shared with the template (and the other jobs made from it) until changed.
    pub schema: Arc<Value>,
    pub engine: Engine,
}

/// `synchronizationSchedule`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Schedule {
    pub expiration: Option<Instant>,
    pub interval: String,
    pub state: String,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            expiration: None,
            interval: DISABLED_INTERVAL.to_owned(),
            state: "Disabled".to_owned(),
        }
    }
}

/// `synchronizationStatus`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Status {
    pub code: String,
    pub count_successive_complete_failures: i64,
    pub escrows_pruned: bool,
    pub last_execution: Option<Execution>,
    pub last_successful_execution: Option<Execution>,
    pub last_successful_execution_with_exports: Option<Execution>,
    pub steady_state_first_achieved_time: Instant,
    pub steady_state_last_achieved_time: Instant,
    pub quarantine: Option<Quarantine>,
    /// `(key, count)` pairs such as `("user to User", 10)`.
    pub synchronized_entry_count_by_type: Vec<(String, i64)>,
    pub troubleshooting_url: Option<String>,
}

impl Default for Status {
    fn default() -> Self {
        Self {
            code: "NotConfigured".to_owned(),
            count_successive_complete_failures: 0,
            escrows_pruned: false,
            last_execution: None,
            last_successful_execution: None,
            last_successful_execution_with_exports: None,
            steady_state_first_achieved_time: Instant::MIN,
            steady_state_last_achieved_time: Instant::MIN,
            quarantine: None,
            synchronized_entry_count_by_type: Vec::new(),
            troubleshooting_url: None,
        }
    }
}

/// `synchronizationTaskExecution`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Execution {
    pub activity_identifier: String,
    pub count_entitled: i64,
    pub count_entitled_for_provisioning: i64,
    pub count_escrowed: i64,
    pub count_escrowed_raw: i64,
    pub count_exported: i64,
    pub count_exports: i64,
    pub count_imported: i64,
    pub count_imported_deltas: i64,
    pub count_imported_reference_deltas: i64,
    pub state: String,
    pub error: Option<SyncError>,
    pub time_began: Instant,
    pub time_ended: Instant,
}

/// `synchronizationError`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct SyncError {
    pub code: String,
    pub message: String,
    pub tenant_actionable: bool,
}

/// `synchronizationQuarantine`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Quarantine {
    pub current_began: Instant,
    pub next_attempt: Instant,
    pub reason: String,
    pub series_began: Instant,
    pub series_count: i64,
    pub error: Option<SyncError>,
}

/// The engine's private state for one job (not part of the Graph resource).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Engine {
    /// When the next cycle begins; `None` while the job is not scheduled.
    pub next_run: Option<Instant>,
    /// Set by a completed initial cycle; cleared by restart with `Watermark`.
    pub watermark: bool,
    /// Changes escrowed (failed exports waiting for a retry).
    pub escrows: i64,
    /// Objects in the connector data store (joined), per `"<source> to <Target>"` key.
    pub connector_data_store: BTreeMap<String, i64>,
    /// Source changes waiting for the next incremental cycle.
    pub pending_changes: i64,
    /// Share of exports that fail, 0.0–1.0 (test-injected).
    pub export_failure_rate: f64,
    /// Object ids provisioned on demand (a second request for one is skipped as redundant).
    pub provisioned_on_demand: Vec<String>,
    /// Cycles run so far.
    pub cycles: u64,
    /// The reset scope of the last restart, as sent.
    pub last_restart_scope: Option<String>,
    /// Times of recent provisionOnDemand requests (rate limit window).
    pub on_demand_times: Vec<Instant>,
    /// Times of recent bulkUpload requests (rate limit window).
    pub bulk_upload_times: Vec<Instant>,
}

/// One accepted bulkUpload request.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct BulkUploadRecord {
    pub service_principal_id: String,
    pub job_id: String,
    pub received: Instant,
    /// The SCIM BulkRequest as sent.
    pub body: Value,
}

impl State {
    /// Runs every due cycle of every job up to `now`.
    pub fn catch_up(&mut self, now: Instant) {
        let directory = &self.directory;
        for sp in &mut self.service_principals {
            let credentials = credentials_problem(&sp.secrets);
            for job in &mut sp.jobs {
                job.catch_up(now, credentials.as_ref(), directory);
            }
        }
    }

    /// The application whose appId is `app_id` (a service principal's templates are its).
    pub fn application_of(&self, app_id: &str) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| !a.app_id.is_empty() && a.app_id.eq_ignore_ascii_case(app_id))
    }
}

/// Why the stored secrets cannot reach the target application, or `None` when they can.
pub(crate) fn credentials_problem(secrets: &[Secret]) -> Option<SyncError> {
    credentials_problem_in(secrets.iter().map(|s| (s.key.as_str(), s.value.as_deref())))
}

/// The same check over any key/value pairs (stored or sent with validateCredentials).
pub(crate) fn credentials_problem_in<'a>(
    pairs: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Option<SyncError> {
    let find = |key: &str| {
        pairs
            .clone()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v)
            .filter(|v| !v.trim().is_empty())
    };
    let base = find("BaseAddress");
    let token = find("SecretToken");
    if base.is_none() || token.is_none() {
        return Some(SyncError {
            code: "CredentialsMissing".to_owned(),
            message: "The credentials of the target application are missing: provide BaseAddress \
                      and SecretToken."
                .to_owned(),
            tenant_actionable: true,
        });
    }
    let base = base.unwrap_or_default();
    let url_ok = (base.starts_with("https://") || base.starts_with("http://"))
        && base
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty() && !rest.contains(' '));
    if !url_ok {
        return Some(SyncError {
            code: "CredentialsInvalid".to_owned(),
            message: format!(
                "The BaseAddress '{base}' is not an absolute http(s) URL of the target application."
            ),
            tenant_actionable: true,
        });
    }
    None
}

impl Job {
    /// Whether the engine has a cycle scheduled.
    fn catch_up(
        &mut self,
        now: Instant,
        credentials: Option<&SyncError>,
        directory: &SourceDirectory,
    ) {
        let mut runs = 0;
        while let Some(begin) = self.engine.next_run {
            let end = begin.plus_ticks(CYCLE_TICKS);
            if end > now {
                break;
            }
            runs += 1;
            if runs > MAX_CYCLES_PER_CATCH_UP {
                // Fold the rest of the jump: run one cycle at the last due time.
                let interval = self.interval_ticks();
                let due = now.ticks_since(end) / interval;
                self.engine.next_run = Some(begin.plus_ticks(due.saturating_mul(interval)));
                let begin = self.engine.next_run.unwrap_or(begin);
                self.run_cycle(begin, credentials, directory);
                break;
            }
            self.run_cycle(begin, credentials, directory);
        }
    }

    /// The schedule's interval in ticks (at least one cycle long).
    pub fn interval_ticks(&self) -> i64 {
        parse_duration(&self.schedule.interval)
            .unwrap_or(40 * 60 * SECOND)
            .max(CYCLE_TICKS)
    }

    /// One provisioning cycle that began at `begin`.
    fn run_cycle(
        &mut self,
        begin: Instant,
        credentials: Option<&SyncError>,
        directory: &SourceDirectory,
    ) {
        let end = begin.plus_ticks(CYCLE_TICKS);
        self.engine.cycles += 1;
        let activity = crate::ids::uuid();
        if let Some(problem) = credentials {
            let execution = Execution {
                activity_identifier: activity,
                state: "Failed".to_owned(),
                error: Some(problem.clone()),
                time_began: begin,
                time_ended: end,
                ..Default::default()
            };
            self.status.last_execution = Some(execution);
            self.status.count_successive_complete_failures += 1;
            self.quarantine(end, "EncounteredQuarantineException", problem.clone());
            return;
        }
        // Which objects the schema provisions: one key per enabled object mapping.
        let mappings = enabled_object_mappings(&self.schema);
        let initial = !self.engine.watermark;
        let mut imported = 0;
        let mut exports = 0;
        let mut per_key: Vec<(String, i64)> = Vec::new();
        for (source, target) in &mappings {
            let in_scope = directory
                .object_counts
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(source))
                .map_or(0, |(_, n)| *n);
            let key = format!("{} to {}", source.to_ascii_lowercase(), target);
            if initial {
                imported += in_scope;
                let stored = self
                    .engine
                    .connector_data_store
                    .get(&key)
                    .copied()
                    .unwrap_or(0);
                let new = (in_scope - stored).max(0);
                exports += new;
                per_key.push((key, new));
            }
        }
        if !initial {
            imported = self.engine.pending_changes;
            exports = self.engine.pending_changes;
            if let Some((key, _)) = mappings
                .first()
                .map(|(s, t)| (format!("{} to {}", s.to_ascii_lowercase(), t), ()))
            {
                per_key.push((key, 0));
            }
        }
        let rate = self.engine.export_failure_rate.clamp(0.0, 1.0);
        let escrowed = ((exports as f64) * rate).ceil() as i64;
        let exported = exports - escrowed;
        // Joined objects: what was exported goes into the connector data store.
        if initial {
            let mut left = exported;
            for (key, new) in &per_key {
                let take = (*new).min(left);
                left -= take;
                *self
                    .engine
                    .connector_data_store
                    .entry(key.clone())
                    .or_insert(0) += take;
            }
        }
        self.engine.escrows += escrowed;
        self.engine.pending_changes = 0;
        self.engine.watermark = true;
        let failed_share = if exports > 0 {
            escrowed as f64 / exports as f64
        } else {
            0.0
        };
        let execution = Execution {
            activity_identifier: activity,
            count_entitled: imported,
            count_entitled_for_provisioning: imported,
            count_escrowed: self.engine.escrows,
            count_escrowed_raw: self.engine.escrows,
            count_exported: exported,
            count_exports: exports,
            count_imported: imported,
            count_imported_deltas: if initial { 0 } else { imported },
            count_imported_reference_deltas: 0,
            state: if escrowed == 0 {
                "Succeeded"
            } else {
                "EntryLevelErrors"
            }
            .to_owned(),
            error: None,
            time_began: begin,
            time_ended: end,
        };
        self.status.synchronized_entry_count_by_type = self
            .engine
            .connector_data_store
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        self.status.last_execution = Some(execution.clone());
        if failed_share > ESCROW_PROPORTION_THRESHOLD {
            self.status.count_successive_complete_failures += 1;
            let error = SyncError {
                code: "EscrowProportionThresholdExceeded".to_owned(),
                message: format!(
                    "{escrowed} of {exports} exports failed in one cycle, more than the \
                     quarantine threshold of {:.0}%.",
                    ESCROW_PROPORTION_THRESHOLD * 100.0
                ),
                tenant_actionable: true,
            };
            self.quarantine(end, "EncounteredEscrowProportionThreshold", error);
            return;
        }
        self.status.quarantine = None;
        self.status.code = "Active".to_owned();
        self.status.count_successive_complete_failures = 0;
        self.status.last_successful_execution = Some(execution.clone());
        if exported > 0 {
            self.status.last_successful_execution_with_exports = Some(execution);
        }
        if escrowed == 0 && self.engine.escrows == 0 {
            if self.status.steady_state_first_achieved_time == Instant::MIN {
                self.status.steady_state_first_achieved_time = end;
            }
            self.status.steady_state_last_achieved_time = end;
        }
        self.engine.next_run = Some(begin.plus_ticks(self.interval_ticks()));
    }

    /// Puts the job into quarantine (or escalates it): attempts back off from the interval,
    /// doubling up to a day; after 28 days in one series the job is disabled.
    fn quarantine(&mut self, at: Instant, reason: &str, error: SyncError) {
        let q = self.status.quarantine.get_or_insert_with(|| Quarantine {
            series_began: at,
            ..Default::default()
        });
        q.series_count += 1;
        q.current_began = at;
        q.reason = reason.to_owned();
        q.error = Some(error);
        let doublings = u32::try_from(q.series_count - 1)
            .unwrap_or(u32::MAX)
            .min(20);
        let base = parse_duration(&self.schedule.interval)
            .filter(|t| *t > 0 && *t < MAX_QUARANTINE_BACKOFF)
            .unwrap_or(40 * 60 * SECOND);
        let backoff = base
            .saturating_mul(1 << doublings)
            .min(MAX_QUARANTINE_BACKOFF);
        q.next_attempt = at.plus_ticks(backoff);
        self.status.code = "Quarantine".to_owned();
        if at.ticks_since(q.series_began) >= QUARANTINE_DISABLE_AFTER {
            self.schedule.state = "Disabled".to_owned();
            self.engine.next_run = None;
        } else {
            self.engine.next_run = Some(q.next_attempt.plus_ticks(-CYCLE_TICKS).max(at));
        }
    }

    /// start: Active; clears quarantine; the first cycle begins now.
    pub fn start(&mut self, now: Instant) {
        self.schedule.state = "Active".to_owned();
        if self.schedule.interval == DISABLED_INTERVAL {
            self.schedule.interval = DEFAULT_INTERVAL.to_owned();
        }
        self.status.code = "Active".to_owned();
        self.status.quarantine = None;
        self.engine.next_run = Some(now);
    }

    /// pause: no more cycles until started.
    pub fn pause(&mut self) {
        self.schedule.state = "Paused".to_owned();
        self.status.code = "Paused".to_owned();
        self.engine.next_run = None;
    }

    /// restart: clears what `scope` names (flag names, already checked), then runs from now.
    pub fn restart(&mut self, now: Instant, scope: Option<&str>) {
        let names: Vec<String> = scope
            .map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_ascii_lowercase())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let has = |flag: &str| names.iter().any(|n| n == flag || n == "full");
        // No scope at all behaves like the portal's "Restart provisioning".
        let default = names.is_empty();
        if default || has("watermark") {
            self.engine.watermark = false;
        }
        if default || has("escrows") {
            if self.engine.escrows > 0 {
                self.status.escrows_pruned = true;
            }
            self.engine.escrows = 0;
        }
        if default || has("quarantinestate") {
            self.status.quarantine = None;
            self.status.count_successive_complete_failures = 0;
        }
        if has("connectordatastore") {
            self.engine.connector_data_store.clear();
            self.engine.provisioned_on_demand.clear();
            self.status.synchronized_entry_count_by_type.clear();
        }
        self.engine.last_restart_scope = scope.map(str::to_owned);
        self.start(now);
    }

    /// The job as the service returns it.
    pub fn to_json(&self) -> Value {
        let mut job = json!({
            "id": self.id,
            "templateId": self.template_id,
            "schedule": {
                "expiration": self.schedule.expiration.map(|e| e.to_string()),
                "interval": self.schedule.interval,
                "state": self.schedule.state,
            },
            "status": self.status.to_json(),
        });
        if !self.synchronization_job_settings.is_empty() {
            job["synchronizationJobSettings"] =
                Value::Array(self.synchronization_job_settings.clone());
        }
        job
    }
}

impl Status {
    fn to_json(&self) -> Value {
        json!({
            "countSuccessiveCompleteFailures": self.count_successive_complete_failures,
            "escrowsPruned": self.escrows_pruned,
            "synchronizedEntryCountByType": self
                .synchronized_entry_count_by_type
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect::<Vec<_>>(),
            "code": self.code,
            "lastExecution": self.last_execution.as_ref().map(Execution::to_json),
            "lastSuccessfulExecution": self.last_successful_execution.as_ref().map(Execution::to_json),
            "lastSuccessfulExecutionWithExports":
                self.last_successful_execution_with_exports.as_ref().map(Execution::to_json),
            "steadyStateFirstAchievedTime": self.steady_state_first_achieved_time.to_string(),
            "steadyStateLastAchievedTime": self.steady_state_last_achieved_time.to_string(),
            "quarantine": self.quarantine.as_ref().map(Quarantine::to_json),
            "troubleshootingUrl": self.troubleshooting_url,
        })
    }
}

impl Execution {
    fn to_json(&self) -> Value {
        json!({
            "activityIdentifier": self.activity_identifier,
            "countEntitled": self.count_entitled,
            "countEntitledForProvisioning": self.count_entitled_for_provisioning,
            "countEscrowed": self.count_escrowed,
            "countEscrowedRaw": self.count_escrowed_raw,
            "countExported": self.count_exported,
            "countExports": self.count_exports,
            "countImported": self.count_imported,
            "countImportedDeltas": self.count_imported_deltas,
            "countImportedReferenceDeltas": self.count_imported_reference_deltas,
            "state": self.state,
            "error": self.error.as_ref().map(SyncError::to_json),
            "timeBegan": self.time_began.to_string(),
            "timeEnded": self.time_ended.to_string(),
        })
    }
}

impl SyncError {
    fn to_json(&self) -> Value {
        json!({"code": self.code, "message": self.message, "tenantActionable": self.tenant_actionable})
    }
}

impl Quarantine {
    fn to_json(&self) -> Value {
        json!({
            "currentBegan": self.current_began.to_string(),
            "nextAttempt": self.next_attempt.to_string(),
            "reason": self.reason,
            "seriesBegan": self.series_began.to_string(),
            "seriesCount": self.series_count,
            "error": self.error.as_ref().map(SyncError::to_json),
        })
    }
}

/// `(sourceObjectName, targetObjectName)` of every enabled object mapping of a schema.
pub(crate) fn enabled_object_mappings(schema: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rule in schema
        .get("synchronizationRules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for mapping in rule
            .get("objectMappings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if mapping.get("enabled").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            let name = |k: &str| {
                mapping
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let (source, target) = (name("sourceObjectName"), name("targetObjectName"));
            if !source.is_empty()
                && !out
                    .iter()
                    .any(|(s, t): &(String, String)| s == &source && t == &target)
            {
                out.push((source, target));
            }
        }
    }
    out
}

/// A template's properties as the service lists them, with defaults.
pub(crate) fn template_properties(factory_tag: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("default".into(), Value::Bool(true));
    properties.insert("description".into(), Value::Null);
    properties.insert("discoverable".into(), Value::Bool(true));
    properties.insert("factoryTag".into(), Value::String(factory_tag.to_owned()));
    properties.insert("metadata".into(), Value::Array(Vec::new()));
    properties
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({"synchronizationRules": [{"objectMappings": [
            {"sourceObjectName": "User", "targetObjectName": "User"},
            {"sourceObjectName": "Group", "targetObjectName": "Group", "enabled": false}
        ]}]})
    }

    fn good_secrets() -> Vec<Secret> {
        vec![
            Secret {
                key: "BaseAddress".into(),
                value: Some("https://scim.example.com/scim".into()),
            },
            Secret {
                key: "SecretToken".into(),
                value: Some("t".into()),
            },
        ]
    }

    #[test]
    fn an_active_job_runs_cycles_and_reaches_steady_state() {
        let t0 = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        let mut job = Job {
            schema: schema().into(),
            ..Default::default()
        };
        job.start(t0);
        let creds = credentials_problem(&good_secrets());
        assert!(creds.is_none());
        job.catch_up(t0.plus_seconds(19.0), None, &SourceDirectory::default());
        assert!(job.status.last_execution.is_none(), "a cycle takes 20 s");
        job.catch_up(t0.plus_seconds(20.0), None, &SourceDirectory::default());
        let exec = job.status.last_execution.clone().unwrap();
        assert_eq!((exec.count_imported, exec.count_exported), (10, 10));
        assert_eq!(
            job.status.synchronized_entry_count_by_type,
            vec![("user to User".to_owned(), 10)]
        );
        assert_eq!(
            job.status.steady_state_first_achieved_time.to_string(),
            "2026-01-01T00:00:20Z"
        );
        // The next cycle is 40 minutes later, incremental.
        job.engine.pending_changes = 3;
        job.catch_up(
            t0.plus_seconds(40.0 * 60.0 + 20.0),
            None,
            &SourceDirectory::default(),
        );
        let exec = job.status.last_execution.clone().unwrap();
        assert_eq!((exec.count_imported_deltas, exec.count_exported), (3, 3));
        assert_eq!(job.engine.cycles, 2);
        assert_eq!(
            job.status.steady_state_first_achieved_time.to_string(),
            "2026-01-01T00:00:20Z"
        );
        assert_eq!(
            job.status.steady_state_last_achieved_time.to_string(),
            "2026-01-01T00:40:20Z"
        );
    }

    #[test]
    fn missing_credentials_quarantine_with_escalation() {
        let t0 = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        let mut job = Job {
            schema: schema().into(),
            ..Default::default()
        };
        job.start(t0);
        let problem = credentials_problem(&[]);
        job.catch_up(
            t0.plus_seconds(20.0),
            problem.as_ref(),
            &SourceDirectory::default(),
        );
        let q = job.status.quarantine.clone().unwrap();
        assert_eq!(
            (q.series_count, q.reason.as_str()),
            (1, "EncounteredQuarantineException")
        );
        assert_eq!(q.next_attempt.to_string(), "2026-01-01T00:40:20Z");
        assert_eq!(job.status.code, "Quarantine");
        job.catch_up(
            q.next_attempt,
            problem.as_ref(),
            &SourceDirectory::default(),
        );
        let q2 = job.status.quarantine.clone().unwrap();
        assert_eq!(q2.series_count, 2);
        assert_eq!(q2.series_began, q.series_began);
        assert_eq!(
            q2.next_attempt.ticks_since(q2.current_began),
            80 * 60 * SECOND
        );
        // A month later the series has disabled the job.
        job.catch_up(
            t0.plus_seconds(40.0 * 24.0 * 3600.0),
            problem.as_ref(),
            &SourceDirectory::default(),
        );
        assert_eq!(job.schedule.state, "Disabled");
        assert!(job.engine.next_run.is_none());
    }

    #[test]
    fn a_huge_jump_of_the_clock_is_bounded() {
        let t0 = Instant::parse("2026-01-01T00:00:00Z").unwrap();
        let mut job = Job {
            schema: schema().into(),
            ..Default::default()
        };
        job.start(t0);
        job.catch_up(t0.plus_seconds(3.0e9), None, &SourceDirectory::default());
        assert!(job.engine.cycles <= MAX_CYCLES_PER_CATCH_UP as u64 + 1);
        assert!(job.engine.next_run.unwrap() <= t0.plus_seconds(3.0e9));
    }
}
