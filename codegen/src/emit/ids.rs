//! `ids.rs`: one newtype per kind of path parameter, so a job id cannot go where a template id belongs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, doc, ident};
use crate::model::{Api, IdType};

/// Parts of the file: the head, then one per id type.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.ids.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> TokenStream {
    let Some(i) = i.checked_sub(1) else {
        return quote! {
            //! Typed ids for the path parameters of the API.
        };
    };
    id_type(&cx.api.ids[i])
}

fn id_type(id: &IdType) -> TokenStream {
    let name = ident(&id.rust);
    let docs = doc(&format!(
        "Id of a `{}`: the `{{{}}}` path segment.\n\nConverted from `&str` or `String`. It is percent-encoded as exactly one path segment when a request is sent; an empty id, `.` or `..` is refused before anything is sent.",
        id.of, id.param
    ));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name(String);

        impl #name {
            /// Wraps an id as given.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as given, not encoded.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for #name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<String> for #name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&String> for #name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&#name> for #name {
            fn from(id: &#name) -> Self {
                id.clone()
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }
    }
}
