//! The rules of `GraphModel`, turning the input into a model the emitters can trust.

use heck::ToLowerCamelCase;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Ident, Type};

use crate::internals::Ctxt;
use crate::internals::ast::Struct;

/// A valid `GraphModel` struct.
pub(crate) struct Model<'a> {
    pub(crate) ident: &'a Ident,
    /// `<crate>::__private`: where the expansion finds serde, serde_json and its helpers.
    pub(crate) private: TokenStream,
    /// The known properties, in declaration order.
    pub(crate) properties: Vec<Property<'a>>,
    /// The field keeping the members the struct does not declare, and its type.
    pub(crate) unknown: &'a Ident,
    pub(crate) unknown_ty: &'a Type,
}

/// A known property.
pub(crate) struct Property<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The wire name.
    pub(crate) wire: String,
    /// `#[graph(nullable)]`: `rt::Nullable<T>`, where `null` is a value; otherwise `Option<T>`, where a
    /// `null` read is kept among the unknown members.
    pub(crate) nullable: bool,
}

impl Model<'_> {
    /// Properties whose name starts with `@` (OData control information), which are written first.
    pub(crate) fn control(&self) -> impl Iterator<Item = &Property<'_>> {
        self.properties.iter().filter(|p| p.wire.starts_with('@'))
    }

    /// The other properties.
    pub(crate) fn plain(&self) -> impl Iterator<Item = &Property<'_>> {
        self.properties.iter().filter(|p| !p.wire.starts_with('@'))
    }
}

/// Validates the input, recording every problem in `cx`; `None` if there is no unknown field.
pub(crate) fn build<'a>(cx: &Ctxt, input: &'a Struct<'a>) -> Option<Model<'a>> {
    let krate = match &input.attrs.krate {
        Some(path) => quote!(#path),
        None => quote!(::msgraph_sync),
    };
    let mut unknown: Option<(&Ident, &Type)> = None;
    let mut properties: Vec<Property<'_>> = Vec::new();
    for field in &input.fields {
        let attrs = &field.attrs;
        if let Some(span) = attrs.unknown {
            if let Some((first, _)) = unknown {
                cx.error_at(
                    span,
                    format!(
                        "`{first}` already keeps the unknown members: a model has exactly one \
                         `#[graph(unknown)]` field; remove this one"
                    ),
                );
            }
            unknown.get_or_insert((field.ident, field.ty));
            if let Some(lit) = &attrs.rename {
                cx.error_spanned_by(
                    lit,
                    "the `#[graph(unknown)]` field keeps every member the struct does not declare, so it \
                     has no wire name: remove `rename`",
                );
            }
            if let Some(span) = attrs.nullable {
                cx.error_at(
                    span,
                    "`nullable` applies to a property, not to the `#[graph(unknown)]` field: remove it",
                );
            }
            continue;
        }
        let Some(lit) = &attrs.rename else {
            let suggestion = field.ident.unraw().to_string().to_lower_camel_case();
            cx.error_spanned_by(
                field.ident,
                format!(
                    "property `{}` needs its wire name: add `#[graph(rename = \"{suggestion}\")]` (the \
                     name the service uses), or mark the field that keeps unknown members \
                     `#[graph(unknown)]`",
                    field.ident
                ),
            );
            continue;
        };
        let wire = lit.value();
        if wire.is_empty() {
            cx.error_spanned_by(
                lit,
                "a wire name cannot be empty: write the property's name as the service sends it",
            );
        } else if let Some(first) = properties.iter().find(|p| p.wire == wire) {
            cx.error_spanned_by(
                lit,
                format!(
                    "duplicate wire name `{wire}`: field `{}` already reads it; each property has its own \
                     name",
                    first.ident
                ),
            );
        }
        properties.push(Property {
            ident: field.ident,
            ty: field.ty,
            wire,
            nullable: attrs.nullable.is_some(),
        });
    }
    let Some((unknown, unknown_ty)) = unknown else {
        cx.error_spanned_by(
            input.ident,
            format!(
                "GraphModel `{}` needs a field that keeps the members it does not declare, so that they \
                 are written back: add `#[graph(unknown)] pub additional_properties: \
                 rt::UnknownProperties`",
                input.ident
            ),
        );
        return None;
    };
    Some(Model {
        ident: input.ident,
        private: quote!(#krate::__private),
        properties,
        unknown,
        unknown_ty,
    })
}
