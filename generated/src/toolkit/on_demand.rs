//! provisionOnDemand, typed: build the request for a user or group (the rule id is found in the
//! job's schema) and decode the result, whose `key` and `value` are JSON documents in strings.
//!
//! The service allows 5 provisionOnDemand requests per 10 seconds per job; the client keeps to it
//! by default (see [`RateLimits`](crate::RateLimits)).
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_sync::toolkit::on_demand::{self, Subject};
//!
//! let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
//! let result = on_demand::provision(&job, Subject::user("9bb0f679-a883-4a6f-8260-35b491b8b8c8")).await?;
//! println!("{}: {:?}", result.outcome, result.details.error_message);
//! for step in &result.steps {
//!     println!("  {} {} {}", step.kind, step.status, step.description.as_deref().unwrap_or(""));
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::requests::SynchronizationJobRequests;
use crate::runtime::{DateTimeOffset, Error, GraphEnum, Nullable, UnknownMember, Version};
use crate::{
    Parent, ProvisionOnDemandRequestBody, StringKeyStringValuePair,
    SynchronizationJobApplicationParameters, SynchronizationJobSubject,
    SynchronizationLinkedObjects, SynchronizationRule, SynchronizationSchema,
};

/// The overall outcome (`result` in the pair's `key`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
#[non_exhaustive]
pub enum ProvisioningOutcome {
    /// `Success`.
    Success,
    /// `Skipped`: nothing to do (already in sync, or out of scope).
    Skipped,
    /// `Failure` (also read from `Failed`).
    #[graph(alias = "Failed")]
    Failure,
    /// An outcome this crate does not know, as received (`""` when the key had none).
    #[graph(unknown)]
    Unknown(UnknownMember<ProvisioningOutcome>),
}

impl Default for ProvisioningOutcome {
    fn default() -> Self {
        // No member is spelled `""`, so this is the unknown member `""`.
        let Ok(unknown) = "".parse();
        unknown
    }
}

/// The kind of a provisioning step.
#[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
#[non_exhaustive]
pub enum StepKind {
    /// `Import`: the object read from the source.
    Import,
    /// `Scoping`: whether the object is in scope.
    Scoping,
    /// `Matching`: the target object it matches.
    Matching,
    /// `Export`: the change written to the target (or skipped).
    Export,
    /// A kind this crate does not know, as received.
    #[graph(unknown)]
    Unknown(UnknownMember<StepKind>),
}

/// The status of a provisioning step.
#[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
#[non_exhaustive]
pub enum StepStatus {
    /// `Success`.
    Success,
    /// `Skipped`.
    Skipped,
    /// `Warning`.
    Warning,
    /// `Failure` (also read from `Failed`).
    #[graph(alias = "Failed")]
    Failure,
    /// A status this crate does not know, as received.
    #[graph(unknown)]
    Unknown(UnknownMember<StepStatus>),
}

/// `details` of the outcome: why it was skipped or failed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OutcomeDetails {
    /// E.g. `RedundantExport`.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// A sentence for people.
    #[serde(rename = "errorMessage", skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One step of the run: import, scoping, matching, export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProvisioningStep {
    /// E.g. `EntryImport`, `EntrySynchronizationScoping`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The kind of step.
    #[serde(rename = "type", with = "lenient_enum")]
    pub kind: StepKind,
    /// How it went.
    #[serde(with = "lenient_enum")]
    pub status: StepStatus,
    /// A sentence for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When, as sent (see [`ProvisioningStep::time`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The step's details: attribute names and values as the service shows them.
    #[serde(with = "lenient_map")]
    pub details: Map<String, Value>,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ProvisioningStep {
    /// The timestamp parsed, when it is a valid date-time.
    pub fn time(&self) -> Option<DateTimeOffset> {
        self.timestamp.as_deref().and_then(|t| t.parse().ok())
    }

    /// A detail as text (strings as they are, other JSON values as JSON).
    pub fn detail(&self, name: &str) -> Option<String> {
        self.details.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

/// One changed property.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ModifiedProperty {
    /// The property.
    #[serde(rename = "displayName", skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The value before (`None` for none).
    #[serde(rename = "oldValue", with = "lenient_text")]
    pub old_value: Option<String>,
    /// The value after.
    #[serde(rename = "newValue", with = "lenient_text")]
    pub new_value: Option<String>,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The source or target object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Identity {
    /// Its id in that system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its type, e.g. `User` or `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Its display name.
    #[serde(rename = "displayName", skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Further details, as sent.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub details: Value,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The source or target system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SystemInfo {
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name, e.g. `Azure Active Directory`, `customappsso`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Further details, as sent.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub details: Value,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `statusInfo`: the status with the service's error classification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct StatusInfo {
    /// E.g. `Skipped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The error code.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// More details.
    #[serde(rename = "additionalDetails", skip_serializing_if = "Option::is_none")]
    pub additional_details: Option<String>,
    /// The error category.
    #[serde(rename = "errorCategory", skip_serializing_if = "Option::is_none")]
    pub error_category: Option<String>,
    /// What to do about it.
    #[serde(rename = "recommendedAction", skip_serializing_if = "Option::is_none")]
    pub recommended_action: Option<String>,
    /// Fields this crate does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The `key` document: `{"result": …, "details": {…}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct KeyDoc {
    #[serde(with = "lenient_enum_opt")]
    result: Option<ProvisioningOutcome>,
    #[serde(with = "lenient_details")]
    details: OutcomeDetails,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// The `value` document.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ValueDoc {
    action: Option<String>,
    #[serde(rename = "changeId")]
    change_id: Option<String>,
    #[serde(rename = "startTime")]
    start_time: Option<String>,
    #[serde(rename = "endTime")]
    end_time: Option<String>,
    #[serde(rename = "reportableIdentifier")]
    reportable_identifier: Option<String>,
    #[serde(rename = "modifiedProperties", with = "lenient_list")]
    modified_properties: Vec<ModifiedProperty>,
    #[serde(rename = "provisioningSteps", with = "lenient_list")]
    provisioning_steps: Vec<ProvisioningStep>,
    #[serde(rename = "statusInfo")]
    status_info: Option<StatusInfo>,
    #[serde(rename = "sourceIdentity")]
    source_identity: Option<Identity>,
    #[serde(rename = "targetIdentity")]
    target_identity: Option<Identity>,
    #[serde(rename = "sourceSystem")]
    source_system: Option<SystemInfo>,
    #[serde(rename = "targetSystem")]
    target_system: Option<SystemInfo>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// The decoded answer of provisionOnDemand.
///
/// Nothing is lost: fields this crate does not know are in the `other` maps, unknown outcomes,
/// step kinds and statuses keep their text, and [`raw`](Self::raw) is the pair as received. An
/// empty document (`"{}"`, as in the docs' group example) gives empty fields.
///
/// ```
/// use msgraph_sync::StringKeyStringValuePair;
/// use msgraph_sync::toolkit::on_demand::{ProvisioningOutcome, ProvisioningResult, StepKind};
///
/// let pair: StringKeyStringValuePair = serde_json::from_str(r#"{
///   "key": "{\"result\":\"Skipped\",\"details\":{\"errorCode\":\"RedundantExport\"}}",
///   "value": "{\"action\":\"Other\",\"provisioningSteps\":[{\"name\":\"EntryImport\",\"type\":\"Import\",\"status\":\"Success\",\"details\":{\"displayName\":\"Bill Bob\"}}],\"sourceIdentity\":{\"id\":\"62cf\",\"type\":\"User\"}}"
/// }"#).unwrap();
/// let result = ProvisioningResult::from_pair(pair).unwrap();
/// assert_eq!(result.outcome, ProvisioningOutcome::Skipped);
/// assert_eq!(result.details.error_code.as_deref(), Some("RedundantExport"));
/// assert_eq!(result.step(StepKind::Import).unwrap().detail("displayName").as_deref(), Some("Bill Bob"));
/// assert_eq!(result.source_identity.unwrap().id.as_deref(), Some("62cf"));
///
/// let group = StringKeyStringValuePair { key: r#"{"result":"Success","details":{}}"#.to_owned().into(),
///     value: "{}".to_owned().into(), ..Default::default() };
/// let result = ProvisioningResult::from_pair(group).unwrap();
/// assert!(result.is_success() && result.steps.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ProvisioningResult {
    /// `result`: success, skipped, failure, or an unknown outcome as received.
    pub outcome: ProvisioningOutcome,
    /// `details` of the outcome.
    pub details: OutcomeDetails,
    /// `action`, e.g. `Other`, `Create`, `Update`.
    pub action: Option<String>,
    /// `changeId`.
    pub change_id: Option<String>,
    /// `startTime`, as sent.
    pub start_time: Option<String>,
    /// `endTime`, as sent.
    pub end_time: Option<String>,
    /// `reportableIdentifier`, e.g. the user principal name.
    pub reportable_identifier: Option<String>,
    /// `modifiedProperties`.
    pub modified_properties: Vec<ModifiedProperty>,
    /// `provisioningSteps`, in order.
    pub steps: Vec<ProvisioningStep>,
    /// `statusInfo`.
    pub status_info: Option<StatusInfo>,
    /// `sourceIdentity`.
    pub source_identity: Option<Identity>,
    /// `targetIdentity`.
    pub target_identity: Option<Identity>,
    /// `sourceSystem`.
    pub source_system: Option<SystemInfo>,
    /// `targetSystem`.
    pub target_system: Option<SystemInfo>,
    /// Fields of the `key` document this crate does not know.
    pub other_key_fields: Map<String, Value>,
    /// Fields of the `value` document this crate does not know.
    pub other_value_fields: Map<String, Value>,
    /// The pair as received.
    pub raw: StringKeyStringValuePair,
}

impl ProvisioningResult {
    /// Decodes the pair the service answered. An absent, `null` or empty `key`/`value` is an
    /// empty document; text that is not a JSON object is an [`OnDemandDecodeError`].
    pub fn from_pair(pair: StringKeyStringValuePair) -> Result<Self, OnDemandDecodeError> {
        let key: KeyDoc = parse_part(&pair.key, "key")?;
        let value: ValueDoc = parse_part(&pair.value, "value")?;
        Ok(Self {
            outcome: key.result.unwrap_or_default(),
            details: key.details,
            action: value.action,
            change_id: value.change_id,
            start_time: value.start_time,
            end_time: value.end_time,
            reportable_identifier: value.reportable_identifier,
            modified_properties: value.modified_properties,
            steps: value.provisioning_steps,
            status_info: value.status_info,
            source_identity: value.source_identity,
            target_identity: value.target_identity,
            source_system: value.source_system,
            target_system: value.target_system,
            other_key_fields: key.other,
            other_value_fields: value.other,
            raw: pair,
        })
    }

    /// Whether the outcome is `Success`.
    pub fn is_success(&self) -> bool {
        self.outcome == ProvisioningOutcome::Success
    }

    /// The first step of `kind`.
    pub fn step(&self, kind: StepKind) -> Option<&ProvisioningStep> {
        self.steps.iter().find(|s| s.kind == kind)
    }

    /// The first step that failed, if any.
    pub fn failed_step(&self) -> Option<&ProvisioningStep> {
        self.steps.iter().find(|s| s.status == StepStatus::Failure)
    }
}

fn parse_part<T: Default + for<'de> Deserialize<'de>>(
    text: &Nullable<String>,
    part: &'static str,
) -> Result<T, OnDemandDecodeError> {
    let text = match text.as_ref() {
        Some(t) if !t.trim().is_empty() => t,
        _ => return Ok(T::default()),
    };
    serde_json::from_str(text).map_err(|error| OnDemandDecodeError { part, error })
}

/// The `key` or `value` of a provisionOnDemand answer is not a JSON object of the documented
/// shape. The raw pair is still available from the response; this error says which part and
/// where (line and column in that part's text).
#[derive(Debug)]
pub struct OnDemandDecodeError {
    part: &'static str,
    error: serde_json::Error,
}

impl OnDemandDecodeError {
    /// `"key"` or `"value"`.
    pub fn part(&self) -> &'static str {
        self.part
    }
}

impl fmt::Display for OnDemandDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the provisionOnDemand result's `{}` is not the documented JSON document: {}",
            self.part, self.error
        )
    }
}

impl std::error::Error for OnDemandDecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Serde helpers that accept what the service may send in place of the documented shape:
/// `null` for a list or map, any JSON value for a text.
mod lenient_list {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
    }
    #[allow(dead_code)]
    pub fn serialize<S: Serializer, T: Serialize>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

mod lenient_map {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Value};
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => Map::from_iter([("value".to_owned(), other)]),
        })
    }
    pub fn serialize<S: Serializer>(v: &Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

mod lenient_details {
    use super::OutcomeDetails;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OutcomeDetails, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => OutcomeDetails::default(),
            v @ Value::Object(_) => serde_json::from_value(v).map_err(serde::de::Error::custom)?,
            other => OutcomeDetails {
                other: serde_json::Map::from_iter([("value".to_owned(), other)]),
                ..Default::default()
            },
        })
    }
}

mod lenient_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        })
    }
    pub fn serialize<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

/// An open enum read from any JSON value: a string as the member, anything else as unknown text.
mod lenient_enum {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;
    pub fn deserialize<'de, D: Deserializer<'de>, T: std::str::FromStr + Default>(
        d: D,
    ) -> Result<T, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => s.parse().unwrap_or_default(),
            Value::Null => T::default(),
            other => other.to_string().parse().unwrap_or_default(),
        })
    }
    pub fn serialize<S: Serializer, T: Serialize>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

mod lenient_enum_opt {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;
    pub fn deserialize<'de, D: Deserializer<'de>, T: std::str::FromStr>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => s.parse().ok(),
            Value::Null => None,
            other => other.to_string().parse().ok(),
        })
    }
}

impl Default for StepKind {
    fn default() -> Self {
        // No member is spelled `""`, so this is the unknown member `""`.
        let Ok(unknown) = "".parse();
        unknown
    }
}

impl Default for StepStatus {
    fn default() -> Self {
        // No member is spelled `""`, so this is the unknown member `""`.
        let Ok(unknown) = "".parse();
        unknown
    }
}

/// The object to provision: a user, a group (optionally with some of its members), or any object
/// type by name.
///
/// ```
/// use msgraph_sync::toolkit::on_demand::Subject;
/// let group = Subject::group("8213fd99-d6b6-417b-8e13-af6334856215")
///     .with_members(["cbc86211-6ada-4803-b73f-8039cf56d8a2", "2bc86211-6ada-4803-b73f-8039cf56d8a2"]);
/// assert_eq!(group.object_type_name(), "Group");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    object_id: String,
    object_type_name: String,
    members: Vec<String>,
}

impl Subject {
    /// A user by object id.
    pub fn user(object_id: impl Into<String>) -> Self {
        Self::object("User", object_id)
    }

    /// A group by object id.
    pub fn group(object_id: impl Into<String>) -> Self {
        Self::object("Group", object_id)
    }

    /// An object of type `object_type_name` (the source object name in the schema, e.g. `User`)
    /// by its id (a GUID, or for Cloud Sync an AD distinguished name).
    pub fn object(object_type_name: impl Into<String>, object_id: impl Into<String>) -> Self {
        Self {
            object_id: object_id.into(),
            object_type_name: object_type_name.into(),
            members: Vec::new(),
        }
    }

    /// For a group: the members (user object ids) to provision with it.
    pub fn with_members<I, S>(mut self, members: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.members.extend(members.into_iter().map(Into::into));
        self
    }

    /// The object id.
    pub fn object_id(&self) -> &str {
        &self.object_id
    }

    /// The object type name.
    pub fn object_type_name(&self) -> &str {
        &self.object_type_name
    }

    fn to_model(&self) -> SynchronizationJobSubject {
        let links = if self.members.is_empty() {
            Nullable::Absent
        } else {
            let members = self
                .members
                .iter()
                .map(|m| SynchronizationJobSubject {
                    object_id: Nullable::Value(m.clone()),
                    object_type_name: Nullable::Value("User".to_owned()),
                    ..Default::default()
                })
                .collect();
            Nullable::Value(Box::new(SynchronizationLinkedObjects {
                members: Nullable::Value(members),
                ..Default::default()
            }))
        };
        SynchronizationJobSubject {
            links,
            object_id: Nullable::Value(self.object_id.clone()),
            object_type_name: Nullable::Value(self.object_type_name.clone()),
            ..Default::default()
        }
    }
}

/// The schema has no rule (or more than one) that provisions the subject's object type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleNotFound {
    object_type_name: String,
    candidates: Vec<String>,
    available: Vec<String>,
}

impl RuleNotFound {
    /// The rules that matched (`id (name)`), when more than one did.
    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }
}

impl fmt::Display for RuleNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.candidates.is_empty() {
            write!(
                f,
                "the job's schema has no enabled rule with an object mapping from source object `{}`",
                self.object_type_name
            )?;
            if self.available.is_empty() {
                f.write_str(" (it has no rules)")
            } else {
                write!(f, "; its rules map: {}", self.available.join("; "))
            }
        } else {
            write!(
                f,
                "several rules map source object `{}`: {}; pass the rule id with `request_with_rule`",
                self.object_type_name,
                self.candidates.join(", ")
            )
        }
    }
}

impl std::error::Error for RuleNotFound {}

fn rule_label(rule: &SynchronizationRule) -> String {
    format!(
        "{} ({})",
        rule.id.as_ref().map_or("<no id>", String::as_str),
        rule.name.as_ref().map_or("<no name>", String::as_str)
    )
}

/// The id of the rule that provisions `object_type_name` objects: the one rule with an enabled
/// object mapping whose source object has that name (ignoring case).
///
/// ```
/// use msgraph_sync::toolkit::on_demand::rule_id_for;
/// let schema = serde_json::from_value(serde_json::json!({"synchronizationRules": [{
///     "id": "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2", "name": "USER_OUTBOUND_USER",
///     "objectMappings": [{"enabled": true, "sourceObjectName": "User", "targetObjectName": "User"},
///                        {"enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group"}]}]})).unwrap();
/// assert_eq!(rule_id_for(&schema, "user").unwrap(), "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2");
/// let err = rule_id_for(&schema, "Device").unwrap_err();
/// assert!(err.to_string().contains("no enabled rule with an object mapping from source object `Device`"));
/// ```
pub fn rule_id_for(
    schema: &SynchronizationSchema,
    object_type_name: &str,
) -> Result<String, RuleNotFound> {
    let rules = schema
        .synchronization_rules
        .as_ref()
        .map_or(&[][..], Vec::as_slice);
    let provisions = |rule: &SynchronizationRule| {
        rule.object_mappings.as_ref().is_some_and(|maps| {
            maps.iter().any(|m| {
                m.enabled != Some(false)
                    && m.source_object_name
                        .as_ref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(object_type_name))
            })
        })
    };
    let matching: Vec<&SynchronizationRule> = rules
        .iter()
        .filter(|r| provisions(r) && r.id.as_ref().is_some_and(|id| !id.is_empty()))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.id.as_ref().cloned().unwrap_or_default()),
        _ => Err(RuleNotFound {
            object_type_name: object_type_name.to_owned(),
            candidates: if matching.len() > 1 {
                matching.iter().map(|r| rule_label(r)).collect()
            } else {
                Vec::new()
            },
            available: rules
                .iter()
                .map(|r| {
                    let sources: Vec<&str> = r
                        .object_mappings
                        .as_ref()
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .filter_map(|m| m.source_object_name.as_ref().map(String::as_str))
                        .collect();
                    format!("{} from {}", rule_label(r), sources.join(", "))
                })
                .collect(),
        }),
    }
}

/// The provisionOnDemand body for `subjects` under rule `rule_id`.
///
/// ```
/// use msgraph_sync::toolkit::on_demand::{request_with_rule, Subject};
/// let body = request_with_rule("ea807875-5618-4f0a-9125-0b46a05298ca", [Subject::user("9bb0f679-a883-4a6f-8260-35b491b8b8c8")]);
/// assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"parameters": [{
///     "ruleId": "ea807875-5618-4f0a-9125-0b46a05298ca",
///     "subjects": [{"objectId": "9bb0f679-a883-4a6f-8260-35b491b8b8c8", "objectTypeName": "User"}]}]}));
/// ```
pub fn request_with_rule(
    rule_id: impl Into<String>,
    subjects: impl IntoIterator<Item = Subject>,
) -> ProvisionOnDemandRequestBody {
    ProvisionOnDemandRequestBody {
        parameters: Some(vec![SynchronizationJobApplicationParameters {
            rule_id: Nullable::Value(rule_id.into()),
            subjects: Nullable::Value(subjects.into_iter().map(|s| s.to_model()).collect()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// The provisionOnDemand body for `subject`, with the rule id found in `schema` (see
/// [`rule_id_for`]).
///
/// ```
/// use msgraph_sync::toolkit::on_demand::{request_for, Subject};
/// let schema = serde_json::from_value(serde_json::json!({"synchronizationRules": [{"id": "r1",
///     "objectMappings": [{"sourceObjectName": "Group", "targetObjectName": "Group"}]}]})).unwrap();
/// let body = request_for(&schema, Subject::group("g1").with_members(["u1"])).unwrap();
/// assert_eq!(serde_json::to_value(&body).unwrap()["parameters"][0]["subjects"][0]["links"]["members"][0]["objectId"], "u1");
/// assert!(request_for(&schema, Subject::user("u1")).is_err());
/// ```
pub fn request_for(
    schema: &SynchronizationSchema,
    subject: Subject,
) -> Result<ProvisionOnDemandRequestBody, RuleNotFound> {
    let rule_id = rule_id_for(schema, subject.object_type_name())?;
    Ok(request_with_rule(rule_id, [subject]))
}

/// Why [`provision`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum OnDemandError {
    /// Reading the schema or the provisionOnDemand call failed.
    Request(Error),
    /// The schema has no single rule for the subject's object type.
    Rule(RuleNotFound),
    /// The answer's key or value is not the documented document.
    Decode {
        /// What failed.
        error: OnDemandDecodeError,
        /// The pair as received.
        raw: Box<StringKeyStringValuePair>,
    },
}

impl fmt::Display for OnDemandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OnDemandError::Request(e) => write!(f, "provisionOnDemand: {e}"),
            OnDemandError::Rule(e) => write!(f, "provisionOnDemand: {e}"),
            OnDemandError::Decode { error, .. } => write!(f, "provisionOnDemand: {error}"),
        }
    }
}

impl std::error::Error for OnDemandError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OnDemandError::Request(e) => Some(e),
            OnDemandError::Rule(e) => Some(e),
            OnDemandError::Decode { error, .. } => Some(error),
        }
    }
}

impl From<Error> for OnDemandError {
    fn from(e: Error) -> Self {
        OnDemandError::Request(e)
    }
}

/// Provisions `subject` now: reads the job's schema, finds the rule, calls provisionOnDemand
/// (within the client's rate limit) and decodes the answer.
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_sync::toolkit::on_demand::{self, Subject};
/// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
/// let result = on_demand::provision(&job, Subject::group("g-id").with_members(["u-id"])).await?;
/// if let Some(step) = result.failed_step() {
///     eprintln!("{} failed: {:?}", step.kind, step.description);
/// }
/// # Ok(()) }
/// ```
pub async fn provision<P: Parent, V: Version>(
    job: &SynchronizationJobRequests<P, V>,
    subject: Subject,
) -> Result<ProvisioningResult, OnDemandError> {
    let schema = job.schema().get().await?;
    provision_with_schema(job, &schema, subject).await
}

/// [`provision`] with a schema read before, for many subjects in a row (the schema is not read
/// again each time).
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_sync::toolkit::on_demand::{provision_with_schema, Subject};
/// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
/// let schema = job.schema().get().await?;
/// for user in ["u1", "u2", "u3"] {
///     let result = provision_with_schema(&job, &schema, Subject::user(user)).await?;
///     println!("{user}: {}", result.outcome);
/// }
/// # Ok(()) }
/// ```
pub async fn provision_with_schema<P: Parent, V: Version>(
    job: &SynchronizationJobRequests<P, V>,
    schema: &SynchronizationSchema,
    subject: Subject,
) -> Result<ProvisioningResult, OnDemandError> {
    let body = request_for(schema, subject).map_err(OnDemandError::Rule)?;
    let pair = job.provision_on_demand(&body).await?;
    ProvisioningResult::from_pair(pair.clone()).map_err(|error| OnDemandError::Decode {
        error,
        raw: Box::new(pair),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs' example 1 answer (v1.0 provisionOnDemand page), verbatim.
    const DOCS_USER: &str = include_str!("testdata/on_demand_user.json");

    #[test]
    fn the_docs_user_example_decodes_completely() {
        let pair: StringKeyStringValuePair = serde_json::from_str(DOCS_USER).unwrap();
        let r = ProvisioningResult::from_pair(pair.clone()).unwrap();
        assert_eq!(r.outcome, ProvisioningOutcome::Skipped);
        assert_eq!(r.details.error_code.as_deref(), Some("RedundantExport"));
        assert_eq!(
            r.details.error_message.as_deref(),
            Some("The state of the user in both the source and target systems already match.")
        );
        assert_eq!(r.action.as_deref(), Some("Other"));
        assert_eq!(
            r.change_id.as_deref(),
            Some("g8ba3be8-1d7f-4a60-ae31-a8980da0a389")
        );
        assert_eq!(
            r.reportable_identifier.as_deref(),
            Some("BillBob@contoso.com")
        );
        assert_eq!(r.modified_properties.len(), 7);
        assert_eq!(
            r.modified_properties[2].display_name.as_deref(),
            Some("displayName")
        );
        assert_eq!(r.modified_properties[2].old_value, None);
        assert_eq!(
            r.modified_properties[2].new_value.as_deref(),
            Some("Bill Bob")
        );
        let kinds: Vec<&str> = r.steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, ["Import", "Matching", "Scoping", "Export"]);
        let export = r.step(StepKind::Export).unwrap();
        assert_eq!(export.status, StepStatus::Skipped);
        assert_eq!(
            export.detail("SkipReason").as_deref(),
            Some("RedundantExport")
        );
        assert_eq!(
            export.time().unwrap().as_str(),
            "2020-06-26T13:58:24.7682084Z"
        );
        assert_eq!(
            r.step(StepKind::Scoping)
                .unwrap()
                .detail("ScopeEvaluationResult")
                .as_deref(),
            Some("{}")
        );
        assert_eq!(
            r.status_info.as_ref().unwrap().status.as_deref(),
            Some("Skipped")
        );
        let target = r.target_identity.as_ref().unwrap();
        assert_eq!(
            target.type_.as_deref(),
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        );
        assert_eq!(
            r.source_system.as_ref().unwrap().name.as_deref(),
            Some("Azure Active Directory")
        );
        assert_eq!(
            r.target_system.as_ref().unwrap().name.as_deref(),
            Some("customappsso")
        );
        assert!(r.other_key_fields.is_empty() && r.other_value_fields.is_empty());
        assert_eq!(r.raw, pair);
        assert!(r.failed_step().is_none() && !r.is_success());
    }

    #[test]
    fn unknown_members_and_fields_are_kept() {
        let key = r#"{"result":"PartialSuccess","details":{"errorCode":"X","hint":7},"extra":[1]}"#;
        let value = r#"{"provisioningSteps":[{"type":"Action","status":"Failed","details":null,"weight":2},
            {"type":"export","status":"Warning","details":"text"}],
            "modifiedProperties":[{"displayName":"n","oldValue":1,"newValue":true}],
            "newTopLevel":{"a":1}}"#;
        let pair = StringKeyStringValuePair {
            key: Nullable::Value(key.into()),
            value: Nullable::Value(value.into()),
            ..Default::default()
        };
        let r = ProvisioningResult::from_pair(pair).unwrap();
        assert!(
            matches!(&r.outcome, ProvisioningOutcome::Unknown(m) if m.as_str() == "PartialSuccess")
        );
        assert_eq!(r.details.other["hint"], 7);
        assert_eq!(r.other_key_fields["extra"], serde_json::json!([1]));
        assert!(matches!(&r.steps[0].kind, StepKind::Unknown(m) if m.as_str() == "Action"));
        assert_eq!(r.steps[0].status, StepStatus::Failure);
        assert_eq!(r.steps[0].other["weight"], 2);
        assert!(r.steps[0].details.is_empty());
        assert_eq!(r.steps[1].kind, StepKind::Export);
        assert_eq!(r.steps[1].detail("value").as_deref(), Some("text"));
        assert_eq!(r.modified_properties[0].old_value.as_deref(), Some("1"));
        assert_eq!(r.modified_properties[0].new_value.as_deref(), Some("true"));
        assert_eq!(r.other_value_fields["newTopLevel"]["a"], 1);
        assert_eq!(r.failed_step().unwrap().kind.as_str(), "Action");
    }

    #[test]
    fn empty_and_broken_parts() {
        for (key, value) in [
            (Nullable::Absent, Nullable::Null),
            (Nullable::Value(String::new()), Nullable::Value("{}".into())),
        ] {
            let r = ProvisioningResult::from_pair(StringKeyStringValuePair {
                key,
                value,
                ..Default::default()
            })
            .unwrap();
            assert!(matches!(&r.outcome, ProvisioningOutcome::Unknown(m) if m.as_str().is_empty()));
            assert!(r.steps.is_empty() && r.source_identity.is_none());
        }
        let bad = StringKeyStringValuePair {
            key: Nullable::Value("{\"result\":\"Success\"}".into()),
            value: Nullable::Value("{\"provisioningSteps\": 3".into()),
            ..Default::default()
        };
        let err = ProvisioningResult::from_pair(bad).unwrap_err();
        assert_eq!(err.part(), "value");
        assert!(
            err.to_string()
                .starts_with("the provisionOnDemand result's `value` is not"),
            "{err}"
        );
        let not_object = StringKeyStringValuePair {
            key: Nullable::Value("[1]".into()),
            ..Default::default()
        };
        assert_eq!(
            ProvisioningResult::from_pair(not_object)
                .unwrap_err()
                .part(),
            "key"
        );
    }

    #[test]
    fn rules_are_found_or_refused_with_what_exists() {
        let schema: SynchronizationSchema = serde_json::from_value(serde_json::json!({"synchronizationRules": [
            {"id": "a", "name": "USERS", "objectMappings": [{"sourceObjectName": "User", "enabled": false}]},
            {"id": "b", "name": "USERS2", "objectMappings": [{"sourceObjectName": "user"}]},
            {"id": "c", "name": "GROUPS", "objectMappings": [{"sourceObjectName": "Group"}]},
            {"id": "d", "name": "GROUPS2", "objectMappings": [{"sourceObjectName": "group", "enabled": true}]}
        ]})).unwrap();
        assert_eq!(rule_id_for(&schema, "User").unwrap(), "b");
        let e = rule_id_for(&schema, "Group").unwrap_err();
        assert_eq!(e.candidates(), ["c (GROUPS)", "d (GROUPS2)"]);
        assert!(
            e.to_string()
                .contains("several rules map source object `Group`"),
            "{e}"
        );
        let e = rule_id_for(&schema, "Contact").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the job's schema has no enabled rule with an object mapping from source object `Contact`; \
             its rules map: a (USERS) from User; b (USERS2) from user; c (GROUPS) from Group; d (GROUPS2) from group"
        );
        let e = rule_id_for(&SynchronizationSchema::default(), "User").unwrap_err();
        assert!(e.to_string().ends_with("(it has no rules)"));
    }
}
