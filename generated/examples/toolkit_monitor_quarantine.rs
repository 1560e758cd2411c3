//! Trial program 2, monitor a job and restart it from quarantine: print every status change;
//! when the job enters quarantine, restart it clearing the quarantine and the escrowed
//! failures (keeping the watermark), at most `MAX_RESTARTS` times.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example toolkit_monitor_quarantine`

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use msgraph_sync::toolkit::wait::{JobWaiter, is_quarantined};
use msgraph_sync::{
    Nullable, RestartRequestBody, SynchronizationJobRestartCriteria, SynchronizationJobRestartScope,
};

const MAX_RESTARTS: u32 = 3;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client()?;
    let job = client
        .v1()
        .service_principal(common::var("SERVICE_PRINCIPAL_ID"))
        .synchronization()
        .jobs()
        .job(common::var("JOB_ID"));

    let mut restarts = 0;
    let mut changes = std::pin::pin!(
        JobWaiter::new(job.clone())
            .interval(Duration::from_secs(60))
            .changes()
    );
    while let Some(change) = changes.next().await {
        let change = change?;
        println!("{}", change.progress);
        if is_quarantined(&change.job) && restarts < MAX_RESTARTS {
            restarts += 1;
            let scope = SynchronizationJobRestartScope::LEAVE_QUARANTINE;
            let criteria = SynchronizationJobRestartCriteria {
                reset_scope: Nullable::Value(scope),
                ..Default::default()
            };
            job.restart(&RestartRequestBody {
                criteria: Some(criteria),
                ..Default::default()
            })
            .await?;
            println!(
                "restarted ({restarts}/{MAX_RESTARTS}) with {}",
                SynchronizationJobRestartScope::LEAVE_QUARANTINE
            );
        }
    }
    Ok(())
}
