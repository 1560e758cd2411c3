//! Trial program 4, provision one user on demand and show what happened, step by step.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... USER_ID=... cargo run -p msgraph-sync --example toolkit_provision_user`

use msgraph_sync::Client;
use msgraph_sync::toolkit::on_demand::{self, Subject};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder().static_token(env("GRAPH_TOKEN")?);
    if let Ok(url) = std::env::var("GRAPH_BASE_URL") {
        builder = builder.base_url(&url);
    }
    let client = builder.build()?;
    let job = client
        .v1()
        .service_principal(env("SERVICE_PRINCIPAL_ID")?)
        .synchronization()
        .jobs()
        .job(env("JOB_ID")?);

    let result = on_demand::provision(&job, Subject::user(env("USER_ID")?)).await?;
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
