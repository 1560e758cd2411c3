//! `PartialEq`, `Eq`, `Hash` and `Default`. Unknown names compare ignoring ASCII case, like every name.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    quote! {
        #[automatically_derived]
        impl ::core::cmp::PartialEq for #set {
            fn eq(&self, other: &Self) -> bool {
                self.bits == other.bits
                    && self.unknown.len() == other.unknown.len()
                    && ::core::iter::Iterator::all(
                        &mut ::core::iter::Iterator::zip(self.unknown.iter(), other.unknown.iter()),
                        |(__a, __b)| __a.eq_ignore_ascii_case(__b),
                    )
            }
        }

        #[automatically_derived]
        impl ::core::cmp::Eq for #set {}

        #[automatically_derived]
        impl ::core::hash::Hash for #set {
            fn hash<__H: ::core::hash::Hasher>(&self, __state: &mut __H) {
                ::core::hash::Hasher::write_u64(__state, self.bits);
                ::core::hash::Hasher::write_usize(__state, self.unknown.len());
                for __name in &self.unknown {
                    for __byte in __name.bytes() {
                        ::core::hash::Hasher::write_u8(__state, __byte.to_ascii_lowercase());
                    }
                    // 0xff never occurs in UTF-8: it ends each name.
                    ::core::hash::Hasher::write_u8(__state, 0xff);
                }
            }
        }

        #[automatically_derived]
        impl ::core::default::Default for #set {
            /// The empty set.
            fn default() -> Self {
                Self::empty()
            }
        }
    }
}
