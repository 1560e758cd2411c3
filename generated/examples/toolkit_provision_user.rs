//! Trial program 4, provision one user on demand and show what happened, step by step.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... USER_ID=... cargo run -p msgraph-sync --example toolkit_provision_user`

mod common;

use msgraph_sync::toolkit::on_demand::{self, Subject};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client()?;
    let job = client
        .v1()
        .service_principal(common::var("SERVICE_PRINCIPAL_ID"))
        .synchronization()
        .jobs()
        .job(common::var("JOB_ID"));

    let result = on_demand::provision(&job, Subject::user(common::var("USER_ID"))).await?;
    println!(
        "{} {}",
        result.outcome,
        result.details.error_message.as_deref().unwrap_or("")
    );
    for step in &result.steps {
        println!(
            "  {:<9} {:<8} {}",
            step.kind,
            step.status,
            step.description.as_deref().unwrap_or("")
        );
    }
    for p in &result.modified_properties {
        println!(
            "  {}: {:?} -> {:?}",
            p.display_name.as_deref().unwrap_or("?"),
            p.old_value,
            p.new_value
        );
    }
    Ok(())
}
