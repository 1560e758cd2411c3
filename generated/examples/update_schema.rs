//! Reads a job's synchronization schema, adds a custom attribute to a target object, and writes the whole
//! schema back (`GET`, then `PUT /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema`, beta).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example update_schema`
//!
//! PUT replaces the schema entirely; because the models keep every property they do not know, what was
//! read is written back intact apart from the change.

mod common;

use msgraph_sync::{AttributeDefinition, AttributeType, Mutability, Nullable};

#[tokio::main]
async fn main() -> Result<(), msgraph_sync::Error> {
    let client = common::client()?;
    let sp = common::var("SERVICE_PRINCIPAL_ID");
    let job = common::var("JOB_ID");
    let schema_requests = client
        .beta()
        .service_principal(sp)
        .synchronization()
        .jobs()
        .job(job)
        .schema();

    let mut schema = schema_requests.get().await?;
    let name =
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute";
    let attribute = AttributeDefinition {
        name: Nullable::Value(name.into()),
        type_: Some(AttributeType::String),
        mutability: Some(Mutability::ReadWrite),
        ..Default::default()
    };
    let user = schema
        .directories
        .as_mut()
        .and_then(|directories| {
            directories.iter_mut().find(|d| {
                d.name
                    .as_ref()
                    .is_some_and(|n| n != "Azure Active Directory")
            })
        })
        .and_then(|directory| directory.objects.as_mut())
        .and_then(|objects| {
            objects
                .iter_mut()
                .find(|o| o.name.as_ref().is_some_and(|n| n == "User"))
        });
    match user.and_then(|user| user.attributes.as_mut()) {
        Some(attributes)
            if !attributes
                .iter()
                .any(|a| a.name.as_ref().is_some_and(|n| n == name)) =>
        {
            attributes.push(attribute);
            schema_requests.put(&schema).await?;
            println!("added {name}");
        }
        Some(_) => println!("{name} is already in the schema"),
        None => println!("no target User object with attributes in this schema"),
    }
    Ok(())
}
