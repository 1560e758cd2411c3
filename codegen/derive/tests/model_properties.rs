//! Property tests of `#[derive(GraphModel)]`: for any object (known properties with values or explicit
//! `null`s, unknown members with any JSON value written with any spacing, `@` members anywhere, in any
//! order), decode → encode gives exactly the members' JSON texts, `@` members first in the order read,
//! then the known properties in declaration order, each after the members annotating it
//! (`anchor@odata.type`), then the other members in the order read; and the output reads back to an equal value that writes the same text again.

use msgraph_sync::{GraphModel, Nullable, UnknownProperties};
use proptest::prelude::*;

/// A nested model.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Pair {
    /// Key.
    #[graph(rename = "key")]
    pub key: Option<String>,
    /// Value.
    #[graph(rename = "value", nullable)]
    pub value: Nullable<String>,
    /// The rest.
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// The model under test.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Attribute {
    /// Non-nullable scalar.
    #[graph(rename = "anchor")]
    pub anchor: Option<bool>,
    /// Nullable list of models.
    #[graph(rename = "apiExpressions", nullable)]
    pub api_expressions: Nullable<Vec<Pair>>,
    /// Nullable string.
    #[graph(rename = "defaultValue", nullable)]
    pub default_value: Nullable<String>,
    /// Non-nullable integer.
    #[graph(rename = "priority")]
    pub priority: Option<i64>,
    /// The rest.
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// The known properties in declaration order, each with values as read and as written back.
const KNOWN: &[(&str, &[(&str, &str)])] = &[
    (
        "anchor",
        &[("true", "true"), ("false", "false"), ("null", "null")],
    ),
    (
        "apiExpressions",
        &[
            ("null", "null"),
            ("[ ]", "[]"),
            (
                r#"[ {"value" : null, "x": 1e400, "key":"k"} ]"#,
                r#"[{"key":"k","value":null,"x":1e400}]"#,
            ),
            (
                r##"[{"@odata.type":"#p","key":null},{}]"##,
                r##"[{"@odata.type":"#p","key":null},{}]"##,
            ),
        ],
    ),
    (
        "defaultValue",
        &[
            ("null", "null"),
            (r#""""#, r#""""#),
            (r#""a \"b\" é""#, r#""a \"b\" é""#),
            (r#""\u00e9\n""#, r#""é\n""#),
        ],
    ),
    (
        "priority",
        &[
            ("0", "0"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("null", "null"),
        ],
    ),
];

/// Names of members the model does not know, `@` ones included.
const UNKNOWN_KEYS: &[&str] = &[
    "@odata.type",
    "@odata.etag",
    "@odata.context",
    "@microsoft.graph.tips",
    "futureKnob",
    "bigNumber",
    "nested",
    "with space",
    "é",
    "k\"ey",
    "",
    "anchor@odata.type",
    "anchor@ns.note",
    "priority@odata.type",
    "futureKnob@odata.type",
];

/// Any JSON value as text, with spacing inside arrays and objects; numbers of any size and precision.
fn json_text() -> impl Strategy<Value = String> {
    let space = prop::sample::select(&["", " ", "\n  ", "\t"][..]);
    let number = "-?(0|[1-9][0-9]{0,40})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?";
    let string = "[a-zé\"\\\\ ]{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap());
    let leaf = prop_oneof![
        number.prop_map(|n| n.to_owned()),
        string,
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        let space = space.clone();
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..4), space.clone())
                .prop_map(|(items, s)| { format!("[{s}{}{s}]", items.join(&format!("{s},{s}"))) }),
            (prop::collection::vec(("[a-z@.]{0,5}", inner), 0..4), space).prop_map(
                |(members, s)| {
                    // Distinct keys: a key read twice is an error, tested elsewhere.
                    let mut seen = std::collections::HashSet::new();
                    let members: Vec<String> = members
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .map(|(k, v)| format!("{}{s}:{s}{v}", serde_json::to_string(&k).unwrap()))
                        .collect();
                    format!("{{{s}{}{s}}}", members.join(&format!("{s},{s}")))
                }
            ),
        ]
    })
}

/// One member of the input: its key, its text as read, and what the model should write for it.
#[derive(Debug, Clone)]
struct Member {
    key: String,
    read: String,
    written: String,
    /// Index in `KNOWN`, for a known property.
    known: Option<usize>,
}

fn member() -> impl Strategy<Value = Member> {
    let known = (0..KNOWN.len()).prop_flat_map(|i| {
        let (key, values) = KNOWN[i];
        prop::sample::select(values).prop_map(move |(read, written)| Member {
            key: key.to_owned(),
            read: read.to_owned(),
            written: written.to_owned(),
            known: Some(i),
        })
    });
    let unknown =
        (prop::sample::select(UNKNOWN_KEYS), json_text()).prop_map(|(key, text)| Member {
            key: key.to_owned(),
            written: text.clone(),
            read: text,
            known: None,
        });
    prop_oneof![known, unknown]
}

/// An object of distinct members in any order, with any spacing, and the text the model must write.
fn object() -> impl Strategy<Value = (String, String)> {
    let space = prop::sample::select(&["", " ", "\n", "\r\n\t "][..]);
    (
        prop::collection::vec((member(), space.clone()), 0..10),
        space,
    )
        .prop_map(|(members, end)| {
            let mut seen = std::collections::HashSet::new();
            let members: Vec<(Member, &str)> = members
                .into_iter()
                .filter(|(m, _)| seen.insert(m.key.clone()))
                .collect();
            let read: Vec<String> = members
                .iter()
                .map(|(m, s)| {
                    format!(
                        "{s}{}{s}:{s}{}{s}",
                        serde_json::to_string(&m.key).unwrap(),
                        m.read
                    )
                })
                .collect();
            let input = format!("{{{}{end}}}", read.join(","));

            let entry =
                |m: &Member| format!("{}:{}", serde_json::to_string(&m.key).unwrap(), m.written);
            let members: Vec<&Member> = members.iter().map(|(m, _)| m).collect();
            // The known property an unknown member annotates (`anchor@odata.type`), if any.
            let annotates = |m: &Member| {
                KNOWN.iter().position(|(wire, _)| {
                    m.key.len() > wire.len()
                        && m.key.starts_with(wire)
                        && m.key[wire.len()..].starts_with('@')
                })
            };
            let unknown = || members.iter().filter(|m| m.known.is_none());
            let mut expected: Vec<String> = unknown()
                .filter(|m| m.key.starts_with('@'))
                .map(|m| entry(m))
                .collect();
            for k in 0..KNOWN.len() {
                expected.extend(
                    unknown()
                        .filter(|m| annotates(m) == Some(k))
                        .map(|m| entry(m)),
                );
                expected.extend(
                    members
                        .iter()
                        .filter(|m| m.known == Some(k))
                        .map(|m| entry(m)),
                );
            }
            expected.extend(
                unknown()
                    .filter(|m| !m.key.starts_with('@') && annotates(m).is_none())
                    .map(|m| entry(m)),
            );
            (input, format!("{{{}}}", expected.join(",")))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_encode_writes_each_value_as_read((input, expected) in object()) {
        let attribute: Attribute = serde_json::from_str(&input)
            .map_err(|e| TestCaseError::fail(format!("{e}: {input}")))?;
        let written = serde_json::to_string(&attribute).unwrap();
        prop_assert_eq!(&written, &expected, "input {}", input);
        // What was written reads back to an equal value, which writes the same text.
        let again: Attribute = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(&again, &attribute);
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), written);
    }

    #[test]
    fn any_json_value_survives_as_an_unknown_member(text in json_text()) {
        let input = format!(r#"{{"other":{text}}}"#);
        let pair: Pair = serde_json::from_str(&input).unwrap();
        prop_assert_eq!(pair.rest.get("other").unwrap().get(), text.as_str());
        prop_assert_eq!(serde_json::to_string(&pair).unwrap(), input);

        // As the known nullable string `value`, a string or `null` comes back as read; anything else is
        // refused (a type error, or a number out of range), never changed.
        let input = format!(r#"{{"value":{text}}}"#);
        let is_string_or_null = text.starts_with('"') || text == "null";
        match serde_json::from_str::<Pair>(&input) {
            Ok(pair) => {
                prop_assert!(is_string_or_null);
                prop_assert_eq!(serde_json::to_string(&pair).unwrap(), input);
            }
            Err(_) => prop_assert!(!is_string_or_null),
        }
    }

    #[test]
    fn damaged_input_is_an_error_or_a_value_that_round_trips((input, _) in object(), cut in any::<prop::sample::Index>(), byte in any::<u8>(), mode in 0..3u8) {
        // Truncate, overwrite one byte, or duplicate a slice: never a panic; anything accepted is a value
        // that writes and reads back to itself.
        let mut bytes = input.into_bytes();
        let at = cut.index(bytes.len().max(1)).min(bytes.len());
        match mode {
            0 => bytes.truncate(at),
            1 if at < bytes.len() => bytes[at] = byte,
            _ => {
                let copy = bytes[at..].to_vec();
                bytes.splice(at..at, copy);
            }
        }
        if let Ok(attribute) = serde_json::from_slice::<Attribute>(&bytes) {
            let written = serde_json::to_string(&attribute).unwrap();
            let again: Attribute = serde_json::from_str(&written).unwrap();
            prop_assert_eq!(&again, &attribute);
            prop_assert_eq!(serde_json::to_string(&again).unwrap(), written);
        }
    }
}
