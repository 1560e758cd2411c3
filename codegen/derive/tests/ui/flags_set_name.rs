use msgraph_sync_derive::GraphFlags;

#[derive(GraphFlags)]
pub enum RestartScope {
    None = 0,
    Escrows = 2,
}

#[derive(GraphFlags)]
#[graph(set = "not a name")]
pub enum ObjectFlowTypesFlag {
    Add = 1,
}

fn main() {}
