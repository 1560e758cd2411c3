//! Properties a model does not know, kept as the exact JSON text that arrived.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The members of a JSON object that its model does not declare, in the order they were read, each kept
/// as the exact JSON text of its value.
///
/// A model derived with `GraphModel` keeps every property this version of the crate does not know in
/// its `additional_properties` field, so that a read → write round trip (`GET` then `PUT .../schema`)
/// sends back what the service sent: numbers of any size and precision (`123456789012345678901234567890`,
/// `1e400`, `9007199254740993.0`) keep their text instead of going through `f64`, and nested objects keep
/// their members in their order.
///
/// On its own, it is also a free-form JSON object that round-trips exactly: `Serialize` writes the
/// members in their order, and `Deserialize` (with serde_json) reads an object's members as text, with a
/// key read twice an error.
///
/// Keys are unique; [`insert`](Self::insert) and [`insert_raw`](Self::insert_raw) replace the value of a
/// key already present in place, so the order of the others is kept.
///
/// # Known property names
///
/// An explicit `null` read for a known property that is not nullable in the spec (an `Option` field, for
/// which `None` means "absent") is kept here under the property's name, so that it is written back as
/// `null`. More generally, a member named like a known property is written at that property's place
/// whenever the field is absent (`None`, [`Nullable::Absent`](crate::runtime::Nullable::Absent)); once the
/// field has a value, the field is written and the member here is ignored. No key is ever written twice.
///
/// # Equality
///
/// `==` ignores the order of the members (like JSON objects) and compares each value by its JSON text,
/// ignoring whitespace outside strings: `{"a": [1, 2]}` equals `{"a":[1,2]}`, but `1.0` differs from `1`
/// and `"\u0041"` from `"A"`, as they would on the wire.
///
/// ```
/// use msgraph_sync::UnknownProperties;
///
/// let mut extra = UnknownProperties::new();
/// extra.insert("futureKnob", &serde_json::json!({"level": 3})).unwrap();
/// extra.insert_raw("bigNumber", serde_json::value::RawValue::from_string("1e400".into()).unwrap());
/// assert_eq!(extra.len(), 2);
/// assert_eq!(extra.get("bigNumber").unwrap().get(), "1e400");
/// assert_eq!(extra.get_value("futureKnob"), Some(serde_json::json!({"level": 3})));
/// // `1e400` has no `f64` value: ask for the text instead.
/// assert_eq!(extra.get_value("bigNumber"), None);
/// assert_eq!(
///     format!("{extra:?}"),
///     r#"UnknownProperties({"futureKnob": {"level":3}, "bigNumber": 1e400})"#,
/// );
/// ```
#[derive(Clone, Default)]
pub struct UnknownProperties {
    /// The members in their order.
    entries: Vec<(String, Box<RawValue>)>,
    /// Key → index in `entries`. Empty (no allocation) as long as there are few members; built once
    /// there are more than [`INDEXED_FROM`], so that reading an object with many members stays linear.
    index: HashMap<String, usize>,
}

/// From this many members on, lookups go through the hash index instead of a scan.
const INDEXED_FROM: usize = 16;

impl UnknownProperties {
    /// An empty set of members.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() > INDEXED_FROM {
            self.index.get(key).copied()
        } else {
            self.entries.iter().position(|(k, _)| k == key)
        }
    }

    /// The JSON text of the member `key`, exactly as read (or as inserted).
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.position(key).map(|i| &*self.entries[i].1)
    }

    /// The member `key` as a [`serde_json::Value`]; `None` if there is no such member, or if its value
    /// cannot be a `Value` (a number beyond `f64`, such as `1e400`; read those with [`get`](Self::get)).
    /// Large integers lose precision beyond `u64`/`i64`/`f64`, as `Value` does.
    pub fn get_value(&self, key: &str) -> Option<serde_json::Value> {
        serde_json::from_str(self.get(key)?.get()).ok()
    }

    /// The member `key` deserialized as `T`: `None` if there is no such member, `Some(Err(..))` if its
    /// value is not a `T`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Option<Result<T, serde_json::Error>> {
        self.get(key).map(|raw| serde_json::from_str(raw.get()))
    }

    /// Whether there is a member `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets the member `key` to `value` serialized as JSON, and returns the text it replaces. A new key
    /// goes last; an existing one keeps its place. Fails only if `value` cannot be written as JSON (a
    /// map with non-string keys, a failing `Serialize` impl).
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: &impl Serialize,
    ) -> Result<Option<Box<RawValue>>, serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        Ok(self.insert_raw(key, raw))
    }

    /// Sets the member `key` to the JSON text `raw`, and returns the text it replaces. A new key goes
    /// last; an existing one keeps its place.
    pub fn insert_raw(
        &mut self,
        key: impl Into<String>,
        raw: Box<RawValue>,
    ) -> Option<Box<RawValue>> {
        let key = key.into();
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, raw)),
            None => {
                self.push(key, raw);
                None
            }
        }
    }

    /// Appends a member known to be new.
    fn push(&mut self, key: String, raw: Box<RawValue>) {
        if self.entries.len() == INDEXED_FROM {
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect();
        }
        if self.entries.len() >= INDEXED_FROM {
            self.index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, raw));
    }

    /// Removes the member `key` and returns its text; the others keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let i = self.position(key)?;
        let (_, raw) = self.entries.remove(i);
        if self.entries.len() > INDEXED_FROM {
            self.index.remove(key);
            for position in self.index.values_mut() {
                if *position > i {
                    *position -= 1;
                }
            }
        } else {
            self.index = HashMap::new();
        }
        Some(raw)
    }

    /// Removes every member.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = HashMap::new();
    }

    /// The members in their order: name and JSON text.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.entries.iter(),
        }
    }

    /// The member names in their order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator {
        self.entries.iter().map(|(k, _)| k.as_str())
    }
}

impl UnknownProperties {
    /// Takes the member `key` out if its value reads as a `T`; otherwise leaves it in place, so that a
    /// `null` or a value of another type is written back as read. For hand-written models (pages,
    /// errors, the toolkit's views) decoded in two steps: all members as read, then the known ones.
    pub(crate) fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let value = serde_json::from_str(self.get(key)?.get()).ok()?;
        self.remove(key);
        Some(value)
    }
}

/// Writes the members of `rest` that OData puts first (`control`: `@odata.type`, annotations), or the
/// others, in the order read, minus those written at a field's place (`fields`). For hand-written
/// `Serialize` impls, which write `rest`'s control members, then their fields, then the other members.
pub(crate) fn write_rest<M: serde::ser::SerializeMap>(
    map: &mut M,
    rest: &UnknownProperties,
    control: bool,
    fields: &[&str],
) -> Result<(), M::Error> {
    for (key, raw) in rest.iter() {
        if __private::is_control(key) == control && !fields.contains(&key) {
            map.serialize_entry(key, raw)?;
        }
    }
    Ok(())
}

/// Writes the member `key`: `value` when there is one, else the member of that name kept in `rest` (a
/// `null` or a value of another type read there), if any. So no key is written twice.
pub(crate) fn write_field<M: serde::ser::SerializeMap, V: Serialize + ?Sized>(
    map: &mut M,
    rest: &UnknownProperties,
    key: &str,
    value: Option<&V>,
) -> Result<(), M::Error> {
    match (value, rest.get(key)) {
        (Some(value), _) => map.serialize_entry(key, value),
        (None, Some(raw)) => map.serialize_entry(key, raw),
        (None, None) => Ok(()),
    }
}

/// The members of an [`UnknownProperties`] in their order, from [`UnknownProperties::iter`].
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    inner: std::slice::Iter<'a, (String, Box<RawValue>)>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a RawValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k.as_str(), &**v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(|(k, v)| (k.as_str(), &**v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a UnknownProperties {
    type Item = (&'a str, &'a RawValue);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl fmt::Debug for UnknownProperties {
    /// `UnknownProperties({"key": <JSON text>, ...})`: models carry no secrets in unknown members.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Text<'a>(&'a str);
        impl fmt::Debug for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        f.write_str("UnknownProperties(")?;
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, Text(v.get()))))
            .finish()?;
        f.write_str(")")
    }
}

impl Serialize for UnknownProperties {
    /// A JSON object of the members, in their order, each value's text as kept.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for UnknownProperties {
    /// A JSON object, each member's value kept as its exact text (with serde_json); a key read twice is
    /// an error. So `UnknownProperties` also serves as a free-form JSON object that round-trips exactly.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UnknownProperties;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UnknownProperties, A::Error> {
                let mut members = UnknownProperties::new();
                while let Some(key) = map.next_key::<__private::Key<'de>>()? {
                    let raw: Box<RawValue> = map.next_value()?;
                    __private::read_unknown(&mut members, key, raw)?;
                }
                Ok(members)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl PartialEq for UnknownProperties {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.iter().all(|(key, value)| {
                other
                    .get(key)
                    .is_some_and(|theirs| same_json_text(value.get(), theirs.get()))
            })
    }
}

/// Whether two JSON texts are equal ignoring whitespace outside strings.
fn same_json_text(a: &str, b: &str) -> bool {
    significant(a).eq(significant(b))
}

/// The bytes of a JSON text without the whitespace between tokens.
fn significant(text: &str) -> impl Iterator<Item = u8> + '_ {
    let (mut in_string, mut escaped) = (false, false);
    text.bytes().filter(move |&b| {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            true
        } else if b == b'"' {
            in_string = true;
            true
        } else {
            !matches!(b, b' ' | b'\t' | b'\n' | b'\r')
        }
    })
}

/// What the `GraphModel` and `GraphEnum` derives' expansions use: serde and serde_json under a path the
/// crate controls, and the bookkeeping of unknown members. Not a public API.
#[doc(hidden)]
pub mod __private {
    use std::fmt;

    pub use serde;
    pub use serde_json;
    pub use serde_json::value::RawValue;

    pub use super::UnknownProperties;
    pub use crate::runtime::Nullable;
    pub use crate::runtime::unknown_member::{KnownMembers, parse_member};

    /// An object key, borrowed from the input when the deserializer allows it.
    pub enum Key<'de> {
        /// Borrowed from the input.
        Borrowed(&'de str),
        /// Copied (the key had escapes, or the input is not borrowable).
        Owned(String),
    }

    impl Key<'_> {
        /// The key's text.
        pub fn as_str(&self) -> &str {
            match self {
                Key::Borrowed(s) => s,
                Key::Owned(s) => s,
            }
        }

        /// The key as an owned string.
        pub fn into_string(self) -> String {
            match self {
                Key::Borrowed(s) => s.to_owned(),
                Key::Owned(s) => s,
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a property name")
                }
                fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key::Borrowed(v))
                }
                fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(v.to_owned()))
                }
                fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(v))
                }
            }
            deserializer.deserialize_str(Visitor)
        }
    }

    /// What a property that is not nullable is: `Option<T>`, `None` when absent.
    #[diagnostic::on_unimplemented(
        message = "a GraphModel property that is not `nullable` must be an `Option<T>`, not `{Self}`",
        label = "not an `Option`",
        note = "declare it as `Option<T>` (absent is `None`), or, if the spec marks it nullable, as \
                `rt::Nullable<T>` with `#[graph(nullable)]`"
    )]
    pub trait OptionalProperty {
        /// Whether the property is absent.
        fn is_absent(&self) -> bool;
    }

    impl<T> OptionalProperty for Option<T> {
        fn is_absent(&self) -> bool {
            self.is_none()
        }
    }

    /// What a `#[graph(nullable)]` property is: `Nullable<T>`, absent, `null` or a value.
    #[diagnostic::on_unimplemented(
        message = "a `#[graph(nullable)]` property must be an `rt::Nullable<T>`, not `{Self}`",
        label = "not a `Nullable`",
        note = "declare it as `rt::Nullable<T>`, or remove `nullable` and declare it as `Option<T>`"
    )]
    pub trait NullableProperty {
        /// Whether the property is absent.
        fn is_absent(&self) -> bool;
    }

    impl<T> NullableProperty for Nullable<T> {
        fn is_absent(&self) -> bool {
            Nullable::is_absent(self)
        }
    }

    /// Whether a member is control information or an annotation (`@odata.type`, `@odata.etag`,
    /// `@microsoft.graph.tips`), which OData puts before the properties.
    pub fn is_control(key: &str) -> bool {
        key.starts_with('@')
    }

    /// Records an unknown member read from the input; a key read twice is an error.
    pub fn read_unknown<E: serde::de::Error>(
        unknown: &mut UnknownProperties,
        key: Key<'_>,
        raw: Box<RawValue>,
    ) -> Result<(), E> {
        if unknown.contains_key(key.as_str()) {
            return Err(E::custom(format_args!(
                "duplicate property `{}`",
                key.as_str()
            )));
        }
        unknown.push(key.into_string(), raw);
        Ok(())
    }

    /// Records the explicit `null` read for the known, non-nullable property `key`.
    pub fn read_null(unknown: &mut UnknownProperties, key: &str) {
        unknown.insert_raw(key, RawValue::NULL.to_owned());
    }

    /// Marks a known property as read; a property read twice is an error.
    pub fn first_read<E: serde::de::Error>(seen: &mut bool, key: &'static str) -> Result<(), E> {
        if std::mem::replace(seen, true) {
            Err(E::duplicate_field(key))
        } else {
            Ok(())
        }
    }

    /// The property a member annotates: `name` for `name@odata.type`; the key itself for any other
    /// member (an instance annotation such as `@odata.type` annotates the object, not a property).
    pub fn property_of(key: &str) -> &str {
        match key.find('@') {
            Some(at) if at > 0 => &key[..at],
            _ => key,
        }
    }

    /// The unknown members annotating the property `wire` (`wire@...`), in the order read: OData puts
    /// them right before the property.
    pub fn annotations<'a>(
        unknown: &'a UnknownProperties,
        wire: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a RawValue)> {
        unknown.iter().filter(move |(key, _)| {
            key.len() > wire.len() && key.starts_with(wire) && key[wire.len()..].starts_with('@')
        })
    }

    /// The unknown members that OData puts first ([`is_control`]) if `control`, else the others;
    /// either way minus those named like a known property or annotating one (`known`), which are
    /// written at that property's place.
    pub fn members(
        unknown: &UnknownProperties,
        control: bool,
        known: fn(&str) -> bool,
    ) -> impl Iterator<Item = (&str, &RawValue)> {
        unknown
            .iter()
            .filter(move |(key, _)| is_control(key) == control && !known(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derive's default path, `::msgraph_sync`, resolves inside this crate too.
    #[derive(Debug, Clone, PartialEq, Default, crate::runtime::GraphModel)]
    struct Inside {
        #[graph(rename = "id")]
        id: Option<String>,
        #[graph(rename = "note", nullable)]
        note: crate::runtime::Nullable<String>,
        #[graph(unknown)]
        rest: UnknownProperties,
    }

    #[test]
    fn the_derive_works_inside_the_crate() {
        let text = r#"{"note":null,"id":"x","n":1e400,"@odata.type":"t"}"#;
        let inside: Inside = serde_json::from_str(text).unwrap();
        assert_eq!(inside.id.as_deref(), Some("x"));
        assert_eq!(
            serde_json::to_string(&inside).unwrap(),
            r#"{"@odata.type":"t","id":"x","note":null,"n":1e400}"#
        );
    }

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn is_itself_a_json_object_that_round_trips_exactly() {
        let text = r#"{"b":1e400,"a":{"z": [1, 2.50]},"@odata.type":"x"}"#;
        let members: UnknownProperties = serde_json::from_str(text).unwrap();
        assert_eq!(
            members.keys().collect::<Vec<_>>(),
            ["b", "a", "@odata.type"]
        );
        assert_eq!(serde_json::to_string(&members).unwrap(), text);
        let err = serde_json::from_str::<UnknownProperties>(r#"{"a":1,"a":2}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate property `a`"), "{err}");
        assert!(serde_json::from_str::<UnknownProperties>("[1]").is_err());
        let mut de = serde_json::Deserializer::from_str(r#"{"k":[1,{"n":9007199254740993}]}"#);
        let members: UnknownProperties = serde_path_to_error::deserialize(&mut de).unwrap();
        assert_eq!(
            members.get("k").unwrap().get(),
            r#"[1,{"n":9007199254740993}]"#
        );
    }

    #[test]
    fn keeps_order_and_replaces_in_place() {
        let mut u = UnknownProperties::new();
        assert!(u.is_empty());
        assert!(u.insert_raw("b", raw("1")).is_none());
        assert!(u.insert_raw("a", raw("2")).is_none());
        assert_eq!(u.insert_raw("b", raw("3")).unwrap().get(), "1");
        assert_eq!(u.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(u.get("b").unwrap().get(), "3");
        assert_eq!(u.remove("b").unwrap().get(), "3");
        assert!(u.remove("b").is_none());
        assert!(!u.contains_key("b") && u.contains_key("a"));
        u.clear();
        assert!(u.is_empty() && u.get("a").is_none());
    }

    #[test]
    fn many_members_use_the_index_consistently() {
        let mut u = UnknownProperties::new();
        for i in 0..100 {
            u.insert("k".to_owned() + &i.to_string(), &i).unwrap();
        }
        assert_eq!(u.len(), 100);
        for i in 0..100 {
            assert_eq!(u.get_as::<i32>(&format!("k{i}")).unwrap().unwrap(), i);
        }
        assert_eq!(u.remove("k3").unwrap().get(), "3");
        assert_eq!(u.get("k4").unwrap().get(), "4");
        assert_eq!(u.get("k99").unwrap().get(), "99");
        u.insert("k4", &"four").unwrap();
        let (key, value) = u.iter().nth(3).unwrap();
        assert_eq!((key, value.get()), ("k4", "\"four\""));
        while u.len() > 10 {
            let last = u.keys().next_back().unwrap().to_owned();
            u.remove(&last);
        }
        assert_eq!(u.get("k9").unwrap().get(), "9");
        assert!(u.get("k50").is_none());
        assert!(u.get_as::<String>("k0").unwrap().is_err());
    }

    #[test]
    fn equality_ignores_order_and_insignificant_whitespace_only() {
        let mut a = UnknownProperties::new();
        a.insert_raw("x", raw(r#"{ "s": "a b",  "n": [1, 2] }"#));
        a.insert_raw("y", raw("1e400"));
        let mut b = UnknownProperties::new();
        b.insert_raw("y", raw("1e400"));
        b.insert_raw("x", raw(r#"{"s":"a b","n":[1,2]}"#));
        assert_eq!(a, b);
        b.insert_raw("x", raw(r#"{"s":"ab","n":[1,2]}"#));
        assert_ne!(a, b);
        b.insert_raw("x", raw(r#"{"s":"a b","n":[1,2.0]}"#));
        assert_ne!(a, b);
        assert!(!same_json_text(r#""a\" b""#, r#""a\"b""#));
        assert!(same_json_text(r#"[ "a\\" , 1 ]"#, r#"["a\\",1]"#));
        assert_ne!(a, UnknownProperties::new());
    }
}
