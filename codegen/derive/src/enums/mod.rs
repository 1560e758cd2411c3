//! `#[derive(GraphEnum)]`: a string enum, open (keeps unknown members) or closed.
//!
//! Each generated trait has its own module; [`model`] holds the rules.

mod fmt;
mod inherent;
mod model;
mod parse;
mod serde;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::internals::{Ctxt, Derive, ast};

/// Expands `#[derive(GraphEnum)]`, or returns every error found in the input.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let Some(input) = ast::read(&cx, Derive::Enum, input) else {
        cx.check()?;
        unreachable!("`read` records an error whenever it returns `None`");
    };
    let model = model::build(&cx, &input);
    cx.check()?;

    let inherent = inherent::expand(&model);
    let display = fmt::expand(&model);
    let from_str = parse::expand(&model);
    let serde = serde::expand(&model);
    Ok(quote! {
        #inherent
        #display
        #from_str
        #serde
    })
}
