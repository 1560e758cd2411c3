//! Emitting: the API model becomes Rust token streams, one per generated file.
//!
//! Each submodule emits one file. Code is built with `quote!`; names come from the model, never from
//! re-deriving wire names, and nothing here reads the OpenAPI document.

mod enums;
mod ids;
mod models;
mod requests;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Api;

/// Settings for the emitted code.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Path of the runtime module as seen from the emitted code, e.g. `crate::runtime` inside
    /// `msgraph-sync`, or `::msgraph_sync::runtime` for code compiled in another crate.
    pub runtime: String,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: "crate::runtime".into(),
        }
    }
}

/// One emitted file: its name inside the output folder and its tokens.
#[derive(Debug, Clone)]
pub struct EmittedFile {
    /// File name, e.g. `models.rs`.
    pub name: &'static str,
    /// File contents as tokens.
    pub tokens: TokenStream,
}

/// Emits every file of the generated module.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<Vec<EmittedFile>, syn::Error> {
    let cx = Context::new(api, options)?;
    Ok(vec![
        EmittedFile {
            name: "mod.rs",
            tokens: module_root(),
        },
        EmittedFile {
            name: "enums.rs",
            tokens: enums::emit(&cx),
        },
        EmittedFile {
            name: "ids.rs",
            tokens: ids::emit(&cx),
        },
        EmittedFile {
            name: "models.rs",
            tokens: models::emit(&cx),
        },
        EmittedFile {
            name: "requests.rs",
            tokens: requests::emit(&cx),
        },
    ])
}

fn module_root() -> TokenStream {
    quote! {
        //! Code generated from the spec: models, enums, typed ids and request builders.
        pub mod enums;
        pub mod ids;
        pub mod models;
        pub mod requests;
    }
}

/// What every emitter needs: the model and the runtime path.
pub(crate) struct Context<'a> {
    pub api: &'a Api,
    pub rt: syn::Path,
    /// The runtime path as text, for serde attributes that take a string path.
    pub rt_text: String,
}

impl<'a> Context<'a> {
    fn new(api: &'a Api, options: &EmitOptions) -> Result<Self, syn::Error> {
        let rt: syn::Path = syn::parse_str(&options.runtime)?;
        Ok(Context {
            api,
            rt,
            rt_text: options.runtime.clone(),
        })
    }
}

/// `#[doc = "..."]` attributes, one per line of `text`.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// An identifier, raw if it is a keyword.
pub(crate) fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}
