use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
pub enum AttributeType {
    String,
    #[graph(unknown)]
    Unknown(u32),
}

#[derive(GraphEnum)]
pub enum ScheduleState {
    Active,
    #[graph(unknown)]
    Unknown,
}

fn main() {}
