//! The rules of `GraphFlags`, turning the input into a model the emitters can trust.

use heck::ToShoutySnakeCase;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Attribute, Expr, ExprLit, Fields, Ident, Lit, UnOp, Visibility};

use crate::internals::ast::{self, Input};
use crate::internals::{Ctxt, Derive};

/// A valid `GraphFlags` enum.
pub(crate) struct Model<'a> {
    /// The member enum, as the user wrote it.
    pub(crate) member: &'a Ident,
    /// The generated set type.
    pub(crate) set: Ident,
    pub(crate) vis: &'a Visibility,
    /// The enum's docs, copied onto the set type.
    pub(crate) docs: Vec<&'a Attribute>,
    /// The members in declaration order.
    pub(crate) members: Vec<Member<'a>>,
}

/// One member of the flag enum.
pub(crate) struct Member<'a> {
    pub(crate) ident: &'a Ident,
    /// The set constant: the member's name in SCREAMING_SNAKE_CASE.
    pub(crate) constant: Ident,
    /// The canonical wire name.
    pub(crate) wire: String,
    /// Further spellings accepted when parsing.
    pub(crate) aliases: Vec<String>,
    pub(crate) value: u64,
    pub(crate) docs: Vec<&'a Attribute>,
}

/// What a member's value makes it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// `0`: the empty set.
    Zero,
    /// A power of two: a member of its own, printed by name.
    Bit,
    /// The union of other members (`Full = 15`): parsed by name, printed expanded.
    Composite,
}

impl Member<'_> {
    pub(crate) fn kind(&self) -> Kind {
        match self.value {
            0 => Kind::Zero,
            v if v.is_power_of_two() => Kind::Bit,
            _ => Kind::Composite,
        }
    }
}

impl Model<'_> {
    /// The single-bit members in declaration order: what a set is made of and how it prints.
    pub(crate) fn bits(&self) -> impl Iterator<Item = &Member<'_>> {
        self.members.iter().filter(|m| m.kind() == Kind::Bit)
    }

    /// The first zero-valued member, whose name the empty set prints as.
    pub(crate) fn zero(&self) -> Option<&Member<'_>> {
        self.members.iter().find(|m| m.kind() == Kind::Zero)
    }

    /// The set type's hidden enum of wire-order entries.
    pub(crate) fn entry(&self) -> Ident {
        quote::format_ident!("__{}WireEntry", self.set)
    }

    /// The union of every member's bits.
    pub(crate) fn all_bits(&self) -> u64 {
        self.members.iter().fold(0, |all, m| all | m.value)
    }
}

/// Validates the input, recording every problem in `cx`.
pub(crate) fn build<'a>(cx: &Ctxt, input: &'a Input<'a>) -> Model<'a> {
    let set = set_ident(cx, input);
    let mut members = Vec::new();
    let mut spellings = Vec::new();
    let mut constants: Vec<(String, &Ident)> = Vec::new();

    for variant in &input.variants {
        let ident = variant.ident;
        if !matches!(variant.fields, Fields::Unit) {
            let value = variant.discriminant.map_or_else(
                || "<value>".to_owned(),
                |expr| quote::ToTokens::to_token_stream(expr).to_string(),
            );
            cx.error_spanned_by(
                variant.fields,
                format!(
                    "a GraphFlags member is a unit variant with a value: remove the fields and write \
                     `{ident} = {value}`"
                ),
            );
        }
        let value = match variant.discriminant {
            Some(expr) => literal_value(cx, expr),
            // Reported above: a variant with fields is wrong whatever its value.
            None if !matches!(variant.fields, Fields::Unit) => None,
            None => {
                cx.error_spanned_by(
                    ident,
                    format!(
                        "GraphFlags member `{ident}` has no value: write its CSDL value, e.g. `{ident} = 4` \
                         (0 for the empty member, a power of two for a flag, or the sum of other members \
                         for a combination)"
                    ),
                );
                None
            }
        };
        let constant = ident.unraw().to_string().to_shouty_snake_case();
        if let Some((_, first)) = constants.iter().find(|(c, _)| *c == constant) {
            cx.error_spanned_by(
                ident,
                format!(
                    "`{ident}` and `{first}` both become the set constant `{constant}`: rename one of them"
                ),
            );
        } else {
            constants.push((constant.clone(), ident));
        }
        spellings.push((ident, variant.spellings()));
        if let Some(value) = value {
            members.push(Member {
                ident,
                constant: Ident::new(&constant, ident.span()),
                wire: variant.wire_name(),
                aliases: variant
                    .attrs
                    .aliases
                    .iter()
                    .map(|lit| lit.value())
                    .collect(),
                value,
                docs: variant.docs.clone(),
            });
        }
    }

    check_values(cx, input, &members);
    ast::check_spellings(cx, Derive::Flags, &spellings);
    Model {
        member: input.ident,
        set,
        vis: input.vis,
        docs: input.docs.clone(),
        members,
    }
}

/// The set type's name: `set = "..."`, or the enum's name without its `Flag` suffix.
fn set_ident(cx: &Ctxt, input: &Input<'_>) -> Ident {
    let ident = input.ident;
    if let Some(lit) = &input.attrs.set {
        return match syn::parse_str::<Ident>(&lit.value()) {
            Ok(set) if set == *ident => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "the set type needs a name of its own, not the enum's: e.g. `{ident}Set`"
                    ),
                );
                set
            }
            Ok(set) => Ident::new(&set.to_string(), lit.span()),
            Err(_) => {
                cx.error_spanned_by(
                    lit,
                    "`set` names the generated set type, so it must be a Rust type name: e.g. \
                     `set = \"SynchronizationJobRestartScope\"`",
                );
                Ident::new("__GraphFlagsSet", Span::call_site())
            }
        };
    }
    let name = ident.unraw().to_string();
    match name.strip_suffix("Flag") {
        Some(stem) if !stem.is_empty() => Ident::new(stem, ident.span()),
        _ => {
            cx.error_spanned_by(
                ident,
                format!(
                    "cannot name the set type of `{name}`: the default drops a trailing `Flag` from the \
                     enum's name, and `{name}` has none; add `#[graph(set = \"{name}Set\")]` or rename \
                     the enum to `{name}Flag`"
                ),
            );
            Ident::new("__GraphFlagsSet", Span::call_site())
        }
    }
}

/// The value of `= <integer literal>`, or `None` with an error recorded.
fn literal_value(cx: &Ctxt, expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => match lit.base10_parse::<u64>() {
            Ok(value) => Some(value),
            Err(_) => {
                cx.error_spanned_by(lit, "a flag value must fit in 64 bits (u64)");
                None
            }
        },
        Expr::Group(group) => literal_value(cx, &group.expr),
        Expr::Paren(paren) => literal_value(cx, &paren.expr),
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => {
            cx.error_spanned_by(
                expr,
                "a flag value cannot be negative: write the CSDL value, e.g. `= 4`",
            );
            None
        }
        _ => {
            cx.error_spanned_by(
                expr,
                "a flag value must be an integer literal, the CSDL value itself: e.g. `= 4` (constants and \
                 expressions are not evaluated by GraphFlags)",
            );
            None
        }
    }
}

/// Each value must be 0, a power of two, or exactly the union of declared single-bit members.
fn check_values(cx: &Ctxt, input: &Input<'_>, members: &[Member<'_>]) {
    let declared_bits = members
        .iter()
        .filter(|m| m.kind() == Kind::Bit)
        .fold(0u64, |bits, m| bits | m.value);
    for member in members.iter().filter(|m| m.kind() == Kind::Composite) {
        let missing = member.value & !declared_bits;
        if missing == 0 {
            continue;
        }
        let missing: Vec<String> = (0..64)
            .map(|shift| 1u64 << shift)
            .filter(|bit| missing & bit != 0)
            .map(|bit| bit.to_string())
            .collect();
        let (noun, list) = match missing.as_slice() {
            [one] => ("no member has the value", one.clone()),
            [rest @ .., last] => (
                "no members have the values",
                format!("{} and {last}", rest.join(", ")),
            ),
            [] => unreachable!("`missing` is not zero"),
        };
        let variant = input
            .variants
            .iter()
            .find(|v| v.ident == member.ident)
            .and_then(|v| v.discriminant);
        let message = format!(
            "flag value {value} of `{ident}` is neither 0, a power of two, nor a union of other members: \
             {noun} {list}; declare the missing members or correct the value",
            value = member.value,
            ident = member.ident,
        );
        match variant {
            Some(expr) => cx.error_spanned_by(expr, message),
            None => cx.error_spanned_by(member.ident, message),
        }
    }
}
