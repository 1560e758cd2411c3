//! Trial program 1, onboard an app: create a job from a template, validate and save the
//! credentials, start the job and wait for its first steady state.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... SCIM_URL=... SCIM_TOKEN=... cargo run -p msgraph-sync --example toolkit_onboard_app`
//! (`GRAPH_BASE_URL=http://127.0.0.1:PORT` runs it against the emulator).

mod common;

use std::time::Duration;

use msgraph_sync::toolkit::secrets::{Secrets, save_and_validate};
use msgraph_sync::toolkit::wait::{Condition, JobWaiter, describe_status};
use msgraph_sync::{Nullable, SynchronizationJob};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client()?;
    let sync = client
        .v1()
        .service_principal(common::var("SERVICE_PRINCIPAL_ID"))
        .synchronization();

    let template = std::env::var("TEMPLATE_ID").unwrap_or_else(|_| "scim".to_owned());
    let body = SynchronizationJob {
        template_id: Nullable::Value(template),
        ..Default::default()
    };
    let created = sync.jobs().create(&body).await?;
    let job_id = created.id.clone().ok_or("the service returned no job id")?;
    println!("created job {job_id}");

    let secrets = Secrets::new()
        .base_address(common::var("SCIM_URL"))
        .secret_token(common::var("SCIM_TOKEN"));
    save_and_validate(&sync, job_id.as_str(), &secrets).await?;

    let job = sync.jobs().job(job_id.as_str());
    job.start().await?;
    let done = JobWaiter::new(job)
        .interval(Duration::from_secs(30))
        .timeout(Duration::from_secs(4 * 3600))
        .until(Condition::steady_state_after_job(&created))
        .await?;
    println!("{}", describe_status(&done));
    Ok(())
}
