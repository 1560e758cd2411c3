//! A tri-state value for nullable properties: absent, `null`, or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A nullable property that remembers whether it was absent, `null`, or set, so that a `PATCH`
/// body can say "leave it" (absent), "clear it" (`null`) or "set it".
///
/// The generated models declare such properties `#[graph(rename = "...", nullable)] pub x: Nullable<T>`
/// (see `GraphModel`). With serde's own derives, use it on struct fields as
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")] pub x: Nullable<T>`.
///
/// ```
/// use msgraph_sync::Nullable;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Quarantine {
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     reason: Nullable<String>,
/// }
/// let q: Quarantine = serde_json::from_str(r#"{"reason": null}"#).unwrap();
/// assert!(q.reason.is_null());
/// assert_eq!(serde_json::to_string(&q).unwrap(), r#"{"reason":null}"#);
/// let q: Quarantine = serde_json::from_str("{}").unwrap();
/// assert!(q.reason.is_absent());
/// assert_eq!(serde_json::to_string(&q).unwrap(), "{}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// The member was not present.
    #[default]
    Absent,
    /// The member was `null`.
    Null,
    /// The member had a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the member was not present.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the member was `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the member had a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Maps the value, keeping absent and `null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `Null` (an explicit `null`), `Some(v)` becomes `Value(v)`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct S {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        a: Nullable<i32>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        b: Nullable<Vec<String>>,
    }

    #[test]
    fn tri_state_round_trip() {
        for text in [
            r#"{}"#,
            r#"{"a":null}"#,
            r#"{"a":5,"b":null}"#,
            r#"{"a":null,"b":["x"]}"#,
        ] {
            let s: S = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&s).unwrap(), text);
        }
        let s: S = serde_json::from_value(json!({"a": 1})).unwrap();
        assert_eq!(s.a, Nullable::Value(1));
        assert!(s.b.is_absent());
        assert!(serde_json::from_value::<S>(json!({"a": "x"})).is_err());
    }

    #[test]
    fn helpers() {
        assert_eq!(Nullable::from(3).as_ref(), Some(&3));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::from(Some(2)).into_option(), Some(2));
        assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
        assert!(Nullable::<i32>::Null.is_null() && Nullable::<i32>::Null.as_ref().is_none());
        assert_eq!(Nullable::Value(2).map(|v| v * 2), Nullable::Value(4));
        let mut n = Nullable::Value(1);
        if let Some(v) = n.as_mut() {
            *v = 9;
        }
        assert!(n.is_value() && n.into_option() == Some(9));
    }
}
