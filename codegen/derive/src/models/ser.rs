//! serde `Serialize`: members whose name starts with `@` first (the unknown ones in the order read, then
//! known ones), then the known properties in declaration order, each right after the unknown members that
//! annotate it (`name@odata.type`), then the other unknown members in the order read. An absent property
//! is skipped, unless the unknown field holds a member of that name (the `null` read for an `Option`
//! property), which is written in its place. No key is written twice.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::{Model, Property};

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let pv = &model.private;
    let unknown = model.unknown;
    let wires: Vec<&str> = model.properties.iter().map(|p| p.wire.as_str()).collect();
    let known = if wires.is_empty() {
        quote!(false)
    } else {
        quote! {
            ::core::matches!(__key, #(#wires)|*)
                || ::core::matches!(#pv::property_of(__key), #(#wires)|*)
        }
    };
    let control = model.control().map(|p| write(model, p));
    let plain = model.plain().map(|p| write(model, p));
    // Spanned at the field's type, so that a field of another type is an error there.
    let unknown_ref = quote_spanned!(model.unknown_ty.span()=> &self.#unknown);
    quote! {
        #[automatically_derived]
        impl #pv::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: #pv::serde::Serializer,
            {
                /// Whether a member is named like a known property, or annotates one.
                fn __known(__key: &str) -> bool {
                    #known
                }

                let __unknown: &#pv::UnknownProperties = #unknown_ref;
                let mut __map = #pv::serde::Serializer::serialize_map(
                    __serializer,
                    ::core::option::Option::None,
                )?;
                for (__key, __raw) in #pv::members(__unknown, true, __known) {
                    #pv::serde::ser::SerializeMap::serialize_entry(&mut __map, __key, __raw)?;
                }
                #(#control)*
                #(#plain)*
                for (__key, __raw) in #pv::members(__unknown, false, __known) {
                    #pv::serde::ser::SerializeMap::serialize_entry(&mut __map, __key, __raw)?;
                }
                #pv::serde::ser::SerializeMap::end(__map)
            }
        }
    }
}

/// Writes the unknown members annotating one known property, then the property, or the unknown member of
/// its name when the property is absent.
fn write(model: &Model<'_>, property: &Property<'_>) -> TokenStream {
    let pv = &model.private;
    let field = property.ident;
    let wire = &property.wire;
    let ty = property.ty;
    let is_absent = if property.nullable {
        quote_spanned!(ty.span()=> <#ty as #pv::NullableProperty>::is_absent)
    } else {
        quote_spanned!(ty.span()=> <#ty as #pv::OptionalProperty>::is_absent)
    };
    quote! {
        for (__key, __raw) in #pv::annotations(__unknown, #wire) {
            #pv::serde::ser::SerializeMap::serialize_entry(&mut __map, __key, __raw)?;
        }
        if !#is_absent(&self.#field) {
            #pv::serde::ser::SerializeMap::serialize_entry(&mut __map, #wire, &self.#field)?;
        } else if let ::core::option::Option::Some(__raw) = __unknown.get(#wire) {
            #pv::serde::ser::SerializeMap::serialize_entry(&mut __map, #wire, __raw)?;
        }
    }
}
