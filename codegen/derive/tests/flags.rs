//! `GraphFlags`: the seeds' wire strings, the bitflags API, unknown names, serde and the wire order.

#![deny(missing_docs)] // The generated items are documented.

use std::collections::HashSet;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hash, RandomState};
use std::str::FromStr;

use msgraph_sync_derive::GraphFlags;
use serde::{Deserialize, Serialize};

/// Which parts of a job's state a restart clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
#[graph(set = "SynchronizationJobRestartScope")]
pub enum SynchronizationJobRestartScopeFlag {
    /// Nothing.
    None = 0,
    /// The connector data store.
    ConnectorDataStore = 1,
    /// Escrowed changes.
    Escrows = 2,
    /// The watermark.
    Watermark = 4,
    /// Quarantine state.
    QuarantineState = 8,
    /// Everything but force deletes.
    Full = 15,
    /// Force deletes.
    ForceDeletes = 32,
}

/// directoryDefinitionDiscoverabilities (the set name comes from dropping `Flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GraphFlags)]
pub enum DirectoryDefinitionDiscoverabilitiesFlag {
    /// Nothing is discoverable.
    None = 0,
    /// Attribute names.
    AttributeNames = 1,
    /// Attribute data types.
    AttributeDataTypes = 2,
    /// Whether attributes are read-only.
    AttributeReadOnly = 4,
    /// Reference attributes.
    ReferenceAttributes = 8,
    /// The evolvable-enum sentinel.
    UnknownFutureValue = 16,
}

/// objectFlowTypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
pub enum ObjectFlowTypesFlag {
    /// No flow.
    None = 0,
    /// Objects are added.
    Add = 1,
    /// Objects are updated.
    Update = 2,
    /// Objects are deleted.
    Delete = 4,
}

/// A private flag enum without a zero member, with renames, aliases, hex values and a composite in the
/// middle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
#[repr(u64)]
enum ModeFlag {
    #[graph(rename = "read", alias = "r")]
    Read = 0x1,
    ReadWrite = 0x3,
    #[graph(rename = "write", alias = "w")]
    Write = 0x2,
    High = 0x8000_0000_0000_0000,
}

type Scope = SynchronizationJobRestartScope;
type Flag = SynchronizationJobRestartScopeFlag;

fn scope(s: &str) -> Scope {
    s.parse().unwrap()
}

#[test]
fn seed_string_parses_to_members() {
    let parsed = scope("Watermark, Escrows, QuarantineState");
    assert_eq!(
        parsed,
        Scope::ESCROWS | Scope::WATERMARK | Scope::QUARANTINE_STATE
    );
    assert_eq!(parsed.bits(), 2 | 4 | 8);
    assert!(parsed.is_known());
    // Printing is canonical: declaration order.
    assert_eq!(parsed.to_string(), "Escrows, Watermark, QuarantineState");
}

#[test]
fn lower_case_member_parses() {
    // An official sample writes `watermark`.
    assert_eq!(scope("watermark"), Scope::WATERMARK);
    assert_eq!(scope("watermark").to_string(), "Watermark");
}

#[test]
fn messy_input_prints_canonically() {
    let parsed = scope("  Escrows ,watermark,,ESCROWS ");
    assert_eq!(parsed, Scope::ESCROWS | Scope::WATERMARK);
    assert_eq!(parsed.to_string(), "Escrows, Watermark");
    assert_eq!(
        scope("\tForceDeletes\n,\u{a0}connectordatastore").to_string(),
        "ConnectorDataStore, ForceDeletes"
    );
}

#[test]
fn composite_expands_and_prints_expanded() {
    assert_eq!(scope("Full"), Scope::FULL);
    assert_eq!(Scope::FULL.bits(), 15);
    assert_eq!(
        Scope::FULL,
        Scope::CONNECTOR_DATA_STORE | Scope::ESCROWS | Scope::WATERMARK | Scope::QUARANTINE_STATE
    );
    assert_eq!(
        Scope::FULL.to_string(),
        "ConnectorDataStore, Escrows, Watermark, QuarantineState"
    );
    assert_eq!(
        scope("full, ForceDeletes").to_string(),
        "ConnectorDataStore, Escrows, Watermark, QuarantineState, ForceDeletes"
    );
    assert_eq!(scope("Full, Escrows"), Scope::FULL);
    // Iteration yields single-bit members only.
    assert_eq!(
        Scope::FULL.iter().collect::<Vec<_>>(),
        [
            Flag::ConnectorDataStore,
            Flag::Escrows,
            Flag::Watermark,
            Flag::QuarantineState
        ]
    );
}

#[test]
fn empty_string_and_none_are_empty() {
    for empty in ["", "None", "none", " , ,", "None, None", " NONE "] {
        let parsed = scope(empty);
        assert!(parsed.is_empty(), "{empty:?}");
        assert_eq!(parsed, Scope::empty());
        assert_eq!(parsed, Scope::NONE);
        assert_eq!(parsed.to_string(), "None");
    }
    assert_eq!(scope("None, Watermark"), Scope::WATERMARK);
    assert_eq!(Scope::default(), Scope::empty());
    assert_eq!(Scope::empty().iter().count(), 0);
}

#[test]
fn unknown_names_are_kept_and_printed_back() {
    let parsed = scope("Future, Watermark");
    assert_eq!(parsed.bits(), 4);
    assert_eq!(parsed.unknown_names(), ["Future"]);
    assert!(!parsed.is_known());
    assert!(!parsed.is_empty());
    assert_eq!(parsed.to_string(), "Watermark, Future");
    assert_eq!(scope(&parsed.to_string()), parsed);
    // Unknown names come after the known ones, sorted ignoring case, each once, first spelling kept.
    let many = scope("zeta, Alpha, Watermark, beta, ALPHA, Escrows");
    assert_eq!(many.unknown_names(), ["Alpha", "beta", "zeta"]);
    assert_eq!(many.to_string(), "Escrows, Watermark, Alpha, beta, zeta");
    // Unknown names alone: no `None`.
    assert_eq!(scope("Future").to_string(), "Future");
}

#[test]
fn unknown_names_compare_ignoring_case() {
    assert_eq!(scope("Future"), scope("FUTURE"));
    let hashed: HashSet<Scope> = ["Future, Escrows", "escrows,future", "FUTURE ,ESCROWS"]
        .into_iter()
        .map(scope)
        .collect();
    assert_eq!(hashed.len(), 1);
    assert_ne!(scope("Future"), scope("Futures"));
    assert_ne!(scope("Future"), Scope::empty());
}

#[test]
fn unknown_names_under_operators() {
    let left = scope("Alpha, Beta, Watermark");
    let right = scope("beta, Gamma, Escrows");
    // Union keeps both sides' names (left spelling first).
    let union = left.clone() | right.clone();
    assert_eq!(union.to_string(), "Escrows, Watermark, Alpha, Beta, Gamma");
    assert_eq!(&left | &right, union);
    // Intersection keeps names in both.
    let intersection = left.clone() & right.clone();
    assert_eq!(intersection.unknown_names(), ["Beta"]);
    assert_eq!(intersection.bits(), 0);
    assert_eq!(intersection.to_string(), "Beta");
    // Difference removes the right side's names.
    let difference = left.clone() - right.clone();
    assert_eq!(difference.to_string(), "Watermark, Alpha");
    // Symmetric difference keeps names only one side has.
    let symmetric = left.clone() ^ right.clone();
    assert_eq!(symmetric.to_string(), "Escrows, Watermark, Alpha, Gamma");
    // Complement is within the known members and drops unknown names.
    let complement = !left.clone();
    assert!(complement.is_known());
    assert_eq!(
        complement.to_string(),
        "ConnectorDataStore, Escrows, QuarantineState, ForceDeletes"
    );
    assert_eq!(!&left, complement);
    // contains / intersects see unknown names too.
    assert!(union.contains(&left) && union.contains(&right));
    assert!(!left.contains(&right));
    assert!(left.intersects(&scope("BETA")));
    assert!(!left.intersects(&scope("Gamma, Escrows")));
}

#[test]
fn bitflags_api() {
    let mut set = Scope::empty();
    assert!(set.is_empty());
    set.insert(&Scope::WATERMARK);
    set |= Scope::ESCROWS;
    set |= &Scope::ESCROWS;
    assert_eq!(set, Scope::ESCROWS | Scope::WATERMARK);
    assert!(set.contains(&Scope::WATERMARK));
    assert!(set.contains(&Scope::NONE));
    assert!(!set.contains(&Scope::FULL));
    assert!(set.intersects(&Scope::FULL));
    assert!(!set.intersects(&Scope::FORCE_DELETES));
    set.remove(&Scope::WATERMARK);
    assert_eq!(set, Scope::ESCROWS);
    set.toggle(&Scope::FULL);
    assert_eq!(
        set,
        Scope::CONNECTOR_DATA_STORE | Scope::WATERMARK | Scope::QUARANTINE_STATE
    );
    set.set(&Scope::FORCE_DELETES, true);
    assert!(set.contains(&Scope::FORCE_DELETES));
    set.set(&Scope::FORCE_DELETES, false);
    assert!(!set.contains(&Scope::FORCE_DELETES));
    set &= Scope::WATERMARK | Scope::ESCROWS;
    assert_eq!(set, Scope::WATERMARK);
    set ^= &Scope::ESCROWS;
    set -= Scope::WATERMARK;
    assert_eq!(set, Scope::ESCROWS);
    set -= &Scope::ESCROWS;
    assert!(set.is_empty());

    assert_eq!(Scope::all().bits(), 47);
    assert!(Scope::all().is_all());
    assert!(!Scope::FULL.is_all());
    assert_eq!(!Scope::empty(), Scope::all());
    assert_eq!(!Scope::all(), Scope::empty());
    assert_eq!(!Scope::FULL, Scope::FORCE_DELETES);
    assert_eq!(Scope::from_bits(6), Some(Scope::ESCROWS | Scope::WATERMARK));
    assert_eq!(Scope::from_bits(16), None);
    assert_eq!(Scope::from_bits(0), Some(Scope::empty()));
    assert_eq!(Scope::from_bits_truncate(16 | 4 | 64), Scope::WATERMARK);
    assert_eq!(Scope::FULL.union(&Scope::FORCE_DELETES), Scope::all());
    assert_eq!(Scope::FULL.intersection(&Scope::ESCROWS), Scope::ESCROWS);
    assert_eq!(Scope::FULL.difference(&Scope::ESCROWS).bits(), 13);
    assert_eq!(
        Scope::FULL.symmetric_difference(&Scope::all()),
        Scope::FORCE_DELETES
    );
    assert_eq!(Scope::FULL.complement(), Scope::FORCE_DELETES);
    assert_eq!(&Scope::FULL & &Scope::ESCROWS, Scope::ESCROWS);
    assert_eq!(&Scope::FULL ^ &Scope::ESCROWS, Scope::FULL - Scope::ESCROWS);
    assert_eq!(&Scope::FULL - &Scope::ESCROWS, Scope::FULL - Scope::ESCROWS);
    // bitflags-style constant expressions.
    const EMPTY: Scope = Scope::empty();
    const ALL: Scope = Scope::all();
    const FROM_BITS: Option<Scope> = Scope::from_bits(6);
    assert_eq!(EMPTY, Scope::NONE);
    assert_eq!(ALL.bits(), 47);
    assert_eq!(FROM_BITS, Some(Scope::ESCROWS | Scope::WATERMARK));
}

#[test]
fn members_convert_and_combine() {
    assert_eq!(Scope::from(Flag::Watermark), Scope::WATERMARK);
    assert_eq!(Scope::from(Flag::Full), Scope::FULL);
    assert_eq!(Scope::from(Flag::None), Scope::empty());
    let combined: Scope = Flag::Escrows | Flag::Watermark;
    assert_eq!(combined, Scope::ESCROWS | Scope::WATERMARK);
    assert_eq!(
        combined.clone() | Flag::ForceDeletes,
        scope("Escrows, Watermark, ForceDeletes")
    );
    let mut set = Scope::empty();
    set |= Flag::QuarantineState;
    set.extend([Flag::Escrows, Flag::Escrows]);
    assert_eq!(set, scope("QuarantineState, Escrows"));
    let collected: Scope = [Flag::Watermark, Flag::Full].into_iter().collect();
    assert_eq!(collected, Scope::FULL);
    assert_eq!(
        collected.iter().map(Scope::from).collect::<Scope>(),
        Scope::FULL
    );
}

#[test]
fn debug_shows_member_names() {
    assert_eq!(
        format!("{:?}", Scope::ESCROWS | Scope::WATERMARK),
        "SynchronizationJobRestartScope(Escrows | Watermark)"
    );
    assert_eq!(
        format!("{:?}", Scope::empty()),
        "SynchronizationJobRestartScope(None)"
    );
    assert_eq!(
        format!("{:?}", scope("Future, Escrows")),
        r#"SynchronizationJobRestartScope(Escrows | "Future")"#
    );
    assert_eq!(format!("{:?}", Mode::empty()), "Mode()");
    assert_eq!(format!("{:?}", Mode::READ_WRITE), "Mode(Read | Write)");
}

#[test]
fn from_str_is_infallible() {
    let parsed: Result<Scope, Infallible> = Scope::from_str("anything, at all");
    assert_eq!(parsed.unwrap().unknown_names(), ["anything", "at all"]);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestartRequestBody {
    criteria: RestartCriteria,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestartCriteria {
    reset_scope: SynchronizationJobRestartScope,
}

#[test]
fn serde_round_trip_inside_a_struct() {
    // The seed body of POST .../jobs/{id}/restart.
    let json = r#"{"criteria":{"resetScope":"Watermark, Escrows, QuarantineState"}}"#;
    let body: RestartRequestBody = serde_json::from_str(json).unwrap();
    assert_eq!(
        body.criteria.reset_scope,
        Scope::ESCROWS | Scope::WATERMARK | Scope::QUARANTINE_STATE
    );
    // Written back as received: the wire form keeps the order, `Display` is canonical.
    let written = serde_json::to_string(&body).unwrap();
    assert_eq!(written, json);
    assert_eq!(
        body.criteria.reset_scope.to_string(),
        "Escrows, Watermark, QuarantineState"
    );
    assert_eq!(
        serde_json::from_str::<RestartRequestBody>(&written).unwrap(),
        body
    );

    // Unknown names survive GET -> PUT.
    let json = r#"{"criteria":{"resetScope":"Watermark, FutureThing"}}"#;
    let body: RestartRequestBody = serde_json::from_str(json).unwrap();
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"criteria":{"resetScope":"Watermark, FutureThing"}}"#
    );

    assert_eq!(serde_json::to_string(&Scope::empty()).unwrap(), r#""None""#);
    assert_eq!(
        Scope::deserialize(serde_json::Value::String("full".into())).unwrap(),
        Scope::FULL
    );
    let err = serde_json::from_str::<Scope>("[\"Watermark\"]")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a string of SynchronizationJobRestartScope member names joined by commas"),
        "{err}"
    );
}

#[test]
fn directory_definition_discoverabilities() {
    type D = DirectoryDefinitionDiscoverabilities;
    let parsed: D = "AttributeNames, AttributeDataTypes, AttributeReadOnly, ReferenceAttributes"
        .parse()
        .unwrap();
    assert_eq!(
        parsed,
        D::ATTRIBUTE_NAMES
            | D::ATTRIBUTE_DATA_TYPES
            | D::ATTRIBUTE_READ_ONLY
            | D::REFERENCE_ATTRIBUTES
    );
    assert_eq!(parsed.bits(), 15);
    assert_eq!(
        parsed.to_string(),
        "AttributeNames, AttributeDataTypes, AttributeReadOnly, ReferenceAttributes"
    );
    // `UnknownFutureValue` (capital U) is a known member here, not an unknown name.
    let sentinel: D = "unknownFutureValue".parse().unwrap();
    assert_eq!(sentinel, D::UNKNOWN_FUTURE_VALUE);
    assert!(sentinel.is_known());
    assert_eq!(sentinel.to_string(), "UnknownFutureValue");
    assert_eq!(D::all().bits(), 31);
    assert_eq!(D::empty().to_string(), "None");
    assert_eq!(
        D::all().iter().collect::<Vec<_>>(),
        [
            DirectoryDefinitionDiscoverabilitiesFlag::AttributeNames,
            DirectoryDefinitionDiscoverabilitiesFlag::AttributeDataTypes,
            DirectoryDefinitionDiscoverabilitiesFlag::AttributeReadOnly,
            DirectoryDefinitionDiscoverabilitiesFlag::ReferenceAttributes,
            DirectoryDefinitionDiscoverabilitiesFlag::UnknownFutureValue,
        ]
    );
}

#[test]
fn object_flow_types() {
    let parsed: ObjectFlowTypes = "Add, Update, Delete".parse().unwrap();
    assert_eq!(parsed, ObjectFlowTypes::all());
    assert_eq!(
        parsed,
        ObjectFlowTypes::ADD | ObjectFlowTypes::UPDATE | ObjectFlowTypes::DELETE
    );
    assert_eq!(parsed.to_string(), "Add, Update, Delete");
    assert_eq!(
        "delete,add".parse::<ObjectFlowTypes>().unwrap().to_string(),
        "Add, Delete"
    );
    assert_eq!(
        serde_json::to_string(&ObjectFlowTypes::UPDATE).unwrap(),
        r#""Update""#
    );
}

#[test]
fn renames_aliases_and_sets_without_a_zero_member() {
    assert_eq!("r, W".parse::<Mode>().unwrap(), Mode::READ_WRITE);
    assert_eq!(
        "ReadWrite".parse::<Mode>().unwrap().to_string(),
        "read, write"
    );
    assert_eq!(Mode::READ | Mode::WRITE, Mode::READ_WRITE);
    // Without a zero member the empty set prints as "".
    assert_eq!(Mode::empty().to_string(), "");
    assert_eq!("".parse::<Mode>().unwrap(), Mode::empty());
    assert_eq!(Mode::HIGH.bits(), 1 << 63);
    assert_eq!(Mode::all().bits(), (1 << 63) | 3);
    assert_eq!(Mode::all().to_string(), "read, write, High");
    assert_eq!(
        Mode::from(ModeFlag::ReadWrite).iter().collect::<Vec<_>>(),
        [ModeFlag::Read, ModeFlag::Write]
    );
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

fn hash<T: Hash>(value: &T) -> u64 {
    // One `RandomState` for every call: equal values must hash alike.
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(RandomState::new).hash_one(value)
}

#[test]
fn official_restart_example_is_sent_as_documented() {
    let restart = Scope::WATERMARK | Scope::ESCROWS | Scope::QUARANTINE_STATE;
    assert_eq!(json(&restart), "\"Watermark, Escrows, QuarantineState\"");
    assert_eq!(restart.to_wire(), "Watermark, Escrows, QuarantineState");
    assert_eq!(restart.to_string(), "Escrows, Watermark, QuarantineState");
    let from_wire = scope("Watermark, Escrows, QuarantineState");
    let from_display = scope("Escrows, Watermark, QuarantineState");
    assert_eq!(restart, from_wire);
    assert_eq!(restart, from_display);
    assert_eq!(from_wire, from_display);
    assert_eq!(hash(&restart), hash(&from_wire));
    assert_eq!(hash(&restart), hash(&from_display));
    assert_eq!(
        hash(&scope("Future, Watermark")),
        hash(&scope("WATERMARK, future"))
    );
    // The two forms still print differently.
    assert_eq!(
        from_display.to_wire(),
        "Escrows, Watermark, QuarantineState"
    );
    assert_eq!(
        json(&from_display),
        "\"Escrows, Watermark, QuarantineState\""
    );
}

#[test]
fn serde_round_trip_keeps_the_order() {
    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(text: &str) {
        let quoted = serde_json::Value::String(text.to_owned());
        let value: T = serde_json::from_value(quoted.clone()).unwrap();
        assert_eq!(serde_json::to_value(&value).unwrap(), quoted, "{text:?}");
    }
    round_trip::<Scope>("Watermark, Escrows, QuarantineState");
    round_trip::<ObjectFlowTypes>("Add, Update, Delete");
    round_trip::<ObjectFlowTypes>("Delete, Add");
    round_trip::<DirectoryDefinitionDiscoverabilities>("AttributeNames, AttributeDataTypes");
    round_trip::<DirectoryDefinitionDiscoverabilities>("AttributeDataTypes, AttributeNames");
    // An unknown name keeps its place.
    round_trip::<Scope>("Future, Watermark");
    round_trip::<Scope>("Watermark, Future, Escrows");
    round_trip::<Scope>("None");
    round_trip::<Mode>("write, Later, read");
    round_trip::<Mode>("");
}

#[test]
fn wire_form_spelling_duplicates_composites_and_empty() {
    // Canonical spelling, single spaces, first occurrence kept.
    assert_eq!(
        scope(" watermark ,ESCROWS,, Watermark, future, FUTURE").to_wire(),
        "Watermark, Escrows, future"
    );
    assert_eq!(scope("future, FUTURE").unknown_names(), ["future"]);
    // A combined member read by name is written back by name (issue 12: `"Full"` stays `"Full"`) ...
    assert_eq!(scope("Full").to_wire(), "Full");
    assert_eq!(json(&scope("full")), "\"Full\"");
    assert_eq!(scope("Full, ForceDeletes").to_wire(), "Full, ForceDeletes");
    assert_eq!(scope("ForceDeletes, Full").to_wire(), "ForceDeletes, Full");
    // ... its parts given again after it are repeats ...
    assert_eq!(scope("Full, Watermark, Escrows").to_wire(), "Full");
    // ... but given after one of its parts, it adds the missing parts in declaration order.
    assert_eq!(
        scope("ForceDeletes, Watermark, Full").to_wire(),
        "ForceDeletes, Watermark, ConnectorDataStore, Escrows, QuarantineState"
    );
    // The constant, built in code, is written as its parts; both are the same set.
    assert_eq!(
        Scope::FULL.to_wire(),
        "ConnectorDataStore, Escrows, Watermark, QuarantineState"
    );
    assert_eq!(scope("Full"), Scope::FULL);
    assert_eq!(scope("Full").to_string(), Scope::FULL.to_string());
    assert_eq!(hash(&scope("Full")), hash(&Scope::FULL));
    assert_eq!(format!("{:?}", scope("Full")), format!("{:?}", Scope::FULL));
    // The empty member adds nothing; the empty set is written as its name, or "".
    assert_eq!(scope("None, Watermark").to_wire(), "Watermark");
    // ... unless the set was read from text without names, which goes back as read while empty.
    assert_eq!(scope("None").to_wire(), "None");
    assert_eq!(scope("").to_wire(), "");
    assert_eq!(json(&scope(" , ")), "\"\"");
    assert_eq!((scope("") | Scope::WATERMARK).to_wire(), "Watermark");
    assert_eq!(
        ((scope("") | Scope::WATERMARK) - Scope::WATERMARK).to_wire(),
        ""
    );
    assert_eq!((Scope::WATERMARK | scope("")).to_wire(), "Watermark");
    assert_eq!((Scope::WATERMARK - Scope::WATERMARK).to_wire(), "None");
    assert_eq!(scope(""), Scope::empty());
    assert_eq!(scope("").to_string(), "None");
    assert_eq!(json(&Scope::empty()), "\"None\"");
    assert_eq!(Mode::empty().to_wire(), "");
    assert_eq!(
        "w, ReadWrite".parse::<Mode>().unwrap().to_wire(),
        "write, read"
    );
    assert_eq!(json(&"w, r".parse::<Mode>().unwrap()), "\"write, read\"");
}

#[test]
fn a_combined_member_read_by_name_survives_the_operators_while_whole() {
    let full = scope("Full");
    // Adding or intersecting with parts it has keeps the name.
    assert_eq!((full.clone() | Scope::WATERMARK).to_wire(), "Full");
    assert_eq!(
        (full.clone() | Scope::FORCE_DELETES).to_wire(),
        "Full, ForceDeletes"
    );
    assert_eq!((full.clone() & Scope::all()).to_wire(), "Full");
    assert_eq!(
        (scope("ForceDeletes, Full") - Scope::FORCE_DELETES).to_wire(),
        "Full"
    );
    // Losing a part writes the parts left, in its place.
    assert_eq!(
        (scope("ForceDeletes, Full, future") - Scope::ESCROWS).to_wire(),
        "ForceDeletes, ConnectorDataStore, Watermark, QuarantineState, future"
    );
    assert_eq!(
        (full.clone() & (Scope::WATERMARK | Scope::ESCROWS)).to_wire(),
        "Escrows, Watermark"
    );
    assert_eq!(
        (full.clone() ^ Scope::WATERMARK).to_wire(),
        "ConnectorDataStore, Escrows, QuarantineState"
    );
    let mut toggled = scope("Watermark");
    toggled.toggle(&scope("Full"));
    assert_eq!(
        toggled.to_wire(),
        "ConnectorDataStore, Escrows, QuarantineState"
    );
    // A union with a set read as `"Full"` carries the name when none of its parts is there yet.
    assert_eq!(
        (scope("ForceDeletes") | full.clone()).to_wire(),
        "ForceDeletes, Full"
    );
    assert_eq!(
        (Scope::WATERMARK | full.clone()).to_wire(),
        "Watermark, ConnectorDataStore, Escrows, QuarantineState"
    );
    let mut set = Scope::empty();
    set.insert(&full);
    assert_eq!(set.to_wire(), "Full");
    set.remove(&Scope::FULL);
    assert_eq!(set.to_wire(), "None");
    assert!((full.clone() - Scope::FULL).is_empty());
    assert_eq!(full.complement().to_wire(), "ForceDeletes");
    assert_eq!(full.iter().count(), 4);
}

#[test]
fn constructors_use_declaration_order() {
    assert_eq!(Scope::WATERMARK.to_wire(), "Watermark");
    assert_eq!(
        Scope::all().to_wire(),
        "ConnectorDataStore, Escrows, Watermark, QuarantineState, ForceDeletes"
    );
    assert_eq!(Scope::empty().to_wire(), "None");
    assert_eq!(
        Scope::from_bits(4 | 2).unwrap().to_wire(),
        "Escrows, Watermark"
    );
    assert_eq!(
        Scope::from_bits_truncate(64 | 8 | 1).to_wire(),
        "ConnectorDataStore, QuarantineState"
    );
    const FULL: Scope = Scope::FULL;
    assert_eq!(json(&FULL), json(&Scope::FULL));
    assert_eq!(Scope::from(Flag::Full).to_wire(), Scope::FULL.to_wire());
    // The complement is in declaration order whatever the operand's order.
    assert_eq!(
        (!scope("QuarantineState, ForceDeletes, Future")).to_wire(),
        "ConnectorDataStore, Escrows, Watermark"
    );
    assert_eq!(
        scope("Watermark, Escrows").complement().to_wire(),
        "ConnectorDataStore, QuarantineState, ForceDeletes"
    );
}

#[test]
fn union_appends_the_right_sides_new_members() {
    let left = scope("Watermark, Future, Escrows");
    let right = scope("QuarantineState, escrows, Later, FUTURE, ConnectorDataStore");
    let union = left.clone() | right.clone();
    assert_eq!(
        union.to_wire(),
        "Watermark, Future, Escrows, QuarantineState, Later, ConnectorDataStore"
    );
    assert_eq!((&left | &right).to_wire(), union.to_wire());
    assert_eq!(left.union(&right).to_wire(), union.to_wire());
    let mut assigned = left.clone();
    assigned |= &right;
    assert_eq!(assigned.to_wire(), union.to_wire());
    // A constant on the left lists its own members first, then the right side's.
    assert_eq!(
        (Scope::FULL | scope("ForceDeletes, Watermark")).to_wire(),
        "ConnectorDataStore, Escrows, Watermark, QuarantineState, ForceDeletes"
    );
    assert_eq!(
        (Scope::FORCE_DELETES | Scope::FULL).to_wire(),
        "ForceDeletes, ConnectorDataStore, Escrows, Watermark, QuarantineState"
    );
    // Members: left then right.
    assert_eq!(
        (Flag::Watermark | Flag::Escrows).to_wire(),
        "Watermark, Escrows"
    );
    assert_eq!(
        (Flag::QuarantineState | Flag::ConnectorDataStore | Flag::Escrows).to_wire(),
        "QuarantineState, ConnectorDataStore, Escrows"
    );
    let mut set = Scope::QUARANTINE_STATE;
    set |= Flag::Watermark;
    set.insert(&Scope::CONNECTOR_DATA_STORE);
    set.set(&scope("Future, Escrows"), true);
    set.extend([Flag::ForceDeletes, Flag::Watermark]);
    set.extend([scope("Later")]);
    assert_eq!(
        set.to_wire(),
        "QuarantineState, Watermark, ConnectorDataStore, Future, Escrows, ForceDeletes, Later"
    );
    let collected: Scope = [Flag::Watermark, Flag::Full, Flag::None]
        .into_iter()
        .collect();
    assert_eq!(
        collected.to_wire(),
        "Watermark, ConnectorDataStore, Escrows, QuarantineState"
    );
    let collected: Scope = [scope("b, Escrows"), scope("a, B, Watermark")]
        .into_iter()
        .collect();
    assert_eq!(collected.to_wire(), "b, Escrows, a, Watermark");
}

#[test]
fn intersection_and_difference_keep_the_left_sides_order() {
    let left = scope("QuarantineState, Future, Watermark, Later, Escrows");
    let right = scope("escrows, LATER, ConnectorDataStore, QuarantineState");
    assert_eq!(
        (left.clone() & right.clone()).to_wire(),
        "QuarantineState, Later, Escrows"
    );
    assert_eq!(
        left.intersection(&right).to_wire(),
        "QuarantineState, Later, Escrows"
    );
    assert_eq!(
        (&left & &right).to_wire(),
        "QuarantineState, Later, Escrows"
    );
    assert_eq!(
        (left.clone() - right.clone()).to_wire(),
        "Future, Watermark"
    );
    assert_eq!(left.difference(&right).to_wire(), "Future, Watermark");
    let mut removed = left.clone();
    removed.remove(&Scope::WATERMARK);
    assert_eq!(removed.to_wire(), "QuarantineState, Future, Later, Escrows");
    removed.set(&scope("future, QuarantineState"), false);
    assert_eq!(removed.to_wire(), "Later, Escrows");
    // A constant on the left keeps declaration order.
    assert_eq!(
        (Scope::FULL - Scope::ESCROWS).to_wire(),
        "ConnectorDataStore, Watermark, QuarantineState"
    );
    assert_eq!(
        (Scope::FULL & scope("QuarantineState, Escrows")).to_wire(),
        "Escrows, QuarantineState"
    );
    // Members added after a difference still go last.
    let mut set = Scope::FULL - Scope::ESCROWS;
    set |= Scope::ESCROWS;
    assert_eq!(
        set.to_wire(),
        "ConnectorDataStore, Watermark, QuarantineState, Escrows"
    );
}

#[test]
fn symmetric_difference_keeps_the_left_then_appends_the_right() {
    let left = scope("Watermark, Future, Escrows");
    let right = scope("QuarantineState, escrows, Later, future, ConnectorDataStore");
    let xor = left.clone() ^ right.clone();
    assert_eq!(
        xor.to_wire(),
        "Watermark, QuarantineState, Later, ConnectorDataStore"
    );
    assert_eq!(
        xor,
        scope("ConnectorDataStore, Watermark, QuarantineState, Later")
    );
    assert_eq!(left.symmetric_difference(&right).to_wire(), xor.to_wire());
    assert_eq!((&left ^ &right).to_wire(), xor.to_wire());
    let mut toggled = left.clone();
    toggled.toggle(&right);
    assert_eq!(toggled.to_wire(), xor.to_wire());
    assert_eq!(
        (Scope::QUARANTINE_STATE ^ Scope::FULL).to_wire(),
        "ConnectorDataStore, Escrows, Watermark"
    );
    assert_eq!(
        (scope("Watermark, ForceDeletes") ^ Scope::FULL).to_wire(),
        "ForceDeletes, ConnectorDataStore, Escrows, QuarantineState"
    );
}

#[test]
fn equality_and_hash_ignore_the_order() {
    let sets = [
        scope("Watermark, Future, Escrows"),
        scope("escrows, FUTURE, watermark"),
        Scope::ESCROWS | scope("Future") | Scope::WATERMARK,
        scope("Future") | Scope::WATERMARK | Scope::ESCROWS,
    ];
    for a in &sets {
        for b in &sets {
            assert_eq!(a, b);
            assert_eq!(hash(a), hash(b));
        }
    }
    let hashed: HashSet<Scope> = sets.into_iter().collect();
    assert_eq!(hashed.len(), 1);
    assert_eq!(
        format!("{:?}", scope("Watermark, Future, Escrows")),
        r#"SynchronizationJobRestartScope(Escrows | Watermark | "Future")"#
    );
}
