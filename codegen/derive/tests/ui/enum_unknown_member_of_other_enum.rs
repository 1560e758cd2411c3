use msgraph_sync::UnknownMember;
use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
pub enum ScheduleState {
    Active,
    #[graph(unknown)]
    Unknown(UnknownMember<ScheduleState>),
}

// An unknown `ScheduleState` member could be `"Quarantine"`, a known member here: the payload must be
// this enum's own `UnknownMember`.
#[derive(GraphEnum)]
pub enum StatusCode {
    Quarantine,
    #[graph(unknown)]
    Unknown(UnknownMember<ScheduleState>),
}

fn main() {}
