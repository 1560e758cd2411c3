//! serde `Serialize` and `Deserialize` as the wire string. Serializing writes the order-keeping wire form
//! (`to_wire`), not the canonical `Display`, so a value read from the service goes back as received.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    let expecting = format!("a string of {set} member names joined by commas");
    quote! {
        #[automatically_derived]
        impl ::serde::Serialize for #set {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: ::serde::Serializer,
            {
                /// Displays the wire form.
                struct __Wire<'__a>(&'__a #set);

                impl ::core::fmt::Display for __Wire<'_> {
                    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        self.0.__write_wire(__f)
                    }
                }

                ::serde::Serializer::collect_str(__serializer, &__Wire(self))
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #set {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: ::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'__de> ::serde::de::Visitor<'__de> for __Visitor {
                    type Value = #set;

                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_str<__E>(self, __value: &str) -> ::core::result::Result<#set, __E>
                    where
                        __E: ::serde::de::Error,
                    {
                        match <#set as ::core::str::FromStr>::from_str(__value) {
                            ::core::result::Result::Ok(__set) => ::core::result::Result::Ok(__set),
                            ::core::result::Result::Err(__never) => match __never {},
                        }
                    }
                }

                ::serde::Deserializer::deserialize_str(__deserializer, __Visitor)
            }
        }
    }
}
