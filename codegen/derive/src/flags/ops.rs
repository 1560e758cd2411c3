//! The set operators (`|`, `&`, `^`, `-`, `!` and their assign forms), for values and references, plus
//! conversions from members: `From<Member>`, `Member | Member`, `Set | Member`, `FromIterator` and `Extend` of members and of sets.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::Model;

pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    let set = &model.set;
    let member = model.member;
    // (operator trait, its method, the in-place method of the set that implements it)
    let binary = [
        ("BitOr", "bitor", "insert"),
        ("BitAnd", "bitand", "__retain_common"),
        ("BitXor", "bitxor", "toggle"),
        ("Sub", "sub", "remove"),
    ];
    let binary = binary.iter().map(|&(op, method, in_place)| {
        let op = format_ident!("{op}");
        let op_assign = format_ident!("{op}Assign");
        let method = format_ident!("{method}");
        let method_assign = format_ident!("{method}_assign");
        let in_place = format_ident!("{in_place}");
        quote! {
            #[automatically_derived]
            impl ::core::ops::#op for #set {
                type Output = Self;

                fn #method(mut self, rhs: Self) -> Self {
                    self.#in_place(&rhs);
                    self
                }
            }

            #[automatically_derived]
            impl ::core::ops::#op<&#set> for &#set {
                type Output = #set;

                fn #method(self, rhs: &#set) -> #set {
                    let mut __set = ::core::clone::Clone::clone(self);
                    __set.#in_place(rhs);
                    __set
                }
            }

            #[automatically_derived]
            impl ::core::ops::#op_assign for #set {
                fn #method_assign(&mut self, rhs: Self) {
                    self.#in_place(&rhs);
                }
            }

            #[automatically_derived]
            impl ::core::ops::#op_assign<&#set> for #set {
                fn #method_assign(&mut self, rhs: &#set) {
                    self.#in_place(rhs);
                }
            }
        }
    });
    let idents = model.members.iter().map(|m| m.ident);
    let constants = model.members.iter().map(|m| &m.constant);
    quote! {
        #(#binary)*

        #[automatically_derived]
        impl ::core::ops::Not for #set {
            type Output = Self;

            fn not(self) -> Self {
                self.complement()
            }
        }

        #[automatically_derived]
        impl ::core::ops::Not for &#set {
            type Output = #set;

            fn not(self) -> #set {
                self.complement()
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<#member> for #set {
            /// The set holding just this member (a combined member gives its parts, the empty member the
            /// empty set).
            fn from(member: #member) -> Self {
                match member {
                    #(#member::#idents => Self::#constants,)*
                }
            }
        }

        #[automatically_derived]
        impl ::core::ops::BitOr for #member {
            type Output = #set;

            fn bitor(self, rhs: Self) -> #set {
                <#set as ::core::convert::From<#member>>::from(self) | rhs
            }
        }

        #[automatically_derived]
        impl ::core::ops::BitOr<#member> for #set {
            type Output = Self;

            fn bitor(mut self, rhs: #member) -> Self {
                self.insert(&<#set as ::core::convert::From<#member>>::from(rhs));
                self
            }
        }

        #[automatically_derived]
        impl ::core::ops::BitOrAssign<#member> for #set {
            fn bitor_assign(&mut self, rhs: #member) {
                self.insert(&<#set as ::core::convert::From<#member>>::from(rhs));
            }
        }

        #[automatically_derived]
        impl ::core::iter::Extend<#member> for #set {
            fn extend<__I: ::core::iter::IntoIterator<Item = #member>>(&mut self, members: __I) {
                for __member in members {
                    *self |= __member;
                }
            }
        }

        #[automatically_derived]
        impl ::core::iter::Extend<#set> for #set {
            fn extend<__I: ::core::iter::IntoIterator<Item = #set>>(&mut self, sets: __I) {
                for __set in sets {
                    self.insert(&__set);
                }
            }
        }

        #[automatically_derived]
        impl ::core::iter::FromIterator<#member> for #set {
            fn from_iter<__I: ::core::iter::IntoIterator<Item = #member>>(members: __I) -> Self {
                let mut __set = Self::empty();
                ::core::iter::Extend::extend(&mut __set, members);
                __set
            }
        }

        #[automatically_derived]
        impl ::core::iter::FromIterator<#set> for #set {
            fn from_iter<__I: ::core::iter::IntoIterator<Item = #set>>(sets: __I) -> Self {
                let mut __set = Self::empty();
                ::core::iter::Extend::extend(&mut __set, sets);
                __set
            }
        }
    }
}
