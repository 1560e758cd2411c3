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

// A `String` could be built as `Unknown("Active".into())`, shadowing the known `Active`.
#[derive(GraphEnum)]
pub enum SynchronizationStatusCode {
    Active,
    #[graph(unknown)]
    Unknown(String),
}

fn main() {}
