//! `FromStr`: lenient parsing of the wire form. It cannot fail: unknown names are kept.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    let entry = model.entry();
    quote! {
        #[automatically_derived]
        impl ::core::str::FromStr for #set {
            type Err = ::core::convert::Infallible;

            /// Splits on `,`, trims whitespace, skips empty pieces; each name matches a member ignoring
            /// case (a combined member adds its parts, the empty member adds nothing); other names are
            /// kept. The set remembers the order the names came in, and combined members given by name,
            /// for its wire form ([`Self::to_wire`]); text without names (`""`) is written back as `""`.
            fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                let mut __set = Self::empty();
                let mut __named = false;
                for __piece in __s.split(',') {
                    let __name = __piece.trim();
                    if __name.is_empty() {
                        continue;
                    }
                    __named = true;
                    if !__set.__push_spelling(__name) {
                        __set.__push_name(__name);
                    }
                }
                if !__named {
                    __set.order.push(#entry::Blank);
                }
                ::core::result::Result::Ok(__set)
            }
        }
    }
}
