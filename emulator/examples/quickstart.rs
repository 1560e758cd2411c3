//! The README quickstart, against the emulator instead of a tenant: no account, no token.
//!
//! `cargo run -p msgraph-sync-emulator --example quickstart`

use msgraph_sync::{
    Client, Nullable, RestartRequestBody, SynchronizationJob, SynchronizationJobRestartCriteria,
    SynchronizationJobRestartScope,
};
use msgraph_sync_emulator::{App, Emulator};

const SERVICE_PRINCIPAL: &str = "a1b2c3d4-0000-0000-0000-000000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A tenant with one gallery application (template BoxOutDelta) and its credentials.
    let emulator = Emulator::builder()
        .app(
            App::new(SERVICE_PRINCIPAL)
                .template("BoxOutDelta")
                .valid_credentials(),
        )
        .start()
        .await?;

    // The quickstart, unchanged but for the base URL.
    let client = Client::builder()
        .base_url(emulator.base_url())
        .static_token("any-token")
        .build()?;
    let jobs = client
        .v1()
        .service_principal(SERVICE_PRINCIPAL)
        .synchronization()
        .jobs();

    let body = SynchronizationJob {
        template_id: Nullable::Value("BoxOutDelta".into()),
        ..Default::default()
    };
    let job = jobs.create(&body).await?;
    let job_id = job.id.clone().unwrap_or_default();
    println!("created {job_id}");

    jobs.job(&job_id).start().await?;

    let scope = SynchronizationJobRestartScope::WATERMARK
        | SynchronizationJobRestartScope::ESCROWS
        | SynchronizationJobRestartScope::QUARANTINE_STATE;
    let criteria = SynchronizationJobRestartCriteria {
        reset_scope: Nullable::Value(scope),
        ..Default::default()
    };
    jobs.job(&job_id)
        .restart(&RestartRequestBody {
            criteria: Some(criteria),
            ..Default::default()
        })
        .await?;

    let schema = jobs.job(&job_id).schema().get().await?;
    jobs.job(&job_id).schema().put(&schema).await?;

    // Let an emulated hour pass: the job runs its cycles, no waiting.
    emulator.advance(std::time::Duration::from_secs(3600));

    for job in jobs.list().top(50).collect_all().await? {
        let status = job.status.as_ref();
        let synchronized: Vec<String> = status
            .and_then(|s| s.synchronized_entry_count_by_type.as_ref())
            .into_iter()
            .flatten()
            .map(|pair| {
                format!(
                    "{}: {}",
                    pair.key.as_ref().map_or("?", String::as_str),
                    pair.value.unwrap_or(0)
                )
            })
            .collect();
        println!(
            "{:?} {:?} synchronized {synchronized:?}",
            job.id,
            status.and_then(|s| s.code.clone())
        );
    }
    Ok(())
}
