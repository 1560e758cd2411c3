//! `GraphEnum`: the docs' spellings, open enums keeping unknown members, closed enums rejecting them.

#![deny(missing_docs)] // The generated items are documented.

use std::collections::HashSet;
use std::convert::Infallible;
use std::str::FromStr;

use msgraph_sync::UnknownMember;
use msgraph_sync_derive::GraphEnum;
use serde::{Deserialize, Serialize};

/// attributeType (v1.0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
pub enum AttributeType {
    /// Text.
    String,
    /// An integer.
    Integer,
    /// A reference to another object.
    Reference,
    /// Binary data.
    Binary,
    /// A boolean.
    Boolean,
    /// A date and time.
    #[graph(rename = "DateTime")]
    DateTime,
    /// The service's sentinel for values added later.
    #[graph(rename = "UnknownFutureValue")]
    UnknownFutureValue,
    /// A member this version does not know.
    #[graph(unknown)]
    Unknown(UnknownMember<AttributeType>),
}

/// synchronizationScheduleState.
#[derive(Debug, Clone, PartialEq, Eq, Hash, GraphEnum)]
pub enum SynchronizationScheduleState {
    /// The schedule runs.
    Active,
    /// The schedule is stopped.
    Disabled,
    /// The schedule is paused.
    Paused,
    /// A member this version does not know.
    #[graph(unknown)]
    Other(msgraph_sync::UnknownMember<SynchronizationScheduleState>),
}

/// synchronizationMetadata: v1.0 spelling as wire name, beta spelling as alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GraphEnum)]
#[graph(closed)]
pub enum SynchronizationMetadata {
    /// The gallery application's identifier.
    #[graph(alias = "galleryApplicationIdentifierBeta")]
    GalleryApplicationIdentifier,
    /// The gallery application's key.
    GalleryApplicationKey,
    /// Whether the application uses OAuth.
    #[graph(rename = "IsOAuthEnabled", alias = "oauthEnabled", alias = "isOAuthOn")]
    IsOauthEnabled,
}

/// A private, closed enum with a raw identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphEnum)]
#[graph(closed)]
enum Keyword {
    r#Type,
    r#Match,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttributeDefinition {
    name: String,
    #[serde(rename = "type")]
    kind: AttributeType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata_key: Option<SynchronizationMetadata>,
}

#[test]
fn known_lists_wire_names_in_declaration_order() {
    assert_eq!(
        AttributeType::KNOWN,
        [
            "String",
            "Integer",
            "Reference",
            "Binary",
            "Boolean",
            "DateTime",
            "UnknownFutureValue"
        ]
    );
    assert_eq!(
        SynchronizationMetadata::KNOWN,
        [
            "GalleryApplicationIdentifier",
            "GalleryApplicationKey",
            "IsOAuthEnabled"
        ]
    );
    assert_eq!(Keyword::KNOWN, ["Type", "Match"]);
}

#[test]
fn lower_case_string_parses_to_string_and_prints_canonically() {
    // The docs send `"type": "string"`.
    let kind: AttributeType = "string".parse().unwrap();
    assert_eq!(kind, AttributeType::String);
    assert_eq!(kind.to_string(), "String");
    assert_eq!(kind.as_str(), "String");
    assert!(kind.is_known());
    assert_eq!(
        "DATETIME".parse::<AttributeType>().unwrap(),
        AttributeType::DateTime
    );
    assert_eq!(
        "unknownFutureValue".parse::<AttributeType>().unwrap(),
        AttributeType::UnknownFutureValue
    );
    assert_eq!(
        AttributeType::UnknownFutureValue.as_str(),
        "UnknownFutureValue"
    );
}

#[test]
fn unknown_member_keeps_raw_text() {
    let kind: AttributeType = "Decimal128".parse().unwrap();
    assert!(matches!(&kind, AttributeType::Unknown(m) if m.as_str() == "Decimal128"));
    assert!(!kind.is_known());
    assert_eq!(kind.as_str(), "Decimal128");
    assert_eq!(kind.to_string(), "Decimal128");
    // Nothing is normalised: not the case, not the whitespace.
    let odd: AttributeType = " string ".parse().unwrap();
    assert!(matches!(&odd, AttributeType::Unknown(m) if m.as_str() == " string "));
    assert_eq!(odd.as_str(), " string ");
}

#[test]
fn open_enum_from_str_is_infallible() {
    let parsed: Result<SynchronizationScheduleState, Infallible> =
        SynchronizationScheduleState::from_str("paused");
    assert_eq!(parsed, Ok(SynchronizationScheduleState::Paused));
    let Ok(SynchronizationScheduleState::Other(suspended)) = "Suspended".parse() else {
        panic!("`Suspended` is not a member of SynchronizationScheduleState");
    };
    assert_eq!(suspended.as_str(), "Suspended");
}

#[test]
fn display_honours_width() {
    assert_eq!(format!("[{:>8}]", AttributeType::Binary), "[  Binary]");
    assert_eq!(
        format!(
            "[{:<8}]",
            "X".parse::<SynchronizationScheduleState>().unwrap()
        ),
        "[X       ]"
    );
}

#[test]
fn serde_round_trip_inside_a_struct() {
    let json =
        r#"{"name":"mail","type":"string","metadataKey":"galleryApplicationIdentifierBeta"}"#;
    let parsed: AttributeDefinition = serde_json::from_str(json).unwrap();
    assert_eq!(
        parsed,
        AttributeDefinition {
            name: "mail".to_owned(),
            kind: AttributeType::String,
            metadata_key: Some(SynchronizationMetadata::GalleryApplicationIdentifier),
        }
    );
    // Output is canonical.
    assert_eq!(
        serde_json::to_string(&parsed).unwrap(),
        r#"{"name":"mail","type":"String","metadataKey":"GalleryApplicationIdentifier"}"#
    );
}

#[test]
fn unknown_member_round_trips_raw_through_json() {
    // GET -> PUT loses nothing.
    let json = r#"{"name":"x","type":"geoPoint"}"#;
    let parsed: AttributeDefinition = serde_json::from_str(json).unwrap();
    assert!(matches!(&parsed.kind, AttributeType::Unknown(m) if m.as_str() == "geoPoint"));
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
}

#[test]
fn deserializes_from_owned_and_borrowed_strings() {
    let value = serde_json::Value::String("active".to_owned());
    assert_eq!(
        SynchronizationScheduleState::deserialize(value).unwrap(),
        SynchronizationScheduleState::Active
    );
    let escaped: SynchronizationScheduleState = serde_json::from_str(r#""Dis\u0061bled""#).unwrap();
    assert_eq!(escaped, SynchronizationScheduleState::Disabled);
}

#[test]
fn rejects_non_strings_with_expected_message() {
    let err = serde_json::from_str::<AttributeType>("3")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a string naming a member of AttributeType"),
        "{err}"
    );
}

#[test]
fn aliases_are_accepted_ignoring_case_and_printed_canonically() {
    for spelling in [
        "IsOAuthEnabled",
        "isoauthenabled",
        "oauthEnabled",
        "ISOAUTHON",
    ] {
        let key: SynchronizationMetadata = spelling.parse().unwrap();
        assert_eq!(key, SynchronizationMetadata::IsOauthEnabled, "{spelling}");
        assert_eq!(key.to_string(), "IsOAuthEnabled");
    }
    assert!(SynchronizationMetadata::GalleryApplicationKey.is_known());
}

#[test]
fn closed_enum_rejects_unknown_members_naming_the_members() {
    let err = "Color".parse::<SynchronizationMetadata>().unwrap_err();
    assert_eq!(err.value(), "Color");
    assert_eq!(
        err.to_string(),
        "unknown SynchronizationMetadata member `Color`; expected one of `GalleryApplicationIdentifier`, \
         `GalleryApplicationKey`, `IsOAuthEnabled`"
    );
    assert_eq!(err.clone(), err);
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("SynchronizationMetadata"));

    let json_err = serde_json::from_str::<SynchronizationMetadata>(r#""Color""#).unwrap_err();
    let message = json_err.to_string();
    assert!(
        message.starts_with(
            "unknown SynchronizationMetadata member `Color`; expected one of `GalleryApplicationIdentifier`"
        ),
        "{message}"
    );
    assert!(message.contains("`IsOAuthEnabled`"), "{message}");
}

#[test]
fn raw_identifiers_use_their_plain_name() {
    assert_eq!(Keyword::r#Type.as_str(), "Type");
    assert_eq!("match".parse::<Keyword>().unwrap(), Keyword::r#Match);
    assert_eq!(
        "if".parse::<Keyword>().unwrap_err().to_string(),
        "unknown Keyword member `if`; expected one of `Type`, `Match`"
    );
}

#[test]
fn usable_as_hash_keys() {
    let set: HashSet<AttributeType> = ["string", "String", "STRING", "Decimal"]
        .into_iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn no_spelling_of_a_known_member_is_unknown() {
    // Every known member, in any ASCII case, parses and deserializes to itself, never to `Unknown`:
    // only such values could make an `UnknownMember` shadow a known member.
    for &wire in AttributeType::KNOWN {
        let spellings = [
            wire.to_owned(),
            wire.to_ascii_lowercase(),
            wire.to_ascii_uppercase(),
            wire.chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect(),
        ];
        for text in spellings {
            let parsed: AttributeType = text.parse().unwrap();
            assert!(parsed.is_known(), "{text:?} parsed to {parsed:?}");
            assert_eq!(parsed.as_str(), wire);
            let read: AttributeType =
                serde_json::from_value(serde_json::Value::String(text)).unwrap();
            assert_eq!(read, parsed);
        }
    }
}

#[test]
fn unknown_member_payload_is_the_exact_text() {
    let parse = |text: &str| match text.parse::<AttributeType>().unwrap() {
        AttributeType::Unknown(member) => member,
        known => panic!("{text:?} parsed to the known {known:?}"),
    };
    let (lower, upper) = (parse("decimal"), parse("Decimal"));
    assert_eq!(lower.as_str(), "decimal");
    assert_eq!(format!("{upper:?}"), r#"UnknownMember("Decimal")"#);
    assert_eq!(format!("[{upper:>9}]"), "[  Decimal]");
    // Equality and hashing follow the text byte for byte: each is written back as read.
    assert_ne!(lower, upper);
    assert_eq!(lower.clone(), parse("decimal"));
    let set: HashSet<_> = [lower.clone(), upper, parse("decimal")]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
    assert_eq!(
        serde_json::to_string(&AttributeType::Unknown(lower)).unwrap(),
        r#""decimal""#
    );
}

/// An open enum naming the runtime by another path, as a renamed dependency would.
#[derive(Debug, Clone, PartialEq, Eq, GraphEnum)]
#[graph(crate = "msgraph_sync::runtime")]
pub enum Color {
    /// Red.
    Red,
    /// A member this version does not know.
    #[graph(unknown)]
    Other(msgraph_sync::runtime::UnknownMember<Self>),
}

#[test]
fn crate_path_names_the_runtime() {
    assert_eq!("RED".parse::<Color>().unwrap(), Color::Red);
    let blue: Color = serde_json::from_str(r#""Blue""#).unwrap();
    assert!(matches!(&blue, Color::Other(m) if m.as_str() == "Blue"));
    assert_eq!(serde_json::to_string(&blue).unwrap(), r#""Blue""#);
}
