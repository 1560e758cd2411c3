use msgraph_sync::UnknownMember;
use msgraph_sync_derive::{GraphEnum, GraphFlags};

#[derive(GraphEnum)]
pub enum ScheduleState {
    Active,
    #[graph(unknown, crate = "::msgraph_sync")]
    Unknown(UnknownMember<Self>),
}

#[derive(GraphEnum)]
#[graph(crate = "not a path")]
pub enum StatusCode {
    Active,
    #[graph(unknown)]
    Unknown(UnknownMember<Self>),
}

#[derive(GraphFlags)]
#[graph(crate = "::msgraph_sync")]
pub enum ScopeFlag {
    Watermark = 4,
}

fn main() {}
