//! Emitting: the API model becomes Rust syntax trees, one file at a time in parts.
//!
//! Each submodule emits one file. Names come from the model, never from re-deriving wire names, and
//! nothing here reads the OpenAPI document. Code is never glued from strings:
//!
//! - code written once per file (imports, the root builder, the parent markers) is built with `quote!`
//!   and parsed by syn;
//! - code repeated for every schema, enum member, id, node and operation is built as syn values with the
//!   constructors in `emit/syntax.rs`, with `quote!` for the token lists of attributes. Parsing `quote!` output
//!   was over half of the generator's time; values cost nothing to parse and print the same.

mod enums;
mod ids;
mod models;
mod requests;
mod syntax;

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

impl EmitOptions {
    /// Checks the settings before anything is emitted: `runtime` must be a Rust path.
    pub fn validate(&self) -> Result<(), crate::Error> {
        syn::parse_str::<syn::Path>(&self.runtime)
            .map(drop)
            .map_err(|e| {
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

/// One generated file, emitted in parts.
///
/// A part is a run of whole items (part 0 is the file's head: inner docs and imports). Parts are emitted and
/// formatted independently, on any thread (syntax trees are not `Send`, so a part never leaves the thread
/// that made it), and the formatted parts joined in order are the formatted file: prettyplease prints a
/// file as its inner attributes followed by its items, each ending its own line.
#[derive(Clone, Copy)]
pub struct FileEmitter {
    /// File name inside the output folder, e.g. `models.rs`.
    pub name: &'static str,
    /// How many parts the file has for an API.
    pub parts: fn(&Api) -> usize,
    /// Emits part `i` (`i < parts(api)`); fails only if code written with `quote!` does not parse (a
    /// generator bug).
    pub part: fn(&Context<'_>, usize) -> Result<syn::File, syn::Error>,
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
        part: |_, _| parse(module_root()),
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
    /// The fields every node builder has (`client`, `path`, `_marker`), parsed once.
    pub(crate) node_fields: syn::Fields,
}

impl<'a> Context<'a> {
    /// The context for `api`; fails only when `options.runtime` is not a Rust path (or on a generator bug).
    pub fn new(api: &'a Api, options: &EmitOptions) -> Result<Self, syn::Error> {
        let runtime: syn::Path = syn::parse_str(&options.runtime)?;
        let rt = format_ident!("rt");
        let node_fields = syn::parse2::<syn::FieldsNamed>(quote! {{
            client: #rt::Client,
            path: #rt::PathBuilder,
            _marker: PhantomData<fn() -> (P, V)>,
        }})?;
        Ok(Context {
            api,
            rt,
            rt_text: "rt",
            runtime,
            node_fields: syn::Fields::Named(node_fields),
        })
    }

    /// `use <runtime> as rt;`
    pub(crate) fn import_runtime(&self) -> TokenStream {
        let runtime = &self.runtime;
        quote! { use #runtime as rt; }
    }
}

/// Code written with `quote!`, parsed into the part it is.
fn parse(tokens: TokenStream) -> Result<syn::File, syn::Error> {
    syn::parse2(tokens)
}

/// A part made of items built as values.
fn items(items: Vec<syn::Item>) -> syn::File {
    syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items,
    }
}

/// The raw string literal `r#"{lead}{text}"#`, with as many `#` as `text` needs: printed as a `///` line
/// like an ordinary literal, and no escaping on the way.
fn raw_literal(lead: &str, text: &str) -> proc_macro2::Literal {
    // Enough hashes that `"` followed by them never occurs in the text.
    let mut hashes = 0;
    for (i, _) in text.match_indices('"') {
        let run = text[i + 1..].bytes().take_while(|&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let mut repr = String::with_capacity(lead.len() + text.len() + 2 * hashes + 3);
    repr.push('r');
    repr.extend(std::iter::repeat_n('#', hashes));
    repr.push('"');
    repr.push_str(lead);
    repr.push_str(text);
    repr.push('"');
    repr.extend(std::iter::repeat_n('#', hashes));
    repr.parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(&format!("{lead}{text}")))
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
