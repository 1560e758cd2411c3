use msgraph_sync_derive::GraphFlags;

#[derive(GraphFlags)]
#[repr(u8)]
pub enum ObjectFlowTypesFlag {
    None = 0,
    Add(u8) = 1,
    Update { reason: String } = 2,
}

fn main() {}
