//! Creates a synchronization job from a template (`POST /servicePrincipals/{id}/synchronization/jobs`).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... cargo run -p msgraph-sync --example create_job [TEMPLATE]`
//! (template defaults to `BoxOutDelta`, as in the reference page). The job is created disabled; start it
//! with the `start_job` example.

mod common;

use msgraph_sync::{Nullable, SynchronizationJob};

#[tokio::main]
async fn main() -> Result<(), msgraph_sync::Error> {
    let client = common::client()?;
    let sp = common::var("SERVICE_PRINCIPAL_ID");
    let template = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "BoxOutDelta".into());

    let body = SynchronizationJob {
        template_id: Nullable::Value(template),
        ..Default::default()
    };
    let job = client
        .v1()
        .service_principal(sp)
        .synchronization()
        .jobs()
        .create(&body)
        .await?;

    println!("created job {}", job.id.as_deref().unwrap_or("?"));
    if let Some(schedule) = job.schedule.as_ref() {
        println!(
            "schedule: {:?}, every {:?}",
            schedule.state,
            schedule.interval.as_ref().map(|i| i.to_string())
        );
    }
    Ok(())
}
