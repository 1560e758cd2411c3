//! `requests.rs`: the request-builder tree.
//!
//! Each URL resource is one builder type, generic over the parent entity set `P` and the API version `V`,
//! so the subtree below the parents is emitted once and reached from every parent that has it. A method
//! that exists only under some parents or only in some versions lives in an `impl` for those alone: calling
//! a beta-only operation on a v1.0 builder does not compile.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{deprecation_doc, docs, ident};
use crate::model::{Api, Child, HttpMethod, Node, Operation, Parent, Query, Response, Route, Step};

pub(super) fn file(api: &Api, import: &TokenStream) -> TokenStream {
    let models = ident_list(models_used(api));
    let ids = ident_list(api.ids.iter().map(|i| i.rust.as_str()).collect());
    let markers = api.parents.iter().map(marker);
    let routes = routes(api);
    let root = root(api);
    let parents = api.parents.iter().map(|p| parent_builder(api, p));
    let nodes = api.nodes.iter().map(|n| node(api, n));
    quote! {
        //! Request builders: the URL tree of the API as methods.
        use ::core::marker::PhantomData;
        #import

        use super::ids::{#(#ids),*};
        use super::models::{#(#models),*};

        mod sealed {
            pub trait Sealed {}
        }

        /// An entity set the API hangs off; the `P` parameter of the builders.
        ///
        /// Sealed: implemented only by the markers of this module.
        pub trait Parent: sealed::Sealed + Send + Sync + 'static {}

        #(#markers)*
        #routes
        #root
        #(#parents)*
        #(#nodes)*
    }
}

/// The models the operations take or return, sorted and once each.
fn models_used(api: &Api) -> Vec<&str> {
    let mut models: Vec<&str> = Vec::new();
    for op in api.nodes.iter().flat_map(|n| &n.operations) {
        if let Some(body) = &op.body {
            models.push(&body.rust);
        }
        match &op.response {
            Response::Json(t) | Response::JsonOrEmpty(t) | Response::Page(t) => models.push(t),
            Response::Empty => {}
        }
    }
    models.sort_unstable();
    models.dedup();
    models
}

fn ident_list(names: Vec<&str>) -> Vec<syn::Ident> {
    names.into_iter().map(ident).collect()
}

fn marker(p: &Parent) -> TokenStream {
    let doc = docs(&format!("Marker for builders reached from `/{}`.", p.set));
    let name = ident(&p.marker);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct #name;
        impl sealed::Sealed for #name {}
        impl Parent for #name {}
    }
}

/// `Api<V>`, the root: one method per parent, addressed by its id, and one per alternate key.
fn root(api: &Api) -> TokenStream {
    let methods = api.parents.iter().map(|p| {
        let builder = ident(&p.builder);
        let method = ident(&p.method);
        let id_ty = ident(&p.id.rust);
        let set = &p.set;
        let param = &p.id.param;
        let route = route_variant(p, None);
        let doc = docs(&format!(
            "The `{}` addressed by its id: `{}`.",
            p.entity,
            parent_path(p, None)
        ));
        let keys = p.keys.iter().enumerate().map(|(i, k)| {
            let method = ident(&k.method);
            let param = ident(&k.param);
            let key_ty = ident(&k.id.rust);
            let key = &k.key;
            let route = route_variant(p, Some(i));
            let doc = docs(&format!(
                "The `{}` addressed by its alternate key: `{}`; quotes in the value are doubled.",
                p.entity,
                parent_path(p, Some(i))
            ));
            quote! {
                #doc
                pub fn #method(&self, #param: impl Into<#key_ty>) -> #builder<V> {
                    let key = #param.into();
                    #builder {
                        client: self.client.clone(),
                        path: rt::PathBuilder::new().key(#set, #key, key.as_str()),
                        route: Route::#route,
                        _marker: PhantomData,
                    }
                }
            }
        });
        quote! {
            #doc
            pub fn #method(&self, id: impl Into<#id_ty>) -> #builder<V> {
                let id = id.into();
                #builder {
                    client: self.client.clone(),
                    path: rt::PathBuilder::new().segment(#set).id(#param, id.as_str()),
                    route: Route::#route,
                    _marker: PhantomData,
                }
            }
            #(#keys)*
        }
    });
    quote! {
        /// The API at version `V` ([`V1`](rt::V1) or [`Beta`](rt::Beta)): the root of the request builders.
        ///
        /// Made by `Client::v1()` or `Client::beta()`, or by [`Api::new`].
        pub struct Api<V> {
            client: rt::Client,
            _marker: PhantomData<fn() -> V>,
        }

        impl<V> Clone for Api<V> {
            fn clone(&self) -> Self {
                Api { client: self.client.clone(), _marker: PhantomData }
            }
        }

        impl<V: rt::Version> ::core::fmt::Debug for Api<V> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct("Api").field("version", &V::VERSION).finish_non_exhaustive()
            }
        }

        impl<V: rt::Version> Api<V> {
            /// The API at version `V` on `client`.
            pub fn new(client: &rt::Client) -> Self {
                Api { client: client.clone(), _marker: PhantomData }
            }

            /// The client requests are sent with.
            pub fn client(&self) -> &rt::Client {
                &self.client
            }

            /// The API version of this root.
            pub fn version(&self) -> rt::ApiVersion {
                V::VERSION
            }

            #(#methods)*
        }
    }
}

/// The path of one parent entity: `/servicePrincipals/{servicePrincipal-id}` by id, or
/// `/servicePrincipals(appId='{appId}')` by alternate key `key` (an index into `p.keys`).
fn parent_path(p: &Parent, key: Option<usize>) -> String {
    match key {
        None => format!("/{}/{{{}}}", p.set, p.id.param),
        Some(i) => format!("/{}({}='{{{}}}')", p.set, p.keys[i].key, p.keys[i].id.param),
    }
}

/// Every way a parent entity is addressed, in parent order: by id, then by each alternate key; with the
/// parent's index.
fn all_routes(api: &Api) -> impl Iterator<Item = (usize, &Parent, Option<usize>)> {
    api.parents.iter().enumerate().flat_map(|(ix, p)| {
        std::iter::once((ix, p, None)).chain((0..p.keys.len()).map(move |i| (ix, p, Some(i))))
    })
}

/// The `Route` variant of a parent addressed by id or by an alternate key: named for the root method that
/// makes it (`service_principal_by_app_id` → `ServicePrincipalByAppId`).
fn route_variant(p: &Parent, key: Option<usize>) -> syn::Ident {
    let method = key.map_or(&p.method, |i| &p.keys[i].method);
    ident(&heck::ToUpperCamelCase::to_upper_camel_case(
        method.as_str(),
    ))
}

/// `enum Route`: how the parent entity of a builder was addressed, carried down the builders so that a call
/// reports the operation of the path it sends.
fn routes(api: &Api) -> TokenStream {
    let variants = all_routes(api).map(|(_, p, key)| {
        let variant = route_variant(p, key);
        let doc = docs(&format!("`{}`.", parent_path(p, key)));
        quote! { #doc #variant, }
    });
    quote! {
        /// How the parent entity of a builder was addressed: an operation served at several paths reports the
        /// one of the path it sends.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Route {
            #(#variants)*
        }
    }
}

/// The builder for one parent entity, e.g. `ServicePrincipalRequests<V>`.
fn parent_builder(api: &Api, p: &Parent) -> TokenStream {
    let doc = docs(&format!(
        "Requests on one `{}` (`{}`).",
        p.entity,
        parent_path(p, None)
    ));
    let name = ident(&p.builder);
    let marker = ident(&p.marker);
    let children = p.children.iter().map(|root| {
        let child = &api.nodes[root.node];
        let ty = ident(&child.rust);
        let segment = child
            .segments
            .last()
            .map(String::as_str)
            .unwrap_or_default();
        let method = ident(&root.method);
        let doc = docs(&format!("`…/{segment}`."));
        quote! {
            #doc
            pub fn #method(&self) -> #ty<#marker, V> {
                #ty {
                    client: self.client.clone(),
                    path: self.path.clone().segment(#segment),
                    route: self.route,
                    _marker: PhantomData,
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(rt::RequestBuilder)]
        pub struct #name<V> {
            client: rt::Client,
            path: rt::PathBuilder,
            route: Route,
            _marker: PhantomData<fn() -> V>,
        }

        impl<V: rt::Version> #name<V> {
            #(#children)*
        }
    }
}

/// Which `impl` block a method goes in: the parent (by index) and the version it is for, `None` meaning
/// generic over that parameter.
type ImplKey = (Option<usize>, Option<String>);

/// A node's builder and its methods, in one `impl` block per [`ImplKey`]:
///
/// ```text
/// /// <doc>
/// #[derive(rt::RequestBuilder)]
/// pub struct Node<P, V> { client: rt::Client, path: rt::PathBuilder, route: Route, _marker: PhantomData<fn() -> (P, V)> }
/// impl<P: Parent, V: rt::Version> Node<P, V> { <methods everywhere> }
/// impl<V: rt::Version> Node<ServicePrincipals, V> { <methods under one parent> }
/// impl Node<ServicePrincipals, rt::Beta> { <methods under one parent in one version> }
/// ```
fn node(api: &Api, n: &Node) -> TokenStream {
    let mut groups: BTreeMap<ImplKey, Vec<TokenStream>> = BTreeMap::new();
    for child in &n.children {
        for key in impl_keys(api, n, &child.parents, &child.versions) {
            let method = child_method(api, child, &key);
            groups.entry(key).or_default().push(method);
        }
    }
    for op in &n.operations {
        for key in impl_keys(api, n, &op.parents, &op.versions) {
            let method = operation(api, op, &key);
            groups.entry(key).or_default().push(method);
        }
    }
    let doc = docs(&n.doc);
    let name = ident(&n.rust);
    let impls = groups.into_iter().map(|(key, methods)| {
        let p_bound = key.0.is_none().then(|| quote! { P: Parent });
        let v_bound = key.1.is_none().then(|| quote! { V: rt::Version });
        let bounds = [p_bound, v_bound].into_iter().flatten();
        let (p, v) = key_args(api, &key);
        quote! {
            impl<#(#bounds),*> #name<#p, #v> {
                #(#methods)*
            }
        }
    });
    quote! {
        #doc
        #[derive(rt::RequestBuilder)]
        pub struct #name<P, V> {
            client: rt::Client,
            path: rt::PathBuilder,
            route: Route,
            _marker: PhantomData<fn() -> (P, V)>,
        }
        #(#impls)*
    }
}

/// The impl blocks a method belongs to, given where it exists.
fn impl_keys(api: &Api, n: &Node, parents: &[usize], versions: &[String]) -> Vec<ImplKey> {
    let parent_keys: Vec<Option<usize>> = if parents == n.parents.as_slice() {
        vec![None]
    } else {
        parents.iter().copied().map(Some).collect()
    };
    let version_keys: Vec<Option<String>> = if versions == api.versions.as_slice() {
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
fn key_args(api: &Api, key: &ImplKey) -> (TokenStream, TokenStream) {
    let p = match key.0 {
        Some(ix) => {
            let marker = ident(&api.parents[ix].marker);
            quote! { #marker }
        }
        None => quote! { P },
    };
    let v = match &key.1 {
        Some(version) => {
            let marker = version_marker(version);
            quote! { rt::#marker }
        }
        None => quote! { V },
    };
    (p, v)
}

/// The runtime's marker type (and `ApiVersion` variant) for a version: `V1`, `Beta`.
fn version_marker(version: &str) -> syn::Ident {
    match version {
        "v1.0" => ident("V1"),
        _ => ident(&heck::ToUpperCamelCase::to_upper_camel_case(version)),
    }
}

/// The method that goes one step down the URL tree: `pub fn jobs(&self) -> Jobs<P, V>` adding a segment, or
/// `pub fn job(&self, id: impl Into<JobId>) -> Job<P, V>` adding an id.
fn child_method(api: &Api, child: &Child, key: &ImplKey) -> TokenStream {
    let node = &api.nodes[child.node];
    let ty = ident(&node.rust);
    let (p, v) = key_args(api, key);
    let method = ident(&child.method);
    match &child.step {
        Step::Segment(segment) => {
            let doc = docs(&format!("`…/{segment}`."));
            quote! {
                #doc
                pub fn #method(&self) -> #ty<#p, #v> {
                    #ty {
                        client: self.client.clone(),
                        path: self.path.clone().segment(#segment),
                        route: self.route,
                        _marker: PhantomData,
                    }
                }
            }
        }
        Step::Id(id) => {
            let doc = docs(&format!("One `{}`: `…/{{{}}}`.", id.of, id.param));
            let id_ty = ident(&id.rust);
            let param = &id.param;
            quote! {
                #doc
                pub fn #method(&self, id: impl Into<#id_ty>) -> #ty<#p, #v> {
                    let id = id.into();
                    #ty {
                        client: self.client.clone(),
                        path: self.path.clone().id(#param, id.as_str()),
                        route: self.route,
                        _marker: PhantomData,
                    }
                }
            }
        }
    }
}

fn operation_doc(api: &Api, op: &Operation) -> String {
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
    if op.versions.len() < api.versions.len() {
        versions.push_str(" Not available on other versions' builders.");
    }
    paragraphs.push(versions);
    if let Some(d) = &op.deprecated {
        paragraphs.push(deprecation_doc(d));
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
    paragraphs.push(match op.routes.as_slice() {
        [route] => format!("Operation: `{}`.", route.operation_id),
        routes => {
            let ids: Vec<String> = routes
                .iter()
                .map(|r| {
                    let p = &api.parents[r.parent];
                    format!("`{}` from `{}`", r.operation_id, parent_path(p, r.key))
                })
                .collect();
            format!(
                "Operation, by the parent the builder was reached from: {}.",
                ids.join(", ")
            )
        }
    });
    paragraphs.join("\n\n")
}

/// One operation's method:
///
/// ```text
/// /// <operation_doc>
/// pub fn restart(&self, body: &Criteria) -> rt::Request<(), rt::NoQuery> {
///     static OPERATION: rt::Operation = rt::Operation { id: "...", method: rt::Method::Post, ... };
///     rt::Request::new(&self.client, V::VERSION, &OPERATION, self.path.clone().segment("restart"), rt::decode_empty)
///         .body_json(body)
/// }
/// ```
///
/// `V::VERSION` is the version marker's `rt::ApiVersion::...` in a version's own impl block; the segment call
/// is there for actions and functions, the body argument and `.body_json` for operations with a body. An
/// operation served at several paths has one static per path, and the builder's route picks the one sent
/// ([`operation_statics`]).
fn operation(api: &Api, op: &Operation, key: &ImplKey) -> TokenStream {
    let doc = docs(&operation_doc(api, op));
    let method = ident(&op.method);
    let version = match &key.1 {
        Some(v) => {
            let marker = version_marker(v);
            quote! { rt::ApiVersion::#marker }
        }
        None => quote! { V::VERSION },
    };
    let (output, decode) = match &op.response {
        Response::Empty => (quote! { () }, quote! { rt::decode_empty }),
        Response::Json(t) => {
            let t = ident(t);
            (quote! { #t }, quote! { rt::decode_json::<#t> })
        }
        Response::JsonOrEmpty(t) => {
            let t = ident(t);
            (
                quote! { Option<#t> },
                quote! { rt::decode_json_or_empty::<#t> },
            )
        }
        Response::Page(t) => {
            let t = ident(t);
            (
                quote! { rt::Page<#t> },
                quote! { rt::decode_json::<rt::Page<#t>> },
            )
        }
    };
    let query = ident(match op.query {
        Query::None => "NoQuery",
        Query::Entity => "EntityQuery",
        Query::Collection => "CollectionQuery",
    });
    let segment = op
        .action_segment
        .as_ref()
        .map(|segment| quote! { .segment(#segment) });
    let (body_arg, body_call) = match &op.body {
        Some(body) => {
            let ty = ident(&body.rust);
            (quote! { , body: &#ty }, quote! { .body_json(body) })
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let (statics, operation) = operation_statics(api, op);
    quote! {
        #doc
        pub fn #method(&self #body_arg) -> rt::Request<#output, rt::#query> {
            #statics
            rt::Request::new(
                &self.client,
                #version,
                #operation,
                self.path.clone() #segment,
                #decode,
            )
            #body_call
        }
    }
}

/// The `static` descriptions of an operation and the expression that names the one sent: `&OPERATION` for an
/// operation at one path; for one at several paths, a static per path (named for its route, e.g.
/// `SERVICE_PRINCIPAL_BY_APP_ID`) and `let operation = match self.route { ... };`, which gives every route the
/// operation of its own path (a route the operation was not declared at gets its parent's, else the first).
fn operation_statics(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let descriptor = |route: &Route| {
        let id = &route.operation_id;
        let http = ident(match op.http {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Delete => "Delete",
        });
        let success = op.success.iter().map(|s| Literal::u16_unsuffixed(*s));
        let content_type = match &op.body {
            Some(body) => {
                let content_type = &body.content_type;
                quote! { Some(#content_type) }
            }
            None => quote! { None },
        };
        let versions = op.versions.iter().map(|v| version_marker(v));
        let idempotent = op.idempotent;
        quote! {
            rt::Operation {
                id: #id,
                method: rt::Method::#http,
                success: &[#(#success),*],
                content_type: #content_type,
                versions: &[#(rt::ApiVersion::#versions),*],
                idempotent: #idempotent,
            }
        }
    };
    if let [route] = op.routes.as_slice() {
        let operation = descriptor(route);
        return (
            quote! { static OPERATION: rt::Operation = #operation; },
            quote! { &OPERATION },
        );
    }
    let name = |route: &Route| {
        let p = &api.parents[route.parent];
        ident(&heck::ToShoutySnakeCase::to_shouty_snake_case(
            route_variant(p, route.key).to_string().as_str(),
        ))
    };
    let statics = op.routes.iter().map(|route| {
        let name = name(route);
        let operation = descriptor(route);
        quote! { static #name: rt::Operation = #operation; }
    });
    // Each route of a parent that has the operation, under the operation route it reports: its own path's, else
    // the parent's by id, else the parent's first.
    let mut arms: Vec<Vec<syn::Ident>> = vec![Vec::new(); op.routes.len()];
    let mut elsewhere = false;
    for (ix, parent, key) in all_routes(api) {
        let target = op
            .routes
            .iter()
            .position(|r| r.parent == ix && r.key == key)
            .or_else(|| {
                op.routes
                    .iter()
                    .position(|r| r.parent == ix && r.key.is_none())
            })
            .or_else(|| op.routes.iter().position(|r| r.parent == ix));
        match target {
            Some(target) => arms[target].push(route_variant(parent, key)),
            None => elsewhere = true,
        }
    }
    let mut arms: Vec<TokenStream> = op
        .routes
        .iter()
        .zip(arms)
        .filter(|(_, variants)| !variants.is_empty())
        .map(|(route, variants)| {
            let name = name(route);
            quote! { #(Route::#variants)|* => &#name, }
        })
        .collect();
    // Routes of parents without the operation never reach this method (its impl block is for other parents).
    if elsewhere {
        let by_id = op.routes.iter().find(|r| r.key.is_none());
        let fallback = name(by_id.unwrap_or(&op.routes[0]));
        arms.push(quote! { _ => &#fallback, });
    }
    (
        quote! {
            #(#statics)*
            let operation = match self.route {
                #(#arms)*
            };
        },
        quote! { operation },
    )
}
