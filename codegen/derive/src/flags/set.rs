//! The set type: the struct, a constant per member and the bitflags-style methods.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::{Kind, Member, Model};

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    let member = model.member;
    let vis = model.vis;
    let docs = set_docs(model);
    let all = model.all_bits();
    let constants = model.members.iter().map(|m| constant(model, m));
    let bit_values: Vec<u64> = model.bits().map(|m| m.value).collect();
    let bit_wires: Vec<&str> = model.bits().map(|m| m.wire.as_str()).collect();
    let bit_idents: Vec<_> = model.bits().map(|m| m.ident).collect();
    let bit_names: Vec<String> = bit_idents.iter().map(|i| i.to_string()).collect();
    let bit_count = bit_values.len();
    let entry = model.entry();
    let empty_wire = model.zero().map_or_else(String::new, |z| z.wire.clone());
    let entry_doc = format!(
        " One member of a [`{set}`] in its wire order: a known single-bit member, a combined member given \
         by name, or an unknown name."
    );
    let composites: Vec<&Member<'_>> = model
        .members
        .iter()
        .filter(|m| m.kind() == Kind::Composite)
        .collect();
    let composite_values = composites.iter().map(|m| m.value);
    let composite_wires = composites.iter().map(|m| m.wire.as_str());
    let mut spellings = Vec::new();
    let mut spelling_values = Vec::new();
    let mut spelling_composites = Vec::new();
    for member in &model.members {
        let composite = match composites.iter().position(|c| c.ident == member.ident) {
            Some(i) => quote!(::core::option::Option::Some(#i)),
            None => quote!(::core::option::Option::None),
        };
        for spelling in std::iter::once(&member.wire).chain(&member.aliases) {
            spellings.push(spelling.as_str());
            spelling_values.push(member.value);
            spelling_composites.push(composite.clone());
        }
    }

    quote! {
        #[doc = #entry_doc]
        #[doc(hidden)]
        #[derive(::core::clone::Clone)]
        enum #entry {
            /// A known single-bit member: its index in the set type's `__BITS`.
            Known(usize),
            /// A combined member given by name, all of whose parts were new to the set: its index in the
            /// set type's `__COMPOSITES`.
            Composite(usize),
            /// The set was read from text without names (`""`): while it stays empty, it is written
            /// back as `""` rather than as the empty member's name.
            Blank,
            /// A name this version does not know, in the spelling first given.
            Unknown(::std::string::String),
        }

        #(#docs)*
        #[derive(::core::clone::Clone)]
        #vis struct #set {
            /// The known single-bit members present, as their CSDL values combined.
            bits: u64,
            /// The names of members this version does not know: sorted ignoring ASCII case, each name
            /// once, in the first spelling given.
            unknown: ::std::vec::Vec<::std::string::String>,
            /// The wire order: the members in the order they were first given, each once; a combined
            /// member read by name stands for its parts. Known members of `bits` it does not list come
            /// after it in declaration order; so an empty `order` (as in the constants, which cannot
            /// allocate) means declaration order. Every unknown name is listed, and every entry is in the
            /// set (a combined entry with all its parts). `==` and `Hash` ignore it.
            order: ::std::vec::Vec<#entry>,
        }

        impl #set {
            #(#constants)*

            /// The union of every known member's bits.
            const __ALL: u64 = #all;

            /// The single-bit members in declaration order: bit, wire name, Rust name.
            const __BITS: &'static [(u64, &'static str, &'static str)] =
                &[#((#bit_values, #bit_wires, #bit_names)),*];

            /// The combined members in declaration order: bits, wire name.
            const __COMPOSITES: &'static [(u64, &'static str)] =
                &[#((#composite_values, #composite_wires)),*];

            /// Every accepted spelling (wire names and aliases) with the bits it stands for and, for a
            /// combined member, its index in `__COMPOSITES`.
            const __NAMES: &'static [(&'static str, u64, ::core::option::Option<usize>)] =
                &[#((#spellings, #spelling_values, #spelling_composites)),*];

            /// The empty set. Sets built without an order of their own (`empty`, `all`, `from_bits`,
            /// `from_bits_truncate`, the constants and the complement) keep their members in
            /// declaration order on the wire.
            pub const fn empty() -> Self {
                Self {
                    bits: 0,
                    unknown: ::std::vec::Vec::new(),
                    order: ::std::vec::Vec::new(),
                }
            }

            /// The set of every known member.
            pub const fn all() -> Self {
                Self::from_bits_truncate(Self::__ALL)
            }

            /// The bits of the known members in the set (their CSDL values combined); unknown names have
            /// no bits.
            pub const fn bits(&self) -> u64 {
                self.bits
            }

            /// The set with exactly these bits, or `None` if `bits` has a bit no member declares.
            pub const fn from_bits(bits: u64) -> ::core::option::Option<Self> {
                if bits & !Self::__ALL == 0 {
                    ::core::option::Option::Some(Self::from_bits_truncate(bits))
                } else {
                    ::core::option::Option::None
                }
            }

            /// The set with these bits, dropping any bit no member declares.
            pub const fn from_bits_truncate(bits: u64) -> Self {
                Self {
                    bits: bits & Self::__ALL,
                    unknown: ::std::vec::Vec::new(),
                    order: ::std::vec::Vec::new(),
                }
            }

            /// `true` if the set has no members, known or unknown.
            pub fn is_empty(&self) -> bool {
                self.bits == 0 && self.unknown.is_empty()
            }

            /// `true` if every known member is in the set.
            pub fn is_all(&self) -> bool {
                self.bits == Self::__ALL
            }

            /// `true` if the set holds no member names this version does not know.
            pub fn is_known(&self) -> bool {
                self.unknown.is_empty()
            }

            /// The names of members this version does not know, as they arrived on the wire: sorted
            /// ignoring case, each name once (ignoring case, the first spelling seen is kept).
            pub fn unknown_names(&self) -> &[::std::string::String] {
                &self.unknown
            }

            /// `true` if every member of `other`, known or unknown, is also in `self`.
            pub fn contains(&self, other: &Self) -> bool {
                self.bits & other.bits == other.bits
                    && ::core::iter::Iterator::all(&mut other.unknown.iter(), |__name| {
                        Self::__has_name(&self.unknown, __name)
                    })
            }

            /// `true` if `self` and `other` have at least one member, known or unknown, in common.
            pub fn intersects(&self, other: &Self) -> bool {
                self.bits & other.bits != 0
                    || ::core::iter::Iterator::any(&mut other.unknown.iter(), |__name| {
                        Self::__has_name(&self.unknown, __name)
                    })
            }

            /// Adds the members of `other`, known and unknown (`self |= other`). On the wire the new
            /// members come after `self`'s, in `other`'s wire order.
            pub fn insert(&mut self, other: &Self) {
                self.__append(other);
            }

            /// Removes the members of `other`, known and unknown (`self -= other`). The wire order of
            /// the members left is kept.
            pub fn remove(&mut self, other: &Self) {
                self.bits &= !other.bits;
                self.unknown.retain(|__name| !Self::__has_name(&other.unknown, __name));
                self.__prune_order();
            }

            /// Adds the members of `other` that are absent and removes those that are present
            /// (`self ^= other`); unknown names likewise. On the wire `self`'s remaining members keep
            /// their order and the added ones follow in `other`'s wire order.
            pub fn toggle(&mut self, other: &Self) {
                let mut __added = Self::empty();
                __added.__append(other);
                __added.remove(self);
                self.remove(other);
                self.__append(&__added);
            }

            /// Inserts the members of `other` if `value` is `true` (new members go last on the wire),
            /// removes them otherwise.
            pub fn set(&mut self, other: &Self, value: bool) {
                if value {
                    self.insert(other);
                } else {
                    self.remove(other);
                }
            }

            /// The members in `self` or `other` (`self | other`); unknown names of both are kept. On
            /// the wire: `self`'s members, then `other`'s that `self` lacks.
            #[must_use]
            pub fn union(&self, other: &Self) -> Self {
                let mut __set = ::core::clone::Clone::clone(self);
                __set.insert(other);
                __set
            }

            /// The members in both `self` and `other` (`self & other`); unknown names kept only if both
            /// have them. On the wire they keep `self`'s order.
            #[must_use]
            pub fn intersection(&self, other: &Self) -> Self {
                let mut __set = ::core::clone::Clone::clone(self);
                __set.__retain_common(other);
                __set
            }

            /// The members of `self` that are not in `other` (`self - other`); unknown names of `other`
            /// are removed too. On the wire they keep `self`'s order.
            #[must_use]
            pub fn difference(&self, other: &Self) -> Self {
                let mut __set = ::core::clone::Clone::clone(self);
                __set.remove(other);
                __set
            }

            /// The members in exactly one of `self` and `other` (`self ^ other`); unknown names likewise.
            /// On the wire: `self`'s members kept, in their order, then `other`'s new ones.
            #[must_use]
            pub fn symmetric_difference(&self, other: &Self) -> Self {
                let mut __set = ::core::clone::Clone::clone(self);
                __set.toggle(other);
                __set
            }

            /// The known members not in `self` (`!self`), in declaration order on the wire. Unknown names
            /// are dropped: the complement of names nobody knows cannot be written down.
            #[must_use]
            pub fn complement(&self) -> Self {
                Self::from_bits_truncate(!self.bits)
            }

            /// The wire form, which serde writes: the members in the order they were first given (by
            /// parsing, deserializing, the constants or the operators), each once, known ones in their
            /// canonical spelling, joined by `", "`; a combined member read by name is written by that
            /// name while all its parts stay in the set (the constants write their parts instead), and the
            /// empty set is written as the empty member's name (or `""` if the enum has none, or if the set
            /// was read from `""` and is still empty).
            ///
            /// `Display` (`to_string()`) is the canonical form instead: declaration order, then the
            /// unknown names sorted. Both parse back to an equal set.
            pub fn to_wire(&self) -> ::std::string::String {
                let mut __wire = ::std::string::String::new();
                // Writing to a `String` cannot fail.
                let _ = self.__write_wire(&mut __wire);
                __wire
            }

            /// The single-bit members in the set, in declaration order. Combined members (unions of
            /// others) and the empty member are never yielded, nor are unknown names (see
            /// [`Self::unknown_names`]).
            pub fn iter(&self) -> impl ::core::iter::Iterator<Item = #member> + use<> {
                let __bits = self.bits;
                let __members: [(u64, #member); #bit_count] = [#((#bit_values, #member::#bit_idents)),*];
                ::core::iter::Iterator::filter_map(
                    ::core::iter::IntoIterator::into_iter(__members),
                    move |(__bit, __member)| {
                        if __bits & __bit != 0 {
                            ::core::option::Option::Some(__member)
                        } else {
                            ::core::option::Option::None
                        }
                    },
                )
            }

            /// Adds the member a spelling (wire name or alias, any letter case) stands for; `false` if
            /// no member is spelt so.
            fn __push_spelling(&mut self, name: &str) -> bool {
                for &(__spelling, __bits, __composite) in Self::__NAMES {
                    if __spelling.eq_ignore_ascii_case(name) {
                        match __composite {
                            ::core::option::Option::Some(__i) => self.__push_composite(__i),
                            ::core::option::Option::None => self.__push_bits(__bits),
                        }
                        return true;
                    }
                }
                false
            }

            /// Adds a combined member, last on the wire: by its name if none of its parts is in the set
            /// yet, otherwise as its absent parts. `self.order` must list every known member.
            fn __push_composite(&mut self, index: usize) {
                let __bits = Self::__COMPOSITES[index].0;
                if self.bits & __bits == 0 {
                    self.bits |= __bits;
                    self.order.push(#entry::Composite(index));
                } else {
                    self.__push_bits(__bits);
                }
            }

            /// Orders unknown names ignoring ASCII case; `Equal` means the same name.
            fn __cmp_names(a: &str, b: &str) -> ::core::cmp::Ordering {
                ::core::iter::Iterator::cmp(
                    ::core::iter::Iterator::map(a.bytes(), |__c| __c.to_ascii_lowercase()),
                    ::core::iter::Iterator::map(b.bytes(), |__c| __c.to_ascii_lowercase()),
                )
            }

            fn __has_name(names: &[::std::string::String], name: &str) -> bool {
                names.binary_search_by(|__n| Self::__cmp_names(__n, name)).is_ok()
            }

            /// Adds the known members among `bits` that are absent, last on the wire, in declaration
            /// order. `self.order` must list every known member (see [`Self::__materialize`]).
            fn __push_bits(&mut self, bits: u64) {
                for (__i, &(__bit, _, _)) in ::core::iter::Iterator::enumerate(Self::__BITS.iter()) {
                    if bits & __bit != 0 && self.bits & __bit == 0 {
                        self.bits |= __bit;
                        self.order.push(#entry::Known(__i));
                    }
                }
            }

            /// Adds an unknown name if absent (ignoring case), last on the wire, keeping `unknown`
            /// sorted and the first spelling of each name.
            fn __push_name(&mut self, name: &str) {
                if let ::core::result::Result::Err(__i) =
                    self.unknown.binary_search_by(|__n| Self::__cmp_names(__n, name))
                {
                    self.unknown.insert(__i, ::std::borrow::ToOwned::to_owned(name));
                    self.order.push(#entry::Unknown(::std::borrow::ToOwned::to_owned(name)));
                }
            }

            /// The known members of `bits` that `order` does not list.
            fn __implicit(&self) -> u64 {
                let mut __listed = 0;
                for __entry in &self.order {
                    match __entry {
                        #entry::Known(__i) => __listed |= Self::__BITS[*__i].0,
                        #entry::Composite(__i) => __listed |= Self::__COMPOSITES[*__i].0,
                        #entry::Unknown(_) | #entry::Blank => {}
                    }
                }
                self.bits & !__listed
            }

            /// Lists the known members `order` leaves implicit, so that members added next go after
            /// them.
            fn __materialize(&mut self) {
                let __implicit = self.__implicit();
                for (__i, &(__bit, _, _)) in ::core::iter::Iterator::enumerate(Self::__BITS.iter()) {
                    if __implicit & __bit != 0 {
                        self.order.push(#entry::Known(__i));
                    }
                }
            }

            /// Adds the members of `other` that `self` lacks, after `self`'s, in `other`'s wire order.
            fn __append(&mut self, other: &Self) {
                self.__materialize();
                for __entry in &other.order {
                    match __entry {
                        #entry::Known(__i) => self.__push_bits(Self::__BITS[*__i].0),
                        #entry::Composite(__i) => self.__push_composite(*__i),
                        #entry::Unknown(__name) => self.__push_name(__name),
                        #entry::Blank => {}
                    }
                }
                self.__push_bits(other.__implicit());
            }

            /// Drops from `order` the members no longer in the set; a combined member that lost some of
            /// its parts is replaced, in place, by the parts left.
            fn __prune_order(&mut self) {
                let __bits = self.bits;
                let __old = ::core::mem::take(&mut self.order);
                for __entry in __old {
                    match __entry {
                        #entry::Known(__i) if __bits & Self::__BITS[__i].0 == 0 => {}
                        #entry::Unknown(__name) if !Self::__has_name(&self.unknown, &__name) => {}
                        #entry::Composite(__i) if __bits & Self::__COMPOSITES[__i].0 != Self::__COMPOSITES[__i].0 => {
                            let __left = __bits & Self::__COMPOSITES[__i].0;
                            for (__j, &(__bit, _, _)) in ::core::iter::Iterator::enumerate(Self::__BITS.iter()) {
                                if __left & __bit != 0 {
                                    self.order.push(#entry::Known(__j));
                                }
                            }
                        }
                        __kept => self.order.push(__kept),
                    }
                }
            }

            /// Writes the wire form (see [`Self::to_wire`]).
            fn __write_wire<__W: ::core::fmt::Write>(&self, __w: &mut __W) -> ::core::fmt::Result {
                let mut __first = true;
                let __implicit = self.__implicit();
                let __listed = ::core::iter::Iterator::map(self.order.iter(), |__entry| match __entry {
                    #entry::Known(__i) => Self::__BITS[*__i].1,
                    #entry::Composite(__i) => Self::__COMPOSITES[*__i].1,
                    #entry::Unknown(__name) => __name.as_str(),
                    #entry::Blank => "",
                });
                let __listed = ::core::iter::Iterator::filter(__listed, |__name| !__name.is_empty());
                let __rest = ::core::iter::Iterator::filter_map(Self::__BITS.iter(), |&(__bit, __name, _)| {
                    if __implicit & __bit != 0 {
                        ::core::option::Option::Some(__name)
                    } else {
                        ::core::option::Option::None
                    }
                });
                for __name in ::core::iter::Iterator::chain(__listed, __rest) {
                    if !__first {
                        ::core::fmt::Write::write_str(__w, ", ")?;
                    }
                    ::core::fmt::Write::write_str(__w, __name)?;
                    __first = false;
                }
                let __blank = ::core::iter::Iterator::any(&mut self.order.iter(), |__entry| {
                    ::core::matches!(__entry, #entry::Blank)
                });
                if __first && !__blank {
                    ::core::fmt::Write::write_str(__w, #empty_wire)?;
                }
                ::core::result::Result::Ok(())
            }

            /// Keeps only the members also in `other` (`self &= other`), in `self`'s wire order.
            fn __retain_common(&mut self, other: &Self) {
                self.bits &= other.bits;
                self.unknown.retain(|__name| Self::__has_name(&other.unknown, __name));
                self.__prune_order();
            }
        }
    }
}

/// The `pub const` for one member, with the member's docs and what it stands for.
fn constant(model: &Model<'_>, member: &Member<'_>) -> TokenStream {
    let docs = &member.docs;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let wire = &member.wire;
    let aliases = if member.aliases.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = member.aliases.iter().map(|a| format!("`{a}`")).collect();
        format!(" Also read from {}.", join_and(&list))
    };
    let (bits, summary) = match member.kind() {
        Kind::Zero => {
            let prints = if model.zero().is_some_and(|z| z.ident == member.ident) {
                " The empty set prints as this name."
            } else {
                ""
            };
            (
                0,
                format!(" The empty set: wire name `{wire}`.{prints}{aliases}"),
            )
        }
        Kind::Bit => (member.value, format!(" Wire name `{wire}`.{aliases}")),
        Kind::Composite => {
            let parts: Vec<String> = model
                .bits()
                .filter(|b| member.value & b.value != 0)
                .map(|b| format!("[`{}`](Self::{})", b.constant, b.constant))
                .collect();
            (
                member.value,
                format!(
                    " The union of {}: read from the wire name `{wire}`. This constant is written as \
                     those members' names (`Display` and the wire form); a set read from `\"{wire}\"` is \
                     written back as `\"{wire}\"` on the wire. Both are equal (`==` compares the members, \
                     not the spelling).{aliases}",
                    join_and(&parts)
                ),
            )
        }
    };
    let constant = &member.constant;
    quote! {
        #(#docs)*
        #separator
        #[doc = #summary]
        pub const #constant: Self = Self::from_bits_truncate(#bits);
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The set type's docs: the enum's, then what the set is and its wire form.
fn set_docs(model: &Model<'_>) -> Vec<TokenStream> {
    let member = model.member;
    let mut lines: Vec<String> = Vec::new();
    if !model.docs.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        " A set of [`{member}`] members: the known ones as bits, plus the names of members this version \
         does not know."
    ));
    lines.push(String::new());
    lines.push(" # Wire form".to_owned());
    lines.push(String::new());
    let example: Vec<&str> = model.bits().take(2).map(|m| m.wire.as_str()).collect();
    lines.push(format!(
        " On the wire the set is one string, the members' names joined by `\", \"`: e.g. `\"{}\"`.",
        example.join(", ")
    ));
    let composite = model.members.iter().find(|m| m.kind() == Kind::Composite);
    let empty_names = match model.zero() {
        Some(zero) => format!("`\"\"` and `\"{}\"` mean", zero.wire),
        None => "`\"\"` means".to_owned(),
    };
    let expands = match composite {
        Some(c) => format!(
            ", and a combined member such as `\"{}\"` stands for its parts",
            c.wire
        ),
        None => String::new(),
    };
    lines.push(String::new());
    lines.push(format!(
        " Parsing (`FromStr`, serde) is lenient: names in any letter case and order, with any whitespace \
         around them, repeated or not; {empty_names} the empty set{expands}. A name this version does not \
         know is kept (see [`Self::unknown_names`]) and written back, never dropped."
    ));
    let composite_parts = composite.map(|c| {
        model
            .bits()
            .filter(|b| c.value & b.value != 0)
            .map(|b| b.wire.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let composite_prints = match (composite, &composite_parts) {
        (Some(c), Some(parts)) => format!(
            " A set equal to a combined member prints as its parts: `{}` displays as `\"{parts}\"`.",
            c.constant,
        ),
        _ => String::new(),
    };
    let empty_prints = match model.zero() {
        Some(zero) => format!("`\"{}\"`", zero.wire),
        None => "`\"\"`".to_owned(),
    };
    lines.push(String::new());
    lines.push(format!(
        " `Display` (`to_string()`) is the canonical form: the single-bit members in declaration order, \
         then the unknown names sorted ignoring case, separated by `\", \"`; the empty set prints as \
         {empty_prints}.{composite_prints}"
    ));
    let bits: Vec<&Member<'_>> = model.bits().collect();
    // Two members given out of declaration order: the second and third if there are three.
    let example = match bits.as_slice() {
        [_, a, b, ..] | [a, b] => format!(
            ": `{} | {}` is sent as `\"{}, {}\"`, though it displays as `\"{}, {}\"`",
            b.constant, a.constant, b.wire, a.wire, a.wire, b.wire
        ),
        _ => String::new(),
    };
    lines.push(String::new());
    lines.push(format!(
        " The wire form (serde `Serialize`, [`Self::to_wire`]) keeps the order in which the members were \
         first given, each once, known ones in their canonical spelling, so a value read from the service \
         is written back as received (up to spelling and spacing){example}. Sets built without an order \
         of their own (the constants, `empty()`, `all()`, `from_bits`, the complement) use declaration \
         order; a union appends the right side's new members, an intersection or difference keeps the \
         left side's order, and a symmetric difference keeps the left side's order and then appends the \
         right side's new members. `==` and `Hash` ignore the order: both forms parse back to an equal \
         set. A set read from text without names (`\"\"`) is written back as `\"\"` while it stays empty."
    ));
    if let (Some(c), Some(parts)) = (composite, &composite_parts) {
        let wire = &c.wire;
        let constant = &c.constant;
        lines.push(String::new());
        lines.push(format!(
            " A combined member read by name is written back by that name: `\"{wire}\"` read from the \
             service goes back as `\"{wire}\"`, as long as all its parts stay in the set (removing one \
             writes the parts left instead). A set built in code is written as its parts: the constant \
             `{constant}` is sent as `\"{parts}\"`; parse `\"{wire}\"` to send the name itself. Both are \
             equal: `==` and `Hash` compare the members (the bits and unknown names), never the spelling \
             or the order. A combined name given after one of its parts adds the missing parts instead."
        ));
    }
    lines.push(String::new());
    lines.push(" # Unknown names under the operators".to_owned());
    lines.push(String::new());
    lines.push(
        " Names compare ignoring case. A union keeps the unknown names of both sides, an intersection \
         the names both have, a difference removes the right side's names, a symmetric difference keeps \
         the names only one side has, and the complement (`!`) has none."
            .to_owned(),
    );
    let docs = &model.docs;
    let mut out: Vec<TokenStream> = docs.iter().map(|d| quote!(#d)).collect();
    out.extend(lines.into_iter().map(|line| quote!(#[doc = #line])));
    out
}
