use msgraph_sync_derive::GraphId;

#[derive(GraphId)]
pub struct NotANewtype {
    id: String,
}

#[derive(GraphId)]
pub struct NotAString(u64);

#[derive(GraphId)]
pub struct TwoFields(String, String);

#[derive(GraphId)]
pub struct Generic<T>(String, std::marker::PhantomData<T>);

fn main() {}
