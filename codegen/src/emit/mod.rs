//! Emitting: the API model becomes one token stream per generated file.
//!
//! Each submodule emits one file with `quote!` templates that read like the code they produce. Names come
//! from the model, never from re-deriving wire names, and nothing here reads the OpenAPI document. Text from
//! the spec only ever becomes documentation ([`neutralize_code_blocks`]).

mod docs;
mod enums;
mod ids;
mod models;
mod requests;

use proc_macro2::TokenStream;
use quote::quote;

pub use docs::neutralize_code_blocks;
pub use enums::EMPTY_VARIANT;

use crate::model::{Api, Deprecation};

/// Settings for the emitted code.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Path of the runtime module as seen from the emitted code, e.g. `crate::runtime` inside
    /// `msgraph-sync`, or `::msgraph_sync::runtime` for code compiled in another crate.
    pub runtime: String,
}

impl EmitOptions {
    /// Checks the settings before anything is emitted: `runtime` must be a Rust path.
    pub fn validate(&self) -> Result<(), crate::Error> {
        self.runtime_path().map(drop)
    }

    fn runtime_path(&self) -> Result<syn::Path, crate::Error> {
        syn::parse_str::<syn::Path>(&self.runtime).map_err(|e| {
            crate::Error::Options(format!(
                "the runtime path `{}` is not a Rust path ({e})",
                self.runtime
            ))
        })
    }
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: "crate::runtime".into(),
        }
    }
}

/// One generated file, as tokens: [`crate::format`] parses and prints it.
#[derive(Debug, Clone)]
pub struct EmittedFile {
    /// File name inside the output folder, e.g. `models.rs`.
    pub name: &'static str,
    /// The file's code.
    pub tokens: TokenStream,
}

/// Emits every file of the generated module, in output order: `mod.rs`, `enums.rs`, `ids.rs`, `models.rs`,
/// `requests.rs`. Fails only when `options` are invalid.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<Vec<EmittedFile>, crate::Error> {
    let runtime = options.runtime_path()?;
    // Files that use the runtime import it once as `rt` and write `rt::Request`, not the full path.
    let import = quote! { use #runtime as rt; };
    Ok(vec![
        EmittedFile {
            name: "mod.rs",
            tokens: module_root(),
        },
        EmittedFile {
            name: "enums.rs",
            tokens: enums::file(api, &import),
        },
        EmittedFile {
            name: "ids.rs",
            tokens: ids::file(api, &import),
        },
        EmittedFile {
            name: "models.rs",
            tokens: models::file(api, &import),
        },
        EmittedFile {
            name: "requests.rs",
            tokens: requests::file(api, &import),
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

/// `#[doc = "..."]` attributes, one per line of `text` (trimmed), printed as `///` comments. Code blocks in
/// the text are rendered as `text` ([`neutralize_code_blocks`]), so nothing in a doc comment is ever
/// compiled or run as a doctest.
pub(crate) fn docs(text: &str) -> TokenStream {
    let text = neutralize_code_blocks(text.trim());
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// The paragraph a deprecation recorded in the spec becomes, on an operation or a type:
/// `**Deprecated** in beta since 2026-02-06 (removal planned 2027-07-06). Use ...`.
pub(crate) fn deprecation_doc(d: &Deprecation) -> String {
    format!(
        "**Deprecated** in {} since {} (removal planned {}). {}",
        d.versions.join(", "),
        d.date,
        d.removal,
        d.replacement
    )
}

/// An identifier. Lowering has made every name a Rust identifier already (a keyword gets a trailing `_`);
/// a name spelled `r#...` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> syn::Ident {
    let span = proc_macro2::Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, span),
        None => syn::Ident::new(name, span),
    }
}
