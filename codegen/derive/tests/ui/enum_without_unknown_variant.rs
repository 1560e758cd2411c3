use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
pub enum SynchronizationScheduleState {
    Active,
    Disabled,
    Paused,
}

fn main() {}
