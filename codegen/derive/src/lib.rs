//! Derive macros for Microsoft Graph models that write back exactly what they read ([`GraphModel`]);
//! for Graph enums: open string enums ([`GraphEnum`]) and flag sets ([`GraphFlags`]); and for the
//! generated client's typed ids ([`GraphId`]) and request builders ([`RequestBuilder`]).
//!
//! The code generator emits these derives for every model and enum of the Graph synchronization API;
//! users can write them by hand too. The enum derives' expansion refers to `::core`, `::std` and
//! `::serde`; an open `GraphEnum`'s and `GraphModel`'s also to `::msgraph_sync` (or the path given by
//! `#[graph(crate = "...")]`), whose runtime alone builds an open enum's opaque unknown member.
//!
//! The enum derives read `#[graph(...)]` attributes:
//!
//! | where | key | derive | meaning |
//! |---|---|---|---|
//! | enum | `closed` | `GraphEnum` | reject members the enum does not know |
//! | enum | `crate = "path"` | `GraphEnum` | the path of `msgraph_sync`; default `::msgraph_sync` |
//! | enum | `set = "Name"` | `GraphFlags` | name of the generated set type |
//! | variant | `rename = "..."` | both | the member's wire name, when it is not the variant's name |
//! | variant | `alias = "..."` | both | another spelling accepted when parsing (repeatable) |
//! | variant | `unknown` | `GraphEnum` | the variant keeping the text of members the enum does not know |
//! | variant | `empty` | `GraphEnum` | the unit variant standing for the empty string `""` |
//!
//! [`GraphModel`] reads its own keys on a struct and its fields (`crate`, `rename`, `nullable`,
//! `unknown`); see its documentation.
//!
//! Misuse is a compile error pointing at the offending token and saying how to fix it.
//!
//! ```
//! use msgraph_sync::UnknownMember;
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
//!     Unknown(UnknownMember<AttributeType>),
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
mod models;

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
/// - With a `#[graph(empty)]` variant, `pub fn is_empty(&self) -> bool`: `true` only for it.
/// - `Display` writes `as_str()` (honouring width and alignment).
/// - `FromStr` matches the wire names and aliases ignoring ASCII case, so `"string"` gives the member
///   `String`; output is always the canonical spelling.
/// - `Serialize` writes `as_str()`; `Deserialize` reads a string through `FromStr`, without allocating
///   for a known member.
///
/// # Open and closed enums
///
/// An enum is open by default: it must have exactly one variant marked `#[graph(unknown)]` holding the
/// enum's own `msgraph_sync::UnknownMember<Self>` (written `UnknownMember<Self>` or with the enum's name).
/// A member the service adds later parses into it, keeping the raw text, and is written back unchanged,
/// so a GET followed by a PUT loses nothing. `FromStr::Err` is
/// [`Infallible`](core::convert::Infallible). The expansion implements the runtime's hidden
/// `__private::KnownMembers` for the enum and parses through `msgraph_sync`'s runtime, found at
/// `::msgraph_sync` unless `#[graph(crate = "...")]` names another path.
///
/// An enum marked `#[graph(closed)]` has no unknown variant; it rejects other text with a generated
/// `<Enum>ParseError` (declared beside the enum, with the enum's visibility) whose message names the
/// enum, the rejected text and the expected members. It implements `Debug`, `Clone`, `PartialEq`, `Eq`,
/// `Display` and `std::error::Error`, and its `value()` returns the rejected text. Deserializing reports
/// the same message.
///
/// `UnknownMember` has no public constructor: the runtime builds one only for text the enum's own
/// spellings reject (in any case), so the unknown variant never shadows a known member, and another
/// enum's unknown member cannot be moved in (its type differs). To name a member this version does not
/// know yet, parse it: `"NewMember".parse()` gives the unknown variant, `"string".parse()` the known one.
///
/// # The empty string
///
/// The service sends `""` for some unset enum values (a quarantine's `"reason": ""`). One unit variant may
/// be marked `#[graph(empty)]` (the generator names it `Empty`): exactly `""` parses to it, it writes back
/// `""`, and `as_str()` is `""`. It is not listed in `KNOWN` (it is not a member of the enum), but
/// `is_known()` is `true` for it: the value is understood, not a member this version lacks, so a `match`
/// does not mistake it for an unknown member. Without such a variant, `""` is an unknown member (open
/// enums) or an error (closed enums). Only the exact empty string maps to it; `" "` is an unknown member.
///
/// ```
/// use msgraph_sync::UnknownMember;
/// use msgraph_sync_derive::GraphEnum;
///
/// /// Why a job is in quarantine.
/// #[derive(Debug, Clone, PartialEq, Eq, GraphEnum)]
/// pub enum QuarantineReason {
///     /// Too many deletes.
///     TooManyDeletes,
///     /// The service sent an empty string.
///     #[graph(empty)]
///     Empty,
///     /// A member this version does not know.
///     #[graph(unknown)]
///     Unrecognized(UnknownMember<Self>),
/// }
///
/// let reason: QuarantineReason = serde_json::from_str(r#""""#).unwrap();
/// assert_eq!(reason, QuarantineReason::Empty);
/// assert!(reason.is_empty() && reason.is_known());
/// assert_eq!(serde_json::to_string(&reason).unwrap(), r#""""#);
/// assert_eq!(QuarantineReason::KNOWN, ["TooManyDeletes"]);
/// ```
///
/// # Example
///
/// ```
/// use msgraph_sync::UnknownMember;
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
///     Unknown(UnknownMember<AttributeType>),
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
/// assert!(matches!(&later, AttributeType::Unknown(member) if member.as_str() == "Decimal"));
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
/// separated by `", "`. A set equal to a combined member prints as its parts (`FULL` prints
/// `"ConnectorDataStore, Escrows, Watermark, QuarantineState"`), and the empty set prints as
/// the empty member's name (`"None"`), or `""` if the enum has none. Hence `print(parse(s))` is canonical
/// and `parse(print(x)) == x`.
///
/// The wire form (serde `Serialize`, `to_wire()`) differs in order and in combined members: a set
/// remembers the order in which its members were first given and writes them so, each once, known ones in
/// their canonical spelling, and a combined member read by name (`"Full"`) by that name as long as all its
/// parts stay in the set (it adds its parts instead when one of them was given before it). A value read
/// from the service is thus written back as received (up to spelling and spacing), and `WATERMARK |
/// ESCROWS` is sent as `"Watermark, Escrows"`. The constants, `FULL` included, are written as their
/// parts: parse `"Full"` to send the name. An empty set read from `""` is written back as `""` (built in
/// code, or read from `"None"`, as `"None"`). Sets built without an order of their own (the constants,
/// `empty()`, `all()`, `from_bits`, `from_bits_truncate`, `!`) use declaration order; `a | b` lists `a`'s members then
/// `b`'s new ones (so `insert`, `set(.., true)`, `|=`, `Extend` and `FromIterator` append); `a & b` and
/// `a - b` keep `a`'s order; `a ^ b` keeps `a`'s order, then appends `b`'s new members. `==` and `Hash`
/// ignore the order and the spelling (a set read from `"Full"` equals `FULL`: the same bits), and the set
/// stores the order beside the bits (known and combined members by index, unknown names by text). Hence
/// `serde(parse(wire(x))) == wire(x)`.
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
///
/// // A combined member read by name is written back by name; the constant is written as its parts.
/// let full: Scope = serde_json::from_str(r#""Full""#).unwrap();
/// assert_eq!(serde_json::to_string(&full).unwrap(), r#""Full""#);
/// assert_eq!(full, Scope::FULL);
/// assert_eq!(Scope::FULL.to_wire(), "ConnectorDataStore, Escrows, Watermark, QuarantineState");
/// assert_eq!((full - Scope::WATERMARK).to_wire(), "ConnectorDataStore, Escrows, QuarantineState");
/// ```
#[proc_macro_derive(GraphFlags, attributes(graph))]
pub fn derive_graph_flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    flags::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives serde `Serialize` and `Deserialize` for a model (a Graph object schema) so that a read → write
/// round trip sends back exactly what was read.
///
/// The struct has named fields: one per known property, and exactly one field keeping every other
/// member, of type `UnknownProperties` (`msgraph_sync::UnknownProperties`).
///
/// | where | attribute | meaning |
/// |---|---|---|
/// | struct | `#[graph(crate = "path")]` | the path of the `msgraph_sync` crate; default `::msgraph_sync` |
/// | field | `#[graph(rename = "wireName")]` | required on every property: its name on the wire |
/// | field | `#[graph(rename = "...", nullable)]` | a property the spec marks nullable: `Nullable<T>` |
/// | field | `#[graph(unknown)]` | the one `UnknownProperties` field |
///
/// A property that is not `nullable` is an `Option<T>` (`None` when absent); a `nullable` one is a
/// `Nullable<T>` (absent, `null` or a value). Another type is a compile error saying so.
///
/// # Reading (`Deserialize`)
///
/// - Known keys go into their fields; missing keys leave the field absent.
/// - Any other key is kept in the unknown field, in the order read, with its value's exact JSON text
///   (`serde_json::value::RawValue`): numbers of any size or precision (`123456789012345678901234567890`,
///   `1e400`, `9007199254740993.0`) and nested objects come back unchanged.
/// - An explicit `null` for a property that is not nullable (`{"id": null}` where `id` is an
///   `Option<String>`) leaves the field `None` and is kept in the unknown field under the property's name,
///   so it is written back.
/// - A key that appears twice in one object is an error (`duplicate field` / `duplicate property`):
///   such an object cannot be written back as it was.
/// - Unknown members are captured as JSON text, so models are read with serde_json (`from_str`,
///   `from_slice`, `from_reader`, `from_value`), not with other formats.
///
/// # Writing (`Serialize`)
///
/// 1. Members whose name starts with `@` (OData control information such as `@odata.type`, and
///    instance annotations): the unknown ones in the order read, then known ones in declaration order.
///    OData puts control information before the properties, and strict readers need it there.
/// 2. The known properties in declaration order, each right after the unknown members annotating it
///    (`anchor@odata.type`, in the order read), where OData puts property annotations. An absent
///    property is skipped, unless the unknown field holds a member of that name (the `null` kept above),
///    which is written in its place; once the field has a value, the field wins. `Nullable::Null` is
///    written as `null`.
/// 3. The other unknown members, in the order read.
///
/// No key is written twice. The raw values are written verbatim by serde_json's serializers
/// (`to_string`, `to_vec`, `to_writer`); `serde_json::to_value` has to parse them into a `Value`, which
/// fails for numbers beyond `f64` such as `1e400`.
///
/// # Paths in the expansion
///
/// The expansion names serde, serde_json and its helpers as `<crate>::__private::...`, where `<crate>`
/// is `::msgraph_sync` unless `#[graph(crate = "...")]` says otherwise (for a renamed dependency), so a
/// crate using the derive needs no direct dependency on serde or serde_json. Inside `msgraph_sync`
/// itself the same path works: the crate declares `extern crate self as msgraph_sync`. The path may also
/// name the runtime module, which re-exports `__private` too: `#[graph(crate = "rt")]` where the file
/// has `use ::msgraph_sync::runtime as rt;`.
///
/// # Example
///
/// ```
/// use msgraph_sync::{GraphModel, Nullable, UnknownProperties};
///
/// /// One attribute of an object type.
/// #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
/// pub struct AttributeDefinition {
///     /// Whether the attribute identifies the object.
///     #[graph(rename = "anchor")]
///     pub anchor: Option<bool>,
///     /// The attribute's name.
///     #[graph(rename = "name", nullable)]
///     pub name: Nullable<String>,
///     /// Properties this version does not know.
///     #[graph(unknown)]
///     pub additional_properties: UnknownProperties,
/// }
///
/// let text = r##"{"name":"mail","@odata.type":"#x","anchor":null,"big":123456789012345678901234567890}"##;
/// let attribute: AttributeDefinition = serde_json::from_str(text).unwrap();
/// assert_eq!(attribute.name, Nullable::Value("mail".to_owned()));
/// assert_eq!(attribute.anchor, None);
/// assert_eq!(attribute.additional_properties.get("big").unwrap().get(), "123456789012345678901234567890");
/// assert_eq!(
///     serde_json::to_string(&attribute).unwrap(),
///     r##"{"@odata.type":"#x","anchor":null,"name":"mail","big":123456789012345678901234567890}"##,
/// );
/// ```
#[proc_macro_derive(GraphModel, attributes(graph))]
pub fn derive_graph_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    models::expand(&input)
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
