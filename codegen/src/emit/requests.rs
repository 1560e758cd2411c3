//! `requests.rs`: the request-builder tree.
//!
//! Each URL resource is one builder type, generic over the parent entity set `P` and the API version `V`,
//! so the synchronization subtree is emitted once and reached from every parent that has it. A method
//! that exists only under some parents or only in some versions lives in an `impl` for those alone: calling
//! a beta-only operation on a v1.0 builder does not compile.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Context, ident, items, parse, syntax};
use crate::model::{Api, Child, HttpMethod, Node, Operation, Parent, Query, Response, Step};

/// Parts of the file: the head, a marker per parent, the root, a builder per parent, then one per node.
pub(super) fn parts(api: &Api) -> usize {
    2 + 2 * api.parents.len() + api.nodes.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> Result<syn::File, syn::Error> {
    let parents = cx.api.parents.len();
    match i {
        0 => parse(head(cx)),
        i if i <= parents => parse(marker(cx, &cx.api.parents[i - 1])),
        i if i == parents + 1 => parse(root(cx)),
        i if i <= 2 * parents + 1 => parse(parent_builder(cx, &cx.api.parents[i - parents - 2])),
        i => Ok(items(node(cx, &cx.api.nodes[i - 2 * parents - 2]))),
    }
}

fn head(cx: &Context<'_>) -> TokenStream {
    let mut models: Vec<&str> = Vec::new();
    for node in &cx.api.nodes {
        for op in &node.operations {
            if let Some(body) = &op.body {
                models.push(&body.rust);
            }
            match &op.response {
                Response::Json(t) | Response::JsonOrEmpty(t) | Response::Page(t) => models.push(t),
                Response::Empty => {}
            }
        }
    }
    models.sort_unstable();
    models.dedup();
    let models = models.into_iter().map(ident);
    let ids = cx.api.ids.iter().map(|i| ident(&i.rust));
    let import = cx.import_runtime();
    quote! {
        //! Request builders: the URL tree of the API as methods.
        use ::core::marker::PhantomData;
        #import

        use super::ids::{#(#ids),*};
        use super::models::{#(#models),*};

        mod sealed {
            pub trait Sealed {}
        }

        /// An entity set the synchronization API hangs off; the `P` parameter of the builders.
        ///
        /// Sealed: implemented only by the markers of this module.
        pub trait Parent: sealed::Sealed + Send + Sync + 'static {}
    }
}

fn marker(_cx: &Context<'_>, p: &Parent) -> TokenStream {
    let name = ident(&p.marker);
    let docs = syntax::docs(&format!("Marker for builders reached from `/{}`.", p.set));
    quote! {
        #(#docs)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct #name;
        impl sealed::Sealed for #name {}
        impl Parent for #name {}
    }
}

fn root(cx: &Context<'_>) -> TokenStream {
    let rt = &cx.rt;
    let methods = cx.api.parents.iter().map(|p| {
        let builder = ident(&p.builder);
        let method = ident(&p.method);
        let id_ty = ident(&p.id.rust);
        let set = &p.set;
        let param = &p.id.param;
        let docs = syntax::docs(&format!("The `{}` addressed by its id: `/{set}/{{{param}}}`.", singular_set(set)));
        let keys = p.keys.iter().map(|k| {
            let method = ident(&k.method);
            let key_ty = ident(&k.id.rust);
            let key = &k.key;
            let docs = syntax::docs(&format!(
                "The `{}` addressed by its alternate key: `/{set}({key}='{{{}}}')`; quotes in the value are doubled.",
                singular_set(set),
                k.id.param
            ));
            quote! {
                #(#docs)*
                pub fn #method(&self, #method: impl Into<#key_ty>) -> #builder<V> {
                    let key = #method.into();
                    #builder {
                        client: self.client.clone(),
                        path: #rt::PathBuilder::new().key(#set, #key, key.as_str()),
                        _marker: PhantomData,
                    }
                }
            }
        });
        quote! {
            #(#docs)*
            pub fn #method(&self, id: impl Into<#id_ty>) -> #builder<V> {
                let id = id.into();
                #builder {
                    client: self.client.clone(),
                    path: #rt::PathBuilder::new().segment(#set).id(#param, id.as_str()),
                    _marker: PhantomData,
                }
            }
            #(#keys)*
        }
    });
    quote! {
        /// The API at version `V` ([`V1`](#rt::V1) or [`Beta`](#rt::Beta)): the root of the request builders.
        ///
        /// Made by `Client::v1()` or `Client::beta()`, or by [`Api::new`].
        pub struct Api<V> {
            client: #rt::Client,
            _marker: PhantomData<fn() -> V>,
        }

        impl<V> Clone for Api<V> {
            fn clone(&self) -> Self {
                Api { client: self.client.clone(), _marker: PhantomData }
            }
        }

        impl<V: #rt::Version> ::core::fmt::Debug for Api<V> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("Api").field("version", &V::VERSION).finish_non_exhaustive()
            }
        }

        impl<V: #rt::Version> Api<V> {
            /// The API at version `V` on `client`.
            pub fn new(client: &#rt::Client) -> Self {
                Api { client: client.clone(), _marker: PhantomData }
            }

            /// The client requests are sent with.
            pub fn client(&self) -> &#rt::Client {
                &self.client
            }

            /// The API version of this root.
            pub fn version(&self) -> #rt::ApiVersion {
                V::VERSION
            }

            #(#methods)*
        }
    }
}

fn singular_set(set: &str) -> &str {
    set.strip_suffix('s').unwrap_or(set)
}

/// The builder for one parent entity, e.g. `ServicePrincipalRequests<V>`.
fn parent_builder(cx: &Context<'_>, p: &Parent) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&p.builder);
    let marker = ident(&p.marker);
    let docs = syntax::docs(&format!(
        "Requests on one `{}` (`/{}/{{{}}}`).",
        singular_set(&p.set),
        p.set,
        p.id.param
    ));
    let children = p.children.iter().map(|root| {
        let child = &cx.api.nodes[root.node];
        let ty = ident(&child.rust);
        let segment = child.segments.last().map(String::as_str).unwrap_or_default();
        let method = ident(&root.method);
        let docs = syntax::docs(&format!("`…/{segment}`."));
        quote! {
            #(#docs)*
            pub fn #method(&self) -> #ty<#marker, V> {
                #ty { client: self.client.clone(), path: self.path.clone().segment(#segment), _marker: PhantomData }
            }
        }
    });
    quote! {
        #(#docs)*
        #[derive(#rt::RequestBuilder)]
        pub struct #name<V> {
            client: #rt::Client,
            path: #rt::PathBuilder,
            _marker: PhantomData<fn() -> V>,
        }

        impl<V: #rt::Version> #name<V> {
            #(#children)*
        }
    }
}

/// Which `impl` block a method goes in: `None` means generic over that parameter.
type ImplKey = (Option<usize>, Option<String>);

/// A node's builder, `#[derive(rt::RequestBuilder)] pub struct Node<P, V> { client, path, _marker }`, and its
/// methods in one `impl` block per [`ImplKey`].
fn node(cx: &Context<'_>, n: &Node) -> Vec<syn::Item> {
    let rt = cx.rt_text;
    let mut groups: BTreeMap<ImplKey, Vec<syn::ImplItem>> = BTreeMap::new();
    for child in &n.children {
        for key in impl_keys(cx, n, &child.parents, &child.versions) {
            let item = child_method(cx, child, &key);
            groups.entry(key).or_default().push(item);
        }
    }
    for op in &n.operations {
        for key in impl_keys(cx, n, &op.parents, &op.versions) {
            let item = operation(cx, op, &key);
            groups.entry(key).or_default().push(item);
        }
    }

    let rt_ident = &cx.rt;
    let mut attrs = syntax::docs(&n.doc);
    attrs.push(syntax::attr("derive", quote! { #rt_ident::RequestBuilder }));
    let generics = syntax::generics(vec![("P", None), ("V", None)]);
    let mut items = vec![syntax::item_struct(
        attrs,
        &n.rust,
        generics,
        cx.node_fields.clone(),
    )];
    // `impl<P: Parent, V: rt::Version> Node<P, V>`, with a marker in place of each parameter the block is for.
    items.extend(groups.into_iter().map(|(key, methods)| {
        let (p, v) = key_args(cx, &key);
        let generics = syntax::generics(
            [
                key.0
                    .is_none()
                    .then(|| ("P", Some(syntax::path(&["Parent"])))),
                key.1
                    .is_none()
                    .then(|| ("V", Some(syntax::path(&[rt, "Version"])))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        );
        syntax::inherent_impl(
            generics,
            syntax::generic_ty(&[&n.rust], vec![p, v]),
            methods,
        )
    }));
    items
}

/// The impl blocks a method belongs to, given where it exists.
fn impl_keys(cx: &Context<'_>, n: &Node, parents: &[usize], versions: &[String]) -> Vec<ImplKey> {
    let parent_keys: Vec<Option<usize>> = if parents == n.parents.as_slice() {
        vec![None]
    } else {
        parents.iter().copied().map(Some).collect()
    };
    let version_keys: Vec<Option<String>> = if versions == cx.api.versions.as_slice() {
        vec![None]
    } else {
        versions.iter().cloned().map(Some).collect()
    };
    let mut keys = Vec::new();
    for p in &parent_keys {
        for v in &version_keys {
            keys.push((*p, v.clone()));
        }
    }
    keys
}

/// The `P` and `V` arguments of the builder type in an impl block: a parent marker or `P`, a version marker
/// or `V`.
fn key_args(cx: &Context<'_>, key: &ImplKey) -> (syn::Type, syn::Type) {
    let p = match key.0 {
        Some(ix) => syntax::ty(&[&cx.api.parents[ix].marker]),
        None => syntax::ty(&["P"]),
    };
    let v = match &key.1 {
        Some(version) => syntax::ty(&[cx.rt_text, &version_marker(version)]),
        None => syntax::ty(&["V"]),
    };
    (p, v)
}

/// The runtime's marker type (and `ApiVersion` variant) for a version: `V1`, `Beta`.
fn version_marker(version: &str) -> String {
    match version {
        "v1.0" => "V1".to_string(),
        _ => heck::ToUpperCamelCase::to_upper_camel_case(version),
    }
}

/// `Ty { client: self.client.clone(), path, _marker: PhantomData }`: a child builder.
fn child_builder(ty: &str, path: syn::Expr) -> syn::Expr {
    syntax::struct_expr(
        syntax::path(&[ty]),
        [
            (
                "client",
                syntax::method_call(syntax::self_field("client"), "clone", []),
            ),
            ("path", path),
            ("_marker", syntax::expr(&["PhantomData"])),
        ],
    )
}

/// `self.path.clone()`.
fn own_path() -> syn::Expr {
    syntax::method_call(syntax::self_field("path"), "clone", [])
}

/// The method that goes one step down the URL tree: `pub fn jobs(&self) -> Jobs<P, V>` adding a segment, or
/// `pub fn job(&self, id: impl Into<JobId>) -> Job<P, V>` adding an id (see [`child_builder`]).
fn child_method(cx: &Context<'_>, child: &Child, key: &ImplKey) -> syn::ImplItem {
    let node = &cx.api.nodes[child.node];
    let (p, v) = key_args(cx, key);
    let output = syntax::generic_ty(&[&node.rust], vec![p, v]);
    match &child.step {
        Step::Segment(segment) => {
            let path = syntax::method_call(own_path(), "segment", [syntax::str_lit(segment)]);
            syntax::method(
                syntax::docs(&format!("`…/{segment}`.")),
                &child.method,
                Vec::new(),
                output,
                vec![syn::Stmt::Expr(child_builder(&node.rust, path), None)],
            )
        }
        Step::Id(id) => {
            let param = &id.param;
            let into = syntax::method_call(syntax::expr(&["id"]), "into", []);
            let as_str = syntax::method_call(syntax::expr(&["id"]), "as_str", []);
            let path = syntax::method_call(own_path(), "id", [syntax::str_lit(param), as_str]);
            syntax::method(
                syntax::docs(&format!("One `{}`: `…/{{{param}}}`.", id.of)),
                &child.method,
                vec![("id", syntax::impl_into(syntax::ty(&[&id.rust])))],
                output,
                vec![
                    syntax::let_stmt("id", into),
                    syn::Stmt::Expr(child_builder(&node.rust, path), None),
                ],
            )
        }
    }
}

fn operation_doc(cx: &Context<'_>, op: &Operation) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let summary = op.summary.trim();
    paragraphs.push(if summary.is_empty() {
        "Sends the request.".into()
    } else {
        summary.into()
    });
    if !op.description.trim().is_empty() {
        paragraphs.push(op.description.trim().into());
    }
    let mut http: Vec<String> = op
        .paths
        .iter()
        .map(|path| format!("`{} {}`\\", op.http.as_str(), path))
        .collect();
    let statuses: Vec<String> = op.success.iter().map(u16::to_string).collect();
    http.push(format!("Success: {}.", statuses.join(", ")));
    paragraphs.push(http.join("\n"));
    let mut versions = format!("Versions: {}.", op.versions.join(", "));
    if op.versions.len() < cx.api.versions.len() {
        versions.push_str(" Not available on other versions' builders.");
    }
    paragraphs.push(versions);
    if let Some(d) = &op.deprecated {
        paragraphs.push(format!(
            "**Deprecated** in {} since {} (removal planned {}). {}",
            d.versions.join(", "),
            d.date,
            d.removal,
            d.replacement
        ));
    }
    if !op.permissions.is_empty() {
        let lines: Vec<String> = op
            .permissions
            .iter()
            .map(|line| format!("- {line}"))
            .collect();
        paragraphs.push(format!(
            "Permissions (least privileged first):\n{}",
            lines.join("\n")
        ));
    }
    paragraphs.push(format!("Operation: `{}`.", op.operation_ids.join("`, `")));
    paragraphs.join("\n\n")
}

/// One operation's method:
///
/// ```text
/// /// <operation_doc>
/// pub fn restart(&self, body: &Criteria) -> rt::Request<(), rt::NoQuery> {
///     static OPERATION: rt::Operation = rt::Operation {
///         id: "...", method: rt::Method::Post, success: &[204],
///         content_type: Some("application/json"), versions: &[rt::ApiVersion::V1, rt::ApiVersion::Beta],
///     };
///     rt::Request::new(&self.client, V::VERSION, &OPERATION, self.path.clone().segment("restart"), rt::decode_empty)
///         .body_json(body)
/// }
/// ```
///
/// `V::VERSION` is the version marker's `rt::ApiVersion::...` in a version's own impl block; the segment call
/// is there for actions and functions, the body argument and `.body_json` for operations with a body.
fn operation(cx: &Context<'_>, op: &Operation, key: &ImplKey) -> syn::ImplItem {
    let rt = cx.rt_text;
    let http = match op.http {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Put => "Put",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
    };
    let success = op
        .success
        .iter()
        .map(|s| syntax::lit(Literal::u16_unsuffixed(*s)));
    let content_type = match &op.body {
        Some(body) => syntax::call(
            syntax::expr(&["Some"]),
            [syntax::str_lit(&body.content_type)],
        ),
        None => syntax::expr(&["None"]),
    };
    let versions = op
        .versions
        .iter()
        .map(|v| syntax::expr(&[rt, "ApiVersion", &version_marker(v)]));
    // Safe to send again: GET, PUT and DELETE (contract C1; the spec's `x-graph-idempotent` is not in the
    // model yet).
    let idempotent = match op.http {
        HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete => "true",
        HttpMethod::Post | HttpMethod::Patch => "false",
    };
    let descriptor = syntax::static_item(
        "OPERATION",
        syntax::ty(&[rt, "Operation"]),
        syntax::struct_expr(
            syntax::path(&[rt, "Operation"]),
            [
                ("id", syntax::str_lit(&op.operation_ids[0])),
                ("method", syntax::expr(&[rt, "Method", http])),
                ("success", syntax::reference(syntax::array(success))),
                ("content_type", content_type),
                ("versions", syntax::reference(syntax::array(versions))),
                ("idempotent", syntax::expr(&[idempotent])),
            ],
        ),
    );

    let version = match &key.1 {
        Some(v) => syntax::expr(&[rt, "ApiVersion", &version_marker(v)]),
        None => syntax::expr(&["V", "VERSION"]),
    };
    let (output, decode) = match &op.response {
        Response::Empty => (syntax::unit_ty(), syntax::expr(&[rt, "decode_empty"])),
        Response::Json(t) => (
            syntax::ty(&[t]),
            syntax::turbofish(&[rt, "decode_json"], vec![syntax::ty(&[t])]),
        ),
        Response::JsonOrEmpty(t) => (
            syntax::generic_ty(&["Option"], vec![syntax::ty(&[t])]),
            syntax::turbofish(&[rt, "decode_json_or_empty"], vec![syntax::ty(&[t])]),
        ),
        Response::Page(t) => {
            let page = || syntax::generic_ty(&[rt, "Page"], vec![syntax::ty(&[t])]);
            (
                page(),
                syntax::turbofish(&[rt, "decode_json"], vec![page()]),
            )
        }
    };
    let query = match op.query {
        Query::None => "NoQuery",
        Query::Entity => "EntityQuery",
        Query::Collection => "CollectionQuery",
    };
    let mut path = own_path();
    if let Some(segment) = &op.action_segment {
        path = syntax::method_call(path, "segment", [syntax::str_lit(segment)]);
    }
    let mut request = syntax::call(
        syntax::expr(&[rt, "Request", "new"]),
        [
            syntax::reference(syntax::self_field("client")),
            version,
            syntax::reference(syntax::expr(&["OPERATION"])),
            path,
            decode,
        ],
    );
    let mut args = Vec::new();
    if let Some(body) = &op.body {
        args.push(("body", syntax::ref_ty(syntax::ty(&[&body.rust]))));
        request = syntax::method_call(request, "body_json", [syntax::expr(&["body"])]);
    }
    syntax::method(
        syntax::docs(&operation_doc(cx, op)),
        &op.method,
        args,
        syntax::generic_ty(&[rt, "Request"], vec![output, syntax::ty(&[rt, query])]),
        vec![syn::Stmt::Item(descriptor), syn::Stmt::Expr(request, None)],
    )
}
