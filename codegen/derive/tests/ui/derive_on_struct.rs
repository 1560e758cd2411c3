use msgraph_sync_derive::{GraphEnum, GraphFlags};

#[derive(GraphEnum)]
pub struct AttributeType {
    name: String,
}

#[derive(GraphFlags)]
pub union RestartScopeFlag {
    bits: u64,
}

fn main() {}
