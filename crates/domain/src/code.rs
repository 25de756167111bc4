//! Enums of string codes: one definition gives each its code text, the list of its
//! values, `Display`, `FromStr`, and the serde spelling.
//!
//! Many domain values are one of a fixed set of codes written in files, URLs, tables and
//! JSON (`jalan_paving`, `kumuh_berat`, `dana_desa`). [`define_code!`] declares such an
//! enum once, with each variant's code beside it, so the code, the list of all values,
//! the parse and the serde spelling cannot drift apart.

use std::fmt;

/// A text that is none of the codes of an enum defined with [`define_code!`].
///
/// The message names the value and lists the allowed codes, in the words serde uses for
/// an unknown enum variant, so a value read from JSON and one read from text are refused
/// alike.
///
/// # Examples
/// ```
/// use kumuh_domain::works::StatusKegiatan;
/// let e = "batal".parse::<StatusKegiatan>().unwrap_err();
/// assert_eq!(e.value, "batal");
/// assert!(e.to_string().starts_with("unknown variant `batal`, expected one of `rencana`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown variant `{value}`, expected {}", OneOf(self.allowed))]
pub struct UnknownCode {
    /// The text that was read.
    pub value: String,
    /// Every code the enum accepts, in its order.
    pub allowed: &'static [&'static str],
}

impl UnknownCode {
    /// The error for `value`, which is none of `allowed`.
    pub fn new(value: &str, allowed: &'static [&'static str]) -> UnknownCode {
        UnknownCode {
            value: value.to_owned(),
            allowed,
        }
    }
}

/// Lists codes as serde does: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
struct OneOf(&'static [&'static str]);

impl fmt::Display for OneOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("nothing"),
            [one] => write!(f, "`{one}`"),
            [a, b] => write!(f, "`{a}` or `{b}`"),
            all => {
                f.write_str("one of ")?;
                for (i, code) in all.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{code}`")?;
                }
                Ok(())
            }
        }
    }
}

/// Defines an enum of string codes.
///
/// ```text
/// define_code! {
///     /// Docs of the enum.
///     pub enum Name {
///         /// Docs of the variant.
///         Variant = "code",
///         ...
///     }
///     from_str: Name::parse => ParseError;   // optional
///     try_from: Name::parse => ParseError;   // optional
/// }
/// ```
///
/// The enum derives `Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord` (order is
/// declaration order) and gets `ALL` and `CODES` (every value and every code, in
/// declaration order), `as_str`, `from_code` (exactly one of the codes, else
/// [`UnknownCode`]), `Display` (the code), `From<Name>` for `&'static str` and `String`,
/// `FromStr`, and `TryFrom<String>`. Serde writes the code and reads through
/// `TryFrom<String>`.
///
/// `FromStr` and `TryFrom<String>` use `from_code` unless a function is named: an enum
/// that also reads labels or aliases (`Road` for `jalan`) names its forgiving parse as
/// `from_str`, and as `try_from` too when JSON may carry those spellings.
macro_rules! define_code {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
        $(from_str: $fs:path => $fse:ty;)?
        $(try_from: $tf:path => $tfe:ty;)?
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "&'static str")]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// Every code, in the order of `ALL`.
            pub const CODES: [&'static str; [$($code),+].len()] = [$($code),+];

            /// The stable code used in files, URLs, tables and JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// Reads exactly one of the codes (`CODES`), as written.
            pub fn from_code(code: &str) -> std::result::Result<$name, $crate::code::UnknownCode> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::code::UnknownCode::new(code, &$name::CODES)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<$name> for &'static str {
            fn from(value: $name) -> &'static str {
                value.as_str()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }

        define_code!(@from_str $name [$($fs => $fse)?]);
        define_code!(@try_from $name [$($tf => $tfe)?]);
    };

    (@from_str $name:ident []) => {
        impl std::str::FromStr for $name {
            type Err = $crate::code::UnknownCode;
            fn from_str(s: &str) -> std::result::Result<$name, Self::Err> {
                $name::from_code(s)
            }
        }
    };
    (@from_str $name:ident [$parse:path => $err:ty]) => {
        impl std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> std::result::Result<$name, Self::Err> {
                $parse(s)
            }
        }
    };

    (@try_from $name:ident []) => {
        impl TryFrom<String> for $name {
            type Error = $crate::code::UnknownCode;
            fn try_from(s: String) -> std::result::Result<$name, Self::Error> {
                $name::from_code(&s)
            }
        }
    };
    (@try_from $name:ident [$parse:path => $err:ty]) => {
        impl TryFrom<String> for $name {
            type Error = $err;
            fn try_from(s: String) -> std::result::Result<$name, Self::Error> {
                $parse(&s)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::UnknownCode;

    define_code! {
        /// A code enum for the tests.
        enum Warna {
            /// Red.
            Merah = "merah",
            /// Green.
            HijauMuda = "hijau_muda",
            /// Blue.
            Biru = "biru",
        }
    }

    define_code! {
        /// Two codes, one read forgivingly.
        enum Dua {
            /// Yes.
            Ya = "ya",
            /// No.
            Tidak = "tidak",
        }
        from_str: Dua::forgiving => String;
    }

    impl Dua {
        fn forgiving(text: &str) -> Result<Dua, String> {
            Dua::from_code(&text.trim().to_lowercase()).map_err(|e| e.value)
        }
    }

    #[test]
    fn codes_round_trip_through_text_and_json() {
        assert_eq!(Warna::ALL, [Warna::Merah, Warna::HijauMuda, Warna::Biru]);
        assert_eq!(Warna::CODES, ["merah", "hijau_muda", "biru"]);
        for w in Warna::ALL {
            assert_eq!(w.as_str().parse::<Warna>(), Ok(w));
            assert_eq!(w.to_string(), w.as_str());
            let json = serde_json::to_string(&w).unwrap();
            assert_eq!(json, format!("\"{}\"", w.as_str()));
            assert_eq!(serde_json::from_str::<Warna>(&json).unwrap(), w);
            assert_eq!(Warna::try_from(String::from(w)), Ok(w));
        }
        assert!(Warna::Merah < Warna::Biru, "order is declaration order");
    }

    #[test]
    fn unknown_codes_are_named_with_the_allowed_ones_as_serde_does() {
        let e = "ungu".parse::<Warna>().unwrap_err();
        assert_eq!(
            e,
            UnknownCode {
                value: "ungu".into(),
                allowed: &["merah", "hijau_muda", "biru"],
            }
        );
        let expected = "unknown variant `ungu`, expected one of `merah`, `hijau_muda`, `biru`";
        assert_eq!(e.to_string(), expected);
        let json = serde_json::from_str::<Warna>("\"ungu\"").unwrap_err();
        assert!(json.to_string().starts_with(expected), "{json}");
        assert!("Merah".parse::<Warna>().is_err(), "codes are read exactly");
        assert_eq!(
            "x".parse::<Dua>().map_err(|_| ()).and(Ok(())),
            Err(()),
            "the forgiving parse still refuses"
        );
        let two = Dua::from_code("x").unwrap_err().to_string();
        assert_eq!(two, "unknown variant `x`, expected `ya` or `tidak`");
    }

    #[test]
    fn a_named_parse_serves_from_str_but_not_serde() {
        assert_eq!(Dua::ALL, [Dua::Ya, Dua::Tidak]);
        assert_eq!(" YA ".parse::<Dua>(), Ok(Dua::Ya));
        assert!(serde_json::from_str::<Dua>("\" YA \"").is_err());
        assert_eq!(
            serde_json::from_str::<Dua>("\"tidak\"").unwrap(),
            Dua::Tidak
        );
    }
}
