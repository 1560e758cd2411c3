//! `#[derive(GraphFlags)]`: keeps the member enum as written and generates its set type.
//!
//! Each generated part has its own module; [`model`] holds the rules.

mod cmp;
mod fmt;
mod model;
mod ops;
mod parse;
mod serde;
mod set;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::internals::{Ctxt, Derive, ast};

/// Expands `#[derive(GraphFlags)]`, or returns every error found in the input.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let Some(input) = ast::read(&cx, Derive::Flags, input) else {
        cx.check()?;
        unreachable!("`read` records an error whenever it returns `None`");
    };
    let model = model::build(&cx, &input);
    cx.check()?;

    let set = set::expand(&model);
    let cmp = cmp::expand(&model);
    let fmt = fmt::expand(&model);
    let parse = parse::expand(&model);
    let ops = ops::expand(&model);
    let serde = serde::expand(&model);
    Ok(quote! {
        #set
        #cmp
        #fmt
        #parse
        #ops
        #serde
    })
}
