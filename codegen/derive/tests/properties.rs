//! Property tests of the flag sets' wire form: `parse(print(x)) == x` for any set, and `print(parse(s))`
//! is canonical for any mix of case, spacing, order and duplicates.

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
