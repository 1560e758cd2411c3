use msgraph_sync_derive::RequestBuilder;

#[derive(RequestBuilder)]
pub struct NoPath {
    client: String,
}

#[derive(RequestBuilder)]
pub struct Tuple(String);

#[derive(RequestBuilder)]
pub enum NotAStruct {
    A,
}

fn main() {}
