//! What a restart resets, and the common safe combinations as named constants on
//! [`SynchronizationJobRestartScope`].
//!
//! `POST …/jobs/{id}/restart` with `criteria.resetScope` restarts a job and first clears the
//! parts of its state the scope names:
//!
//! | Member | What the service clears |
//! |---|---|
//! | `Watermark` | The point the job had read changes up to: the next cycle reads every object in scope again (an initial cycle, which can take hours on a large directory). |
//! | `Escrows` | Escrowed changes: exports that failed and wait to be retried. They are dropped, not retried. |
//! | `QuarantineState` | The quarantine (reason, series count, next attempt), so the job runs on its normal schedule. |
//! | `ConnectorDataStore` | The connector's own store of which source object matches which target object. **The service documents it as not for general use**: without it the job must match every object again. |
//! | `ForceDeletes` | Lets deletions held back by the accidental-deletions threshold (quarantine reason `TooManyDeletes`) go through. Review them first. |
//! | `Full` | Shorthand for `ConnectorDataStore, Escrows, Watermark, QuarantineState`, so it includes the connector data store; it does **not** include `ForceDeletes`. A `FULL` built in code is sent expanded, as those four names. |
//!
//! An empty or absent `resetScope` behaves like the portal's "Restart provisioning", the same
//! as [`RESTART_PROVISIONING`](SynchronizationJobRestartScope::RESTART_PROVISIONING); `None` (the
//! empty set) is also flagged as not for general use, so send a scope that says what you mean.
//!
//! ```
//! use msgraph_sync::{Nullable, RestartRequestBody, SynchronizationJobRestartCriteria, SynchronizationJobRestartScope};
//!
//! let scope = SynchronizationJobRestartScope::RESTART_PROVISIONING;
//! assert!(!scope.touches_connector_data_store());
//! let body = RestartRequestBody {
//!     criteria: Some(SynchronizationJobRestartCriteria { reset_scope: Nullable::Value(scope), ..Default::default() }),
//!     ..Default::default()
//! };
//! assert_eq!(serde_json::to_string(&body).unwrap(),
//!     r#"{"criteria":{"resetScope":"Escrows, Watermark, QuarantineState"}}"#);
//! assert!(SynchronizationJobRestartScope::FULL.touches_connector_data_store());
//! ```

use crate::SynchronizationJobRestartScope;

/// What a restart resets, and the common safe combinations (from the toolkit).
///
/// - `Watermark`: the next cycle reads every object in scope again (an initial cycle).
/// - `Escrows`: exports that failed and wait to be retried are dropped, not retried.
/// - `QuarantineState`: the quarantine is cleared, so the job runs on its normal schedule.
/// - `ConnectorDataStore`: the connector's matches between source and target objects are
///   cleared; **the service documents it as not for general use**.
/// - `ForceDeletes`: deletions held back by the accidental-deletions threshold go through.
/// - `Full`: `ConnectorDataStore, Escrows, Watermark, QuarantineState` (so it includes the
///   connector data store, and not `ForceDeletes`); a `FULL` built in code is sent as those four
///   names.
///
/// See [`toolkit::scopes`](crate::toolkit::scopes) for more.
impl SynchronizationJobRestartScope {
    /// `Escrows, Watermark, QuarantineState`: the portal's "Restart provisioning" and the docs'
    /// example. Reads every object again, drops escrowed failures and leaves quarantine; keeps the
    /// connector data store (the matches between source and target objects).
    pub const RESTART_PROVISIONING: Self = Self::from_bits_truncate(2 | 4 | 8);

    /// `Escrows, QuarantineState`: leaves quarantine and drops the escrowed failures that caused
    /// it, keeping the watermark, so the next cycle is incremental. Use after fixing what made
    /// exports fail (credentials, a mapping).
    pub const LEAVE_QUARANTINE: Self = Self::from_bits_truncate(2 | 8);

    /// `Watermark`: reads every object in scope again (after a scoping or mapping change that
    /// must reach objects which did not change), keeping escrows and quarantine state.
    pub const REPROCESS_ALL: Self = Self::from_bits_truncate(4);

    /// `Escrows, Watermark, QuarantineState, ForceDeletes`: as
    /// [`RESTART_PROVISIONING`](Self::RESTART_PROVISIONING), and lets the deletions held back by
    /// the accidental-deletions threshold (quarantine reason `TooManyDeletes`) through. Only after
    /// reviewing those deletions.
    pub const RESTART_ALLOWING_DELETES: Self = Self::from_bits_truncate(2 | 4 | 8 | 32);

    /// Whether the scope clears the connector data store (`ConnectorDataStore`, also part of
    /// `Full`), which the service documents as not for general use.
    pub fn touches_connector_data_store(&self) -> bool {
        self.contains(&Self::CONNECTOR_DATA_STORE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_scopes_are_what_they_say() {
        type S = SynchronizationJobRestartScope;
        assert_eq!(
            S::RESTART_PROVISIONING,
            S::WATERMARK | S::ESCROWS | S::QUARANTINE_STATE
        );
        assert_eq!(
            S::RESTART_PROVISIONING,
            "Watermark, Escrows, QuarantineState".parse().unwrap()
        );
        assert_eq!(S::LEAVE_QUARANTINE, S::ESCROWS | S::QUARANTINE_STATE);
        assert_eq!(S::REPROCESS_ALL, S::WATERMARK);
        assert_eq!(
            S::RESTART_ALLOWING_DELETES,
            S::RESTART_PROVISIONING | S::FORCE_DELETES
        );
        for safe in [
            S::RESTART_PROVISIONING,
            S::LEAVE_QUARANTINE,
            S::REPROCESS_ALL,
            S::RESTART_ALLOWING_DELETES,
        ] {
            assert!(!safe.touches_connector_data_store(), "{safe}");
            assert!(!S::FULL.contains(&S::FORCE_DELETES) && !safe.is_empty());
        }
        assert!(S::FULL.touches_connector_data_store());
        assert!(S::CONNECTOR_DATA_STORE.touches_connector_data_store());
        assert_eq!(S::LEAVE_QUARANTINE.to_wire(), "Escrows, QuarantineState");
    }
}
