use msgraph_sync::{Nullable, UnknownProperties};
use msgraph_sync_derive::GraphModel;

#[derive(GraphModel)]
pub struct Job {
    /// Not nullable, so it must be an `Option`.
    #[graph(rename = "id")]
    pub id: String,
    /// `nullable`, so it must be a `Nullable`.
    #[graph(rename = "templateId", nullable)]
    pub template_id: Option<String>,
    /// A `Nullable` without `nullable`.
    #[graph(rename = "schedule")]
    pub schedule: Nullable<String>,
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// The unknown field must be an `UnknownProperties`.
#[derive(GraphModel)]
pub struct Loose {
    #[graph(unknown)]
    pub rest: std::collections::HashMap<String, String>,
}

fn main() {}
