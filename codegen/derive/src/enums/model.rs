//! The rules of `GraphEnum`, turning the input into a model the emitters can trust.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Fields, GenericArgument, Ident, PathArguments, Type, Visibility};

use crate::internals::ast::{self, Input};
use crate::internals::{Ctxt, Derive};

/// A valid `GraphEnum`.
pub(crate) struct Model<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// The known members, in declaration order.
    pub(crate) known: Vec<Known<'a>>,
    /// The enum is open: this variant keeps the wire text of members the enum does not know.
    /// `None` for an enum marked `#[graph(closed)]`.
    pub(crate) unknown: Option<&'a Ident>,
    /// The unit variant marked `#[graph(empty)]`, which stands for the empty string `""`.
    pub(crate) empty: Option<&'a Ident>,
    /// `<crate>::__private`, the runtime's items the expansion of an open enum uses.
    pub(crate) private: TokenStream,
}

/// A known member.
pub(crate) struct Known<'a> {
    pub(crate) ident: &'a Ident,
    /// The canonical wire name.
    pub(crate) wire: String,
    /// Further spellings accepted when parsing.
    pub(crate) aliases: Vec<String>,
}

impl Model<'_> {
    /// Every accepted spelling with the member it selects: wire names first, in declaration order.
    pub(crate) fn spellings(&self) -> impl Iterator<Item = (&str, &Ident)> {
        let wire = self.known.iter().map(|k| (k.wire.as_str(), k.ident));
        let aliases = self
            .known
            .iter()
            .flat_map(|k| k.aliases.iter().map(move |a| (a.as_str(), k.ident)));
        wire.chain(aliases)
    }
}

/// Validates the input, recording every problem in `cx`.
pub(crate) fn build<'a>(cx: &Ctxt, input: &'a Input<'a>) -> Model<'a> {
    let closed = input.attrs.closed;
    let mut unknown: Option<&Ident> = None;
    let mut empty: Option<&Ident> = None;
    let mut known = Vec::new();
    let mut spellings = Vec::new();

    for variant in &input.variants {
        if let Some(empty_span) = variant.attrs.empty {
            check_empty(cx, variant, empty_span, empty);
            empty.get_or_insert(variant.ident);
            continue;
        }
        if let Some(unknown_span) = variant.attrs.unknown {
            if let Some(first) = unknown {
                cx.error_at(
                    unknown_span,
                    format!(
                        "`{first}` is already the unknown variant: an enum keeps unknown members in \
                         exactly one variant; remove this `#[graph(unknown)]`"
                    ),
                );
            } else if closed.is_some() {
                cx.error_at(
                    unknown_span,
                    "a `#[graph(closed)]` enum rejects members it does not know, so it cannot have a \
                     `#[graph(unknown)]` variant: remove `closed` to keep unknown members, or remove \
                     this variant",
                );
            }
            unknown.get_or_insert(variant.ident);
            no_wire_names(
                cx,
                variant,
                "the unknown variant has no wire name of its own (it keeps whatever text arrived): \
                 remove `rename`/`alias` from it",
            );
            if !holds_unknown_member(variant.fields, input.ident) {
                let ident = variant.ident;
                let message = format!(
                    "the `#[graph(unknown)]` variant keeps the raw wire text in an opaque \
                     `msgraph_sync::UnknownMember`, so that it cannot be built to look like a known member: \
                     declare it as `{ident}(UnknownMember<{}>)`",
                    input.ident
                );
                match variant.fields {
                    Fields::Unit => cx.error_spanned_by(ident, message),
                    fields => cx.error_spanned_by(fields, message),
                }
            }
            continue;
        }
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                variant.fields,
                format!(
                    "a GraphEnum member is a unit variant (its wire name is all it carries): remove the \
                     fields of `{}`, or mark it `#[graph(unknown)]` and give it one `UnknownMember<{}>` if \
                     it should keep the text of unknown members",
                    variant.ident, input.ident
                ),
            );
        }
        spellings.push((variant.ident, variant.spellings()));
        known.push(Known {
            ident: variant.ident,
            wire: variant.wire_name(),
            aliases: variant
                .attrs
                .aliases
                .iter()
                .map(|lit| lit.value())
                .collect(),
        });
    }

    if unknown.is_none() && closed.is_none() && !input.variants.is_empty() {
        let ident = input.ident;
        cx.error_spanned_by(
            ident,
            format!(
                "GraphEnum `{ident}` is open, so it needs a variant that keeps members it does not know: \
                 add `#[graph(unknown)] Unknown(UnknownMember<{ident}>)`, or mark the enum `#[graph(closed)]` if the \
                 service never sends other values"
            ),
        );
    }
    if known.is_empty() && !input.variants.is_empty() {
        cx.error_spanned_by(
            input.ident,
            format!(
                "GraphEnum `{}` has no known members: add a unit variant per wire value",
                input.ident
            ),
        );
    }
    ast::check_spellings(cx, Derive::Enum, &spellings);
    let private = match &input.attrs.krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::msgraph_sync::__private),
    };

    Model {
        ident: input.ident,
        vis: input.vis,
        known,
        unknown: if closed.is_some() { None } else { unknown },
        empty,
        private,
    }
}

/// The `#[graph(empty)]` variant: one per enum, a unit variant, without wire names of its own, and not
/// also the unknown variant.
fn check_empty(
    cx: &Ctxt,
    variant: &ast::Variant<'_>,
    span: proc_macro2::Span,
    first: Option<&Ident>,
) {
    let ident = variant.ident;
    if let Some(first) = first {
        cx.error_at(
            span,
            format!(
                "`{first}` already stands for the empty string: an enum has at most one \
                 `#[graph(empty)]` variant; remove this one"
            ),
        );
    }
    if let Some(unknown) = variant.attrs.unknown {
        cx.error_at(
            unknown,
            "a variant is either `#[graph(empty)]` (the empty string) or `#[graph(unknown)]` (any other \
             text), not both: declare them as two variants",
        );
    }
    no_wire_names(
        cx,
        variant,
        "the `#[graph(empty)]` variant's wire name is the empty string: remove `rename`/`alias` from it",
    );
    if !matches!(variant.fields, Fields::Unit) {
        cx.error_spanned_by(
            variant.fields,
            format!(
                "the `#[graph(empty)]` variant carries nothing but the empty string: declare it as the unit \
                 variant `{ident}`"
            ),
        );
    }
}

/// Reports `message` at the first `rename` or `alias` of a variant that takes neither.
fn no_wire_names(cx: &Ctxt, variant: &ast::Variant<'_>, message: &str) {
    let attrs = &variant.attrs;
    if let Some(lit) = attrs.rename.iter().chain(&attrs.aliases).next() {
        cx.error_spanned_by(lit, message);
    }
}

/// `true` for `(UnknownMember<Name>)`, `(msgraph_sync::UnknownMember<Self>)` and the like, where `Name`
/// is the enum itself: another enum's unknown member could spell one of this enum's known members.
fn holds_unknown_member(fields: &Fields, enum_ident: &Ident) -> bool {
    let Fields::Unnamed(fields) = fields else {
        return false;
    };
    let mut iter = fields.unnamed.iter();
    let (Some(field), None) = (iter.next(), iter.next()) else {
        return false;
    };
    let Some(last) = type_path(&field.ty).and_then(|path| path.segments.last()) else {
        return false;
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    let mut args = args.args.iter();
    let (Some(GenericArgument::Type(arg)), None) = (args.next(), args.next()) else {
        return false;
    };
    last.ident == "UnknownMember"
        && type_path(arg).is_some_and(|path| path.is_ident("Self") || path.is_ident(enum_ident))
}

/// The path of a type written as a plain path (`a::B<C>`).
fn type_path(ty: &Type) -> Option<&syn::Path> {
    match ty {
        Type::Path(path) if path.qself.is_none() => Some(&path.path),
        _ => None,
    }
}
