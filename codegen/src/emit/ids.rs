//! `ids.rs`: one newtype per kind of path parameter, so a job id cannot go where a template id belongs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident};
use crate::model::Api;

pub(super) fn file(api: &Api, import: &TokenStream) -> TokenStream {
    let ids = api.ids.iter().map(|id| {
        let doc = docs(&format!(
            "Typed id for the `{{{}}}` path segment.\n\nMade from a `&str` or a `String`. It is percent-encoded as exactly one path segment when a request is sent; an empty id, `.` or `..` is refused before anything is sent.",
            id.param
        ));
        let name = ident(&id.rust);
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, rt::GraphId)]
            pub struct #name(String);
        }
    });
    quote! {
        //! Typed ids for the path parameters of the API.
        #import
        #(#ids)*
    }
}
