//! `enums.rs`: string enums and flag sets, each one derive line on top of `msgraph-sync-derive`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Context, doc, ident};
use crate::model::{Api, Enum, UNKNOWN_VARIANT};

/// Parts of the file: the head, then one per enum.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.enums.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> TokenStream {
    let Some(i) = i.checked_sub(1) else {
        let import = cx.import_runtime();
        return quote! {
            //! String enums and flag sets of the API.
            #import
        };
    };
    let e = &cx.api.enums[i];
    if e.flags {
        flags(cx, e)
    } else {
        string_enum(cx, e)
    }
}

fn enum_doc(e: &Enum) -> String {
    let base = if e.doc.trim().is_empty() {
        format!("The `{}` enum.", e.name)
    } else {
        e.doc.trim().to_string()
    };
    let wire = if e.flags {
        "Sent as the member names joined by `\", \"`.".to_string()
    } else if e.closed {
        "Unknown members are refused.".to_string()
    } else {
        format!(
            "Members the service adds later are kept in [`Self::{UNKNOWN_VARIANT}`] and sent back unchanged."
        )
    };
    format!("{base}\n\n{wire} Spec schema: `{}`.", e.name)
}

fn member_attrs(e: &Enum) -> Vec<TokenStream> {
    e.members
        .iter()
        .map(|m| {
            let mut text = format!("`{}` (CSDL value {}).", m.wire, m.value);
            for (version, alias) in &m.aliases {
                text.push_str(&format!(" Spelled `{alias}` in {version}."));
            }
            let docs = doc(&text);
            let wire = &m.wire;
            // Parsing ignores case already; only a spelling that differs otherwise needs an alias.
            let aliases = m
                .aliases
                .iter()
                .filter(|(_, alias)| !alias.eq_ignore_ascii_case(&m.wire))
                .map(|(_, alias)| quote! { #[graph(alias = #alias)] });
            // The derive takes the variant's name as the wire name unless told otherwise.
            let rename = (m.rust != m.wire).then(|| quote! { #[graph(rename = #wire)] });
            quote! {
                #docs
                #rename
                #(#aliases)*
            }
        })
        .collect()
}

fn string_enum(cx: &Context<'_>, e: &Enum) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&e.rust);
    let docs = doc(&enum_doc(e));
    let attrs = member_attrs(e);
    let variants = e.members.iter().zip(attrs).map(|(m, attrs)| {
        let v = ident(&m.rust);
        quote! { #attrs #v, }
    });
    let (container, unknown) = if e.closed {
        (quote! { #[graph(closed)] }, quote! {})
    } else {
        let v = ident(UNKNOWN_VARIANT);
        (
            quote! {},
            quote! {
                /// A member this version of the crate does not know; the wire text is kept as received.
                #[graph(unknown)]
                #v(String),
            },
        )
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #rt::GraphEnum)]
        #container
        pub enum #name {
            #(#variants)*
            #unknown
        }
    }
}

fn flags(cx: &Context<'_>, e: &Enum) -> TokenStream {
    let rt = &cx.rt;
    let member_enum = ident(&format!("{}Flag", e.rust));
    let set = &e.rust;
    let docs = doc(&enum_doc(e));
    let attrs = member_attrs(e);
    let variants = e.members.iter().zip(attrs).map(|(m, attrs)| {
        let v = ident(&m.rust);
        let value = Literal::i64_unsuffixed(m.value);
        quote! { #attrs #v = #value, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #rt::GraphFlags)]
        #[graph(set = #set)]
        pub enum #member_enum {
            #(#variants)*
        }
    }
}
