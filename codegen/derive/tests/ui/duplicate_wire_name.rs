use msgraph_sync_derive::{GraphEnum, GraphFlags};

#[derive(GraphEnum)]
pub enum AttributeType {
    String,
    #[graph(rename = "string")]
    Text,
    #[graph(unknown)]
    Unknown(msgraph_sync::UnknownMember<AttributeType>),
}

#[derive(GraphFlags)]
pub enum ObjectFlowTypesFlag {
    Add = 1,
    #[graph(alias = "ADD")]
    Update = 2,
}

fn main() {}
