//! `enums.rs`: string enums and flag sets, each one derive line on top of `msgraph-sync-derive`.

use proc_macro2::Literal;
use quote::quote;

use super::{Context, items, parse, syntax};
use crate::model::{Api, Enum, UNKNOWN_VARIANT};

/// Parts of the file: the head, then one per enum.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.enums.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> Result<syn::File, syn::Error> {
    let Some(i) = i.checked_sub(1) else {
        let import = cx.import_runtime();
        return parse(quote! {
            //! String enums and flag sets of the API.
            #import
        });
    };
    let e = &cx.api.enums[i];
    Ok(items(vec![if e.flags {
        flags(cx, e)
    } else {
        string_enum(cx, e)
    }]))
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

fn member_attrs(e: &Enum) -> Vec<Vec<syn::Attribute>> {
    e.members
        .iter()
        .map(|m| {
            let mut text = format!("`{}` (CSDL value {}).", m.wire, m.value);
            for (version, alias) in &m.aliases {
                text.push_str(&format!(" Spelled `{alias}` in {version}."));
            }
            let mut attrs = syntax::docs(&text);
            // The derive takes the variant's name as the wire name unless told otherwise.
            if m.rust != m.wire {
                let wire = &m.wire;
                attrs.push(syntax::attr("graph", quote! { rename = #wire }));
            }
            // Parsing ignores case already; only a spelling that differs otherwise needs an alias.
            for (_, alias) in &m.aliases {
                if !alias.eq_ignore_ascii_case(&m.wire) {
                    attrs.push(syntax::attr("graph", quote! { alias = #alias }));
                }
            }
            attrs
        })
        .collect()
}

/// `#[derive(Debug, Clone, PartialEq, Eq, Hash, rt::GraphEnum)] pub enum Name { Member, ..., Unknown(String) }`;
/// a closed enum has `#[graph(closed)]` and no `Unknown`.
fn string_enum(cx: &Context<'_>, e: &Enum) -> syn::Item {
    let rt = &cx.rt;
    let mut attrs = syntax::docs(&enum_doc(e));
    attrs.push(syntax::attr(
        "derive",
        quote! { Debug, Clone, PartialEq, Eq, Hash, #rt::GraphEnum },
    ));
    let mut variants: Vec<syn::Variant> = e
        .members
        .iter()
        .zip(member_attrs(e))
        .map(|(m, attrs)| syntax::variant(attrs, &m.rust, syn::Fields::Unit, None))
        .collect();
    if e.closed {
        attrs.push(syntax::attr("graph", quote! { closed }));
    } else {
        let mut attrs = syntax::docs(
            "A member this version of the crate does not know; the wire text is kept as received.",
        );
        attrs.push(syntax::attr("graph", quote! { unknown }));
        let text = syntax::field(
            Vec::new(),
            syn::Visibility::Inherited,
            None,
            syntax::ty(&["String"]),
        );
        variants.push(syntax::variant(
            attrs,
            UNKNOWN_VARIANT,
            syntax::tuple_fields([text]),
            None,
        ));
    }
    syntax::item_enum(attrs, &e.rust, variants)
}

/// `#[derive(..., rt::GraphFlags)] #[graph(set = "Name")] pub enum NameFlag { Member = 1, ... }`: the derive
/// makes the set type `Name`.
fn flags(cx: &Context<'_>, e: &Enum) -> syn::Item {
    let rt = &cx.rt;
    let set = &e.rust;
    let mut attrs = syntax::docs(&enum_doc(e));
    attrs.push(syntax::attr(
        "derive",
        quote! { Debug, Clone, Copy, PartialEq, Eq, Hash, #rt::GraphFlags },
    ));
    attrs.push(syntax::attr("graph", quote! { set = #set }));
    let variants = e
        .members
        .iter()
        .zip(member_attrs(e))
        .map(|(m, attrs)| {
            let value = syntax::lit(Literal::i64_unsuffixed(m.value));
            syntax::variant(attrs, &m.rust, syn::Fields::Unit, Some(value))
        })
        .collect();
    syntax::item_enum(attrs, &format!("{}Flag", e.rust), variants)
}
