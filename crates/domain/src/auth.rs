//! Users, roles and the one authorization rule every write goes through.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Administers the atlas: users, places, imports; may write everything.
    Admin,
    /// Reads everything; writes nothing. The role of a signed-in guest.
    Viewer,
}

impl Role {
    /// The identifier stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`: expected admin or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "viewer" => Ok(Role::Viewer),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name.
    pub username: String,
    /// The user's role.
    pub role: Role,
}

/// A write someone asks to make; the subject of [`authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Create, change or delete administrative places and their boundaries.
    EditPlaces,
    /// Create, change or delete slum locations.
    EditLokasi,
}

/// Why a request may not proceed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Nobody is signed in.
    #[error("sign in first: this action needs an authenticated user")]
    Unauthenticated,
    /// The user is signed in but the role does not allow the action.
    #[error("user `{username}` with role `{role}` may not {action}")]
    Forbidden {
        /// Who asked.
        username: String,
        /// Their role.
        role: Role,
        /// What they asked to do, in words.
        action: String,
    },
}

impl Action {
    fn describe(&self) -> &'static str {
        match self {
            Action::EditPlaces => "edit administrative places",
            Action::EditLokasi => "edit slum locations",
        }
    }
}

/// The single authorization rule: may `user` perform `action`? Reads are public and
/// never come here; every write does.
///
/// # Examples
/// ```
/// use kumuh_domain::{authorize, Action, Role, User};
/// let admin = User { username: "ana".into(), role: Role::Admin };
/// assert!(authorize(Some(&admin), &Action::EditPlaces).is_ok());
/// assert!(authorize(None, &Action::EditPlaces).is_err());
/// ```
pub fn authorize(user: Option<&User>, action: &Action) -> Result<(), Denied> {
    let user = user.ok_or(Denied::Unauthenticated)?;
    let allowed = match user.role {
        Role::Admin => true,
        Role::Viewer => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden {
            username: user.username.clone(),
            role: user.role,
            action: action.describe().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> User {
        User {
            username: "u".into(),
            role,
        }
    }

    #[test]
    fn only_admins_write_places() {
        for action in [Action::EditPlaces, Action::EditLokasi] {
            assert_eq!(authorize(None, &action), Err(Denied::Unauthenticated));
            assert!(authorize(Some(&user(Role::Admin)), &action).is_ok());
            assert!(matches!(
                authorize(Some(&user(Role::Viewer)), &action),
                Err(Denied::Forbidden { .. })
            ));
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Admin, Role::Viewer] {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("superuser".parse::<Role>().is_err());
    }
}
