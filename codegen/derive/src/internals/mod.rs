//! Reading the derive input: attributes are parsed once into a small AST ([`ast`]), every problem is
//! recorded with its span in a [`Ctxt`], and only a valid model reaches the emitters.

pub(crate) mod ast;
pub(crate) mod attr;
mod ctxt;

pub(crate) use ctxt::Ctxt;

/// Which derive is reading the input; attributes and messages differ between the two.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Derive {
    /// `#[derive(GraphEnum)]`: an open or closed string enum.
    Enum,
    /// `#[derive(GraphFlags)]`: a flag enum plus its generated set type.
    Flags,
    /// `#[derive(GraphModel)]`: a struct of Graph properties keeping unknown members.
    Model,
}

impl Derive {
    /// The derive's name as the user writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Derive::Enum => "GraphEnum",
            Derive::Flags => "GraphFlags",
            Derive::Model => "GraphModel",
        }
    }
}
