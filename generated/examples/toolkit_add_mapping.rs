//! Trial program 3, add a mapping: map a target attribute from a source attribute (or a
//! constant, or an expression) in the job's schema, show the change, check it and put it back.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example toolkit_add_mapping -- timezone '[extensionAttribute11]'`

mod common;

use msgraph_sync::toolkit::schema_check::put_checked;
use msgraph_sync::toolkit::schema_diff::diff;
use msgraph_sync::toolkit::schema_edit::MappingSource;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (target, source) = (
        args.next().ok_or("usage: TARGET SOURCE")?,
        args.next().ok_or("usage: TARGET SOURCE")?,
    );
    let client = common::client()?;
    let job = client
        .v1()
        .service_principal(common::var("SERVICE_PRINCIPAL_ID"))
        .synchronization()
        .jobs()
        .job(common::var("JOB_ID"));

    let before = job.schema().get().await?;
    let mut schema = before.clone();
    schema
        .object_mapping_mut("User", "User")?
        .map_attribute(&target, MappingSource::expression(source));
    for change in diff(&before, &schema) {
        println!("{change}");
    }
    put_checked(&job.schema(), &schema).await?;
    println!("schema updated");
    Ok(())
}
