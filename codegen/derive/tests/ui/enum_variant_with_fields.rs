use msgraph_sync_derive::GraphEnum;

#[derive(GraphEnum)]
pub enum AttributeType {
    String,
    Reference { target: String },
    #[graph(unknown)]
    Unknown(msgraph_sync::UnknownMember<AttributeType>),
}

fn main() {}
