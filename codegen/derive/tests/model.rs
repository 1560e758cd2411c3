//! `#[derive(GraphModel)]` on hand-written models: a read → write round trip gives back exactly the text
//! of every value (numbers of any size, explicit `null`s, nested unknown objects), `@` members first, no
//! key twice; duplicates and wrong types are errors that say where.

use msgraph_sync::{DateTimeOffset, Duration, GraphModel, Nullable, UnknownProperties};

/// A model with every kind of property.
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
    /// Non-nullable string named like a Rust keyword.
    #[graph(rename = "type")]
    pub r#type: Option<String>,
    /// The rest.
    #[graph(unknown)]
    pub additional_properties: UnknownProperties,
}

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
    pub additional_properties: UnknownProperties,
}

/// A schema-like root whose example starts with `@odata.type`.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Schema {
    /// The id.
    #[graph(rename = "id")]
    pub id: Option<String>,
    /// A list of nested models.
    #[graph(rename = "attributes")]
    pub attributes: Option<Vec<Attribute>>,
    /// The version.
    #[graph(rename = "version", nullable)]
    pub version: Nullable<String>,
    /// The rest.
    #[graph(unknown)]
    pub additional_properties: UnknownProperties,
}

/// A model with no known property at all.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Open {
    /// Everything.
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// A model with a known control-information property.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Annotated {
    /// A plain property declared first.
    #[graph(rename = "name")]
    pub name: Option<String>,
    /// Control information declared as a property.
    #[graph(rename = "@odata.type", nullable)]
    pub odata_type: Nullable<String>,
    /// The rest.
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

/// Value types inside a model.
#[derive(Debug, Clone, PartialEq, Default, GraphModel)]
pub struct Schedule {
    /// Nullable date-time.
    #[graph(rename = "expiration", nullable)]
    pub expiration: Nullable<DateTimeOffset>,
    /// Duration.
    #[graph(rename = "interval")]
    pub interval: Option<Duration>,
    /// The rest.
    #[graph(unknown)]
    pub rest: UnknownProperties,
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> (T, String) {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let back = serde_json::to_string(&value).unwrap();
    (value, back)
}

#[test]
fn unknown_numbers_keep_their_exact_text() {
    let text = r#"{"anchor":true,"huge":123456789012345678901234567890,"tiny":-2.5680060635641298e-228,"float":9007199254740993.0,"over":1e400,"neg":-0,"exp":1E+2}"#;
    let (attribute, back) = round_trip::<Attribute>(text);
    assert_eq!(back, text);
    assert_eq!(attribute.anchor, Some(true));
    let extra = &attribute.additional_properties;
    assert_eq!(extra.len(), 6);
    assert_eq!(extra.get("over").unwrap().get(), "1e400");
    assert_eq!(extra.get("float").unwrap().get(), "9007199254740993.0");
    assert_eq!(extra.get_value("over"), None);
    assert_eq!(extra.get_value("exp"), Some(serde_json::json!(100.0)));
}

#[test]
fn explicit_null_on_a_non_nullable_property_is_written_back() {
    let (attribute, back) = round_trip::<Attribute>(r#"{"anchor":null,"type":null}"#);
    assert_eq!(back, r#"{"anchor":null,"type":null}"#);
    assert_eq!(attribute.anchor, None);
    assert_eq!(
        attribute.additional_properties.get("anchor").unwrap().get(),
        "null"
    );
    // Distinct from absent, which writes nothing.
    let (absent, back) = round_trip::<Attribute>("{}");
    assert_eq!(back, "{}");
    assert_ne!(absent, attribute);

    // Setting the field wins over the kept `null`: one key, the new value.
    let mut changed = attribute.clone();
    changed.anchor = Some(false);
    assert_eq!(
        serde_json::to_string(&changed).unwrap(),
        r#"{"anchor":false,"type":null}"#
    );
    // Removing the kept `null` makes the property absent.
    let mut cleared = attribute;
    cleared.additional_properties.remove("anchor");
    assert_eq!(serde_json::to_string(&cleared).unwrap(), r#"{"type":null}"#);
}

#[test]
fn nullable_properties_keep_absent_null_and_value() {
    let (attribute, back) =
        round_trip::<Attribute>(r#"{"apiExpressions":null,"defaultValue":"x"}"#);
    assert!(attribute.api_expressions.is_null());
    assert_eq!(attribute.default_value, Nullable::Value("x".to_owned()));
    assert!(attribute.additional_properties.is_empty());
    assert_eq!(back, r#"{"apiExpressions":null,"defaultValue":"x"}"#);
}

#[test]
fn control_information_goes_first_in_the_order_read() {
    // Spec example 3 of PUT .../schema starts with `@odata.type`; here it arrives last.
    let text = r##"{"id":"s","version":null,"@odata.type":"#microsoft.graph.synchronizationSchema","x":1,"@odata.etag":"W/\"1\"","@microsoft.graph.tips":"t"}"##;
    let (schema, back) = round_trip::<Schema>(text);
    assert_eq!(
        back,
        r##"{"@odata.type":"#microsoft.graph.synchronizationSchema","@odata.etag":"W/\"1\"","@microsoft.graph.tips":"t","id":"s","version":null,"x":1}"##
    );
    assert_eq!(schema.id.as_deref(), Some("s"));
    // Already in order: unchanged.
    let (_, again) = round_trip::<Schema>(&back);
    assert_eq!(again, back);

    // A known `@` property is written among the control information, after the unknown ones.
    let (annotated, back) =
        round_trip::<Annotated>(r##"{"name":"n","@odata.type":"#t","@odata.id":"i"}"##);
    assert_eq!(annotated.odata_type, Nullable::Value("#t".to_owned()));
    assert_eq!(back, r##"{"@odata.id":"i","@odata.type":"#t","name":"n"}"##);
}

#[test]
fn nested_models_and_unknown_objects_round_trip() {
    let text = r##"{
        "@odata.type": "#microsoft.graph.synchronizationSchema",
        "id": "AD2AAD",
        "attributes": [
            {"anchor": false, "type": "String", "apiExpressions": [{"key": "k", "value": null, "extra": [1, 2.50]}]},
            {"defaultValue": null, "future": {"deep": {"n": 1e400, "s": "a\"b"}}}
        ],
        "version": "Date:2024-01-01",
        "tail": [ true, false, null ]
    }"##;
    let (schema, back) = round_trip::<Schema>(text);
    assert_eq!(
        back,
        r##"{"@odata.type":"#microsoft.graph.synchronizationSchema","id":"AD2AAD","attributes":[{"anchor":false,"apiExpressions":[{"key":"k","value":null,"extra":[1, 2.50]}],"type":"String"},{"defaultValue":null,"future":{"deep": {"n": 1e400, "s": "a\"b"}}}],"version":"Date:2024-01-01","tail":[ true, false, null ]}"##
    );
    let attributes = schema.attributes.as_ref().unwrap();
    let pair = &attributes[0].api_expressions.as_ref().unwrap()[0];
    assert!(pair.value.is_null());
    assert_eq!(
        pair.additional_properties.get("extra").unwrap().get(),
        "[1, 2.50]"
    );
    // Equality compares unknown values by JSON text, ignoring whitespace: the compact output reads back
    // equal.
    let (again, _) = round_trip::<Schema>(&back);
    assert_eq!(again, schema);
}

#[test]
fn a_model_without_known_properties_keeps_everything_in_order() {
    let text = r##"{"b":1,"@odata.type":"#t","a":{"z":0,"y":[]}}"##;
    let (open, back) = round_trip::<Open>(text);
    assert_eq!(
        open.rest.keys().collect::<Vec<_>>(),
        ["b", "@odata.type", "a"]
    );
    assert_eq!(back, r##"{"@odata.type":"#t","b":1,"a":{"z":0,"y":[]}}"##);
}

#[test]
fn a_key_read_twice_is_an_error_naming_it() {
    let err = serde_json::from_str::<Attribute>(r#"{"anchor":true,"anchor":false}"#).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field `anchor`"),
        "{err}"
    );
    let err = serde_json::from_str::<Attribute>(r#"{"x":1,"y":2,"x":1}"#).unwrap_err();
    assert!(err.to_string().contains("duplicate property `x`"), "{err}");
    let err = serde_json::from_str::<Attribute>(r#"{"anchor":null,"anchor":true}"#).unwrap_err();
    assert!(
        err.to_string().contains("duplicate field `anchor`"),
        "{err}"
    );
}

#[test]
fn wrong_shapes_are_errors_with_a_path() {
    let err = serde_json::from_str::<Attribute>(r#"{"anchor":"yes"}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid type: string \"yes\", expected a boolean"),
        "{err}"
    );
    let err = serde_json::from_str::<Attribute>("[1]").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a JSON object (Attribute)"),
        "{err}"
    );
    assert!(serde_json::from_str::<Attribute>(r#"{"x":}"#).is_err());
    assert!(serde_json::from_str::<Attribute>(r#"{"x":1"#).is_err());

    // Through serde_path_to_error, as the client decodes responses: the path names the member.
    let text = r#"{"attributes":[{"anchor":true},{"apiExpressions":[{"key":5}]}]}"#;
    let mut de = serde_json::Deserializer::from_str(text);
    let err = serde_path_to_error::deserialize::<_, Schema>(&mut de).unwrap_err();
    assert_eq!(
        err.path().to_string(),
        "attributes[1].apiExpressions[0].key"
    );
}

#[test]
fn unknown_members_survive_serde_path_to_error_and_from_value() {
    let text = r#"{"id":"s","big":123456789012345678901234567890,"o":{"a":[1,2]}}"#;
    let mut de = serde_json::Deserializer::from_str(text);
    let schema: Schema = serde_path_to_error::deserialize(&mut de).unwrap();
    assert_eq!(serde_json::to_string(&schema).unwrap(), text);

    // From a `Value` (numbers already parsed by serde_json), within what a `Value` holds.
    let value = serde_json::json!({"id": "s", "n": 1.5, "o": {"a": [1, 2]}, "anchor": null});
    let from_value: Schema = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&from_value).unwrap(), value);
    // From a reader.
    let from_reader: Schema = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(from_reader, schema);
    // Keys with escapes are not borrowed from the input; they still work.
    let (escaped, back) = round_trip::<Schema>(r#"{"\u0069d":"s","k\"ey":1}"#);
    assert_eq!(escaped.id.as_deref(), Some("s"));
    assert_eq!(back, r#"{"id":"s","k\"ey":1}"#);
}

#[test]
fn to_value_of_a_number_beyond_f64_fails_instead_of_rounding() {
    let (schema, back) = round_trip::<Schema>(r#"{"over":1e400}"#);
    assert_eq!(back, r#"{"over":1e400}"#);
    assert!(serde_json::to_value(&schema).is_err());
}

#[test]
fn values_built_in_code_serialize_in_declaration_order() {
    let mut attribute = Attribute {
        anchor: Some(true),
        default_value: Nullable::Null,
        r#type: Some("String".to_owned()),
        ..Attribute::default()
    };
    attribute
        .additional_properties
        .insert("@odata.type", &"#microsoft.graph.attributeDefinition")
        .unwrap();
    attribute
        .additional_properties
        .insert("zeta", &serde_json::json!({"k": [1]}))
        .unwrap();
    // A member named like a known property fills it while the field is absent; the field wins once set.
    attribute
        .additional_properties
        .insert("apiExpressions", &Vec::<u8>::new())
        .unwrap();
    assert_eq!(
        serde_json::to_string(&attribute).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.attributeDefinition","anchor":true,"apiExpressions":[],"defaultValue":null,"type":"String","zeta":{"k":[1]}}"##
    );
    attribute.api_expressions = Nullable::Null;
    assert_eq!(
        serde_json::to_string(&attribute).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.attributeDefinition","anchor":true,"apiExpressions":null,"defaultValue":null,"type":"String","zeta":{"k":[1]}}"##
    );
    // Pretty output is valid JSON with the same members; the shadowed member is not among them.
    let pretty = serde_json::to_string_pretty(&attribute).unwrap();
    let again: Attribute = serde_json::from_str(&pretty).unwrap();
    assert!(!again.additional_properties.contains_key("apiExpressions"));
    attribute.additional_properties.remove("apiExpressions");
    assert_eq!(again, attribute);
}

#[test]
fn value_types_write_back_what_they_read() {
    // The empty date-time and TimeSpan.MaxValue of the service, and a malformed interval and date-time
    // that are kept instead of failing the whole object.
    let text = r#"{"expiration":"","interval":"P10675199DT2H48M5.4775807S","other":null}"#;
    let (schedule, back) = round_trip::<Schedule>(text);
    assert_eq!(back, text);
    assert!(schedule.expiration.as_ref().unwrap().is_empty());
    assert!(schedule.interval.as_ref().unwrap().is_max_value());

    let text = r#"{"expiration":"2024-13-01T00:00:00Z","interval":"every day"}"#;
    let (schedule, back) = round_trip::<Schedule>(text);
    assert_eq!(back, text);
    assert!(!schedule.expiration.as_ref().unwrap().is_valid());
    assert!(schedule.interval.as_ref().unwrap().parse_error().is_some());
}

#[test]
fn debug_shows_unknown_members_as_json() {
    let (attribute, _) = round_trip::<Attribute>(r#"{"anchor":true,"n":1e400,"o":{"a":"b"}}"#);
    assert_eq!(
        format!("{attribute:?}"),
        r#"Attribute { anchor: Some(true), api_expressions: Absent, default_value: Absent, type: None, additional_properties: UnknownProperties({"n": 1e400, "o": {"a":"b"}}) }"#
    );
}

#[test]
fn deeply_nested_unknown_values_are_kept_without_overflowing_the_stack() {
    // serde_json skips a raw value without recursing, so depth costs no stack; reading it as a `Value`
    // hits serde_json's recursion limit instead of overflowing.
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let text = format!(r#"{{"x":{nested}}}"#);
    let (attribute, back) = round_trip::<Attribute>(&text);
    assert_eq!(back, text);
    assert_eq!(
        attribute.additional_properties.get("x").unwrap().get(),
        nested
    );
    assert_eq!(attribute.additional_properties.get_value("x"), None);
    assert_eq!(attribute.clone(), attribute);
}

#[test]
fn items_of_a_page_are_read_by_the_model_itself() {
    // `Page` reads `value` straight from serde_json, so the items keep their raw members.
    let text = r#"{"@odata.context":"ctx","value":[{"anchor":true,"n":1e400},{"anchor":null}]}"#;
    let page: msgraph_sync::Page<Attribute> = serde_json::from_str(text).unwrap();
    assert_eq!(
        page.value[0].additional_properties.get("n").unwrap().get(),
        "1e400"
    );
    assert_eq!(
        serde_json::to_string(&page.value[1]).unwrap(),
        r#"{"anchor":null}"#
    );
    let mut de = serde_json::Deserializer::from_str(text);
    let page: msgraph_sync::Page<Attribute> = serde_path_to_error::deserialize(&mut de).unwrap();
    assert_eq!(page.value.len(), 2);

    // A page is written with its control information first, wherever it was read.
    let text =
        r#"{"value":[],"x":1,"@odata.nextLink":"n","@odata.context":"ctx","@odata.count":0}"#;
    let page: msgraph_sync::Page<Attribute> = serde_json::from_str(text).unwrap();
    assert_eq!(
        serde_json::to_string(&page).unwrap(),
        r#"{"@odata.context":"ctx","@odata.count":0,"@odata.nextLink":"n","value":[],"x":1}"#
    );
}

#[test]
fn property_annotations_go_right_before_their_property() {
    // Wherever they were read, `anchor@...` members are written just before `anchor`, even when
    // `anchor` itself is absent; annotations of unknown members keep their place among them.
    let text = r##"{"anchor":true,"x@odata.type":"#t","x":1,"anchor@odata.type":"#Boolean","type@odata.type":"#String","anchor@ns.note":"n"}"##;
    let (attribute, back) = round_trip::<Attribute>(text);
    assert_eq!(
        back,
        r##"{"anchor@odata.type":"#Boolean","anchor@ns.note":"n","anchor":true,"type@odata.type":"#String","x@odata.type":"#t","x":1}"##
    );
    assert_eq!(attribute.additional_properties.len(), 5);
    let (_, again) = round_trip::<Attribute>(&back);
    assert_eq!(again, back);
}

mod through_the_runtime_module {
    use msgraph_sync::runtime as rt;

    /// `crate` may name the runtime module as the emitted code imports it.
    #[derive(Debug, Clone, PartialEq, Default, rt::GraphModel)]
    #[graph(crate = "rt")]
    pub struct Pair {
        /// Key.
        #[graph(rename = "key")]
        pub key: Option<String>,
        /// The rest.
        #[graph(unknown)]
        pub rest: rt::UnknownProperties,
    }
}

#[test]
fn the_crate_path_may_be_the_runtime_module() {
    let (pair, back) = round_trip::<through_the_runtime_module::Pair>(r#"{"x":1e400,"key":"k"}"#);
    assert_eq!(pair.key.as_deref(), Some("k"));
    assert_eq!(back, r#"{"key":"k","x":1e400}"#);
}
