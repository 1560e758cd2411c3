//! `#[derive(RequestBuilder)]`: `Clone` and `Debug` for a request builder, without bounds on its type
//! parameters (they are markers only, kept in a `PhantomData`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

/// Expands `#[derive(RequestBuilder)]` on a struct with named fields, among them `path`.
pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    const SHAPE: &str = "`RequestBuilder` derives for a struct with named fields, one of them `path`: \
                         `struct JobRequests<P> { client: Client, path: PathBuilder, _marker: PhantomData<P> }`";
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, SHAPE));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, SHAPE));
    };
    if !fields
        .named
        .iter()
        .any(|f| f.ident.as_ref().is_some_and(|i| i == "path"))
    {
        return Err(syn::Error::new_spanned(&input.ident, SHAPE));
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let clones = fields.named.iter().map(|f| {
        let field = &f.ident;
        if is_phantom(&f.ty) {
            quote! { #field: ::core::marker::PhantomData }
        } else {
            quote! { #field: ::core::clone::Clone::clone(&self.#field) }
        }
    });
    let label = name.to_string();
    Ok(quote! {
        impl #impl_generics ::core::clone::Clone for #name #ty_generics #where_clause {
            fn clone(&self) -> Self {
                Self { #(#clones),* }
            }
        }

        impl #impl_generics ::core::fmt::Debug for #name #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label).field("path", &self.path).finish_non_exhaustive()
            }
        }
    })
}

/// Whether a field's type is `PhantomData<...>` (by any path), which clones into a fresh marker.
fn is_phantom(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "PhantomData"))
}
