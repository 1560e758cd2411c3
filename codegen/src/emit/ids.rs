//! `ids.rs`: one newtype per kind of path parameter, so a job id cannot go where a template id belongs.

use quote::quote;

use super::{Context, items, parse, syntax};
use crate::model::{Api, IdType};

/// Parts of the file: the head, then one per id type.
pub(super) fn parts(api: &Api) -> usize {
    1 + api.ids.len()
}

/// Part `i` of the file (see [`parts`]).
pub(super) fn part(cx: &Context<'_>, i: usize) -> Result<syn::File, syn::Error> {
    let Some(i) = i.checked_sub(1) else {
        let import = cx.import_runtime();
        return parse(quote! {
            //! Typed ids for the path parameters of the API.
            #import
        });
    };
    Ok(items(vec![id_type(cx, &cx.api.ids[i])]))
}

fn id_type(cx: &Context<'_>, id: &IdType) -> syn::Item {
    let rt = &cx.rt;
    let mut attrs = syntax::docs(&format!(
        "Typed id for the `{{{}}}` path segment.\n\nMade from a `&str` or a `String`. It is percent-encoded as exactly one path segment when a request is sent; an empty id, `.` or `..` is refused before anything is sent.",
        id.param
    ));
    attrs.push(syntax::attr(
        "derive",
        quote! { Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #rt::GraphId },
    ));
    let value = syntax::field(
        Vec::new(),
        syn::Visibility::Inherited,
        None,
        syntax::ty(&["String"]),
    );
    syntax::item_struct(
        attrs,
        &id.rust,
        syn::Generics::default(),
        syntax::tuple_fields([value]),
    )
}
