//! Starts (or resumes, or releases from quarantine) a synchronization job
//! (`POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/start`).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example start_job`
//! Call it only for a paused or quarantined job: calling start repeatedly on a running job can stop it.

mod common;

#[tokio::main]
async fn main() -> Result<(), msgraph_sync::Error> {
    let client = common::client()?;
    let sp = common::var("SERVICE_PRINCIPAL_ID");
    let job = common::var("JOB_ID");

    client
        .v1()
        .service_principal(sp)
        .synchronization()
        .jobs()
        .job(job)
        .start()
        .await?;
    println!("started");
    Ok(())
}
