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

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::requests::SynchronizationJobRequests;
use crate::runtime::{
    DateTimeOffset, Error, GraphEnum, Nullable, UnknownMember, UnknownProperties, Version,
};
use crate::runtime::{write_field, write_rest};
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
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct OutcomeDetails {
    /// E.g. `RedundantExport`.
    pub error_code: Option<String>,
    /// A sentence for people.
    pub error_message: Option<String>,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

/// One step of the run: import, scoping, matching, export.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ProvisioningStep {
    /// E.g. `EntryImport`, `EntrySynchronizationScoping`.
    pub name: Option<String>,
    /// The kind of step (`type`).
    pub kind: StepKind,
    /// How it went.
    pub status: StepStatus,
    /// A sentence for people.
    pub description: Option<String>,
    /// When, as sent (see [`ProvisioningStep::time`]).
    pub timestamp: Option<String>,
    /// The step's details: attribute names and values in the order the service shows them, each as
    /// the exact JSON text sent (see [`detail`](Self::detail)). A `details` that is not an object is
    /// kept as the member `value`.
    pub details: UnknownProperties,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

impl ProvisioningStep {
    /// The timestamp parsed, when it is a valid date-time.
    pub fn time(&self) -> Option<DateTimeOffset> {
        self.timestamp.as_deref().and_then(|t| t.parse().ok())
    }

    /// A detail as text (strings decoded, other JSON values as the JSON text sent).
    pub fn detail(&self, name: &str) -> Option<String> {
        let raw = self.details.get(name)?;
        Some(serde_json::from_str(raw.get()).unwrap_or_else(|_| raw.get().to_owned()))
    }
}

/// One changed property.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ModifiedProperty {
    /// The property.
    pub display_name: Option<String>,
    /// The value before (`None` for none; a value other than a string as its JSON text).
    pub old_value: Option<String>,
    /// The value after (as [`old_value`](Self::old_value)).
    pub new_value: Option<String>,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

/// The source or target object.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Identity {
    /// Its id in that system.
    pub id: Option<String>,
    /// Its type, e.g. `User` or `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
    pub type_: Option<String>,
    /// Its display name.
    pub display_name: Option<String>,
    /// Further details, as sent (in order, exact; a value that is not an object as the member
    /// `value`).
    pub details: UnknownProperties,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

/// The source or target system.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SystemInfo {
    /// Its id.
    pub id: Option<String>,
    /// Its name, e.g. `Azure Active Directory`, `customappsso`.
    pub name: Option<String>,
    /// Further details, as sent (as [`Identity::details`]).
    pub details: UnknownProperties,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

/// `statusInfo`: the status with the service's error classification.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct StatusInfo {
    /// E.g. `Skipped`.
    pub status: Option<String>,
    /// The error code (`errorCode`).
    pub error_code: Option<String>,
    /// The reason.
    pub reason: Option<String>,
    /// More details (`additionalDetails`).
    pub additional_details: Option<String>,
    /// The error category (`errorCategory`).
    pub error_category: Option<String>,
    /// What to do about it (`recommendedAction`).
    pub recommended_action: Option<String>,
    /// Fields this crate does not know (or not of the documented type), as read.
    pub other: UnknownProperties,
}

/// The parts of the answer are read leniently, in two steps: every member as its exact JSON text, in
/// order (a key twice, or a part that is not an object, is an error), then the known members taken out.
/// A known member whose value has another shape than documented stays in `other`, as read. They are
/// written with the known members first, then the others in the order read, no key twice.
fn write_record<S: Serializer>(
    serializer: S,
    other: &UnknownProperties,
    fields: &[&str],
    write_fields: impl FnOnce(&mut S::SerializeMap) -> Result<(), S::Error>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    write_rest(&mut map, other, true, fields)?;
    write_fields(&mut map)?;
    write_rest(&mut map, other, false, fields)?;
    map.end()
}

/// Takes `key` if it is a `T` or `null` (`None`); a value of another type stays in `rest`.
fn take_opt<T: DeserializeOwned>(rest: &mut UnknownProperties, key: &str) -> Option<T> {
    rest.take::<Option<T>>(key).flatten()
}

/// Takes `key` as text: a string decoded, `null` as `None`, any other JSON value as its text.
fn take_text(rest: &mut UnknownProperties, key: &str) -> Option<String> {
    let raw = rest.remove(key)?;
    serde_json::from_str::<Option<String>>(raw.get()).unwrap_or_else(|_| Some(raw.get().to_owned()))
}

/// Takes `key` as an open enum: a string as the member, `null` as the default (the unknown member
/// `""`), any other JSON value as an unknown member spelled as its text.
fn take_enum<T: std::str::FromStr + Default>(rest: &mut UnknownProperties, key: &str) -> T {
    take_text(rest, key)
        .and_then(|text| text.parse().ok())
        .unwrap_or_default()
}

/// Takes `key` as members: an object's, none for `null`, any other value as the member `value`.
fn take_members(rest: &mut UnknownProperties, key: &str) -> UnknownProperties {
    let Some(raw) = rest.remove(key) else {
        return UnknownProperties::new();
    };
    if let Ok(members) = serde_json::from_str(raw.get()) {
        return members;
    }
    let mut members = UnknownProperties::new();
    if raw.get() != "null" {
        members.insert_raw("value", raw);
    }
    members
}

/// Takes `key` as a list: `null` as empty; a value that is not a list of `T` stays in `rest`.
fn take_list<T: DeserializeOwned>(rest: &mut UnknownProperties, key: &str) -> Vec<T> {
    take_opt(rest, key).unwrap_or_default()
}

/// Members as an object, or nothing when there are none.
fn non_empty(members: &UnknownProperties) -> Option<&UnknownProperties> {
    Some(members).filter(|m| !m.is_empty())
}

impl OutcomeDetails {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            error_code: take_opt(&mut other, "errorCode"),
            error_message: take_opt(&mut other, "errorMessage"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for OutcomeDetails {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for OutcomeDetails {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        write_record(serializer, other, &["errorCode", "errorMessage"], |map| {
            write_field(map, other, "errorCode", self.error_code.as_ref())?;
            write_field(map, other, "errorMessage", self.error_message.as_ref())
        })
    }
}

impl ProvisioningStep {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            name: take_opt(&mut other, "name"),
            kind: take_enum(&mut other, "type"),
            status: take_enum(&mut other, "status"),
            description: take_opt(&mut other, "description"),
            timestamp: take_opt(&mut other, "timestamp"),
            details: take_members(&mut other, "details"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for ProvisioningStep {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for ProvisioningStep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        write_record(
            serializer,
            other,
            &[
                "name",
                "type",
                "status",
                "description",
                "timestamp",
                "details",
            ],
            |map| {
                write_field(map, other, "name", self.name.as_ref())?;
                map.serialize_entry("type", &self.kind)?;
                map.serialize_entry("status", &self.status)?;
                write_field(map, other, "description", self.description.as_ref())?;
                write_field(map, other, "timestamp", self.timestamp.as_ref())?;
                map.serialize_entry("details", &self.details)
            },
        )
    }
}

impl ModifiedProperty {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            display_name: take_opt(&mut other, "displayName"),
            old_value: take_text(&mut other, "oldValue"),
            new_value: take_text(&mut other, "newValue"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for ModifiedProperty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for ModifiedProperty {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        write_record(
            serializer,
            other,
            &["displayName", "oldValue", "newValue"],
            |map| {
                write_field(map, other, "displayName", self.display_name.as_ref())?;
                map.serialize_entry("oldValue", &self.old_value)?;
                map.serialize_entry("newValue", &self.new_value)
            },
        )
    }
}

impl Identity {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            id: take_opt(&mut other, "id"),
            type_: take_opt(&mut other, "type"),
            display_name: take_opt(&mut other, "displayName"),
            details: take_members(&mut other, "details"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for Identity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for Identity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        write_record(
            serializer,
            other,
            &["id", "type", "displayName", "details"],
            |map| {
                write_field(map, other, "id", self.id.as_ref())?;
                write_field(map, other, "type", self.type_.as_ref())?;
                write_field(map, other, "displayName", self.display_name.as_ref())?;
                write_field(map, other, "details", non_empty(&self.details))
            },
        )
    }
}

impl SystemInfo {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            id: take_opt(&mut other, "id"),
            name: take_opt(&mut other, "name"),
            details: take_members(&mut other, "details"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for SystemInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for SystemInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        write_record(serializer, other, &["id", "name", "details"], |map| {
            write_field(map, other, "id", self.id.as_ref())?;
            write_field(map, other, "name", self.name.as_ref())?;
            write_field(map, other, "details", non_empty(&self.details))
        })
    }
}

impl StatusInfo {
    /// The known members: wire name and field.
    fn fields(&self) -> [(&'static str, &Option<String>); 6] {
        [
            ("status", &self.status),
            ("errorCode", &self.error_code),
            ("reason", &self.reason),
            ("additionalDetails", &self.additional_details),
            ("errorCategory", &self.error_category),
            ("recommendedAction", &self.recommended_action),
        ]
    }
}

impl StatusInfo {
    fn from_members(mut other: UnknownProperties) -> Self {
        Self {
            status: take_opt(&mut other, "status"),
            error_code: take_opt(&mut other, "errorCode"),
            reason: take_opt(&mut other, "reason"),
            additional_details: take_opt(&mut other, "additionalDetails"),
            error_category: take_opt(&mut other, "errorCategory"),
            recommended_action: take_opt(&mut other, "recommendedAction"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for StatusInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        UnknownProperties::deserialize(deserializer).map(Self::from_members)
    }
}

impl Serialize for StatusInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let other = &self.other;
        let names = self.fields().map(|(key, _)| key);
        write_record(serializer, other, &names, |map| {
            for (key, value) in self.fields() {
                write_field(map, other, key, value.as_ref())?;
            }
            Ok(())
        })
    }
}

/// The decoded answer of provisionOnDemand.
///
/// Nothing is lost: fields this crate does not know (or not of the documented shape) are in the
/// `other` members, in the order sent, each as its exact JSON text (numbers of any size included);
/// unknown outcomes, step kinds and statuses keep their text, and [`raw`](Self::raw) is the pair as
/// received. An empty document (`"{}"`, as in the docs' group example) gives empty fields.
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
    /// Fields of the `key` document this crate does not know (or not of the documented type), as
    /// read.
    pub other_key_fields: UnknownProperties,
    /// Fields of the `value` document this crate does not know (or not of the documented type), as
    /// read.
    pub other_value_fields: UnknownProperties,
    /// The pair as received.
    pub raw: StringKeyStringValuePair,
}

impl ProvisioningResult {
    /// Decodes the pair the service answered. An absent, `null` or empty `key`/`value` is an
    /// empty document; text that is not a JSON object is an [`OnDemandDecodeError`].
    pub fn from_pair(pair: StringKeyStringValuePair) -> Result<Self, OnDemandDecodeError> {
        let mut key = parse_part(&pair.key, "key")?;
        let mut value = parse_part(&pair.value, "value")?;
        let v = &mut value;
        Ok(Self {
            outcome: take_text(&mut key, "result")
                .and_then(|text| text.parse().ok())
                .unwrap_or_default(),
            details: OutcomeDetails::from_members(take_members(&mut key, "details")),
            action: take_opt(v, "action"),
            change_id: take_opt(v, "changeId"),
            start_time: take_opt(v, "startTime"),
            end_time: take_opt(v, "endTime"),
            reportable_identifier: take_opt(v, "reportableIdentifier"),
            modified_properties: take_list(v, "modifiedProperties"),
            steps: take_list(v, "provisioningSteps"),
            status_info: take_opt(v, "statusInfo"),
            source_identity: take_opt(v, "sourceIdentity"),
            target_identity: take_opt(v, "targetIdentity"),
            source_system: take_opt(v, "sourceSystem"),
            target_system: take_opt(v, "targetSystem"),
            other_key_fields: key,
            other_value_fields: value,
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

/// The members of the document in `text` (none when it is absent, `null` or blank).
fn parse_part(
    text: &Nullable<String>,
    part: &'static str,
) -> Result<UnknownProperties, OnDemandDecodeError> {
    let text = match text.as_ref() {
        Some(t) if !t.trim().is_empty() => t,
        _ => return Ok(UnknownProperties::new()),
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
        assert_eq!(r.details.other.get("hint").unwrap().get(), "7");
        assert_eq!(r.other_key_fields.get("extra").unwrap().get(), "[1]");
        assert!(matches!(&r.steps[0].kind, StepKind::Unknown(m) if m.as_str() == "Action"));
        assert_eq!(r.steps[0].status, StepStatus::Failure);
        assert_eq!(r.steps[0].other.get("weight").unwrap().get(), "2");
        assert!(r.steps[0].details.is_empty());
        assert_eq!(r.steps[1].kind, StepKind::Export);
        assert_eq!(r.steps[1].detail("value").as_deref(), Some("text"));
        assert_eq!(r.modified_properties[0].old_value.as_deref(), Some("1"));
        assert_eq!(r.modified_properties[0].new_value.as_deref(), Some("true"));
        assert_eq!(
            r.other_value_fields.get("newTopLevel").unwrap().get(),
            r#"{"a":1}"#
        );
        assert_eq!(r.failed_step().unwrap().kind.as_str(), "Action");
    }

    #[test]
    fn order_and_numbers_are_kept_as_sent() {
        let key = r#"{"result":"Success","zeta":1e400,"alpha":123456789012345678901234567890}"#;
        let value = r#"{"provisioningSteps":[{"type":"Export","status":"Success",
            "details":{"zName":"z","aCount":1e400,"mId":9007199254740993}}],
            "sourceIdentity":{"id":"s","details":{"b":2.50,"a":1}},"zTop":1,"aTop":2}"#;
        let pair = StringKeyStringValuePair {
            key: Nullable::Value(key.into()),
            value: Nullable::Value(value.into()),
            ..Default::default()
        };
        let r = ProvisioningResult::from_pair(pair).unwrap();
        assert!(r.is_success());
        assert_eq!(
            r.other_key_fields.keys().collect::<Vec<_>>(),
            ["zeta", "alpha"]
        );
        assert_eq!(r.other_key_fields.get("zeta").unwrap().get(), "1e400");
        let step = &r.steps[0];
        assert_eq!(
            step.details.keys().collect::<Vec<_>>(),
            ["zName", "aCount", "mId"]
        );
        assert_eq!(step.detail("aCount").as_deref(), Some("1e400"));
        assert_eq!(step.detail("mId").as_deref(), Some("9007199254740993"));
        assert_eq!(step.detail("zName").as_deref(), Some("z"));
        assert_eq!(
            serde_json::to_string(step).unwrap(),
            r#"{"type":"Export","status":"Success","details":{"zName":"z","aCount":1e400,"mId":9007199254740993}}"#
        );
        let source = r.source_identity.as_ref().unwrap();
        assert_eq!(
            serde_json::to_string(source).unwrap(),
            r#"{"id":"s","details":{"b":2.50,"a":1}}"#
        );
        assert_eq!(
            r.other_value_fields.keys().collect::<Vec<_>>(),
            ["zTop", "aTop"]
        );
        // A known member of another type stays among the others, written back once at its place.
        let odd: ProvisioningStep =
            serde_json::from_str(r#"{"name":5,"type":7,"status":null,"x":1}"#).unwrap();
        assert_eq!(odd.name, None);
        assert_eq!(odd.kind.as_str(), "7");
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            r#"{"name":5,"type":"7","status":"","details":{},"x":1}"#
        );
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
