//! `models.rs`: one struct per object schema, lossless on a GET → PUT round trip.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, doc, ident};
use crate::model::{Api, Field, Object, Type};

/// Parts of the file: the head, then one per object.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.objects.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> TokenStream {
    match i.checked_sub(1) {
        None => head(cx),
        Some(i) => object(cx, &cx.api.objects[i]),
    }
}

fn head(cx: &Context<'_>) -> TokenStream {
    let mut used: Vec<&str> = Vec::new();
    for o in &cx.api.objects {
        for f in &o.fields {
            collect_enums(&f.ty, &mut used);
        }
    }
    used.sort_unstable();
    used.dedup();
    let used = used.into_iter().map(ident);
    let runtime = cx.import_runtime();
    quote! {
        //! Models: the object schemas of the API.
        //!
        //! Every property is optional because the service sends partial objects. Nullable properties are
        //! [`Nullable`](rt::Nullable) so that absent, `null` and a value survive a round trip;
        //! properties this crate does not know are kept in `additional_properties` and sent back.
        use ::serde::{Deserialize, Serialize};
        use ::serde_json::{Map, Value};
        #runtime
        use super::enums::{#(#used),*};
    }
}

fn object(cx: &Context<'_>, o: &Object) -> TokenStream {
    let name = ident(&o.rust);
    let base = if o.doc.trim().is_empty() {
        format!("The `{}` type.", o.name)
    } else {
        o.doc.trim().to_string()
    };
    let docs = doc(&format!("{base}\n\nSpec schema: `{}`.", o.name));
    let fields = o.fields.iter().map(|f| field(cx, f));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct #name {
            #(#fields)*
            /// Properties this version of the crate does not know, kept so that nothing is lost when the
            /// object is sent back.
            #[serde(flatten)]
            pub additional_properties: Map<String, Value>,
        }
    }
}

fn field(cx: &Context<'_>, f: &Field) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&f.rust);
    let wire = &f.wire;
    let mut text = if f.doc.trim().is_empty() {
        format!("The `{}` property.", f.wire)
    } else {
        f.doc.trim().to_string()
    };
    if f.read_only {
        text.push_str("\n\nRead-only: set by the service.");
    }
    if f.ty == Type::Secret {
        text.push_str("\n\nSecret: redacted in `Debug` output.");
    }
    let docs = doc(&text);
    let inner = value_type(cx, &f.ty);
    // The wire name is always spelled out, never derived from the Rust name.
    if f.nullable {
        let skip = format!("{}::Nullable::is_absent", cx.rt_text);
        quote! {
            #docs
            #[serde(rename = #wire, skip_serializing_if = #skip)]
            pub #name: #rt::Nullable<#inner>,
        }
    } else {
        quote! {
            #docs
            #[serde(rename = #wire, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#inner>,
        }
    }
}

fn value_type(cx: &Context<'_>, ty: &Type) -> TokenStream {
    let rt = &cx.rt;
    match ty {
        Type::String | Type::Uuid => quote! { String },
        Type::Secret => quote! { #rt::SecretString },
        Type::Bool => quote! { bool },
        Type::I32 => quote! { i32 },
        Type::I64 => quote! { i64 },
        Type::DateTime => quote! { #rt::DateTimeOffset },
        Type::Duration => quote! { #rt::Duration },
        Type::JsonObject => quote! { Map<String, Value> },
        Type::Object { rust, boxed } => {
            let name = ident(rust);
            if *boxed {
                quote! { Box<#name> }
            } else {
                quote! { #name }
            }
        }
        Type::Enum(rust) | Type::Flags(rust) => {
            let name = ident(rust);
            quote! { #name }
        }
        Type::Array(inner) => {
            let inner = value_type(cx, inner);
            quote! { Vec<#inner> }
        }
    }
}

fn collect_enums<'a>(ty: &'a Type, out: &mut Vec<&'a str>) {
    match ty {
        Type::Enum(name) | Type::Flags(name) => out.push(name),
        Type::Array(inner) => collect_enums(inner, out),
        _ => {}
    }
}
