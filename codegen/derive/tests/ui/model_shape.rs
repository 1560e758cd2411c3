use msgraph_sync::UnknownProperties;
use msgraph_sync_derive::GraphModel;

#[derive(GraphModel)]
pub enum Job {
    Active,
}

#[derive(GraphModel)]
pub struct Pair(String, UnknownProperties);

#[derive(GraphModel)]
pub struct Page<T> {
    #[graph(rename = "value")]
    pub value: Option<Vec<T>>,
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// No field keeps the unknown members.
#[derive(GraphModel)]
pub struct Closed {
    #[graph(rename = "id")]
    pub id: Option<String>,
}

fn main() {}
