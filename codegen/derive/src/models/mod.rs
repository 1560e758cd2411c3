//! `#[derive(GraphModel)]`: serde `Serialize` and `Deserialize` for a model struct that writes back
//! exactly what it read.
//!
//! [`model`] holds the rules; [`de`] and [`ser`] emit one trait each. The expansion names serde,
//! serde_json and the unknown-member bookkeeping through `<crate>::__private`, where `<crate>` is
//! `::msgraph_sync` or the path given by `#[graph(crate = "...")]`.

mod de;
mod model;
mod ser;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::internals::{Ctxt, ast};

/// Expands `#[derive(GraphModel)]`, or returns every error found in the input.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let Some(input) = ast::read_struct(&cx, input) else {
        cx.check()?;
        unreachable!("`read_struct` records an error whenever it returns `None`");
    };
    let model = model::build(&cx, &input);
    cx.check()?;
    let Some(model) = model else {
        unreachable!("`build` records an error whenever it returns `None`");
    };

    let ser = ser::expand(&model);
    let de = de::expand(&model);
    Ok(quote! {
        #ser
        #de
    })
}
