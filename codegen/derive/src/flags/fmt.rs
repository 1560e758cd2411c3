//! `Display` (the canonical wire form) and `Debug` (the members' Rust names).

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    let set_name = set.to_string();
    let empty_wire = model.zero().map_or_else(String::new, |z| z.wire.clone());
    let empty_debug = model
        .zero()
        .map_or_else(String::new, |z| z.ident.to_string());
    quote! {
        #[automatically_derived]
        impl ::core::fmt::Display for #set {
            /// The canonical wire form: single-bit members in declaration order, then unknown names,
            /// joined by `", "`.
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut __first = true;
                for &(__bit, __name, _) in Self::__BITS {
                    if self.bits & __bit != 0 {
                        if !__first {
                            __f.write_str(", ")?;
                        }
                        __f.write_str(__name)?;
                        __first = false;
                    }
                }
                for __name in &self.unknown {
                    if !__first {
                        __f.write_str(", ")?;
                    }
                    __f.write_str(__name)?;
                    __first = false;
                }
                if __first {
                    __f.write_str(#empty_wire)?;
                }
                ::core::result::Result::Ok(())
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #set {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.write_str(#set_name)?;
                __f.write_str("(")?;
                let mut __first = true;
                for &(__bit, _, __name) in Self::__BITS {
                    if self.bits & __bit != 0 {
                        if !__first {
                            __f.write_str(" | ")?;
                        }
                        __f.write_str(__name)?;
                        __first = false;
                    }
                }
                for __name in &self.unknown {
                    if !__first {
                        __f.write_str(" | ")?;
                    }
                    ::core::fmt::Debug::fmt(__name, __f)?;
                    __first = false;
                }
                if __first {
                    __f.write_str(#empty_debug)?;
                }
                __f.write_str(")")
            }
        }
    }
}
