use msgraph_sync_derive::GraphFlags;

#[derive(GraphFlags)]
pub enum SynchronizationJobRestartScopeFlag {
    None = 0,
    Escrows = 2,
    Watermark,
}

fn main() {}
