//! The provisioning toolkit: what provisioning programs need beyond single calls, written once
//! over the generated API.
//!
//! | Module | For |
//! |---|---|
//! | [`wait`] | Wait until a job reaches steady state, enters quarantine or completes a cycle; watch its status as a stream; start a job only when it is not running. |
//! | [`on_demand`] | provisionOnDemand: the request for a user or group with the rule id found in the job's schema; the result decoded from its JSON-in-strings pair. |
//! | [`schema_edit`] | Finders on a schema (rule, object mapping, attribute mapping, directory, object, attribute) and edits that leave everything else as read. |
//! | [`schema_check`] | Client-side checks before `PUT …/schema`, located by rule, object mapping and attribute; `put_checked`. |
//! | [`schema_diff`] | The changes between two schemas as short lines for people. |
//! | [`secrets`] | Typed secrets from the documented keys, values redacted; validate then save credentials, naming the check that failed. |
//! | [`bulk`] | bulkUpload of any number of SCIM operations in requests of at most 50, with per-operation outcomes. |
//! | [`scopes`] | What each restart scope resets; named safe combinations on [`SynchronizationJobRestartScope`](crate::SynchronizationJobRestartScope). |
//!
//! Client-side rate limits and the shared throttle gate are part of the [`Client`](crate::Client)
//! itself: see [`RateLimits`](crate::RateLimits).

pub mod bulk;
pub mod on_demand;
pub mod schema_check;
pub mod schema_diff;
pub mod schema_edit;
pub mod scopes;
pub mod secrets;
pub mod wait;
