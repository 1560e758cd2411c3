//! Derive macros for Microsoft Graph enums: open string enums ([`GraphEnum`]) and flag sets
//! ([`GraphFlags`]); and for the generated client's typed ids ([`GraphId`]) and request builders
//! ([`RequestBuilder`]).
//!
//! The code generator emits these derives for every enum of the Graph synchronization API; users can write
//! them by hand too. The expansion refers only to `::core`, `::std` and `::serde`, so the crate that uses
//! the derives needs nothing but a dependency on `serde`.
//!
//! Both derives read `#[graph(...)]` attributes:
//!
//! | where | key | derive | meaning |
//! |---|---|---|---|
//! | enum | `closed` | `GraphEnum` | reject members the enum does not know |
//! | enum | `set = "Name"` | `GraphFlags` | name of the generated set type |
//! | variant | `rename = "..."` | both | the member's wire name, when it is not the variant's name |
//! | variant | `alias = "..."` | both | another spelling accepted when parsing (repeatable) |
//! | variant | `unknown` | `GraphEnum` | the variant keeping the text of members the enum does not know |
//!
//! Misuse is a compile error pointing at the offending token and saying how to fix it.
//!
//! ```
//! use msgraph_sync_derive::{GraphEnum, GraphFlags};
//!
//! /// The type of a directory attribute.
//! #[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
//! pub enum AttributeType {
//!     /// Text.
//!     String,
//!     /// An integer.
//!     Integer,
//!     /// A member this version of the crate does not know; keeps the wire text.
//!     #[graph(unknown)]
//!     Unknown(String),
//! }
//!
//! /// Which parts of a job's state a restart clears.
//! #[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
//! pub enum SynchronizationJobRestartScopeFlag {
//!     None = 0,
//!     ConnectorDataStore = 1,
//!     Escrows = 2,
//!     Watermark = 4,
//!     QuarantineState = 8,
//!     Full = 15,
//!     ForceDeletes = 32,
//! }
//!
//! let kind: AttributeType = "string".parse().unwrap();
//! assert_eq!(kind.to_string(), "String");
//!
//! let scope: SynchronizationJobRestartScope = "watermark, Escrows".parse().unwrap();
//! assert_eq!(scope, SynchronizationJobRestartScope::ESCROWS | SynchronizationJobRestartScope::WATERMARK);
//! assert_eq!(scope.to_string(), "Escrows, Watermark");
//! ```

mod builder;
mod enums;
mod flags;
mod id;
mod internals;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives the string form of a Graph enum: `KNOWN`, `as_str()`, `is_known()`, `Display`, `FromStr` and
/// serde `Serialize`/`Deserialize` as a string.
///
/// Every variant is a member whose wire name is the variant's name, or `#[graph(rename = "...")]`.
/// `#[graph(alias = "...")]` (repeatable) adds a spelling that is also accepted when parsing, such as
/// another API version's.
///
/// # Generated API
///
/// - `pub const KNOWN: &'static [&'static str]`: the known members' wire names, in declaration order.
/// - `pub fn as_str(&self) -> &str`: the canonical wire name, or the text an unknown member was read
///   from, unchanged.
/// - `pub fn is_known(&self) -> bool`: `false` only for the unknown variant.
/// - `Display` writes `as_str()` (honouring width and alignment).
/// - `FromStr` matches the wire names and aliases ignoring ASCII case, so `"string"` gives the member
///   `String`; output is always the canonical spelling.
/// - `Serialize` writes `as_str()`; `Deserialize` reads a string through `FromStr`, without allocating
///   for a known member.
///
/// # Open and closed enums
///
/// An enum is open by default: it must have exactly one variant marked `#[graph(unknown)]` holding a
/// single `String`. A member the service adds later parses into it, keeping the raw text, and is written
/// back unchanged, so a GET followed by a PUT loses nothing. `FromStr::Err` is
/// [`Infallible`](core::convert::Infallible).
///
/// An enum marked `#[graph(closed)]` has no unknown variant; it rejects other text with a generated
/// `<Enum>ParseError` (declared beside the enum, with the enum's visibility) whose message names the
/// enum, the rejected text and the expected members. It implements `Debug`, `Clone`, `PartialEq`, `Eq`,
/// `Display` and `std::error::Error`, and its `value()` returns the rejected text. Deserializing reports
/// the same message.
///
/// Build values from wire text with `parse` (or serde), not by writing `Unknown("String".into())`: only
/// parsing maps a known name to its variant.
///
/// # Example
///
/// ```
/// use msgraph_sync_derive::GraphEnum;
///
/// /// The type of a directory attribute.
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
/// pub enum AttributeType {
///     /// Text.
///     String,
///     /// An integer.
///     Integer,
///     /// A date and time.
///     #[graph(rename = "DateTime")]
///     DateTime,
///     /// A member this version of the crate does not know; keeps the wire text.
///     #[graph(unknown)]
///     Unknown(String),
/// }
///
/// assert_eq!(AttributeType::KNOWN, ["String", "Integer", "DateTime"]);
///
/// // Parsing ignores case; printing is canonical.
/// let kind: AttributeType = "string".parse().unwrap();
/// assert_eq!(kind, AttributeType::String);
/// assert_eq!(kind.to_string(), "String");
///
/// // A member added by the service later is kept as it arrived and written back unchanged.
/// let later: AttributeType = serde_json::from_str(r#""Decimal""#).unwrap();
/// assert_eq!(later, AttributeType::Unknown("Decimal".to_owned()));
/// assert!(!later.is_known());
/// assert_eq!(serde_json::to_string(&later).unwrap(), r#""Decimal""#);
/// ```
///
/// A closed enum, with a spelling from another API version accepted as an alias:
///
/// ```
/// use msgraph_sync_derive::GraphEnum;
///
/// /// A key of a synchronization template's metadata.
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, GraphEnum)]
/// #[graph(closed)]
/// pub enum SynchronizationMetadata {
///     /// The gallery application's identifier.
///     #[graph(alias = "galleryApplicationIdentifierBeta")]
///     GalleryApplicationIdentifier,
///     /// Whether the application uses OAuth.
///     #[graph(rename = "IsOAuthEnabled")]
///     IsOauthEnabled,
/// }
///
/// let key: SynchronizationMetadata = "galleryapplicationidentifierbeta".parse().unwrap();
/// assert_eq!(key, SynchronizationMetadata::GalleryApplicationIdentifier);
/// assert_eq!(SynchronizationMetadata::IsOauthEnabled.as_str(), "IsOAuthEnabled");
///
/// let err: SynchronizationMetadataParseError = "Color".parse::<SynchronizationMetadata>().unwrap_err();
/// assert_eq!(err.value(), "Color");
/// assert_eq!(
///     err.to_string(),
///     "unknown SynchronizationMetadata member `Color`; expected one of \
///      `GalleryApplicationIdentifier`, `IsOAuthEnabled`",
/// );
/// assert!(serde_json::from_str::<SynchronizationMetadata>(r#""Color""#).is_err());
/// ```
#[proc_macro_derive(GraphEnum, attributes(graph))]
pub fn derive_graph_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    enums::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives a flag set for a Graph flags enum: the enum lists the members with their CSDL values, and the
/// derive generates the set type with the API of the `bitflags` crate plus the Graph wire form.
///
/// The enum is kept as written (add the derives you want on it, such as `Debug, Clone, Copy, PartialEq,
/// Eq`). Every member needs an integer literal value: `0` for the empty member, a power of two for a
/// flag, or exactly the union of other members' values for a combined member (`Full = 15` when 1, 2, 4
/// and 8 are declared).
///
/// The set type is named by `#[graph(set = "...")]`, by default the enum's name without its trailing
/// `Flag`. It has the enum's visibility and docs, followed by a description of its wire form, and holds
/// the known members as bits plus the names of members this version does not know.
///
/// # Generated API
///
/// For `enum ScopeFlag` generating `struct Scope`:
///
/// - A `pub const` per member, named in SCREAMING_SNAKE_CASE: `Scope::WATERMARK`. The empty member is the
///   empty set; a combined member is the union of its parts, not a bit of its own.
/// - `empty()`, `all()` (every known member), `bits() -> u64`, `from_bits(u64) -> Option<Scope>` (`None`
///   for an undeclared bit), `from_bits_truncate(u64)`.
/// - `contains(&Scope)`, `intersects(&Scope)`, `is_empty()`, `is_all()`, `insert(&Scope)`,
///   `remove(&Scope)`, `toggle(&Scope)`, `set(&Scope, bool)`, `union`, `intersection`, `difference`,
///   `symmetric_difference`, `complement`.
/// - `iter()`: the single-bit members present, as `ScopeFlag` values in declaration order.
/// - `unknown_names() -> &[String]` and `is_known()` for names this version does not know.
/// - `to_wire() -> String`: the wire form, keeping the order the members were given in (see below).
/// - Operators `|`, `&`, `^`, `-` (difference) and `!` (complement within the known members), on values
///   and on references, and their assign forms; `From<ScopeFlag>`, `ScopeFlag | ScopeFlag -> Scope`,
///   `Scope | ScopeFlag`, and `FromIterator`/`Extend` of members and of sets.
/// - `Debug` (`Scope(Escrows | Watermark)`), `Clone`, `PartialEq`, `Eq`, `Hash`, `Default` (empty).
/// - `Display` (the canonical form), `FromStr` (`Err = Infallible`) and serde `Serialize` (the wire form,
///   as `to_wire()`) and `Deserialize`.
///
/// Under the operators, a union keeps the unknown names of both sides, an intersection the names both
/// sides have, a difference removes the right side's names, a symmetric difference keeps names only one
/// side has, and the complement has none. Names compare ignoring ASCII case, also in `==` and `Hash`.
///
/// # Wire form
///
/// Member names joined by `", "`. Parsing splits on `,`, trims any whitespace, skips empty pieces, and
/// matches each name (or alias) ignoring case, in any order and with repeats; `""` and the empty member's
/// name mean the empty set; a combined member's name adds its parts; any other name is kept.
///
/// Printing (`Display`, `to_string()`) is canonical and documented: the single-bit members present in
/// declaration order, then the unknown names sorted ignoring case (each once, in the first spelling seen),
/// separated by `", "`. A set equal to a combined member prints as its parts, as the service sends it
/// (`FULL` prints `"ConnectorDataStore, Escrows, Watermark, QuarantineState"`), and the empty set prints as
/// the empty member's name (`"None"`), or `""` if the enum has none. Hence `print(parse(s))` is canonical
/// and `parse(print(x)) == x`.
///
/// The wire form (serde `Serialize`, `to_wire()`) differs only in order: a set remembers the order in
/// which its members were first given and writes them so, each once, known ones in their canonical
/// spelling, a combined member given by name as its parts in declaration order. A value read from the
/// service is thus written back as received (up to spelling and spacing), and `WATERMARK | ESCROWS` is
/// sent as `"Watermark, Escrows"`. Sets built without an order of their own (the constants, `empty()`,
/// `all()`, `from_bits`, `from_bits_truncate`, `!`) use declaration order; `a | b` lists `a`'s members then
/// `b`'s new ones (so `insert`, `set(.., true)`, `|=`, `Extend` and `FromIterator` append); `a & b` and
/// `a - b` keep `a`'s order; `a ^ b` keeps `a`'s order, then appends `b`'s new members. `==` and `Hash`
/// ignore the order, and the set stores it beside the bits (known members by index, unknown names by
/// text). Hence `serde(parse(wire(x))) == wire(x)`.
///
/// # Example
///
/// ```
/// use msgraph_sync_derive::GraphFlags;
///
/// /// Which parts of a job's state a restart clears.
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
/// #[graph(set = "SynchronizationJobRestartScope")]
/// pub enum SynchronizationJobRestartScopeFlag {
///     /// Nothing.
///     None = 0,
///     /// The connector data store.
///     ConnectorDataStore = 1,
///     /// Escrowed changes.
///     Escrows = 2,
///     /// The watermark.
///     Watermark = 4,
///     /// Quarantine state.
///     QuarantineState = 8,
///     /// All of the above.
///     Full = 15,
///     /// Force deletes.
///     ForceDeletes = 32,
/// }
///
/// type Scope = SynchronizationJobRestartScope;
///
/// let scope: Scope = "Watermark, escrows ,QuarantineState, Watermark".parse().unwrap();
/// assert_eq!(scope, Scope::ESCROWS | Scope::WATERMARK | Scope::QUARANTINE_STATE);
/// assert_eq!(scope.to_string(), "Escrows, Watermark, QuarantineState");
/// assert!(Scope::FULL.contains(&scope));
/// assert_eq!(
///     scope.iter().collect::<Vec<_>>(),
///     [
///         SynchronizationJobRestartScopeFlag::Escrows,
///         SynchronizationJobRestartScopeFlag::Watermark,
///         SynchronizationJobRestartScopeFlag::QuarantineState,
///     ],
/// );
///
/// // Combined members expand; the empty set prints as `None`.
/// assert_eq!(Scope::FULL.to_string(), "ConnectorDataStore, Escrows, Watermark, QuarantineState");
/// assert_eq!(Scope::FULL.bits(), 15);
/// assert_eq!(Scope::empty().to_string(), "None");
/// assert_eq!(format!("{:?}", Scope::ESCROWS | Scope::WATERMARK), "SynchronizationJobRestartScope(Escrows | Watermark)");
///
/// // The wire form keeps the order the members were given in; `Display` does not.
/// let restart = Scope::WATERMARK | Scope::ESCROWS | Scope::QUARANTINE_STATE;
/// assert_eq!(serde_json::to_string(&restart).unwrap(), r#""Watermark, Escrows, QuarantineState""#);
/// assert_eq!(restart.to_wire(), "Watermark, Escrows, QuarantineState");
/// assert_eq!(restart.to_string(), "Escrows, Watermark, QuarantineState");
/// assert_eq!(restart, scope);
///
/// // Names this version does not know are kept and written back in place.
/// let later: Scope = serde_json::from_str(r#""Future, Watermark""#).unwrap();
/// assert_eq!(later.unknown_names(), ["Future"]);
/// assert_eq!(serde_json::to_string(&later).unwrap(), r#""Future, Watermark""#);
/// assert_eq!(later.to_string(), "Watermark, Future");
/// assert_eq!(later - Scope::WATERMARK, "future".parse().unwrap());
/// ```
#[proc_macro_derive(GraphFlags, attributes(graph))]
pub fn derive_graph_flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    flags::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives the API of a typed id, for a newtype over `String`: `new`, `as_str`, `From<&str>`,
/// `From<String>`, `From<&String>`, `From<&Self>`, `AsRef<str>` and `Display` (the id as given).
///
/// ```
/// use msgraph_sync_derive::GraphId;
///
/// /// Id of a synchronization job.
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, GraphId)]
/// pub struct JobId(String);
///
/// let id = JobId::from("AD2AADProvisioning.e5a1");
/// assert_eq!(id.as_str(), "AD2AADProvisioning.e5a1");
/// assert_eq!(JobId::new(String::from("x")), JobId::from(&JobId::from("x")));
/// assert_eq!(id.to_string(), "AD2AADProvisioning.e5a1");
/// ```
#[proc_macro_derive(GraphId)]
pub fn derive_graph_id(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    id::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `Clone` and `Debug` for a request builder: a struct with named fields, one of them `path`,
/// whose type parameters are markers only. Unlike `#[derive(Clone, Debug)]` it puts no bounds on the type
/// parameters; `PhantomData` fields clone into a fresh marker, and `Debug` shows the path alone.
///
/// ```
/// use std::marker::PhantomData;
/// use msgraph_sync_derive::RequestBuilder;
///
/// struct Beta; // neither Clone nor Debug
///
/// #[derive(RequestBuilder)]
/// struct JobRequests<V> {
///     client: std::sync::Arc<str>,
///     path: String,
///     _marker: PhantomData<fn() -> V>,
/// }
///
/// let jobs = JobRequests::<Beta> { client: "c".into(), path: "/jobs".into(), _marker: PhantomData };
/// let copy = jobs.clone();
/// assert_eq!(format!("{copy:?}"), r#"JobRequests { path: "/jobs", .. }"#);
/// ```
#[proc_macro_derive(RequestBuilder)]
pub fn derive_request_builder(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    builder::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
