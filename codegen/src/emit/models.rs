//! `models.rs`: one struct per object schema, lossless on a GET → PUT round trip.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecation_doc, docs, ident};
use crate::model::{Api, Field, Object, Type};

pub(super) fn file(api: &Api, import: &TokenStream) -> TokenStream {
    let mut enums: Vec<&str> = Vec::new();
    for o in &api.objects {
        for f in &o.fields {
            collect_enums(&f.ty, &mut enums);
        }
    }
    enums.sort_unstable();
    enums.dedup();
    let enums = enums.into_iter().map(ident);
    let objects = api.objects.iter().map(object);
    quote! {
        //! Models: the object schemas of the API.
        //!
        //! Every property is optional because the service sends partial objects. Nullable properties are
        //! [`Nullable`](rt::Nullable) so that absent, `null` and a value survive a round trip;
        //! properties this crate does not know are kept in `additional_properties`, as the exact JSON text
        //! read, and sent back.
        #import
        use super::enums::{#(#enums),*};
        #(#objects)*
    }
}

/// ```text
/// /// <doc>
/// #[derive(Debug, Clone, PartialEq, Default, rt::GraphModel)]
/// pub struct Name { <fields> #[graph(unknown)] pub additional_properties: rt::UnknownProperties }
/// ```
fn object(o: &Object) -> TokenStream {
    let base = if o.doc.trim().is_empty() {
        format!("The `{}` type.", o.name)
    } else {
        o.doc.trim().to_string()
    };
    let deprecated = o.deprecated.as_ref().map(deprecation_doc);
    let deprecated = deprecated.map_or(String::new(), |d| format!("\n\n{d}"));
    let doc = docs(&format!("{base}{deprecated}\n\nSpec schema: `{}`.", o.name));
    let name = ident(&o.rust);
    let fields = o.fields.iter().map(field);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, rt::GraphModel)]
        pub struct #name {
            #(#fields)*
            /// Properties this version of the crate does not know, kept so that nothing is lost when the
            /// object is sent back.
            #[graph(unknown)]
            pub additional_properties: rt::UnknownProperties,
        }
    }
}

/// `#[graph(rename = "wire")] pub name: Option<T>`, or `#[graph(rename = "wire", nullable)] pub name:
/// rt::Nullable<T>` for a nullable property. The wire name is always spelled out, never derived from the Rust
/// name.
fn field(f: &Field) -> TokenStream {
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
    let doc = docs(&text);
    let wire = &f.wire;
    let name = ident(&f.rust);
    let ty = value_type(&f.ty);
    if f.nullable {
        quote! {
            #doc
            #[graph(rename = #wire, nullable)]
            pub #name: rt::Nullable<#ty>,
        }
    } else {
        quote! {
            #doc
            #[graph(rename = #wire)]
            pub #name: Option<#ty>,
        }
    }
}

fn value_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String | Type::Uuid => quote! { String },
        Type::Secret => quote! { rt::SecretString },
        Type::Bool => quote! { bool },
        Type::I32 => quote! { i32 },
        Type::I64 => quote! { i64 },
        Type::DateTime => quote! { rt::DateTimeOffset },
        Type::Duration => quote! { rt::Duration },
        // Free-form: each member kept as its exact JSON text, like unknown properties.
        Type::JsonObject => quote! { rt::UnknownProperties },
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
            let inner = value_type(inner);
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
