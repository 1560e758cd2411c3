//! serde `Deserialize`: a map visitor. Known keys go into their fields; any other key is kept in the
//! unknown field with its value's exact JSON text; an explicit `null` for a non-nullable property is kept
//! there too. A key read twice is an error.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let ident = model.ident;
    let pv = &model.private;
    let expecting = format!("a JSON object ({ident})");
    let unknown = model.unknown;
    // Spanned at the field's type, so that a field of another type is an error there.
    let unknown_value = quote_spanned!(model.unknown_ty.span()=> __unknown);
    let count = model.properties.len();
    let locals: Vec<_> = (0..count).map(|i| format_ident!("__field{i}")).collect();
    let idents = model.properties.iter().map(|p| p.ident);
    let types = model.properties.iter().map(|p| p.ty);
    let wires = model.properties.iter().map(|p| p.wire.as_str());
    let reads = model
        .properties
        .iter()
        .zip(&locals)
        .enumerate()
        .map(|(i, (property, local))| {
            let wire = &property.wire;
            let ty = property.ty;
            let keep_null = if property.nullable {
                quote!()
            } else {
                let is_absent =
                    quote_spanned!(ty.span()=> <#ty as #pv::OptionalProperty>::is_absent);
                quote! {
                    if #is_absent(&#local) {
                        #pv::read_null(&mut __unknown, #wire);
                    }
                }
            };
            quote! {
                #pv::first_read::<__A::Error>(&mut __seen[#i], #wire)?;
                #local = #pv::serde::de::MapAccess::next_value(&mut __map)?;
                #keep_null
            }
        });
    let seen = (count > 0).then(|| quote!(let mut __seen = [false; #count];));
    quote! {
        #[automatically_derived]
        impl<'de> #pv::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: #pv::serde::Deserializer<'de>,
            {
                struct __Visitor;

                impl<'de> #pv::serde::de::Visitor<'de> for __Visitor {
                    type Value = #ident;

                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }

                    fn visit_map<__A>(self, mut __map: __A) -> ::core::result::Result<#ident, __A::Error>
                    where
                        __A: #pv::serde::de::MapAccess<'de>,
                    {
                        let mut __unknown = #pv::UnknownProperties::new();
                        #(let mut #locals: #types = ::core::default::Default::default();)*
                        #seen
                        while let ::core::option::Option::Some(__key) =
                            #pv::serde::de::MapAccess::next_key::<#pv::Key<'de>>(&mut __map)?
                        {
                            match __key.as_str() {
                                #(#wires => { #reads })*
                                _ => {
                                    let __raw = #pv::serde::de::MapAccess::next_value::<
                                        ::std::boxed::Box<#pv::RawValue>,
                                    >(&mut __map)?;
                                    #pv::read_unknown::<__A::Error>(&mut __unknown, __key, __raw)?;
                                }
                            }
                        }
                        ::core::result::Result::Ok(#ident {
                            #(#idents: #locals,)*
                            #unknown: #unknown_value,
                        })
                    }
                }

                #pv::serde::Deserializer::deserialize_map(__deserializer, __Visitor)
            }
        }
    }
}
