//! `FromStr`: case-insensitive match against the wire names and aliases; the unknown variant (open enums)
//! or `<Enum>ParseError` (closed enums) for anything else.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let (spellings, members): (Vec<&str>, Vec<_>) = model.spellings().unzip();
    let empty = model.empty.map(|empty| {
        quote! {
            if __s.is_empty() {
                return ::core::result::Result::Ok(Self::#empty);
            }
        }
    });
    let matches = quote! {
        #empty
        #(
            if __s.eq_ignore_ascii_case(#spellings) {
                return ::core::result::Result::Ok(Self::#members);
            }
        )*
    };
    match model.unknown {
        Some(unknown) => quote! {
            #[automatically_derived]
            impl ::core::str::FromStr for #ident {
                type Err = ::core::convert::Infallible;

                fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                    #matches
                    ::core::result::Result::Ok(Self::#unknown(::std::borrow::ToOwned::to_owned(__s)))
                }
            }
        },
        None => {
            let error = parse_error_type(model);
            let error_ident = error_ident(model);
            quote! {
                #error

                #[automatically_derived]
                impl ::core::str::FromStr for #ident {
                    type Err = #error_ident;

                    fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                        #matches
                        ::core::result::Result::Err(#error_ident {
                            value: ::std::borrow::ToOwned::to_owned(__s),
                        })
                    }
                }
            }
        }
    }
}

/// `<Enum>ParseError`, emitted beside a closed enum.
pub(crate) fn error_ident(model: &Model<'_>) -> syn::Ident {
    format_ident!("{}ParseError", model.ident)
}

fn parse_error_type(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let error_ident = error_ident(model);
    let expected = model
        .known
        .iter()
        .map(|k| format!("`{}`", k.wire))
        .collect::<Vec<_>>()
        .join(", ");
    let prefix = format!("unknown {ident} member `");
    let suffix = format!("`; expected one of {expected}");
    let doc = format!(
        " The error returned when text is not a member of the closed enum [`{ident}`].\n\n Its message \
         names the enum, the rejected text and the members the enum accepts (matched ignoring case)."
    );
    quote! {
        #[doc = #doc]
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
        )]
        #vis struct #error_ident {
            value: ::std::string::String,
        }

        impl #error_ident {
            /// The text that was rejected.
            pub fn value(&self) -> &str {
                &self.value
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #error_ident {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __f.write_str(#prefix)?;
                __f.write_str(&self.value)?;
                __f.write_str(#suffix)
            }
        }

        #[automatically_derived]
        impl ::std::error::Error for #error_ident {}
    }
}
