//! The derive input as the derives see it: an enum, its `#[graph]` attributes and its variants (GraphEnum,
//! GraphFlags), or a struct and its fields (GraphModel).
//!
//! [`read`] checks what both enum derives require (an enum, no generics, no `#[graph]` on fields), and
//! [`read_struct`] what GraphModel requires (a struct with named fields, no generics); the rules of each
//! derive live in its own `model` module. [`check_spellings`] is shared: wire names and aliases must be
//! distinct, ignoring case, because parsing ignores case.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Expr, Fields, Ident, Type, Visibility};

use super::attr::{self, ContainerAttrs, FieldAttrs, VariantAttrs};
use super::{Ctxt, Derive};

/// The enum a derive is applied to.
pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// The enum's `#[doc]` attributes, copied onto generated types.
    pub(crate) docs: Vec<&'a Attribute>,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) variants: Vec<Variant<'a>>,
}

/// One variant of the enum.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) attrs: VariantAttrs,
    pub(crate) docs: Vec<&'a Attribute>,
    pub(crate) fields: &'a Fields,
    pub(crate) discriminant: Option<&'a Expr>,
}

impl Variant<'_> {
    /// The canonical wire name: `rename = "..."` if given, else the variant's name.
    pub(crate) fn wire_name(&self) -> String {
        match &self.attrs.rename {
            Some(lit) => lit.value(),
            None => self.ident.unraw().to_string(),
        }
    }

    /// Every spelling this variant accepts, with where it was written: the wire name, then the aliases.
    pub(crate) fn spellings(&self) -> Vec<Spelling> {
        let wire = match &self.attrs.rename {
            Some(lit) => Spelling {
                text: lit.value(),
                span: lit.span(),
                source: Source::Rename,
            },
            None => Spelling {
                text: self.wire_name(),
                span: self.ident.span(),
                source: Source::Ident,
            },
        };
        let aliases = self.attrs.aliases.iter().map(|lit| Spelling {
            text: lit.value(),
            span: lit.span(),
            source: Source::Alias,
        });
        std::iter::once(wire).chain(aliases).collect()
    }
}

/// A spelling a variant accepts on the wire.
pub(crate) struct Spelling {
    pub(crate) text: String,
    pub(crate) span: Span,
    pub(crate) source: Source,
}

/// Where a [`Spelling`] comes from; the fix for a clash depends on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Ident,
    Rename,
    Alias,
}

/// Reads the input; `None` (with an error recorded) if it is not an enum.
pub(crate) fn read<'a>(cx: &Ctxt, derive: Derive, input: &'a DeriveInput) -> Option<Input<'a>> {
    let name = derive.name();
    let ident = &input.ident;
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            let keyword = data.struct_token;
            not_an_enum(cx, derive, quote!(#keyword #ident), "a struct");
            return None;
        }
        Data::Union(data) => {
            let keyword = data.union_token;
            not_an_enum(cx, derive, quote!(#keyword #ident), "a union");
            return None;
        }
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &input.generics,
            format!(
                "{name} does not support generic parameters: a wire enum is a plain list of members; \
                 remove the generics from `{ident}`"
            ),
        );
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            ident,
            format!("{name} needs at least one member: add the variants of `{ident}`"),
        );
    }
    let attrs = attr::container(cx, derive, &input.attrs);
    let variants = data
        .variants
        .iter()
        .map(|variant| {
            for field in variant.fields.iter() {
                // Every key is an error on an enum's field; `field` records it.
                let _ = attr::field(cx, derive, &field.attrs);
            }
            Variant {
                ident: &variant.ident,
                attrs: attr::variant(cx, derive, &variant.attrs),
                docs: docs(&variant.attrs),
                fields: &variant.fields,
                discriminant: variant.discriminant.as_ref().map(|(_, expr)| expr),
            }
        })
        .collect();
    Some(Input {
        ident,
        vis: &input.vis,
        docs: docs(&input.attrs),
        attrs,
        variants,
    })
}

fn not_an_enum(cx: &Ctxt, derive: Derive, tokens: TokenStream, what: &str) {
    let fix = match derive {
        Derive::Enum => {
            "declare it as an enum whose unit variants are the wire members, e.g. \
                         `enum AttributeType { String, Integer, #[graph(unknown)] Unknown(String) }`"
        }
        Derive::Flags => {
            "declare it as an enum of flag members with their values, e.g. \
                          `enum ScopeFlag { None = 0, Escrows = 2, Watermark = 4 }`"
        }
        // GraphModel reads structs with `read_struct`, which reports its own shape errors.
        Derive::Model => "",
    };
    cx.error_spanned_by(
        tokens,
        format!(
            "{} applies to enums only, not to {what}: {fix}",
            derive.name()
        ),
    );
}

/// The struct GraphModel is applied to.
pub(crate) struct Struct<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) fields: Vec<Field<'a>>,
}

/// One named field of the struct.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) attrs: FieldAttrs,
}

/// Reads a GraphModel input; `None` (with an error recorded) if it is not a struct with named fields.
pub(crate) fn read_struct<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<Struct<'a>> {
    let ident = &input.ident;
    let example = "e.g. `struct Job { #[graph(rename = \"id\")] id: Option<String>, \
                   #[graph(unknown)] additional_properties: rt::UnknownProperties }`";
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => fields,
            other => {
                cx.error_spanned_by(
                    quote!(#ident #other),
                    format!(
                        "GraphModel needs a struct with named fields, one per property: {example}"
                    ),
                );
                return None;
            }
        },
        Data::Enum(data) => {
            let keyword = data.enum_token;
            cx.error_spanned_by(
                quote!(#keyword #ident),
                format!(
                    "GraphModel applies to structs only, not to an enum (derive GraphEnum or GraphFlags \
                     for a Graph enum): {example}"
                ),
            );
            return None;
        }
        Data::Union(data) => {
            let keyword = data.union_token;
            cx.error_spanned_by(
                quote!(#keyword #ident),
                format!("GraphModel applies to structs only, not to a union: {example}"),
            );
            return None;
        }
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &input.generics,
            format!(
                "GraphModel does not support generic parameters: a model is one object schema; remove \
                 the generics from `{ident}`"
            ),
        );
    }
    let attrs = attr::container(cx, Derive::Model, &input.attrs);
    let fields = fields
        .named
        .iter()
        .filter_map(|field| {
            let attrs = attr::field(cx, Derive::Model, &field.attrs);
            Some(Field {
                ident: field.ident.as_ref()?,
                ty: &field.ty,
                attrs,
            })
        })
        .collect();
    Some(Struct {
        ident,
        attrs,
        fields,
    })
}

/// The `#[doc]` attributes among `attrs`.
fn docs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .collect()
}

/// Checks the spellings of all members: each must be usable on the wire, and no two may be equal ignoring
/// case. `members` pairs each variant's name with its spellings.
pub(crate) fn check_spellings(cx: &Ctxt, derive: Derive, members: &[(&Ident, Vec<Spelling>)]) {
    let mut seen: Vec<(&str, &Ident)> = Vec::new();
    for (owner, spellings) in members {
        for spelling in spellings {
            check_spelling_text(cx, derive, spelling);
            if let Some((_, first)) = seen
                .iter()
                .find(|(text, _)| text.eq_ignore_ascii_case(&spelling.text))
            {
                let fix = match spelling.source {
                    Source::Ident => {
                        "give this variant another wire name with `#[graph(rename = \"...\")]`"
                    }
                    Source::Rename => "change this `rename`",
                    Source::Alias => "remove this alias",
                };
                let whose = if *first == *owner {
                    "this member already accepts it".to_owned()
                } else {
                    format!("member `{first}` already uses it")
                };
                cx.error_at(
                    spelling.span,
                    format!(
                        "duplicate wire name `{}`: {whose}, and wire names are matched ignoring case; {fix}",
                        spelling.text
                    ),
                );
            } else {
                seen.push((&spelling.text, owner));
            }
        }
    }
}

/// A spelling must be non-empty and without surrounding whitespace; a flag name must also not contain `,`,
/// the wire form's separator.
fn check_spelling_text(cx: &Ctxt, derive: Derive, spelling: &Spelling) {
    let text = &spelling.text;
    let problem = if text.is_empty() {
        Some("a wire name cannot be empty")
    } else if text.trim() != text {
        Some("a wire name cannot start or end with whitespace")
    } else if derive == Derive::Flags && text.contains(',') {
        Some("a flag name cannot contain `,`, which separates names on the wire")
    } else {
        None
    };
    if let Some(problem) = problem {
        cx.error_at(
            spelling.span,
            format!("{problem}: write the name the service uses, e.g. \"Watermark\""),
        );
    }
}
