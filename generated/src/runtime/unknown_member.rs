//! The text of an enum member this version of the crate does not know, kept opaque so it cannot stand
//! in for a member the crate does know.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// A member of the open Graph enum `E` that this version of the crate does not know: the text exactly as
/// it was read, written back unchanged.
///
/// It is the payload of a generated enum's `Unrecognized` variant. It has no public constructor: a value
/// exists only because `E`'s parser (`FromStr`, serde) was given a text that is not one of `E`'s
/// spellings in any case, so `Unrecognized` never shadows a known member. To send a member the crate
/// does not know yet, parse its name: `"NewMember".parse::<E>()` gives `Unrecognized` holding
/// `"NewMember"`, while `"active".parse()` gives the known `Active`.
///
/// Two values are equal when their texts are equal byte for byte (the text is what is written back).
///
/// ```
/// use msgraph_sync::{SynchronizationStatusCode, UnknownMember};
///
/// let code: SynchronizationStatusCode = serde_json::from_str(r#""Suspended""#).unwrap();
/// let SynchronizationStatusCode::Unrecognized(member) = &code else { panic!("not a known member") };
/// let _: &UnknownMember<SynchronizationStatusCode> = member;
/// assert_eq!(member.as_str(), "Suspended");
/// assert_eq!(member.to_string(), "Suspended");
/// assert_eq!(format!("{member:?}"), r#"UnknownMember("Suspended")"#);
/// assert_eq!(serde_json::to_string(&code).unwrap(), r#""Suspended""#);
///
/// // A known spelling, in any case, is the known member.
/// let active: SynchronizationStatusCode = "ACTIVE".parse().unwrap();
/// assert_eq!(active, SynchronizationStatusCode::Active);
///
/// // A member the crate does not know yet is sent by parsing its name.
/// let Ok(suspend) = "Suspended".parse::<SynchronizationStatusCode>();
/// assert_eq!(suspend, code);
/// ```
///
/// Outside the crate it cannot be built, so an unknown member cannot be made to look like a known one,
/// neither with a constructor nor with a literal nor by claiming that an enum knows no spellings:
///
/// ```compile_fail,E0423
/// use msgraph_sync::{SynchronizationStatusCode, UnknownMember};
///
/// let fake = SynchronizationStatusCode::Unrecognized(UnknownMember("Active".into()));
/// ```
///
/// ```compile_fail,E0599
/// use msgraph_sync::{SynchronizationStatusCode, UnknownMember};
///
/// let fake = SynchronizationStatusCode::Unrecognized(UnknownMember::new("Active"));
/// ```
///
/// ```compile_fail,E0451
/// use msgraph_sync::{SynchronizationStatusCode, UnknownMember};
///
/// let fake = SynchronizationStatusCode::Unrecognized(UnknownMember {
///     text: "Active".into(),
///     _enum: std::marker::PhantomData,
/// });
/// ```
///
/// ```compile_fail,E0117
/// use msgraph_sync::SynchronizationStatusCode;
///
/// impl msgraph_sync::__private::KnownMembers for SynchronizationStatusCode {
///     fn known(_: &str) -> Option<Self> {
///         None
///     }
/// }
/// ```
///
/// # Forward compatibility
///
/// The generated enums (and the flag enums of the flag sets) are `#[non_exhaustive]`: a member added to
/// the spec in a later version of the crate is not a breaking change, so a `match` on one needs a `_` arm.
/// Until then, a new member arrives as `Unrecognized`; after the update, as its own variant.
///
/// ```
/// use msgraph_sync::SynchronizationStatusCode as Code;
///
/// fn needs_attention(code: &Code) -> bool {
///     match code {
///         Code::Quarantine | Code::Paused => true,
///         Code::Active | Code::NotRun | Code::NotConfigured | Code::Empty => false,
///         _ => !code.is_known(),
///     }
/// }
/// assert!(needs_attention(&"Suspended".parse().unwrap()));
/// ```
///
/// ```compile_fail,E0004
/// use msgraph_sync::SynchronizationStatusCode as Code;
///
/// fn needs_attention(code: &Code) -> bool {
///     match code {
///         Code::Quarantine | Code::Paused | Code::Unrecognized(_) => true,
///         Code::Active | Code::NotRun | Code::NotConfigured | Code::Empty => false,
///     }
/// }
/// ```
///
/// ```compile_fail,E0004
/// use msgraph_sync::SynchronizationJobRestartScopeFlag as Flag;
///
/// fn name(flag: Flag) -> &'static str {
///     match flag {
///         Flag::None => "None",
///         Flag::ConnectorDataStore => "ConnectorDataStore",
///         Flag::Escrows => "Escrows",
///         Flag::Watermark => "Watermark",
///         Flag::QuarantineState => "QuarantineState",
///         Flag::Full => "Full",
///         Flag::ForceDeletes => "ForceDeletes",
///     }
/// }
/// ```
pub struct UnknownMember<E> {
    text: Box<str>,
    _enum: PhantomData<fn() -> E>,
}

impl<E> UnknownMember<E> {
    /// The member's text, exactly as read.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl<E> fmt::Display for UnknownMember<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.text)
    }
}

impl<E> fmt::Debug for UnknownMember<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnknownMember").field(&self.text).finish()
    }
}

// Written by hand: derives would require `E: Clone` and so on, though only the text is compared.
impl<E> Clone for UnknownMember<E> {
    fn clone(&self) -> Self {
        Self {
            text: self.text.clone(),
            _enum: PhantomData,
        }
    }
}

impl<E> PartialEq for UnknownMember<E> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<E> Eq for UnknownMember<E> {}

impl<E> Hash for UnknownMember<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// The known spellings of an open enum, implemented by `#[derive(GraphEnum)]`. Not public API.
#[doc(hidden)]
pub trait KnownMembers: Sized {
    /// The member `text` spells (ignoring ASCII case), `None` if it spells none.
    fn known(text: &str) -> Option<Self>;
}

/// Parses `text` as a member of `E`: the known member it spells, or else the unknown member holding it.
/// The only way to build an [`UnknownMember`]; called by `#[derive(GraphEnum)]`. Not public API.
#[doc(hidden)]
pub fn parse_member<E: KnownMembers>(text: &str) -> Result<E, UnknownMember<E>> {
    E::known(text).ok_or_else(|| UnknownMember {
        text: text.into(),
        _enum: PhantomData,
    })
}
