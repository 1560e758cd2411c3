//! `Display`: the wire name.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    quote! {
        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.pad(self.as_str())
            }
        }
    }
}
