//! `FromStr`: case-insensitive match against the wire names and aliases; the unknown variant (open enums,
//! through the runtime's `KnownMembers` and `parse_member`, which alone build an `UnknownMember`) or
//! `<Enum>ParseError` (closed enums) for anything else.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let (spellings, members): (Vec<&str>, Vec<_>) = model.spellings().unzip();
    // `return #wrap(member)` for the member `__s` spells, if any.
    let matches = |wrap: TokenStream| {
        let empty = model.empty.map(|empty| {
            quote! {
                if __s.is_empty() {
                    return #wrap(Self::#empty);
                }
            }
        });
        quote! {
            #empty
            #(
                if __s.eq_ignore_ascii_case(#spellings) {
                    return #wrap(Self::#members);
                }
            )*
        }
    };
    match model.unknown {
        // The runtime builds the opaque unknown member, and only for text `known` rejects.
        Some(unknown) => {
            let private = &model.private;
            let known = matches(quote!(::core::option::Option::Some));
            quote! {
                #[automatically_derived]
                impl #private::KnownMembers for #ident {
                    fn known(__s: &str) -> ::core::option::Option<Self> {
                        #known
                        ::core::option::Option::None
                    }
                }

                #[automatically_derived]
                impl ::core::str::FromStr for #ident {
                    type Err = ::core::convert::Infallible;

                    fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                        ::core::result::Result::Ok(match #private::parse_member::<Self>(__s) {
                            ::core::result::Result::Ok(__member) => __member,
                            ::core::result::Result::Err(__unknown) => Self::#unknown(__unknown),
                        })
                    }
                }
            }
        }
        None => {
            let error = parse_error_type(model);
            let error_ident = error_ident(model);
            let matches = matches(quote!(::core::result::Result::Ok));
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
