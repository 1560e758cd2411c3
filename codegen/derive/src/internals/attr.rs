//! `#[graph(...)]` attributes, parsed once per item.
//!
//! Each place (the enum or struct, a variant, a field) accepts a fixed set of keys for each derive. A key that is
//! unknown, misplaced, repeated or written with the wrong kind of value is recorded as an error pointing at
//! the key, and parsing goes on with the next key so that one build reports every mistake.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, LitStr, Path, Token};

use super::{Ctxt, Derive};

/// The attribute's name: `#[graph(...)]`.
const GRAPH: &str = "graph";

/// Every key `#[graph(...)]` knows, at any place, for either derive.
const ALL_KEYS: &[&str] = &[
    "closed", "set", "rename", "alias", "unknown", "empty", "nullable", "crate",
];

/// Where an attribute was written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Container,
    Variant,
    Field,
}

/// Attributes on the enum (or, for GraphModel, the struct) itself.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// `#[graph(closed)]` (GraphEnum): the span of `closed`.
    pub(crate) closed: Option<Span>,
    /// `#[graph(set = "Name")]` (GraphFlags): the literal naming the set type.
    pub(crate) set: Option<LitStr>,
    /// `#[graph(crate = "path")]` (GraphModel, GraphEnum): the path of the `msgraph_sync` crate.
    pub(crate) krate: Option<Path>,
}

/// Attributes on one variant.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    /// `#[graph(rename = "...")]`: the wire name, when it is not the variant's name.
    pub(crate) rename: Option<LitStr>,
    /// `#[graph(alias = "...")]`, repeatable: further spellings accepted when parsing.
    pub(crate) aliases: Vec<LitStr>,
    /// `#[graph(unknown)]` (GraphEnum): the span of `unknown`.
    pub(crate) unknown: Option<Span>,
    /// `#[graph(empty)]` (GraphEnum): the span of `empty`.
    pub(crate) empty: Option<Span>,
}

/// Attributes on one field (GraphModel).
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `#[graph(rename = "...")]`: the property's wire name.
    pub(crate) rename: Option<LitStr>,
    /// `#[graph(nullable)]`: the span of `nullable`.
    pub(crate) nullable: Option<Span>,
    /// `#[graph(unknown)]`: the span of `unknown`.
    pub(crate) unknown: Option<Span>,
}

/// Reads the `#[graph(...)]` attributes on the enum.
pub(crate) fn container(cx: &Ctxt, derive: Derive, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for_each_key(cx, attrs, |meta, key| match (derive, key) {
        (Derive::Enum, "closed") => flag(&meta, key, &mut out.closed),
        (Derive::Model | Derive::Enum, "crate") => {
            let lit = string_value(&meta, key, "::msgraph_sync")?;
            let path: Path = lit.parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    "`crate` takes the path of the msgraph-sync crate: write `crate = \"::msgraph_sync\"`",
                )
            })?;
            if out.krate.is_some() {
                return Err(syn::Error::new(
                    lit.span(),
                    "duplicate `crate`: name the crate once",
                ));
            }
            out.krate = Some(path);
            Ok(())
        }
        (Derive::Flags, "set") => {
            let lit = string_value(&meta, key, "SynchronizationJobRestartScope")?;
            if out.set.is_some() {
                return Err(syn::Error::new(
                    lit.span(),
                    "duplicate `set`: name the set type once",
                ));
            }
            out.set = Some(lit);
            Ok(())
        }
        _ => Err(meta.error(unexpected_key(derive, Place::Container, key))),
    });
    out
}

/// Reads the `#[graph(...)]` attributes on one variant.
pub(crate) fn variant(cx: &Ctxt, derive: Derive, attrs: &[Attribute]) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for_each_key(cx, attrs, |meta, key| match (derive, key) {
        (_, "rename") => {
            let lit = string_value(&meta, key, "WireName")?;
            if out.rename.is_some() {
                return Err(syn::Error::new(
                    lit.span(),
                    "duplicate `rename`: a member has one wire name; use `alias = \"...\"` for other \
                     spellings to accept",
                ));
            }
            out.rename = Some(lit);
            Ok(())
        }
        (_, "alias") => {
            out.aliases.push(string_value(&meta, key, "otherSpelling")?);
            Ok(())
        }
        (Derive::Enum, "unknown") => flag(&meta, key, &mut out.unknown),
        (Derive::Enum, "empty") => flag(&meta, key, &mut out.empty),
        _ => Err(meta.error(unexpected_key(derive, Place::Variant, key))),
    });
    out
}

/// Reads the `#[graph(...)]` attributes on a field. Only GraphModel gives them a meaning; the other
/// derives reject every key there.
pub(crate) fn field(cx: &Ctxt, derive: Derive, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_key(cx, attrs, |meta, key| match (derive, key) {
        (Derive::Model, "rename") => {
            let lit = string_value(&meta, key, "wireName")?;
            if out.rename.is_some() {
                return Err(syn::Error::new(
                    lit.span(),
                    "duplicate `rename`: a property has one wire name",
                ));
            }
            out.rename = Some(lit);
            Ok(())
        }
        (Derive::Model, "nullable") => flag(&meta, key, &mut out.nullable),
        (Derive::Model, "unknown") => flag(&meta, key, &mut out.unknown),
        _ => Err(meta.error(unexpected_key(derive, Place::Field, key))),
    });
    out
}

/// A key without a value that may be written once, such as `unknown`: records its span in `slot`.
fn flag(meta: &ParseNestedMeta<'_>, key: &str, slot: &mut Option<Span>) -> syn::Result<()> {
    let first = slot.replace(key_span(meta));
    // Read as written even when malformed, so that the error below is the only one.
    no_value(meta, key)?;
    if first.is_some() {
        return Err(meta.error(format!("duplicate `{key}`: write it once")));
    }
    Ok(())
}

/// Calls `logic` for each key of each `#[graph(...)]` attribute. `logic` consumes the key's value; when it
/// returns `Err`, the error is recorded and the rest of the value is skipped so that parsing continues.
fn for_each_key(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut logic: impl FnMut(ParseNestedMeta<'_>, &str) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(GRAPH)) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = match meta.path.get_ident() {
                Some(ident) => ident.to_string(),
                None => {
                    let err = meta.error(unexpected_key_text(
                        &quote::ToTokens::to_token_stream(&meta.path).to_string(),
                        "#[graph(...)] keys are single words",
                    ));
                    cx.syn_error(err);
                    return skip_value(&meta);
                }
            };
            let input = meta.input;
            match logic(meta, &key) {
                Ok(()) => Ok(()),
                Err(err) => {
                    cx.syn_error(err);
                    skip_value_of(input)
                }
            }
        });
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
}

/// Skips whatever follows a key up to the next `,`: `= value` or `(...)`.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    skip_value_of(meta.input)
}

fn skip_value_of(input: syn::parse::ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// The span of the key being parsed.
fn key_span(meta: &ParseNestedMeta<'_>) -> Span {
    meta.path
        .get_ident()
        .map_or_else(Span::call_site, Ident::span)
}

/// A key that takes no value, such as `closed` or `unknown`.
fn no_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        skip_value(meta)?;
        return Err(meta.error(format!("`{key}` takes no value: write `#[graph({key})]`")));
    }
    Ok(())
}

/// A key whose value is a string literal: `key = "..."`.
fn string_value(meta: &ParseNestedMeta<'_>, key: &str, example: &str) -> syn::Result<LitStr> {
    if !meta.input.peek(Token![=]) {
        skip_value(meta)?;
        return Err(meta.error(format!(
            "`{key}` needs a string value: write `{key} = \"{example}\"`"
        )));
    }
    let value: Expr = meta.value()?.parse()?;
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string literal: write `{key} = \"{example}\"`"),
        )),
    }
}

/// The message for a key that is not accepted at this place, with the fix.
fn unexpected_key(derive: Derive, place: Place, key: &str) -> String {
    let name = derive.name();
    let misplaced = match (derive, place, key) {
        (Derive::Model, Place::Container, "rename" | "nullable" | "unknown") => Some(format!(
            "`{key}` belongs on a field, not on the struct: move it onto the property it is about"
        )),
        (Derive::Model, Place::Field, "crate") => Some(
            "`crate` belongs on the struct itself, not on a field: move it above `struct`".to_owned(),
        ),
        (Derive::Model, Place::Field, "alias") => Some(
            "GraphModel reads each property by its one wire name: remove `alias`".to_owned(),
        ),
        (Derive::Model, _, _) => None,
        (_, Place::Field, _) => Some(
            "#[graph(...)] has no meaning on a field: put it on the variant or the enum, or remove it"
                .to_owned(),
        ),
        (Derive::Flags, _, "closed") => Some(
            "`closed` applies to GraphEnum only: a GraphFlags set always keeps member names it does not \
             know; remove `closed`"
                .to_owned(),
        ),
        (Derive::Flags, _, "unknown") => Some(
            "GraphFlags keeps member names it does not know inside the generated set type, so it has no \
             `unknown` variant; remove this variant's `unknown`"
                .to_owned(),
        ),
        (Derive::Enum, _, "set") => Some(
            "`set` names the set type that GraphFlags generates; GraphEnum generates no set type, so \
             remove `set`"
                .to_owned(),
        ),
        (Derive::Flags, _, "empty") => Some(
            "`empty` marks the GraphEnum variant for the service's empty string; a GraphFlags set \
             reads `\"\"` as the empty set already: remove `empty`"
                .to_owned(),
        ),
        (Derive::Enum, Place::Variant, "crate") => Some(
            "`crate` belongs on the enum itself, not on a variant: move it above `enum`".to_owned(),
        ),
        (Derive::Flags, _, "crate") => Some(
            "`crate` applies to GraphModel and GraphEnum only: a GraphFlags set needs nothing from \
             msgraph-sync; remove it"
                .to_owned(),
        ),
        (_, _, "crate" | "nullable") => Some(format!(
            "`{key}` applies to `#[derive(GraphModel)]` structs only: remove it"
        )),
        (_, Place::Container, "rename" | "alias" | "unknown" | "empty") => Some(format!(
            "`{key}` belongs on a variant, not on the enum: move it onto the member it is about"
        )),
        (_, Place::Variant, "closed" | "set") => Some(format!(
            "`{key}` belongs on the enum itself, not on a variant: move it above `enum`"
        )),
        _ => None,
    };
    if let Some(message) = misplaced {
        return message;
    }
    let accepted = match (derive, place) {
        (Derive::Enum, Place::Container) => "`closed` or `crate = \"...\"`",
        (Derive::Enum, Place::Variant) => {
            "`rename = \"...\"`, `alias = \"...\"`, `unknown` or `empty`"
        }
        (Derive::Flags, Place::Container) => "`set = \"...\"`",
        (Derive::Flags, Place::Variant) => "`rename = \"...\"` or `alias = \"...\"`",
        (Derive::Model, Place::Container) => "`crate = \"...\"`",
        (Derive::Model, Place::Field) => "`rename = \"...\"`, `nullable` or `unknown`",
        (Derive::Model, Place::Variant) | (_, Place::Field) => "nothing",
    };
    let place = match (derive, place) {
        (Derive::Model, Place::Container) => "struct",
        (_, Place::Container) => "enum",
        (_, Place::Variant) => "variant",
        (_, Place::Field) => "field",
    };
    unexpected_key_text(
        key,
        &format!("on a {name} {place}, #[graph(...)] accepts {accepted}"),
    )
}

fn unexpected_key_text(key: &str, accepted: &str) -> String {
    match suggestion(key) {
        Some(near) => format!("unknown attribute `{key}`: did you mean `{near}`? ({accepted})"),
        None => format!("unknown attribute `{key}`: {accepted}"),
    }
}

/// The known key closest to a misspelt one, if it is close enough to be the likely intent.
fn suggestion(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    ALL_KEYS
        .iter()
        .map(|known| (edit_distance(&key, known), *known))
        .filter(|&(distance, known)| distance <= 2 && distance < known.len())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, known)| known)
}

/// Levenshtein distance over bytes (keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(suggestion("renmae"), Some("rename"));
        assert_eq!(suggestion("Rename"), Some("rename"));
        assert_eq!(suggestion("aliases"), Some("alias"));
        assert_eq!(suggestion("close"), Some("closed"));
        assert_eq!(suggestion("default"), None);
        assert_eq!(suggestion("x"), None);
    }
}
