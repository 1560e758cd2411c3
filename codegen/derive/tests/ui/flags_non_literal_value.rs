use msgraph_sync_derive::GraphFlags;

const WATERMARK: isize = 4;

#[derive(GraphFlags)]
pub enum SynchronizationJobRestartScopeFlag {
    Escrows = 1 << 1,
    Watermark = WATERMARK,
}

fn main() {}
