//! serde `Serialize` (the wire name) and `Deserialize` (from a string, through `FromStr`; a known member
//! is matched without allocating).

use proc_macro2::TokenStream;
use quote::quote;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let expecting = format!("a string naming a member of {ident}");
    let on_error = match model.unknown {
        // An open enum's `FromStr` cannot fail.
        Some(_) => quote!(::core::result::Result::Err(__never) => match __never {}),
        None => quote! {
            ::core::result::Result::Err(__error) => {
                ::core::result::Result::Err(::serde::de::Error::custom(__error))
            }
        },
    };
    quote! {
        #[automatically_derived]
        impl ::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: ::serde::Serializer,
            {
                ::serde::Serializer::serialize_str(__serializer, self.as_str())
            }
        }

        #[automatically_derived]
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: ::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'__de> ::serde::de::Visitor<'__de> for __Visitor {
                    type Value = #ident;

                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_str<__E>(self, __value: &str) -> ::core::result::Result<#ident, __E>
                    where
                        __E: ::serde::de::Error,
                    {
                        match <#ident as ::core::str::FromStr>::from_str(__value) {
                            ::core::result::Result::Ok(__member) => ::core::result::Result::Ok(__member),
                            #on_error
                        }
                    }
                }

                ::serde::Deserializer::deserialize_str(__deserializer, __Visitor)
            }
        }
    }
}
