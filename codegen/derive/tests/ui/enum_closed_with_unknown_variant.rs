use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
#[graph(closed)]
pub enum SynchronizationScheduleState {
    Active,
    Disabled,
    #[graph(unknown)]
    Unknown(String),
}

fn main() {}
