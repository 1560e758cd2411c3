//! `KNOWN`, `as_str()` and `is_known()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let wires: Vec<&str> = model.known.iter().map(|k| k.wire.as_str()).collect();
    let idents = model.known.iter().map(|k| k.ident);
    let (unknown_as_str, is_known) = match model.unknown {
        Some(unknown) => (
            quote!(Self::#unknown(__raw) => __raw.as_str(),),
            quote!(!::core::matches!(self, Self::#unknown(_))),
        ),
        None => (quote!(), quote!(true)),
    };
    let empty_doc = match model.empty {
        Some(empty) => format!(" and for [`Self::{empty}`] (the empty string)"),
        None => String::new(),
    };
    let is_known_doc = match model.unknown {
        Some(unknown) => format!(
            " `true` for a member listed in [`Self::KNOWN`]{empty_doc}; `false` only for \
             [`Self::{unknown}`], which keeps a member this version does not know."
        ),
        None => " Always `true`: this enum is closed, so every value is a known member.".to_owned(),
    };
    let (empty_as_str, is_empty) = match model.empty {
        Some(empty) => {
            let doc = format!(
                " `true` for [`Self::{empty}`]: the service sent the empty string `\"\"` (it does so for an \
                 unset value, e.g. a quarantine's `reason`)."
            );
            (
                quote!(Self::#empty => "",),
                quote! {
                    #[doc = #doc]
                    pub fn is_empty(&self) -> bool {
                        ::core::matches!(self, Self::#empty)
                    }
                },
            )
        }
        None => (quote!(), quote!()),
    };
    let as_str_doc = match model.unknown {
        Some(_) => {
            " The wire name: the canonical spelling of a known member, or the text an unknown member was \
             read from, unchanged."
        }
        None => " The wire name: the member's canonical spelling.",
    };
    quote! {
        impl #ident {
            /// The wire names of the known members, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[#(#wires),*];

            #[doc = #as_str_doc]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    #empty_as_str
                    #unknown_as_str
                }
            }

            #[doc = #is_known_doc]
            pub fn is_known(&self) -> bool {
                #is_known
            }

            #is_empty
        }
    }
}
