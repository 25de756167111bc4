//! The Kumuh domain: places, slum locations, users and roles, and the rules that hold
//! between them.
//!
//! This crate is pure: no IO, no async, no SQL and no HTTP. Geometry is `geo_types` in
//! EPSG:4326 (longitude, latitude in degrees); every measure it derives is geodesic and
//! carries its unit in its name (`area_ha`, `length_m`).

#[macro_use]
mod id {
    /// Defines a checked string id type whose errors are `$err` (made with its `field`
    /// constructor): trimmed, then 1 to 64 of `A-Z a-z 0-9 . _ -`, and not dots alone.
    /// Ids travel in URL paths, audit keys and file names, so a `/`, `?`, `#`, `..` or
    /// markup in one could reach another record's lines or another path.
    macro_rules! define_id {
        ($(#[$meta:meta])* $name:ident, $what:literal, $err:path) => {
            $(#[$meta])*
            #[derive(
                Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
                serde::Serialize, serde::Deserialize,
            )]
            #[serde(try_from = "String", into = "String")]
            pub struct $name(String);

            impl $name {
                /// Checks an id: after trimming spaces, 1 to 64 characters of
                /// `A-Z a-z 0-9 . _ -`, and not made of dots alone (`.`, `..`).
                pub fn new(id: impl Into<String>) -> std::result::Result<$name, $err> {
                    let id: String = id.into();
                    let trimmed = id.trim();
                    let problem = if trimmed.is_empty() {
                        Some("an id cannot be empty")
                    } else if trimmed.chars().count() > 64 {
                        Some("an id has at most 64 characters")
                    } else if !trimmed
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                    {
                        Some("an id holds only letters A-Z a-z, digits, `.`, `_` and `-`")
                    } else if trimmed.chars().all(|c| c == '.') {
                        Some("an id cannot be dots alone")
                    } else {
                        None
                    };
                    match problem {
                        Some(p) => Err(<$err>::field(
                            format!(concat!($what, " `{}`"), id.escape_debug()),
                            "id",
                            p,
                        )),
                        None => Ok($name(trimmed.to_owned())),
                    }
                }

                /// The id as text.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl TryFrom<String> for $name {
                type Error = $err;
                fn try_from(s: String) -> std::result::Result<$name, $err> {
                    $name::new(s)
                }
            }

            impl From<$name> for String {
                fn from(id: $name) -> String {
                    id.0
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
        };
    }
}

#[macro_use]
pub mod code;

pub mod assessment;
pub mod auth;
pub mod geometry;
pub mod jaringan;
pub mod paralel;
pub mod place;
pub mod search;
pub mod siteplan;
pub mod skenario;
pub mod text;
pub mod upk;
pub mod works;

pub use auth::{Action, Role, User, authorize};
pub use code::UnknownCode;
pub use geometry::{GeometryIssue, validate_area_geometry};
pub use place::{Kode, Level, LokasiKumuh, Place, PlaceSummary, SkKumuh};
