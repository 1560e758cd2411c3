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

/// An emitter of one file.
pub type FileEmitter = fn(&Api, &EmitOptions) -> Result<TokenStream, syn::Error>;

/// The files of the generated module and the emitter of each, in output order.
///
/// Each emitter stands alone (token streams are not `Send`), so files can be emitted and formatted on
/// separate threads.
pub const FILES: [(&str, FileEmitter); 5] = [
    ("mod.rs", |_, _| Ok(module_root())),
    ("enums.rs", |api, options| {
        Ok(enums::emit(&Context::new(api, options)?))
    }),
    ("ids.rs", |api, options| {
        Ok(ids::emit(&Context::new(api, options)?))
    }),
    ("models.rs", |api, options| {
        Ok(models::emit(&Context::new(api, options)?))
    }),
    ("requests.rs", |api, options| {
        Ok(requests::emit(&Context::new(api, options)?))
    }),
];

/// Emits every file of the generated module.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<Vec<EmittedFile>, syn::Error> {
    FILES
        .iter()
        .map(|(name, emit)| {
            Ok(EmittedFile {
                name,
                tokens: emit(api, options)?,
            })
        })
        .collect()
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
///
/// Emitted files that use the runtime import it once as `rt` ([`Context::import_runtime`]) and write
/// `rt::Request`, not the full path at every use.
pub(crate) struct Context<'a> {
    pub api: &'a Api,
    /// `rt`: the alias emitted code refers to the runtime by.
    pub rt: syn::Ident,
    /// The alias as text, for serde attributes that take a string path.
    pub rt_text: &'static str,
    /// The runtime's full path.
    runtime: syn::Path,
}

impl<'a> Context<'a> {
    fn new(api: &'a Api, options: &EmitOptions) -> Result<Self, syn::Error> {
        let runtime: syn::Path = syn::parse_str(&options.runtime)?;
        Ok(Context {
            api,
            rt: format_ident!("rt"),
            rt_text: "rt",
            runtime,
        })
    }

    /// `use <runtime> as rt;`
    pub fn import_runtime(&self) -> TokenStream {
        let runtime = &self.runtime;
        quote! { use #runtime as rt; }
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
