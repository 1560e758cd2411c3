//! `#[derive(GraphId)]`: the API of a typed id, a newtype over `String`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

/// Expands `#[derive(GraphId)]` on `struct Name(String);`.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    const SHAPE: &str = "`GraphId` derives for a newtype over `String`: `struct JobId(String);`";
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, SHAPE));
    };
    let Fields::Unnamed(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, SHAPE));
    };
    let mut fields = fields.unnamed.iter();
    let (Some(field), None) = (fields.next(), fields.next()) else {
        return Err(syn::Error::new_spanned(&data.fields, SHAPE));
    };
    let is_string = matches!(&field.ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none()));
    if !is_string {
        return Err(syn::Error::new_spanned(&field.ty, SHAPE));
    }
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`GraphId` derives for a type without generic parameters",
        ));
    }
    let name = &input.ident;
    Ok(quote! {
        impl #name {
            /// Wraps an id as given.
            pub fn new(id: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The id as given, not encoded.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(id: &str) -> Self {
                Self(::std::borrow::ToOwned::to_owned(id))
            }
        }

        impl ::core::convert::From<::std::string::String> for #name {
            fn from(id: ::std::string::String) -> Self {
                Self(id)
            }
        }

        impl ::core::convert::From<&::std::string::String> for #name {
            fn from(id: &::std::string::String) -> Self {
                Self(::core::clone::Clone::clone(id))
            }
        }

        impl ::core::convert::From<&#name> for #name {
            fn from(id: &#name) -> Self {
                Self(::core::clone::Clone::clone(&id.0))
            }
        }

        impl ::core::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }
    })
}
