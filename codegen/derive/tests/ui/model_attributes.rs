use msgraph_sync::{Nullable, UnknownProperties};
use msgraph_sync_derive::GraphModel;

#[derive(GraphModel)]
#[graph(crate = "::msgraph_sync", rename = "job")]
pub struct Job {
    /// Misspelt key.
    #[graph(renmae = "id")]
    pub id: Option<String>,
    /// No wire name.
    pub template_id: Option<String>,
    /// Two names for one property.
    #[graph(rename = "a", alias = "b", crate = "x")]
    pub a: Option<String>,
    /// The same wire name as `a`.
    #[graph(rename = "a")]
    pub b: Option<String>,
    /// An empty wire name.
    #[graph(rename = "")]
    pub c: Option<String>,
    /// `nullable` written with a value.
    #[graph(rename = "d", nullable = true)]
    pub d: Nullable<String>,
    #[graph(unknown)]
    pub rest: UnknownProperties,
    /// A second unknown field, with a name and `nullable`.
    #[graph(unknown, rename = "more", nullable)]
    pub more: UnknownProperties,
}

#[derive(GraphModel)]
#[graph(crate = "not a path")]
pub struct Odd {
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

fn main() {}
