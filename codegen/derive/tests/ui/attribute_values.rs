use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
#[graph(closed = true)]
pub enum AttributeType {
    #[graph(rename = DateTime)]
    DateTime,
    #[graph(rename)]
    Binary,
    #[graph(rename = "")]
    Integer,
}

fn main() {}
