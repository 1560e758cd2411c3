//! Trial program 5, run many service principals under throttling: for each service principal
//! (one id per line on stdin), create a job from the template, save its credentials and start
//! it, 8 at a time. One client serves them all, so a `429` with `Retry-After` for one makes the
//! others wait instead of burning their own retries; every failure is reported at the end.
//!
//! `GRAPH_TOKEN=... TEMPLATE_ID=... SCIM_URL=... SCIM_TOKEN=... cargo run -p msgraph-sync --example toolkit_fifty_service_principals < ids.txt`

mod common;

use futures_util::StreamExt;
use msgraph_sync::toolkit::secrets::Secrets;
use msgraph_sync::{Nullable, SynchronizationJob};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client()?;
    let template = common::var("TEMPLATE_ID");
    let secrets = Secrets::new()
        .base_address(common::var("SCIM_URL"))
        .secret_token(common::var("SCIM_TOKEN"));
    let ids: Vec<String> = std::io::stdin()
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .collect();

    let onboard = |sp: String| {
        let (sync, template, secrets) = (
            client.v1().service_principal(sp.as_str()).synchronization(),
            template.clone(),
            &secrets,
        );
        async move {
            let body = SynchronizationJob {
                template_id: Nullable::Value(template),
                ..Default::default()
            };
            let job = sync.jobs().create(&body).await?;
            sync.secrets().put(&secrets.to_body()).await?;
            sync.jobs().job(job.id.unwrap_or_default()).start().await?;
            Ok::<_, msgraph_sync::Error>(())
        }
    };
    let results: Vec<(String, Result<(), msgraph_sync::Error>)> = futures_util::stream::iter(ids)
        .map(|sp| async { (sp.clone(), onboard(sp).await) })
        .buffer_unordered(8)
        .collect()
        .await;
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    println!(
        "{} service principals, {} failed",
        results.len(),
        failed.len()
    );
    for (sp, error) in failed {
        println!("  {sp}: {}", error.as_ref().unwrap_err());
    }
    Ok(())
}
