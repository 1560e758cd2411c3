//! Property tests of the flag sets' string forms: `parse(print(x)) == x` for any set, and `print(parse(s))`
//! is canonical (`Display`) for any mix of case, spacing, order and duplicates; the wire form (serde)
//! keeps the order members were given in, through parsing and every operator, so that a list of distinct
//! names survives a serde round trip unchanged and `serde(parse(wire(x))) == wire(x)`.

use std::cmp::Ordering;
use std::fmt::{Debug, Display};
use std::str::FromStr;

use msgraph_sync_derive::GraphFlags;
use proptest::prelude::*;

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

/// No zero member, renamed members, aliases and a composite declared before its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
pub enum ModeFlag {
    /// Reading and writing.
    ReadWrite = 3,
    /// Reading.
    #[graph(rename = "read", alias = "r")]
    Read = 1,
    /// Writing.
    #[graph(rename = "write", alias = "w")]
    Write = 2,
    /// Executing.
    Execute = 16,
}

/// What the properties need to know about a set type, written out independently of the derive.
struct Spec {
    /// Every accepted spelling with its bits.
    spellings: &'static [(&'static str, u64)],
    /// The single-bit members' wire names in declaration order.
    printed: &'static [(&'static str, u64)],
    /// What the empty set prints as.
    empty: &'static str,
    all: u64,
}

const SCOPE: Spec = Spec {
    spellings: &[
        ("None", 0),
        ("ConnectorDataStore", 1),
        ("Escrows", 2),
        ("Watermark", 4),
        ("QuarantineState", 8),
        ("Full", 15),
        ("ForceDeletes", 32),
    ],
    printed: &[
        ("ConnectorDataStore", 1),
        ("Escrows", 2),
        ("Watermark", 4),
        ("QuarantineState", 8),
        ("ForceDeletes", 32),
    ],
    empty: "None",
    all: 47,
};

const MODE: Spec = Spec {
    spellings: &[
        ("ReadWrite", 3),
        ("read", 1),
        ("r", 1),
        ("write", 2),
        ("w", 2),
        ("Execute", 16),
    ],
    printed: &[("read", 1), ("write", 2), ("Execute", 16)],
    empty: "",
    all: 19,
};

impl Spec {
    /// The bits a spelling stands for, ignoring case.
    fn lookup(&self, name: &str) -> Option<u64> {
        self.spellings
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(name))
            .map(|&(_, bits)| bits)
    }

    /// The canonical spelling of the member with exactly these bits (the first spelling listed).
    fn canonical_name(&self, bits: u64) -> &'static str {
        self.spellings
            .iter()
            .find(|&&(_, b)| b == bits)
            .map(|&(name, _)| name)
            .unwrap()
    }

    /// The wire list of a parsed string: each name's members where it first appears, in canonical
    /// spelling; a combined member by its name if none of its parts came before, else its new parts in
    /// declaration order; unknown names as first spelled.
    fn wire_of_parse(&self, text: &str) -> Vec<Entry> {
        let mut list = Vec::new();
        let mut named = false;
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            named = true;
            match self.lookup(name) {
                Some(bits) => self.push_bits(&mut list, self.canonical_name(bits), bits),
                None => push_new(&mut list, name),
            }
        }
        if !named {
            // Text without names: written back as `""` while the set stays empty.
            list.push(Entry {
                name: String::new(),
                bits: 0,
            });
        }
        list
    }

    /// Appends a known member's entry: a single bit if absent; a combined member whole if none of its
    /// parts is present, else its absent parts.
    fn push_bits(&self, list: &mut Vec<Entry>, name: &str, bits: u64) {
        let present = bits_of(list);
        if bits.count_ones() > 1 && present & bits == 0 {
            list.push(Entry {
                name: name.to_owned(),
                bits,
            });
            return;
        }
        for &(printed, bit) in self.printed {
            if bits & bit != 0 && present & bit == 0 {
                list.push(Entry {
                    name: printed.to_owned(),
                    bits: bit,
                });
            }
        }
    }

    /// `a` followed by `b`'s entries that add something.
    fn append(&self, a: &[Entry], b: &[Entry]) -> Vec<Entry> {
        let mut list = a.to_vec();
        for entry in b {
            if entry.name.is_empty() {
                // `b`'s blank marker says nothing about `a`.
            } else if entry.bits == 0 {
                push_new(&mut list, &entry.name);
            } else {
                self.push_bits(&mut list, &entry.name, entry.bits);
            }
        }
        list
    }

    /// The entries of `list` still in the set of `bits` and `names`: a combined member missing some
    /// of its parts becomes the parts left, in its place.
    fn prune(&self, list: &[Entry], bits: u64, names: &[Entry]) -> Vec<Entry> {
        let mut out = Vec::new();
        for entry in list {
            if entry.name.is_empty() {
                out.push(entry.clone());
            } else if entry.bits == 0 {
                if contains_name(names, &entry.name) {
                    out.push(entry.clone());
                }
            } else if entry.bits & bits == entry.bits {
                out.push(entry.clone());
            } else {
                out.extend(self.declaration_order(entry.bits & bits));
            }
        }
        out
    }

    /// The wire list of a set without an order of its own: declaration order.
    fn declaration_order(&self, bits: u64) -> Vec<Entry> {
        self.printed
            .iter()
            .filter(|(_, bit)| bits & bit != 0)
            .map(|&(name, bit)| Entry {
                name: name.to_owned(),
                bits: bit,
            })
            .collect()
    }

    /// A wire list written out.
    fn join(&self, list: &[Entry]) -> String {
        let names: Vec<&str> = list
            .iter()
            .map(|e| e.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        match (names.is_empty(), list.is_empty()) {
            // Only the blank marker: read from `""`.
            (true, false) => String::new(),
            (true, true) => self.empty.to_owned(),
            (false, _) => names.join(", "),
        }
    }

    fn is_member(&self, name: &str) -> bool {
        self.spellings
            .iter()
            .any(|(s, _)| s.eq_ignore_ascii_case(name))
    }

    /// The canonical wire form of the set holding `bits` and `unknown` (in the order first seen).
    fn canonical(&self, bits: u64, unknown: &[String]) -> String {
        let mut names: Vec<String> = Vec::new();
        for name in unknown {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.clone());
            }
        }
        names.sort_by(|a, b| cmp_ignore_case(a, b));
        let known = self
            .printed
            .iter()
            .filter(|(_, bit)| bits & bit != 0)
            .map(|(name, _)| *name);
        let all: Vec<&str> = known.chain(names.iter().map(String::as_str)).collect();
        if all.is_empty() {
            self.empty.to_owned()
        } else {
            all.join(", ")
        }
    }
}

/// One entry of a wire list: a known member (single-bit or combined) with its bits, or an unknown name
/// (no bits).
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    bits: u64,
}

/// The known bits of a wire list.
fn bits_of(list: &[Entry]) -> u64 {
    list.iter().fold(0, |bits, e| bits | e.bits)
}

/// Whether a wire list has the unknown name `name`, ignoring case.
fn contains_name(list: &[Entry], name: &str) -> bool {
    list.iter()
        .any(|e| e.bits == 0 && e.name.eq_ignore_ascii_case(name))
}

/// Appends an unknown name if absent.
fn push_new(list: &mut Vec<Entry>, name: &str) {
    if !contains_name(list, name) {
        list.push(Entry {
            name: name.to_owned(),
            bits: 0,
        });
    }
}

/// The unknown names of `a` that satisfy `keep`.
fn names_where(a: &[Entry], keep: impl Fn(&str) -> bool) -> Vec<Entry> {
    a.iter()
        .filter(|e| e.bits == 0 && keep(&e.name))
        .cloned()
        .collect()
}

fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase())
}

/// Names that are not members of `spec`, ignoring case.
fn unknown_name(spec: &'static Spec) -> impl Strategy<Value = String> {
    "[A-Za-z]{1,10}".prop_filter("collides with a member", move |name| !spec.is_member(name))
}

/// One piece of a messy wire string: a name (member spelling or unknown), its letters' case scrambled,
/// with whitespace around it.
#[derive(Debug, Clone)]
struct Piece {
    name: String,
    /// `true` for a name that is not a member.
    unknown: bool,
    bits: u64,
    case_mask: u64,
    before: &'static str,
    after: &'static str,
}

const SPACES: &[&str] = &["", " ", "  ", "\t", "\n", " \t ", "\r\n", "\u{a0}"];

fn piece(spec: &'static Spec) -> impl Strategy<Value = Piece> {
    let member = (0..spec.spellings.len())
        .prop_map(move |i| (spec.spellings[i].0.to_owned(), false, spec.spellings[i].1));
    let unknown = unknown_name(spec).prop_map(|name| (name, true, 0));
    (
        prop_oneof![3 => member, 1 => unknown],
        any::<u64>(),
        prop::sample::select(SPACES),
        prop::sample::select(SPACES),
    )
        .prop_map(|((name, unknown, bits), case_mask, before, after)| Piece {
            name,
            unknown,
            bits,
            case_mask,
            before,
            after,
        })
}

impl Piece {
    fn scrambled(&self) -> String {
        let name: String = self
            .name
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if self.case_mask >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        format!("{}{name}{}", self.before, self.after)
    }
}

/// A messy wire string (pieces joined by `,`, with empty pieces thrown in) and its canonical form.
fn messy(spec: &'static Spec) -> impl Strategy<Value = (String, String)> {
    prop::collection::vec((piece(spec), any::<bool>()), 0..12).prop_map(move |pieces| {
        let mut text = String::new();
        let mut bits = 0;
        let mut unknown = Vec::new();
        for (i, (piece, empty_before)) in pieces.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            // Now and then an empty piece: ", ,".
            if *empty_before {
                text.push_str(" ,");
            }
            let scrambled = piece.scrambled();
            if piece.unknown {
                unknown.push(scrambled.trim().to_owned());
            } else {
                bits |= piece.bits;
            }
            text.push_str(&scrambled);
        }
        (text, spec.canonical(bits, &unknown))
    })
}

/// An arbitrary set: any known bits plus unknown names, built through the public API.
fn set<T>(
    spec: &'static Spec,
    from_bits: fn(u64) -> T,
) -> impl Strategy<Value = (T, u64, Vec<String>)>
where
    T: FromStr<Err = std::convert::Infallible> + std::ops::BitOr<Output = T> + Debug + Clone,
{
    (
        any::<u64>(),
        prop::collection::vec(unknown_name(spec), 0..5),
    )
        .prop_map(move |(bits, names)| {
            let bits = bits & spec.all;
            let mut set = from_bits(bits);
            for name in &names {
                set = set | name.parse().unwrap();
            }
            (set, bits, names)
        })
}

fn check_round_trip<T>(
    spec: &Spec,
    set: &T,
    bits: u64,
    names: &[String],
) -> Result<(), TestCaseError>
where
    T: FromStr<Err = std::convert::Infallible> + Display + PartialEq + Debug,
{
    let printed = set.to_string();
    prop_assert_eq!(&printed, &spec.canonical(bits, names));
    let parsed: T = printed.parse().unwrap();
    prop_assert_eq!(&parsed, set);
    prop_assert_eq!(parsed.to_string(), printed);
    Ok(())
}

fn check_messy<T>(text: &str, canonical: &str) -> Result<(), TestCaseError>
where
    T: FromStr<Err = std::convert::Infallible> + Display + PartialEq + Debug,
{
    let parsed: T = text.parse().unwrap();
    let printed = parsed.to_string();
    prop_assert_eq!(&printed, canonical, "input {:?}", text);
    let reparsed: T = printed.parse().unwrap();
    prop_assert_eq!(&reparsed, &parsed);
    prop_assert_eq!(reparsed.to_string(), printed);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scope_parse_print_round_trips((set, bits, names) in set(&SCOPE, SynchronizationJobRestartScope::from_bits_truncate)) {
        check_round_trip(&SCOPE, &set, bits, &names)?;
        prop_assert_eq!(set.bits(), bits);
        let json = serde_json::to_string(&set).unwrap();
        prop_assert_eq!(serde_json::from_str::<SynchronizationJobRestartScope>(&json).unwrap(), set);
    }

    #[test]
    fn mode_parse_print_round_trips((set, bits, names) in set(&MODE, Mode::from_bits_truncate)) {
        check_round_trip(&MODE, &set, bits, &names)?;
    }

    #[test]
    fn scope_print_of_messy_input_is_canonical((text, canonical) in messy(&SCOPE)) {
        check_messy::<SynchronizationJobRestartScope>(&text, &canonical)?;
    }

    #[test]
    fn mode_print_of_messy_input_is_canonical((text, canonical) in messy(&MODE)) {
        check_messy::<Mode>(&text, &canonical)?;
    }

    #[test]
    fn scope_operators_match_bit_arithmetic(a in any::<u64>(), b in any::<u64>()) {
        type S = SynchronizationJobRestartScope;
        let (x, y) = (S::from_bits_truncate(a), S::from_bits_truncate(b));
        prop_assert_eq!((x.clone() | y.clone()).bits(), (a | b) & SCOPE.all);
        prop_assert_eq!((x.clone() & y.clone()).bits(), a & b & SCOPE.all);
        prop_assert_eq!((x.clone() ^ y.clone()).bits(), (a ^ b) & SCOPE.all);
        prop_assert_eq!((x.clone() - y.clone()).bits(), a & !b & SCOPE.all);
        prop_assert_eq!((!x.clone()).bits(), !a & SCOPE.all);
        prop_assert_eq!(x.contains(&y), a & b & SCOPE.all == b & SCOPE.all);
        prop_assert_eq!(x.intersects(&y), a & b & SCOPE.all != 0);
        prop_assert_eq!(x.iter().collect::<S>(), x.clone());
        prop_assert_eq!(S::from_bits(a), (a & !SCOPE.all == 0).then(|| x.clone()));
    }
}

/// Distinct names (single-bit members in canonical spelling and unknown names) in any order.
fn distinct_names(spec: &'static Spec, min: usize) -> impl Strategy<Value = Vec<String>> {
    let known: Vec<String> = spec.printed.iter().map(|(n, _)| (*n).to_owned()).collect();
    let count = known.len();
    (
        prop::sample::subsequence(known, 0..=count),
        prop::collection::vec(unknown_name(spec), 0..4),
    )
        .prop_map(|(mut names, unknown)| {
            for name in unknown {
                if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                    names.push(name);
                }
            }
            names
        })
        .prop_shuffle()
        .prop_filter("too few names", move |names| names.len() >= min)
}

/// The serde wire string of `text` after a JSON round trip through `T`.
fn serde_round_trip<T>(text: &str) -> String
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let json = serde_json::to_string(text).unwrap();
    let value: T = serde_json::from_str(&json).unwrap();
    serde_json::from_str::<String>(&serde_json::to_string(&value).unwrap()).unwrap()
}

type S = SynchronizationJobRestartScope;

/// A `Scope` operand: parsed from names (members, combined members, the empty member, unknown names that
/// collide ignoring case), or built from bits; with its expected wire list.
fn operand() -> impl Strategy<Value = (S, Vec<Entry>)> {
    const UNKNOWN: &[&str] = &["Future", "FUTURE", "future", "Later", "later", "Alpha"];
    let name = prop_oneof![
        3 => (0..SCOPE.spellings.len()).prop_map(|i| SCOPE.spellings[i].0),
        1 => prop::sample::select(UNKNOWN),
    ];
    let parsed = (
        prop::collection::vec(name, 0..7),
        prop::sample::select(&[", ", ",", " ,  "][..]),
    )
        .prop_map(|(names, separator)| {
            let text = names.join(separator);
            (text.parse::<S>().unwrap(), SCOPE.wire_of_parse(&text))
        });
    let from_bits = any::<u64>().prop_map(|bits| {
        (
            S::from_bits_truncate(bits),
            SCOPE.declaration_order(bits & SCOPE.all),
        )
    });
    prop_oneof![3 => parsed, 1 => from_bits]
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Union,
    Intersection,
    Difference,
    SymmetricDifference,
    Complement,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Union),
        2 => Just(Op::Intersection),
        2 => Just(Op::Difference),
        2 => Just(Op::SymmetricDifference),
        1 => Just(Op::Complement),
    ]
}

/// The operators' order rules, on wire lists.
fn apply(op: Op, a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let (bits_a, bits_b) = (bits_of(a), bits_of(b));
    let only_a = names_where(a, |n| !contains_name(b, n));
    let only_b = names_where(b, |n| !contains_name(a, n));
    match op {
        Op::Union => SCOPE.append(a, b),
        Op::Intersection => {
            SCOPE.prune(a, bits_a & bits_b, &names_where(a, |n| contains_name(b, n)))
        }
        Op::Difference => SCOPE.prune(a, bits_a & !bits_b, &only_a),
        Op::SymmetricDifference => {
            let kept = SCOPE.prune(a, bits_a & !bits_b, &only_a);
            let added = SCOPE.prune(b, bits_b & !bits_a, &only_b);
            SCOPE.append(&kept, &added)
        }
        Op::Complement => SCOPE.declaration_order(!bits_a & SCOPE.all),
    }
}

/// A `Scope` built by a chain of operators, with its expected wire list.
fn built() -> impl Strategy<Value = (S, Vec<Entry>)> {
    (operand(), prop::collection::vec((op(), operand()), 0..6)).prop_map(|(first, steps)| {
        let (mut set, mut list) = first;
        for (op, (rhs, rhs_list)) in steps {
            set = match op {
                Op::Union => set | rhs,
                Op::Intersection => set & rhs,
                Op::Difference => set - rhs,
                Op::SymmetricDifference => set ^ rhs,
                Op::Complement => !set,
            };
            list = apply(op, &list, &rhs_list);
        }
        (set, list)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scope_serde_keeps_any_order_of_distinct_names(names in distinct_names(&SCOPE, 1)) {
        let text = names.join(", ");
        prop_assert_eq!(serde_round_trip::<S>(&text), text.clone());
        let parsed: S = text.parse().unwrap();
        prop_assert_eq!(parsed.to_wire(), text);
    }

    #[test]
    fn mode_serde_keeps_any_order_of_distinct_names(names in distinct_names(&MODE, 0)) {
        let text = names.join(", ");
        prop_assert_eq!(serde_round_trip::<Mode>(&text), text);
    }

    #[test]
    fn scope_wire_order_follows_the_rules((set, list) in built()) {
        let wire = set.to_wire();
        prop_assert_eq!(&wire, &SCOPE.join(&list));
        // serde writes the wire form, and reading it back writes it again unchanged.
        prop_assert_eq!(serde_json::to_string(&set).unwrap(), serde_json::to_string(&wire).unwrap());
        prop_assert_eq!(serde_round_trip::<S>(&wire), wire.clone());
        // Both forms parse back to the same set; `Display` stays canonical.
        let from_wire: S = wire.parse().unwrap();
        prop_assert_eq!(&from_wire, &set);
        let from_display: S = set.to_string().parse().unwrap();
        prop_assert_eq!(&from_display, &set);
        prop_assert_eq!(from_display.to_string(), set.to_string());
        prop_assert_eq!(set.to_string(), SCOPE.canonical(set.bits(), set.unknown_names()));
        let hasher = std::hash::RandomState::new();
        prop_assert_eq!(
            std::hash::BuildHasher::hash_one(&hasher, &from_display),
            std::hash::BuildHasher::hash_one(&hasher, &set)
        );
    }

    #[test]
    fn mode_serde_of_parsed_wire_is_the_wire((set, _, _) in set(&MODE, Mode::from_bits_truncate)) {
        let wire = set.to_wire();
        prop_assert_eq!(serde_round_trip::<Mode>(&wire), wire);
    }
}
