//! `models.rs`: one struct per object schema, lossless on a GET → PUT round trip.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, ident, items, parse, syntax};
use crate::model::{Api, Field, Object, Type};

/// Parts of the file: the head, then one per object.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.objects.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> Result<syn::File, syn::Error> {
    match i.checked_sub(1) {
        None => parse(head(cx)),
        Some(i) => Ok(items(vec![object(cx, &cx.api.objects[i])])),
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

/// An object's struct:
///
/// ```text
/// /// <doc>
/// #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
/// #[serde(default)]
/// pub struct Name {
///     <fields>
///     #[serde(flatten)]
///     pub additional_properties: Map<String, Value>,
/// }
/// ```
fn object(cx: &Context<'_>, o: &Object) -> syn::Item {
    let base = if o.doc.trim().is_empty() {
        format!("The `{}` type.", o.name)
    } else {
        o.doc.trim().to_string()
    };
    let mut attrs = syntax::docs(&format!("{base}\n\nSpec schema: `{}`.", o.name));
    attrs.push(syntax::attr(
        "derive",
        quote! { Debug, Clone, PartialEq, Default, Serialize, Deserialize },
    ));
    attrs.push(syntax::attr("serde", quote! { default }));
    let mut extra = syntax::docs(
        "Properties this version of the crate does not know, kept so that nothing is lost when the\n\
         object is sent back.",
    );
    extra.push(syntax::attr("serde", quote! { flatten }));
    let extra = syntax::field(
        extra,
        syntax::public(),
        Some("additional_properties"),
        json_object(),
    );
    let fields = o.fields.iter().map(|f| field(cx, f)).chain([extra]);
    syntax::item_struct(
        attrs,
        &o.rust,
        syn::Generics::default(),
        syntax::named_fields(fields),
    )
}

/// `#[serde(rename = "wire", skip_serializing_if = "Option::is_none")] pub name: Option<T>`, or
/// `rt::Nullable<T>` skipped when absent for a nullable property.
fn field(cx: &Context<'_>, f: &Field) -> syn::Field {
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
    let mut attrs = syntax::docs(&text);
    let inner = value_type(cx, &f.ty);
    // The wire name is always spelled out, never derived from the Rust name.
    let ty = if f.nullable {
        let skip = format!("{}::Nullable::is_absent", cx.rt_text);
        attrs.push(syntax::attr(
            "serde",
            quote! { rename = #wire, skip_serializing_if = #skip },
        ));
        syntax::generic_ty(&[cx.rt_text, "Nullable"], vec![inner])
    } else {
        attrs.push(syntax::attr(
            "serde",
            quote! { rename = #wire, skip_serializing_if = "Option::is_none" },
        ));
        syntax::generic_ty(&["Option"], vec![inner])
    };
    syntax::field(attrs, syntax::public(), Some(&f.rust), ty)
}

/// `Map<String, Value>`.
fn json_object() -> syn::Type {
    syntax::generic_ty(
        &["Map"],
        vec![syntax::ty(&["String"]), syntax::ty(&["Value"])],
    )
}

fn value_type(cx: &Context<'_>, ty: &Type) -> syn::Type {
    let rt = cx.rt_text;
    match ty {
        Type::String | Type::Uuid => syntax::ty(&["String"]),
        Type::Secret => syntax::ty(&[rt, "SecretString"]),
        Type::Bool => syntax::ty(&["bool"]),
        Type::I32 => syntax::ty(&["i32"]),
        Type::I64 => syntax::ty(&["i64"]),
        Type::DateTime => syntax::ty(&[rt, "DateTimeOffset"]),
        Type::Duration => syntax::ty(&[rt, "Duration"]),
        Type::JsonObject => json_object(),
        Type::Object { rust, boxed } => {
            let name = syntax::ty(&[rust]);
            if *boxed {
                syntax::generic_ty(&["Box"], vec![name])
            } else {
                name
            }
        }
        Type::Enum(rust) | Type::Flags(rust) => syntax::ty(&[rust]),
        Type::Array(inner) => syntax::generic_ty(&["Vec"], vec![value_type(cx, inner)]),
    }
}

fn collect_enums<'a>(ty: &'a Type, out: &mut Vec<&'a str>) {
    match ty {
        Type::Enum(name) | Type::Flags(name) => out.push(name),
        Type::Array(inner) => collect_enums(inner, out),
        _ => {}
    }
}
