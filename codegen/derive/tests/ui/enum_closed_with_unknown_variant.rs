use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
#[graph(closed)]
pub enum SynchronizationScheduleState {
    Active,
    Disabled,
    #[graph(unknown)]
    Unknown(msgraph_sync::UnknownMember<SynchronizationScheduleState>),
}

fn main() {}
