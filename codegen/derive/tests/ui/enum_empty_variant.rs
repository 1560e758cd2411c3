use msgraph_sync_derive::{GraphEnum, GraphFlags};

#[derive(GraphEnum)]
pub enum QuarantineReason {
    TooManyDeletes,
    #[graph(empty, rename = "none")]
    Empty,
    #[graph(empty)]
    Blank(String),
    #[graph(empty, unknown)]
    Unrecognized(msgraph_sync::UnknownMember<QuarantineReason>),
}

#[derive(GraphFlags)]
pub enum ScopeFlag {
    #[graph(empty)]
    None = 0,
    Watermark = 4,
}

fn main() {}
