//! The one text codec for enums: every enum that is stored, sent or typed as a word has one
//! stable text per value, here, and every backend reads and writes exactly that text.
//!
//! The texts are part of the storage format: a value's text never changes once released (a
//! migration would have to rewrite stored rows). They are independent of serde's names,
//! although today they agree, so that changing a serde attribute can never change what a
//! database holds.

use super::ValidationError;

/// A closed set of values, each with a stable text (see the [module](self) docs).
///
/// Implemented with the `stable_text!` macro, which also gives the type an inherent
/// `as_str`, a list of every value (`ALL`), `Display` and `FromStr`.
pub trait StableText: Copy + Eq + std::fmt::Debug + 'static {
    /// What the values are, as a field name in errors (`status`, `role`, ...).
    const WHAT: &'static str;
    /// Every value.
    fn all() -> &'static [Self];
    /// The stable text of `self`.
    fn text(self) -> &'static str;
    /// The value whose stable text is `s`, exactly.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on the field [`WHAT`](Self::WHAT) when no value has that text.
    fn from_text(s: &str) -> Result<Self, ValidationError> {
        Self::all()
            .iter()
            .copied()
            .find(|v| v.text() == s)
            .ok_or_else(|| unknown(Self::WHAT, s))
    }
}

/// The error for text that names no value.
fn unknown(what: &'static str, s: &str) -> ValidationError {
    let shown: String = s.chars().take(40).collect();
    ValidationError::new(
        what,
        format!("unknown {} {shown:?}", what.replace('_', " ")),
    )
}

/// Parses text as people type it: the stable text, or the same with surrounding space and
/// in any ASCII case.
pub(crate) fn parse_typed<T: StableText>(s: &str) -> Result<T, ValidationError> {
    T::from_text(s).or_else(|e| {
        let folded = s.trim().to_ascii_lowercase();
        T::all()
            .iter()
            .copied()
            .find(|v| v.text() == folded)
            .ok_or(e)
    })
}

/// Gives an enum its stable texts: `stable_text!(Role, "role" { Role::Admin => "admin", ... })`.
/// Generates `ALL`, `as_str`, [`StableText`], `Display` and a `FromStr` that accepts the text
/// with any ASCII case and surrounding space.
macro_rules! stable_text {
    ($ty:ident, $what:literal {
        $($variant:ident $(($inner:path))? => $text:literal),+ $(,)?
    }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; [$($text),+].len()] = [$($ty::$variant $(($inner))?),+];

            /// The stable text (see [`StableText`](crate::domain::StableText)).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant $(($inner))? => $text),+
                }
            }
        }

        impl $crate::domain::StableText for $ty {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn text(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::domain::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::domain::stable_text::parse_typed(s)
            }
        }
    };
}

pub(crate) use stable_text;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::StableText;
    use crate::domain::*;
    use crate::listing::TicketOrder;

    /// Every value's text parses back to it, no two values share a text, and texts are
    /// lower-case ASCII words (safe in any column, URL or header).
    fn round_trips<T: StableText>() {
        let mut seen = HashSet::new();
        for &value in T::all() {
            let text = value.text();
            assert_eq!(T::from_text(text).unwrap(), value, "{}", T::WHAT);
            assert!(seen.insert(text), "{} repeats {text:?}", T::WHAT);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b':'),
                "{text:?}"
            );
        }
        assert!(T::from_text("no such value").is_err());
    }

    #[test]
    fn every_stored_enum_round_trips_through_its_stable_text() {
        round_trips::<ActorKind>();
        round_trips::<ArticleStatus>();
        round_trips::<Channel>();
        round_trips::<crate::store::ChangedSetting>();
        round_trips::<ChatEnd>();
        round_trips::<ChatStateKind>();
        round_trips::<CustomerKind>();
        round_trips::<DeliveryState>();
        round_trips::<EmailKind>();
        round_trips::<FollowUpPolicy>();
        round_trips::<Language>();
        round_trips::<Permission>();
        round_trips::<Presence>();
        round_trips::<Priority>();
        round_trips::<ReportGroup>();
        round_trips::<Resolution>();
        round_trips::<Role>();
        round_trips::<crate::store::SettingKey>();
        round_trips::<SlaOutcome>();
        round_trips::<SlaTarget>();
        round_trips::<Status>();
        round_trips::<TicketOrder>();
        round_trips::<TokenKind>();
        round_trips::<Visibility>();
    }

    #[test]
    fn typed_text_may_differ_in_case_and_space_but_stored_text_may_not() {
        assert_eq!(" Open ".parse::<Status>().unwrap(), Status::Open);
        assert!(Status::from_text(" Open ").is_err());
        assert_eq!("URGENT".parse::<Priority>().unwrap(), Priority::Urgent);
        let e = "closed:maybe".parse::<Status>().unwrap_err();
        assert_eq!(e.field(), "status");
    }
}
