//! Constructors for the syn values the emitters build: attributes, paths, types, expressions, items.
//!
//! Code repeated for every schema, member, node or operation is built as syn values with these, so syn never
//! parses what the generator wrote (parsing `quote!` output was most of the emit and format time). Each
//! constructor makes the value syn's own parser makes for the same text, so prettyplease prints it the same.

use proc_macro2::extra::DelimSpan;
use proc_macro2::{Delimiter, Group, Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Expr, Field, Fields, GenericArgument, Generics, ImplItem, Item, Path, PathArguments,
    Stmt, Type, Variant, Visibility,
};

use super::{ident, raw_literal};

/// `#[doc = r"..."]` attributes, one per line of `text` (trimmed), as `///` comments print.
pub(crate) fn docs(text: &str) -> Vec<Attribute> {
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            let literal = raw_literal(if line.is_empty() { "" } else { " " }, line);
            outer(syn::Meta::NameValue(syn::MetaNameValue {
                path: path(&["doc"]),
                eq_token: Default::default(),
                value: lit(literal),
            }))
        })
        .collect()
}

/// `#[name(tokens)]`, the tokens made with `quote!` (syn keeps an attribute's arguments as tokens).
pub(crate) fn attr(name: &str, tokens: TokenStream) -> Attribute {
    outer(syn::Meta::List(syn::MetaList {
        path: path(&[name]),
        delimiter: syn::MacroDelimiter::Paren(paren()),
        tokens,
    }))
}

/// The span of a `{}`, `()` or `[]` token. syn's `Default` for a delimiter builds and drops an empty token group
/// to get it, a few hundred instructions each time; it is the same span every time, so it is made once.
fn delim_span() -> DelimSpan {
    thread_local! {
        static CALL_SITE: DelimSpan = Group::new(Delimiter::None, TokenStream::new()).delim_span();
    }
    CALL_SITE.with(|span| *span)
}

fn brace() -> syn::token::Brace {
    syn::token::Brace { span: delim_span() }
}

fn paren() -> syn::token::Paren {
    syn::token::Paren { span: delim_span() }
}

fn bracket() -> syn::token::Bracket {
    syn::token::Bracket { span: delim_span() }
}

fn outer(meta: syn::Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: bracket(),
        meta,
    }
}

/// `pub`.
pub(crate) fn public() -> Visibility {
    Visibility::Public(Default::default())
}

/// `a::b::c`.
pub(crate) fn path(segments: &[&str]) -> Path {
    generic_path(segments, Vec::new(), false)
}

/// `a::b::C<args>` (in a type), or `a::b::c::<args>` with `turbofish` (in an expression).
fn generic_path(segments: &[&str], args: Vec<Type>, turbofish: bool) -> Path {
    let last = segments.len().saturating_sub(1);
    let mut args = Some(args).filter(|args| !args.is_empty());
    let segments = segments.iter().enumerate().map(|(i, segment)| {
        let arguments = match args.take_if(|_| i == last) {
            Some(args) => PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
                colon2_token: turbofish.then(Default::default),
                lt_token: Default::default(),
                args: args.into_iter().map(GenericArgument::Type).collect(),
                gt_token: Default::default(),
            }),
            None => PathArguments::None,
        };
        syn::PathSegment {
            ident: ident(segment),
            arguments,
        }
    });
    Path {
        leading_colon: None,
        segments: segments.collect(),
    }
}

/// The type `a::b::C`.
pub(crate) fn ty(segments: &[&str]) -> Type {
    generic_ty(segments, Vec::new())
}

/// The type `a::b::C<args>`.
pub(crate) fn generic_ty(segments: &[&str], args: Vec<Type>) -> Type {
    Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path: generic_path(segments, args, false),
    })
}

/// `()`.
pub(crate) fn unit_ty() -> Type {
    Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: paren(),
        elems: Punctuated::new(),
    })
}

/// `&T`.
pub(crate) fn ref_ty(elem: Type) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(elem),
    })
}

/// `impl Into<T>`.
pub(crate) fn impl_into(target: Type) -> Type {
    Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: [trait_bound(generic_path(&["Into"], vec![target], false))]
            .into_iter()
            .collect(),
    })
}

fn trait_bound(path: Path) -> syn::TypeParamBound {
    syn::TypeParamBound::Trait(syn::TraitBound {
        paren_token: None,
        lifetimes: None,
        modifiers: Default::default(),
        maybe: None,
        path,
    })
}

/// `<A: Bound, B: Bound>`; an empty list gives no generics at all.
pub(crate) fn generics(params: Vec<(&str, Option<Path>)>) -> Generics {
    if params.is_empty() {
        return Generics::default();
    }
    let params = params.into_iter().map(|(name, bound)| {
        syn::GenericParam::Type(syn::TypeParam {
            attrs: Vec::new(),
            ident: ident(name),
            colon_token: bound.is_some().then(Default::default),
            bounds: bound.into_iter().map(trait_bound).collect(),
            default: None,
        })
    });
    Generics {
        lt_token: Some(Default::default()),
        params: params.collect(),
        gt_token: Some(Default::default()),
        where_clause: None,
    }
}

/// The path expression `a::b::c`.
pub(crate) fn expr(segments: &[&str]) -> Expr {
    path_expr(path(segments))
}

/// The path expression `a::b::c::<args>`.
pub(crate) fn turbofish(segments: &[&str], args: Vec<Type>) -> Expr {
    path_expr(generic_path(segments, args, true))
}

fn path_expr(path: Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A literal expression.
pub(crate) fn lit(literal: Literal) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(literal),
    })
}

/// `"text"`.
pub(crate) fn str_lit(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, Span::call_site())),
    })
}

/// `func(args)`.
pub(crate) fn call(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: paren(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.name(args)`.
pub(crate) fn method_call(
    receiver: Expr,
    name: &str,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(name),
        turbofish: None,
        paren_token: paren(),
        args: args.into_iter().collect(),
    })
}

/// `self.name`.
pub(crate) fn self_field(name: &str) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(expr(&["self"])),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(name)),
    })
}

/// `&expr`.
pub(crate) fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `[elems]`.
pub(crate) fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: bracket(),
        elems: elems.into_iter().collect(),
    })
}

/// `Path { name: value, ... }`.
pub(crate) fn struct_expr<'a>(
    path: Path,
    fields: impl IntoIterator<Item = (&'a str, Expr)>,
) -> Expr {
    let fields = fields.into_iter().map(|(name, expr)| syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(ident(name)),
        colon_token: Some(Default::default()),
        expr,
    });
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: brace(),
        fields: fields.collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `let name = init;`
pub(crate) fn let_stmt(name: &str, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat: binding(name),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

fn binding(name: &str) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(name),
        subpat: None,
    })
}

/// `static NAME: T = init;`
pub(crate) fn static_item(name: &str, ty: Type, init: Expr) -> Item {
    Item::Static(syn::ItemStatic {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        static_token: Default::default(),
        mutability: syn::StaticMutability::None,
        ident: ident(name),
        colon_token: Default::default(),
        ty: Box::new(ty),
        eq_token: Default::default(),
        expr: Box::new(init),
        semi_token: Default::default(),
    })
}

/// `pub fn name(&self, args...) -> output { stmts }`.
pub(crate) fn method(
    attrs: Vec<Attribute>,
    name: &str,
    args: Vec<(&str, Type)>,
    output: Type,
    stmts: Vec<Stmt>,
) -> ImplItem {
    let receiver = syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        mutability: None,
        self_token: Default::default(),
        kind: syn::ReceiverKind::Reference(Default::default(), None, None),
    });
    let args = args.into_iter().map(|(name, ty)| {
        syn::FnArg::Typed(syn::PatType {
            attrs: Vec::new(),
            pat: Box::new(binding(name)),
            colon_token: Default::default(),
            ty: Box::new(ty),
        })
    });
    ImplItem::Fn(syn::ImplItemFn {
        attrs,
        vis: public(),
        modifiers: Default::default(),
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            safety: Default::default(),
            abi: None,
            fn_token: Default::default(),
            ident: ident(name),
            generics: Generics::default(),
            paren_token: paren(),
            inputs: std::iter::once(receiver).chain(args).collect(),
            variadic: None,
            output: syn::ReturnType::Type(Default::default(), Box::new(output)),
        },
        block: syn::Block {
            brace_token: brace(),
            stmts,
        },
    })
}

/// `impl<generics> SelfTy { items }`.
pub(crate) fn inherent_impl(generics: Generics, self_ty: Type, items: Vec<ImplItem>) -> Item {
    Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        modifiers: Default::default(),
        unsafety: None,
        impl_token: Default::default(),
        generics,
        trait_: None,
        self_ty: Box::new(self_ty),
        brace_token: brace(),
        items,
    })
}

/// A struct field `vis name: ty`, or a tuple field `vis ty` when `name` is `None`.
pub(crate) fn field(attrs: Vec<Attribute>, vis: Visibility, name: Option<&str>, ty: Type) -> Field {
    Field {
        attrs,
        vis,
        modifiers: Default::default(),
        colon_token: name.is_some().then(Default::default),
        ident: name.map(ident),
        ty,
        default: None,
    }
}

/// `{ fields }` of a struct.
pub(crate) fn named_fields(fields: impl IntoIterator<Item = Field>) -> Fields {
    Fields::Named(syn::FieldsNamed {
        brace_token: brace(),
        named: fields.into_iter().collect(),
    })
}

/// `(fields)` of a tuple struct or variant.
pub(crate) fn tuple_fields(fields: impl IntoIterator<Item = Field>) -> Fields {
    Fields::Unnamed(syn::FieldsUnnamed {
        paren_token: paren(),
        unnamed: fields.into_iter().collect(),
    })
}

/// `pub struct Name<generics> fields` (with the `;` a tuple struct needs).
pub(crate) fn item_struct(
    attrs: Vec<Attribute>,
    name: &str,
    generics: Generics,
    fields: Fields,
) -> Item {
    let semi_token = matches!(fields, Fields::Unnamed(_) | Fields::Unit).then(Default::default);
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: ident(name),
        generics,
        fields,
        semi_token,
    })
}

/// `pub enum Name { variants }`.
pub(crate) fn item_enum(attrs: Vec<Attribute>, name: &str, variants: Vec<Variant>) -> Item {
    Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: ident(name),
        generics: Generics::default(),
        brace_token: brace(),
        variants: variants.into_iter().collect(),
    })
}

/// A variant `Name`, `Name(fields)` or `Name = discriminant`.
pub(crate) fn variant(
    attrs: Vec<Attribute>,
    name: &str,
    fields: Fields,
    discriminant: Option<Expr>,
) -> Variant {
    Variant {
        attrs,
        ident: ident(name),
        fields,
        discriminant: discriminant.map(|e| (Default::default(), e)),
    }
}
