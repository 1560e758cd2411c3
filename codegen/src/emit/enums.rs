//! `enums.rs`: string enums and flag sets, each one derive line on top of `msgraph-sync-derive`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{deprecation_doc, docs, ident};
use crate::model::{Api, Enum, Member, UNKNOWN_VARIANT};

/// Name of the variant of an open enum that stands for the empty string the service sometimes sends (contract
/// C3). A spec member whose Rust name is this clashes with it: validation refuses it.
pub const EMPTY_VARIANT: &str = "Empty";

pub(super) fn file(api: &Api, import: &TokenStream) -> TokenStream {
    let enums = api
        .enums
        .iter()
        .map(|e| if e.flags { flags(e) } else { string_enum(e) });
    quote! {
        //! String enums and flag sets of the API.
        #import
        #(#enums)*
    }
}

/// ```text
/// /// <doc>
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::GraphEnum)]
/// #[non_exhaustive]
/// pub enum Name { Member, ..., #[graph(empty)] Empty, #[graph(unknown)] Unrecognized(rt::UnknownMember<Name>) }
/// ```
/// A closed enum has `#[graph(closed)]` and neither `Empty` nor `Unrecognized`. Every enum is
/// `#[non_exhaustive]`, so a member added to the spec later is not a breaking change.
fn string_enum(e: &Enum) -> TokenStream {
    let doc = docs(&enum_doc(e));
    let name = ident(&e.rust);
    let members = e.members.iter().map(|m| {
        let attrs = member_attrs(m);
        let variant = ident(&m.rust);
        quote! { #attrs #variant, }
    });
    if e.closed {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::GraphEnum)]
            #[graph(closed)]
            #[non_exhaustive]
            pub enum #name {
                #(#members)*
            }
        };
    }
    let unknown = ident(UNKNOWN_VARIANT);
    let empty = ident(EMPTY_VARIANT);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::GraphEnum)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
            /// The service sent an empty string (`""`), which is written back as such.
            #[graph(empty)]
            #empty,
            /// A member this version of the crate does not know, with the wire text as received. Only
            /// parsing builds it, and never for a known member's spelling: parse a new member's name
            /// (`"NewMember".parse()`) to send it.
            #[graph(unknown)]
            #unknown(rt::UnknownMember<#name>),
        }
    }
}

/// ```text
/// /// <doc>
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::GraphFlags)]
/// #[graph(set = "Name")]
/// #[non_exhaustive]
/// pub enum NameFlag { Member = 1, ... }
/// ```
/// The derive makes the set type `Name`.
fn flags(e: &Enum) -> TokenStream {
    let doc = docs(&enum_doc(e));
    let set = &e.rust;
    let name = ident(&format!("{}Flag", e.rust));
    let members = e.members.iter().map(|m| {
        let attrs = member_attrs(m);
        let variant = ident(&m.rust);
        let value = Literal::i64_unsuffixed(m.value);
        quote! { #attrs #variant = #value, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::GraphFlags)]
        #[graph(set = #set)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
        }
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
            "Members the service adds later are kept in [`Self::{UNKNOWN_VARIANT}`] and sent back unchanged; \
             the empty string is [`Self::{EMPTY_VARIANT}`]."
        )
    };
    let deprecated = e.deprecated.as_ref().map(deprecation_doc);
    let deprecated = deprecated.map_or(String::new(), |d| format!("\n\n{d}"));
    format!("{base}{deprecated}\n\n{wire} Spec schema: `{}`.", e.name)
}

/// A member's docs, its wire name when it is not the variant's name, and its other versions' spellings
/// (parsing ignores case already; only a spelling that differs otherwise needs an alias).
fn member_attrs(m: &Member) -> TokenStream {
    let mut text = format!("`{}` (CSDL value {}).", m.wire, m.value);
    for (version, alias) in &m.aliases {
        text.push_str(&format!(" Spelled `{alias}` in {version}."));
    }
    let doc = docs(&text);
    let wire = &m.wire;
    let rename = (m.rust != m.wire).then(|| quote! { #[graph(rename = #wire)] });
    let aliases = m
        .aliases
        .iter()
        .filter(|(_, alias)| !alias.eq_ignore_ascii_case(&m.wire))
        .map(|(_, alias)| quote! { #[graph(alias = #alias)] });
    quote! { #doc #rename #(#aliases)* }
}
