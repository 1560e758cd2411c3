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

/// One generated file, emitted in parts.
///
/// A part is a run of whole items (part 0 is the file's head: inner docs and imports). Parts are emitted and
/// formatted independently, on any thread (token streams are not `Send`, so a part's tokens never leave the
/// thread that made them), and the formatted parts joined in order are the formatted file: prettyplease prints
/// a file as its inner attributes followed by its items, each ending its own line.
#[derive(Clone, Copy)]
pub struct FileEmitter {
    /// File name inside the output folder, e.g. `models.rs`.
    pub name: &'static str,
    /// How many parts the file has for an API.
    pub parts: fn(&Api) -> usize,
    /// Emits part `i` (`i < parts(api)`).
    pub part: fn(&Context<'_>, usize) -> TokenStream,
}

impl std::fmt::Debug for FileEmitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileEmitter")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The files of the generated module, in output order.
pub const FILES: [FileEmitter; 5] = [
    FileEmitter {
        name: "mod.rs",
        parts: |_| 1,
        part: |_, _| module_root(),
    },
    FileEmitter {
        name: "enums.rs",
        parts: enums::parts,
        part: enums::part,
    },
    FileEmitter {
        name: "ids.rs",
        parts: ids::parts,
        part: ids::part,
    },
    FileEmitter {
        name: "models.rs",
        parts: models::parts,
        part: models::part,
    },
    FileEmitter {
        name: "requests.rs",
        parts: requests::parts,
        part: requests::part,
    },
];

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
/// Emitted files that use the runtime import it once as `rt` (`Context::import_runtime`) and write
/// `rt::Request`, not the full path at every use.
pub struct Context<'a> {
    pub(crate) api: &'a Api,
    /// `rt`: the alias emitted code refers to the runtime by.
    pub(crate) rt: syn::Ident,
    /// The alias as text, for serde attributes that take a string path.
    pub(crate) rt_text: &'static str,
    /// The runtime's full path.
    runtime: syn::Path,
}

impl<'a> Context<'a> {
    /// The context for `api`; fails only when `options.runtime` is not a Rust path.
    pub fn new(api: &'a Api, options: &EmitOptions) -> Result<Self, syn::Error> {
        let runtime: syn::Path = syn::parse_str(&options.runtime)?;
        Ok(Context {
            api,
            rt: format_ident!("rt"),
            rt_text: "rt",
            runtime,
        })
    }

    /// `use <runtime> as rt;`
    pub(crate) fn import_runtime(&self) -> TokenStream {
        let runtime = &self.runtime;
        quote! { use #runtime as rt; }
    }
}

/// `#[doc = r"..."]` attributes, one per line of `text`, for interpolating with `#docs` in `quote!`.
///
/// Each line is a raw string literal: building and re-reading a raw literal is a byte scan, where an
/// ordinary literal is escaped here and unescaped again by syn (a third of emitting used to go there).
/// The formatted output is the same `///` line either way.
pub(crate) fn doc(text: &str) -> Doc {
    Doc(text.to_string())
}

/// Doc attributes that add themselves to the stream they are interpolated in: each line's `#[doc = ...]`
/// is built with `quote!` and moved in, where a `TokenStream` interpolated as `#docs` is copied token by
/// token.
pub(crate) struct Doc(String);

impl quote::ToTokens for Doc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for line in self.0.trim().lines() {
            let line = line.trim_end();
            let literal = raw_literal(if line.is_empty() { "" } else { " " }, line);
            tokens.extend([quote! { #[doc = #literal] }]);
        }
    }
}

/// The raw string literal `r#"{lead}{text}"#`, with as many `#` as `text` needs.
fn raw_literal(lead: &str, text: &str) -> proc_macro2::Literal {
    // Enough hashes that `"` followed by them never occurs in the text.
    let mut hashes = 0;
    for (i, _) in text.match_indices('"') {
        let run = text[i + 1..].bytes().take_while(|&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    let repr = format!("r{fence}\"{lead}{text}\"{fence}");
    repr.parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(&format!("{lead}{text}")))
}

/// An identifier, raw if it is a keyword.
pub(crate) fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}
