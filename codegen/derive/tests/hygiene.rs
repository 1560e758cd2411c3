//! The expansions refer only to `::core`, `::std` and `::serde` (GraphModel's and an open GraphEnum's also
//! to `::msgraph_sync` or the path given by `#[graph(crate = "...")]`): they compile in a module without the prelude, next to items
//! named like prelude items, with the members glob-imported.

#![allow(dead_code, non_upper_case_globals)]

mod no_prelude {
    #![no_implicit_prelude]

    use ::msgraph_sync_derive::{GraphEnum, GraphFlags};

    use self::ScopeFlag::*;

    /// Shadows `Option`.
    pub enum Option {}
    /// Shadows `Result`.
    pub type Result = ();
    /// Shadows `Vec`.
    pub struct Vec;
    /// Shadows `Default`.
    pub trait Default {}
    /// Shadows `String`.
    pub struct String;
    /// Shadows `Iterator`.
    pub trait Iterator {}
    /// Shadows `From`.
    pub trait From {}
    /// Shadows `Some`.
    pub const Some: () = ();
    /// Shadows `Ok`.
    pub const Ok: () = ();

    /// An open enum whose unknown variant's payload is spelled in full.
    #[derive(Debug, Clone, PartialEq, Eq, GraphEnum)]
    pub enum State {
        /// Active.
        Active,
        /// Not known here.
        #[graph(unknown)]
        Other(::msgraph_sync::UnknownMember<State>),
    }

    /// A closed enum.
    #[derive(Debug, Clone, PartialEq, Eq, GraphEnum)]
    #[graph(closed)]
    pub enum Closed {
        /// One.
        One,
    }

    /// A flag enum with a `None` member glob-imported over `Option::None`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, GraphFlags)]
    pub enum ScopeFlag {
        /// Nothing.
        None = 0,
        /// A.
        A = 1,
        /// B.
        B = 2,
        /// Both.
        Both = 3,
    }

    pub fn uses_glob() -> ScopeFlag {
        None
    }

    /// A model, with the crate named through a renamed path.
    #[derive(GraphModel)]
    #[graph(crate = "self::renamed")]
    pub struct Model {
        /// A property.
        #[graph(rename = "state")]
        pub state: ::core::option::Option<State>,
        /// A nullable property.
        #[graph(rename = "note", nullable)]
        pub note: ::msgraph_sync::Nullable<::std::string::String>,
        /// The rest.
        #[graph(unknown)]
        pub rest: ::msgraph_sync::UnknownProperties,
    }

    /// `msgraph_sync` under another name, as for a renamed dependency.
    pub mod renamed {
        pub use ::msgraph_sync::__private;
    }

    use ::msgraph_sync::GraphModel;
}

use no_prelude::{Closed, Model, Scope, ScopeFlag, State};

#[test]
fn expansions_work_without_the_prelude() {
    assert_eq!("active".parse::<State>().unwrap(), State::Active);
    assert_eq!("x".parse::<State>().unwrap().as_str(), "x");
    assert!("two".parse::<Closed>().is_err());
    assert_eq!("b, A".parse::<Scope>().unwrap(), Scope::BOTH);
    assert_eq!(Scope::from(no_prelude::uses_glob()), Scope::NONE);
    assert_eq!((ScopeFlag::A | ScopeFlag::B).to_string(), "A, B");
    assert_eq!(serde_json::to_string(&Scope::BOTH).unwrap(), r#""A, B""#);
    let given: Scope = "b, x, A".parse().unwrap();
    assert_eq!(given.to_wire(), "B, x, A");
    assert_eq!(
        serde_json::to_string(&(Scope::B | Scope::A)).unwrap(),
        r#""B, A""#
    );
}

#[test]
fn the_model_expansion_works_without_the_prelude_and_with_a_crate_path() {
    let text = r#"{"rest":1e400,"note":null,"state":"active","@odata.type":"x"}"#;
    let model: Model = serde_json::from_str(text).unwrap();
    assert_eq!(model.state, Some(State::Active));
    assert!(model.note.is_null());
    assert_eq!(
        serde_json::to_string(&model).unwrap(),
        r#"{"@odata.type":"x","state":"Active","note":null,"rest":1e400}"#
    );
}
