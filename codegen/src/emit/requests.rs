//! `requests.rs`: the request-builder tree.
//!
//! Each URL resource is one builder type, generic over the parent entity set `P` and the API version `V`,
//! so the synchronization subtree is emitted once and reached from every parent that has it. A method
//! that exists only under some parents or only in some versions lives in an `impl` for those alone: calling
//! a beta-only operation on a v1.0 builder does not compile.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Context, doc, ident};
use crate::model::{Api, Child, HttpMethod, Node, Operation, Parent, Query, Response, Step};

/// Parts of the file: the head, a marker per parent, the root, a builder per parent, then one per node.
pub(super) fn parts(api: &Api) -> usize {
    2 + 2 * api.parents.len() + api.nodes.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> TokenStream {
    let parents = cx.api.parents.len();
    match i {
        0 => head(cx),
        i if i <= parents => marker(cx, &cx.api.parents[i - 1]),
        i if i == parents + 1 => root(cx),
        i if i <= 2 * parents + 1 => parent_builder(cx, &cx.api.parents[i - parents - 2]),
        i => node(cx, &cx.api.nodes[i - 2 * parents - 2]),
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
    let docs = doc(&format!("Marker for builders reached from `/{}`.", p.set));
    quote! {
        #docs
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
        let docs = doc(&format!("The `{}` addressed by its id: `/{set}/{{{param}}}`.", singular_set(set)));
        let keys = p.keys.iter().map(|k| {
            let method = ident(&k.method);
            let key_ty = ident(&k.id.rust);
            let key = &k.key;
            let docs = doc(&format!(
                "The `{}` addressed by its alternate key: `/{set}({key}='{{{}}}')`; quotes in the value are doubled.",
                singular_set(set),
                k.id.param
            ));
            quote! {
                #docs
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
            #docs
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
    let docs = doc(&format!(
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
        let docs = doc(&format!("`…/{segment}`."));
        quote! {
            #docs
            pub fn #method(&self) -> #ty<#marker, V> {
                #ty { client: self.client.clone(), path: self.path.clone().segment(#segment), _marker: PhantomData }
            }
        }
    });
    quote! {
        #docs
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

fn node(cx: &Context<'_>, n: &Node) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&n.rust);
    let docs = doc(&n.doc);
    let mut groups: BTreeMap<ImplKey, Vec<TokenStream>> = BTreeMap::new();

    for child in &n.children {
        for key in impl_keys(cx, n, &child.parents, &child.versions) {
            let item = child_method(cx, child, &key);
            groups.entry(key).or_default().push(item);
        }
    }
    for op in &n.operations {
        for key in impl_keys(cx, n, &op.parents, &op.versions) {
            let item = operation(cx, n, op, &key);
            groups.entry(key).or_default().push(item);
        }
    }

    let impls = groups.into_iter().map(|((parent, version), items)| {
        let (generics, p, v) = impl_params(cx, parent, version.as_deref());
        quote! {
            impl #generics #name<#p, #v> {
                #(#items)*
            }
        }
    });

    quote! {
        #docs
        #[derive(#rt::RequestBuilder)]
        pub struct #name<P, V> {
            client: #rt::Client,
            path: #rt::PathBuilder,
            _marker: PhantomData<fn() -> (P, V)>,
        }

        #(#impls)*
    }
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

/// `(generics, P argument, V argument)` of an impl block.
fn impl_params(
    cx: &Context<'_>,
    parent: Option<usize>,
    version: Option<&str>,
) -> (TokenStream, TokenStream, TokenStream) {
    let rt = &cx.rt;
    let p = match parent {
        Some(ix) => {
            let marker = ident(&cx.api.parents[ix].marker);
            quote! { #marker }
        }
        None => quote! { P },
    };
    let v = match version {
        Some(version) => {
            let marker = version_marker(version);
            quote! { #rt::#marker }
        }
        None => quote! { V },
    };
    let generics = match (parent, version) {
        (None, None) => quote! { <P: Parent, V: #rt::Version> },
        (Some(_), None) => quote! { <V: #rt::Version> },
        (None, Some(_)) => quote! { <P: Parent> },
        (Some(_), Some(_)) => quote! {},
    };
    (generics, p, v)
}

fn version_marker(version: &str) -> syn::Ident {
    match version {
        "v1.0" => format_ident!("V1"),
        _ => format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(version)),
    }
}

fn version_variant(version: &str) -> syn::Ident {
    version_marker(version)
}

fn key_args(cx: &Context<'_>, key: &ImplKey) -> (TokenStream, TokenStream) {
    let (_, p, v) = impl_params(cx, key.0, key.1.as_deref());
    (p, v)
}

fn child_method(cx: &Context<'_>, child: &Child, key: &ImplKey) -> TokenStream {
    let node = &cx.api.nodes[child.node];
    let ty = ident(&node.rust);
    let method = ident(&child.method);
    let (p, v) = key_args(cx, key);
    match &child.step {
        Step::Segment(segment) => {
            let docs = doc(&format!("`…/{segment}`."));
            quote! {
                #docs
                pub fn #method(&self) -> #ty<#p, #v> {
                    #ty { client: self.client.clone(), path: self.path.clone().segment(#segment), _marker: PhantomData }
                }
            }
        }
        Step::Id(id) => {
            let id_ty = ident(&id.rust);
            let param = &id.param;
            let docs = doc(&format!("One `{}`: `…/{{{param}}}`.", id.of));
            quote! {
                #docs
                pub fn #method(&self, id: impl Into<#id_ty>) -> #ty<#p, #v> {
                    let id = id.into();
                    #ty { client: self.client.clone(), path: self.path.clone().id(#param, id.as_str()), _marker: PhantomData }
                }
            }
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

fn operation(cx: &Context<'_>, _n: &Node, op: &Operation, key: &ImplKey) -> TokenStream {
    let rt = &cx.rt;
    let method = ident(&op.method);
    let docs = doc(&operation_doc(cx, op));
    let id = &op.operation_ids[0];
    let http = format_ident!(
        "{}",
        match op.http {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Delete => "Delete",
        }
    );
    let success = op.success.iter().map(|s| Literal::u16_unsuffixed(*s));
    let content_type = match &op.body {
        Some(body) => {
            let ct = &body.content_type;
            quote! { Some(#ct) }
        }
        None => quote! { None },
    };
    let versions = op.versions.iter().map(|v| {
        let variant = version_variant(v);
        quote! { #rt::ApiVersion::#variant }
    });
    let version_expr = match &key.1 {
        Some(v) => {
            let variant = version_variant(v);
            quote! { #rt::ApiVersion::#variant }
        }
        None => quote! { V::VERSION },
    };
    let (output, decode) = match &op.response {
        Response::Empty => (quote! { () }, quote! { #rt::decode_empty }),
        Response::Json(t) => {
            let t = ident(t);
            (quote! { #t }, quote! { #rt::decode_json::<#t> })
        }
        Response::JsonOrEmpty(t) => {
            let t = ident(t);
            (
                quote! { Option<#t> },
                quote! { #rt::decode_json_or_empty::<#t> },
            )
        }
        Response::Page(t) => {
            let t = ident(t);
            (
                quote! { #rt::Page<#t> },
                quote! { #rt::decode_json::<#rt::Page<#t>> },
            )
        }
    };
    let query = match op.query {
        Query::None => quote! { #rt::NoQuery },
        Query::Entity => quote! { #rt::EntityQuery },
        Query::Collection => quote! { #rt::CollectionQuery },
    };
    let segment = match &op.action_segment {
        Some(s) => quote! { .segment(#s) },
        None => quote! {},
    };
    let (arg, body_call) = match &op.body {
        Some(body) => {
            let t = ident(&body.rust);
            (quote! { , body: &#t }, quote! { .body_json(body) })
        }
        None => (quote! {}, quote! {}),
    };
    quote! {
        #docs
        pub fn #method(&self #arg) -> #rt::Request<#output, #query> {
            static OPERATION: #rt::Operation = #rt::Operation {
                id: #id,
                method: #rt::Method::#http,
                success: &[#(#success),*],
                content_type: #content_type,
                versions: &[#(#versions),*],
            };
            #rt::Request::new(&self.client, #version_expr, &OPERATION, self.path.clone()#segment, #decode)#body_call
        }
    }
}
