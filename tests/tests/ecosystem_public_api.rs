//! The public API of `msgraph-sync`, listed from its sources and checked in as
//! `generated/public-api.txt`, so that a change to the API (a spec PR's included) shows in review.
//! `UPDATE_PUBLIC_API=1 cargo test -p msgraph-sync-tests --test ecosystem_public_api` rewrites it.
//!
//! The listing is read with `syn` on stable, without network or nightly rustdoc: starting at
//! `src/lib.rs`, every module (inline or in its file, `#[cfg(test)]` ones left out) in order, and in
//! each its `pub` items as signatures: `pub use` as written, functions and methods without bodies,
//! structs with their `pub` fields, enums whole, traits with their methods, trait impls as headers,
//! consts and statics with their values, and the attributes that matter to a user (`derive`,
//! `non_exhaustive`, `cfg`, `doc(hidden)`, `deprecated`, `must_use`, `repr`). It lists the items of
//! private modules too (most are re-exported at the root). What derive macros add (e.g. the
//! `GraphEnum` methods) is not in it: a change there shows in the derive crate's own tests.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens as _;
use syn::{
    Attribute, Block, Fields, ImplItem, Item, ItemMod, Meta, TraitItem, Type, UseTree, Visibility,
    token,
};

/// One module of the crate: its path below the crate root, whether it is declared `pub mod`,
/// and its items (child modules included).
struct Module {
    path: Vec<String>,
    declared_pub: bool,
    /// The `#[cfg(..)]` on its declaration, e.g. `cfg(feature = "time")`.
    cfg: Option<String>,
    items: Vec<Item>,
}

/// What a `pub use` makes public: a module whole (a module re-export or a glob), or one item.
#[derive(Default)]
struct Exports {
    modules: BTreeSet<Vec<String>>,
    items: BTreeSet<(Vec<String>, String)>,
}

/// The listing, the exported structs and enums (module, name), and the types with `Debug`.
#[derive(Default)]
struct Walk {
    listing: String,
    types: Vec<(String, String)>,
    debug_impls: BTreeSet<String>,
}

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated")
}

fn is_public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test"))
}

/// The attributes that are part of the API; doc comments and helper attributes go.
fn api_attrs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| {
            let path = a.path();
            let keep = [
                "derive",
                "non_exhaustive",
                "cfg",
                "deprecated",
                "must_use",
                "repr",
            ];
            keep.iter().any(|k| path.is_ident(k))
                || (path.is_ident("doc")
                    && matches!(&a.meta, Meta::List(l) if l.tokens.to_string() == "hidden"))
        })
        .cloned()
        .collect()
}

fn empty_block() -> Block {
    Block {
        brace_token: token::Brace::default(),
        stmts: Vec::new(),
    }
}

fn last_ident(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => last_ident(&p.path),
        other => other.to_token_stream().to_string(),
    }
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{file:?}: {e}"))
}

/// Every module from `items` down, in source order, test modules left out.
fn collect_modules(
    path: Vec<String>,
    (declared_pub, cfg): (bool, Option<String>),
    items: Vec<Item>,
    dir: &Path,
    out: &mut Vec<Module>,
) {
    let children: Vec<ItemMod> = items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if !is_cfg_test(&m.attrs) => Some(m.clone()),
            _ => None,
        })
        .collect();
    out.push(Module {
        path: path.clone(),
        declared_pub,
        cfg,
        items,
    });
    for child in children {
        let name = child.ident.to_string();
        let mut child_path = path.clone();
        child_path.push(name.clone());
        let child_items = match child.content {
            Some((_, inline)) => inline,
            None => {
                let file = [
                    dir.join(format!("{name}.rs")),
                    dir.join(&name).join("mod.rs"),
                ]
                .into_iter()
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("no file for module {child_path:?} in {dir:?}"));
                parse(&file).items
            }
        };
        let cfg = child
            .attrs
            .iter()
            .find(|a| a.path().is_ident("cfg"))
            .map(|a| a.meta.to_token_stream().to_string().replace(" (", "("));
        let declared = (is_public(&child.vis), cfg);
        collect_modules(child_path, declared, child_items, &dir.join(&name), out);
    }
}

/// The targets of a `use` tree written in module `at`: (module path, name, or `None` for a glob).
/// Paths are resolved from `crate`, `self`, `super` or the current module; a path into another
/// crate resolves to no module of this one and is ignored.
fn use_targets(
    at: &[String],
    tree: &UseTree,
    prefix: &[String],
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let resolve = |prefix: &[String]| {
        let mut path = at.to_vec();
        for (i, segment) in prefix.iter().enumerate() {
            match segment.as_str() {
                "crate" if i == 0 => path.clear(),
                "self" if i == 0 => {}
                "super" => {
                    path.pop();
                }
                other => path.push(other.to_owned()),
            }
        }
        path
    };
    match tree {
        UseTree::Path(p) => {
            let mut longer = prefix.to_vec();
            longer.push(p.ident.to_string());
            use_targets(at, &p.tree, &longer, out);
        }
        UseTree::Name(n) => out.push((resolve(prefix), Some(n.ident.to_string()))),
        UseTree::Rename(r) => out.push((resolve(prefix), Some(r.ident.to_string()))),
        UseTree::Glob(_) => out.push((resolve(prefix), None)),
        UseTree::Group(g) => {
            for tree in &g.items {
                use_targets(at, tree, prefix, out);
            }
        }
    }
}

/// What is public: modules reachable through `pub mod` or re-exported, and single items
/// re-exported from private modules; `pub use` in reachable modules only, to a fixpoint.
fn exports(modules: &[Module]) -> Exports {
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    let mut exports = Exports::default();
    exports.modules.insert(Vec::new());
    loop {
        let before = (exports.modules.len(), exports.items.len());
        for module in modules {
            let parent = &module.path[..module.path.len().saturating_sub(1)];
            if module.declared_pub && exports.modules.contains(parent) {
                exports.modules.insert(module.path.clone());
            }
            let reachable = exports.modules.contains(&module.path);
            for item in &module.items {
                let Item::Use(u) = item else { continue };
                if !is_public(&u.vis) {
                    continue;
                }
                let mut targets = Vec::new();
                use_targets(&module.path, &u.tree, &[], &mut targets);
                for (path, name) in targets {
                    // In a private module, a `pub use` passes on only what is exported from it.
                    let passed_on = reachable
                        || name.as_ref().is_some_and(|name| {
                            exports.items.contains(&(module.path.clone(), name.clone()))
                        });
                    match name {
                        _ if !passed_on => {}
                        None => {
                            exports.modules.insert(path);
                        }
                        Some(name) => {
                            let mut full = path.clone();
                            full.push(name.clone());
                            if known.contains(&full) {
                                exports.modules.insert(full);
                            } else {
                                exports.items.insert((path, name));
                            }
                        }
                    }
                }
            }
        }
        if (exports.modules.len(), exports.items.len()) == before {
            return exports;
        }
    }
}

/// The name an item is exported under, for the items that have one.
fn item_name(item: &Item) -> Option<(String, &Visibility)> {
    Some(match item {
        Item::Fn(f) => (f.sig.ident.to_string(), &f.vis),
        Item::Const(c) => (c.ident.to_string(), &c.vis),
        Item::Static(s) => (s.ident.to_string(), &s.vis),
        Item::Type(t) => (t.ident.to_string(), &t.vis),
        Item::Struct(s) => (s.ident.to_string(), &s.vis),
        Item::Enum(e) => (e.ident.to_string(), &e.vis),
        Item::Trait(t) => (t.ident.to_string(), &t.vis),
        Item::Use(u) => (String::new(), &u.vis),
        _ => return None,
    })
}

/// The public surface of one exported item, as text, or `None` when it has none.
fn render(item: &Item, public_names: &BTreeSet<String>) -> Option<String> {
    let mut item = item.clone();
    let mut private_fields = false;
    match &mut item {
        Item::Use(u) => u.attrs = api_attrs(&u.attrs),
        Item::Fn(f) => {
            f.attrs = api_attrs(&f.attrs);
            *f.block = empty_block();
        }
        Item::Const(c) => c.attrs = api_attrs(&c.attrs),
        Item::Static(s) => s.attrs = api_attrs(&s.attrs),
        Item::Type(t) => t.attrs = api_attrs(&t.attrs),
        Item::Struct(s) => {
            s.attrs = api_attrs(&s.attrs);
            private_fields = s.fields.iter().any(|f| !is_public(&f.vis));
            match &mut s.fields {
                Fields::Named(named) => {
                    named.named = std::mem::take(&mut named.named)
                        .into_iter()
                        .filter(|f| is_public(&f.vis))
                        .map(|mut f| {
                            f.attrs = api_attrs(&f.attrs);
                            f
                        })
                        .collect();
                }
                Fields::Unnamed(unnamed) => {
                    unnamed.unnamed = std::mem::take(&mut unnamed.unnamed)
                        .into_iter()
                        .filter(|f| is_public(&f.vis))
                        .collect();
                }
                Fields::Unit => {}
            }
        }
        Item::Enum(e) => {
            e.attrs = api_attrs(&e.attrs);
            for variant in &mut e.variants {
                variant.attrs = api_attrs(&variant.attrs);
                for field in variant.fields.iter_mut() {
                    field.attrs = api_attrs(&field.attrs);
                }
            }
        }
        Item::Trait(t) => {
            t.attrs = api_attrs(&t.attrs);
            for member in &mut t.items {
                match member {
                    TraitItem::Fn(f) => {
                        f.attrs = api_attrs(&f.attrs);
                        f.default = None;
                        f.semi_token = Some(Default::default());
                    }
                    TraitItem::Const(c) => c.attrs = api_attrs(&c.attrs),
                    TraitItem::Type(t) => t.attrs = api_attrs(&t.attrs),
                    _ => {}
                }
            }
        }
        Item::Impl(i) => {
            // An impl is listed when it is for a public type, of a public trait, or of a trait
            // over a public type (`impl TryFrom<&DateTimeOffset> for time::OffsetDateTime`).
            let names_public = |tokens: String| {
                tokens
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|word| public_names.contains(word))
            };
            let for_public_type = public_names.contains(&type_name(&i.self_ty))
                || i.trait_
                    .as_ref()
                    .is_some_and(|(t, _)| names_public(t.to_token_stream().to_string()));
            if !for_public_type || is_cfg_test(&i.attrs) {
                return None;
            }
            i.attrs = api_attrs(&i.attrs);
            if i.trait_.is_some() {
                // A trait impl is part of the API; its body is the trait's.
                i.items.clear();
            } else {
                i.items.retain_mut(|member| match member {
                    ImplItem::Fn(f) if is_public(&f.vis) => {
                        f.attrs = api_attrs(&f.attrs);
                        f.block = empty_block();
                        true
                    }
                    ImplItem::Const(c) if is_public(&c.vis) => {
                        c.attrs = api_attrs(&c.attrs);
                        true
                    }
                    _ => false,
                });
                if i.items.is_empty() {
                    return None;
                }
            }
        }
        Item::Macro(m) if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) => {
            m.attrs = api_attrs(&m.attrs);
        }
        _ => return None,
    }
    let text = prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![item],
    });
    if !private_fields {
        return Some(text);
    }
    // Private fields are not API, but a reader must not take the struct for an empty one.
    Some(if let Some(at) = text.rfind("{}") {
        format!(
            "{}{{ /* private fields */ }}{}",
            &text[..at],
            &text[at + 2..]
        )
    } else if let Some(at) = text.rfind("();") {
        format!("{}(/* private fields */);{}", &text[..at], &text[at + 3..])
    } else if let Some(at) = text.rfind('}') {
        format!(
            "{}    /* private fields */\n}}{}",
            &text[..at],
            &text[at + 1..]
        )
    } else {
        text
    })
}

/// Does `attrs` derive `Debug` (itself, or this crate's `RequestBuilder`, which implements it)?
fn derives_debug(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "Debug" || w == "RequestBuilder")
    })
}

fn walk_crate() -> Walk {
    let src = crate_dir().join("src");
    let mut modules = Vec::new();
    collect_modules(
        Vec::new(),
        (true, None),
        parse(&src.join("lib.rs")).items,
        &src,
        &mut modules,
    );
    let exports = exports(&modules);
    let exported = |module: &Module, item: &Item| -> bool {
        let Some((name, vis)) = item_name(item) else {
            return false;
        };
        is_public(vis)
            && (exports.modules.contains(&module.path)
                || exports.items.contains(&(module.path.clone(), name)))
    };
    let mut walk = Walk::default();
    let mut public_names = BTreeSet::new();
    for module in &modules {
        for item in module.items.iter().filter(|i| exported(module, i)) {
            let module_name = format!("msgraph_sync::{}", module.path.join("::"));
            match item {
                Item::Struct(s) => {
                    public_names.insert(s.ident.to_string());
                    walk.types.push((module_name, s.ident.to_string()));
                    if derives_debug(&s.attrs) {
                        walk.debug_impls.insert(s.ident.to_string());
                    }
                }
                Item::Enum(e) => {
                    public_names.insert(e.ident.to_string());
                    walk.types.push((module_name, e.ident.to_string()));
                    if derives_debug(&e.attrs) {
                        walk.debug_impls.insert(e.ident.to_string());
                    }
                }
                Item::Trait(t) => {
                    public_names.insert(t.ident.to_string());
                }
                _ => {}
            }
        }
        for item in &module.items {
            if let Item::Impl(i) = item
                && i.trait_
                    .as_ref()
                    .is_some_and(|(t, _)| last_ident(t) == "Debug")
            {
                walk.debug_impls.insert(type_name(&i.self_ty));
            }
        }
    }
    walk.listing.push_str(
        "# The public API of msgraph-sync, listed from its sources by tests/tests/ecosystem_public_api.rs.\n\
         # Refresh: UPDATE_PUBLIC_API=1 cargo test -p msgraph-sync-tests --test ecosystem_public_api\n",
    );
    for module in &modules {
        let parts: Vec<String> = module
            .items
            .iter()
            .filter(|i| matches!(i, Item::Impl(_) | Item::Macro(_)) || exported(module, i))
            .filter_map(|i| render(i, &public_names))
            .collect();
        if !parts.is_empty() {
            let name = std::iter::once("msgraph_sync")
                .chain(module.path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("::");
            let cfg = module
                .cfg
                .as_ref()
                .map(|c| format!(" (#[{c}])"))
                .unwrap_or_default();
            let _ = write!(walk.listing, "\n// {name}{cfg}\n{}", parts.concat());
        }
    }
    walk
}

#[test]
fn the_checked_in_listing_matches_the_sources() {
    let listing = walk_crate().listing;
    let path = crate_dir().join("public-api.txt");
    if std::env::var_os("UPDATE_PUBLIC_API").is_some() {
        std::fs::write(&path, &listing).unwrap();
        println!("wrote {}", path.display());
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != listing {
        let first = checked_in
            .lines()
            .zip(listing.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| checked_in.lines().count().min(listing.lines().count()));
        let context = |text: &str| {
            text.lines()
                .skip(first.saturating_sub(2))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "the public API changed (first difference at line {}):\n--- checked in\n{}\n--- now\n{}\n\n\
             If the change is intended, run\n  UPDATE_PUBLIC_API=1 cargo test -p msgraph-sync-tests \
             --test ecosystem_public_api\nand commit generated/public-api.txt.",
            first + 1,
            context(&checked_in),
            context(&listing),
        );
    }
}

#[test]
fn every_public_type_is_debug() {
    let walk = walk_crate();
    assert!(walk.types.len() > 100, "{} types found", walk.types.len());
    // `__private` holds macro support types (`#[doc(hidden)]`), not meant to be printed.
    let missing: Vec<String> = walk
        .types
        .iter()
        .filter(|(module, _)| !module.contains("::__"))
        .filter(|(_, name)| !walk.debug_impls.contains(name))
        .map(|(module, name)| format!("{module}::{name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "public types without Debug: {missing:#?}"
    );
}

#[test]
fn the_listing_shows_what_a_reviewer_needs() {
    let listing = walk_crate().listing;
    // Signatures without bodies, pub fields only, derives kept, docs gone.
    assert!(
        listing.contains("pub const fn max_retries(&self) -> u32 {}"),
        "{listing}"
    );
    assert!(
        listing.contains("pub struct SynchronizationJob {"),
        "{listing}"
    );
    assert!(
        listing.contains("#[non_exhaustive]\npub enum Cloud {"),
        "{listing}"
    );
    assert!(listing.contains("pub use runtime::*;"), "{listing}");
    assert!(!listing.contains("///"), "doc comments are not API");
    assert!(
        !listing.contains("max_retries: u32,"),
        "private fields are not API"
    );
    assert!(!listing.contains("mod tests"), "test modules are not API");
}
