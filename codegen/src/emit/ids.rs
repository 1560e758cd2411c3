//! `ids.rs`: one newtype per kind of path parameter, so a job id cannot go where a template id belongs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, doc, ident};
use crate::model::{Api, IdType};

/// Parts of the file: the head, then one per id type.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.ids.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> TokenStream {
    let Some(i) = i.checked_sub(1) else {
        let import = cx.import_runtime();
        return quote! {
            //! Typed ids for the path parameters of the API.
            #import
        };
    };
    id_type(cx, &cx.api.ids[i])
}

fn id_type(cx: &Context<'_>, id: &IdType) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&id.rust);
    let docs = doc(&format!(
        "Typed id for the `{{{}}}` path segment.\n\nMade from a `&str` or a `String`. It is percent-encoded as exactly one path segment when a request is sent; an empty id, `.` or `..` is refused before anything is sent.",
        id.param
    ));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #rt::GraphId)]
        pub struct #name(String);
    }
}
