//! Restarts a job, clearing its watermark, escrows and quarantine state first
//! (`POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/restart`, beta, as in the reference page).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example restart_job`

mod common;

use msgraph_sync::{
    Nullable, RestartRequestBody, SynchronizationJobRestartCriteria, SynchronizationJobRestartScope,
};

#[tokio::main]
async fn main() -> Result<(), msgraph_sync::Error> {
    let client = common::client()?;
    let sp = common::var("SERVICE_PRINCIPAL_ID");
    let job = common::var("JOB_ID");

    // Sent as "Watermark, Escrows, QuarantineState".
    let scope = SynchronizationJobRestartScope::WATERMARK
        | SynchronizationJobRestartScope::ESCROWS
        | SynchronizationJobRestartScope::QUARANTINE_STATE;
    let body = RestartRequestBody {
        criteria: Some(SynchronizationJobRestartCriteria {
            reset_scope: Nullable::Value(scope),
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .beta()
        .service_principal(sp)
        .synchronization()
        .jobs()
        .job(job)
        .restart(&body)
        .await?;
    println!("restarted");
    Ok(())
}
