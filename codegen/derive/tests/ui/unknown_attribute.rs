use msgraph_sync_derive::{GraphEnum, GraphFlags};

#[derive(GraphEnum)]
#[graph(closed)]
pub enum AttributeType {
    #[graph(renmae = "DateTime")]
    DateTime,
}

#[derive(GraphFlags)]
#[graph(set = "ObjectFlowTypes", default)]
pub enum ObjectFlowTypesFlag {
    None = 0,
    #[graph(unknown)]
    Add = 1,
}

fn main() {}
