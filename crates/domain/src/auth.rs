//! Users, roles and the one authorization rule every write goes through.

use serde::{Deserialize, Serialize};

use crate::place::Kode;

define_code! {
    /// What a user may do; the code is the identifier stored and shown.
    pub enum Role {
        /// Administers the atlas: users, places, imports; may write everything.
        Admin = "admin",
        /// Bappeda or Dinas PKP of the kabupaten: reads everything and writes district-level
        /// data (slum locations, assessments, works and their funding, priorities) in every
        /// desa; village siteplans stay with their LKM.
        Kabupaten = "kabupaten",
        /// A village community board (lembaga keswadayaan masyarakat): writes the siteplans,
        /// works, segments and maintenance ledgers of its own desa only ([`User::desa`]).
        Lkm = "lkm",
        /// Reads everything; writes nothing. The role of a signed-in guest. Of the
        /// revolving loans it sees aggregates per desa only, like an anonymous caller.
        Viewer = "viewer",
        /// The revolving-loan unit (Unit Pengelola Keuangan) of an LKM: writes the KSM,
        /// savings and loans of its own desa ([`User::desa`]) and reads their details.
        Upk = "upk",
    }
    from_str: Role::read => UnknownRole;
}

impl Role {
    /// Reads a role typed by a person: case and surrounding spaces do not matter.
    fn read(s: &str) -> Result<Role, UnknownRole> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::from_code(&wanted).map_err(|_| UnknownRole(wanted))
    }
}

/// A role name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`: expected admin, kabupaten, lkm, viewer or upk")]
pub struct UnknownRole(pub String);

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name.
    pub username: String,
    /// The user's role.
    pub role: Role,
    /// The desa an `lkm` or `upk` user works for (one or more); empty for other roles.
    #[serde(default)]
    pub desa: Vec<Kode>,
}

impl User {
    /// A user without a desa scope.
    pub fn new(username: impl Into<String>, role: Role) -> User {
        User {
            username: username.into(),
            role,
            desa: Vec::new(),
        }
    }
}

/// A write someone asks to make; the subject of [`authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Create, change or delete administrative places and their boundaries.
    EditPlaces,
    /// Create, change or delete slum locations and their assessments.
    EditLokasi,
    /// Create or change a work of a desa, its segments, funding and maintenance ledgers.
    EditKegiatan {
        /// The desa of the work (before and after a change of desa, both are asked).
        kode_desa: Kode,
    },
    /// Save or restore a siteplan of a desa.
    EditSiteplan {
        /// The desa of the siteplan.
        kode_desa: Kode,
    },
    /// See personal data in a record: who wrote it (usernames), and the names and RT of
    /// a maintenance group's member households. Everything else about the record is
    /// public; callers without this see the writer's role and organisation instead.
    ReadPersonal {
        /// The desa the record belongs to, where it belongs to one.
        kode_desa: Option<Kode>,
    },
    /// Create or change KSM (with their members and NIKs), group savings, loans,
    /// repayments and collection records of a desa.
    EditUpk {
        /// The desa of the group.
        kode_desa: Kode,
    },
    /// Read the revolving-loan records of a desa one by one: members' and borrowers'
    /// names, NIKs, single loans and the arrears list. Everyone may read the totals per
    /// desa; only this needs permission.
    ReadUpk {
        /// The desa of the records.
        kode_desa: Kode,
    },
    /// Import a GIS file of places, slum locations or road and drainage lines through the
    /// API (the district's own layers, from its Bappeda or a consultant). The command
    /// line's `kumuh import` needs no permission: whoever runs it holds the store file.
    ImporBerkas,
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
    fn describe(&self) -> String {
        match self {
            Action::EditPlaces => "edit administrative places".to_owned(),
            Action::EditLokasi => "edit slum locations".to_owned(),
            Action::EditKegiatan { kode_desa } => format!("edit works of desa {kode_desa}"),
            Action::EditSiteplan { kode_desa } => {
                format!("edit siteplans of desa {kode_desa}")
            }
            Action::ReadPersonal { kode_desa: Some(k) } => {
                format!("see personal data of desa {k}")
            }
            Action::ReadPersonal { kode_desa: None } => {
                "see personal data outside a desa".to_owned()
            }
            Action::EditUpk { kode_desa } => {
                format!("edit the revolving-loan records of desa {kode_desa}")
            }
            Action::ReadUpk { kode_desa } => {
                format!("read the revolving-loan records of desa {kode_desa}")
            }
            Action::ImporBerkas => "import GIS files".to_owned(),
        }
    }
}

/// The single authorization rule: may `user` perform `action`? Reads are public and
/// never come here, except for the personal data inside them and the revolving-loan
/// details; every write does.
///
/// | action | admin | kabupaten | lkm | upk | viewer |
/// |---|---|---|---|---|---|
/// | places | yes | no | no | no | no |
/// | slum locations, assessments | yes | yes | no | no | no |
/// | works, funding, maintenance | yes | yes | own desa | no | no |
/// | siteplans | yes | no | own desa | no | no |
/// | personal data (names of writers and members) | yes | yes | own desa | own desa | no |
/// | KSM, savings, loans: write | yes | no | no | own desa | no |
/// | KSM, savings, loans: read details | yes | yes | own desa | own desa | no |
/// | import GIS files (places, locations, lines) | yes | yes | no | no | no |
///
/// # Examples
/// ```
/// use kumuh_domain::{authorize, Action, Kode, Role, User};
/// let admin = User::new("ana", Role::Admin);
/// assert!(authorize(Some(&admin), &Action::EditPlaces).is_ok());
/// assert!(authorize(None, &Action::EditPlaces).is_err());
/// let bibrik = Kode::parse("35.19.09.2014").unwrap();
/// let wayut = Kode::parse("35.19.09.2013").unwrap();
/// let lkm = User { desa: vec![bibrik.clone()], ..User::new("makmur", Role::Lkm) };
/// assert!(authorize(Some(&lkm), &Action::EditKegiatan { kode_desa: bibrik }).is_ok());
/// assert!(authorize(Some(&lkm), &Action::EditKegiatan { kode_desa: wayut }).is_err());
/// ```
pub fn authorize(user: Option<&User>, action: &Action) -> Result<(), Denied> {
    let user = user.ok_or(Denied::Unauthenticated)?;
    let own_desa = |kode: &Kode| user.desa.contains(kode);
    let allowed = match (user.role, action) {
        (Role::Admin, _) => true,
        (Role::Viewer, _) => false,
        (
            Role::Kabupaten,
            Action::EditLokasi | Action::EditKegiatan { .. } | Action::ImporBerkas,
        ) => true,
        (Role::Kabupaten, Action::EditPlaces | Action::EditSiteplan { .. }) => false,
        (Role::Kabupaten, Action::ReadPersonal { .. }) => true,
        (Role::Lkm, Action::EditKegiatan { kode_desa } | Action::EditSiteplan { kode_desa }) => {
            own_desa(kode_desa)
        }
        (Role::Lkm | Role::Upk, Action::ReadPersonal { kode_desa }) => {
            kode_desa.as_ref().is_some_and(own_desa)
        }
        (
            Role::Lkm,
            Action::EditPlaces | Action::EditLokasi | Action::EditUpk { .. } | Action::ImporBerkas,
        ) => false,
        (Role::Lkm, Action::ReadUpk { kode_desa }) => own_desa(kode_desa),
        (Role::Kabupaten, Action::ReadUpk { .. }) => true,
        (Role::Kabupaten, Action::EditUpk { .. }) => false,
        (Role::Upk, Action::EditUpk { kode_desa } | Action::ReadUpk { kode_desa }) => {
            own_desa(kode_desa)
        }
        (
            Role::Upk,
            Action::EditPlaces
            | Action::EditLokasi
            | Action::EditKegiatan { .. }
            | Action::EditSiteplan { .. }
            | Action::ImporBerkas,
        ) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden {
            username: user.username.clone(),
            role: user.role,
            action: action.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> User {
        User::new("u", role)
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
    fn only_admins_and_the_kabupaten_import_files() {
        let bibrik = Kode::parse("35.19.09.2014").unwrap();
        let scoped = |role| User {
            desa: vec![bibrik.clone()],
            ..user(role)
        };
        assert_eq!(
            authorize(None, &Action::ImporBerkas),
            Err(Denied::Unauthenticated)
        );
        for (u, allowed) in [
            (user(Role::Admin), true),
            (user(Role::Kabupaten), true),
            (scoped(Role::Lkm), false),
            (scoped(Role::Upk), false),
            (user(Role::Viewer), false),
        ] {
            assert_eq!(
                authorize(Some(&u), &Action::ImporBerkas).is_ok(),
                allowed,
                "{}",
                u.role
            );
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("superuser".parse::<Role>().is_err());
    }

    #[test]
    fn each_role_writes_only_what_the_table_says() {
        let bibrik = Kode::parse("35.19.09.2014").unwrap();
        let wayut = Kode::parse("35.19.09.2013").unwrap();
        let lkm = User {
            desa: vec![bibrik.clone()],
            ..user(Role::Lkm)
        };
        let kab = user(Role::Kabupaten);
        let ok = |u: &User, a: Action| authorize(Some(u), &a).is_ok();
        assert!(ok(
            &lkm,
            Action::EditKegiatan {
                kode_desa: bibrik.clone()
            }
        ));
        assert!(ok(
            &lkm,
            Action::EditSiteplan {
                kode_desa: bibrik.clone()
            }
        ));
        assert!(!ok(
            &lkm,
            Action::EditKegiatan {
                kode_desa: wayut.clone()
            }
        ));
        assert!(!ok(
            &lkm,
            Action::EditSiteplan {
                kode_desa: wayut.clone()
            }
        ));
        assert!(!ok(&lkm, Action::EditLokasi));
        assert!(!ok(&lkm, Action::EditPlaces));
        assert!(ok(
            &kab,
            Action::EditKegiatan {
                kode_desa: wayut.clone()
            }
        ));
        assert!(ok(&kab, Action::EditLokasi));
        assert!(!ok(
            &kab,
            Action::EditSiteplan {
                kode_desa: wayut.clone()
            }
        ));
        assert!(!ok(&kab, Action::EditPlaces));
        let e = authorize(Some(&lkm), &Action::EditKegiatan { kode_desa: wayut }).unwrap_err();
        assert!(e.to_string().contains("desa 35.19.09.2013"), "{e}");
    }

    #[test]
    fn personal_data_is_for_the_desa_and_the_kabupaten() {
        let bibrik = Kode::parse("35.19.09.2014").unwrap();
        let wayut = Kode::parse("35.19.09.2013").unwrap();
        let lkm = User {
            desa: vec![bibrik.clone()],
            ..user(Role::Lkm)
        };
        let sees = |u: Option<&User>, k: Option<&Kode>| {
            authorize(
                u,
                &Action::ReadPersonal {
                    kode_desa: k.cloned(),
                },
            )
            .is_ok()
        };
        for k in [Some(&bibrik), Some(&wayut), None] {
            assert!(!sees(None, k));
            assert!(!sees(Some(&user(Role::Viewer)), k));
            assert!(sees(Some(&user(Role::Kabupaten)), k));
            assert!(sees(Some(&user(Role::Admin)), k));
        }
        assert!(sees(Some(&lkm), Some(&bibrik)));
        assert!(!sees(Some(&lkm), Some(&wayut)));
        assert!(!sees(Some(&lkm), None));
    }

    #[test]
    fn revolving_loans_are_written_by_the_desa_upk_and_read_in_detail_by_its_desa() {
        let bibrik = Kode::parse("35.19.09.2014").unwrap();
        let wayut = Kode::parse("35.19.09.2013").unwrap();
        let scoped = |role| User {
            desa: vec![bibrik.clone()],
            ..user(role)
        };
        let (upk, lkm) = (scoped(Role::Upk), scoped(Role::Lkm));
        let write = |k: &Kode| Action::EditUpk {
            kode_desa: k.clone(),
        };
        let read = |k: &Kode| Action::ReadUpk {
            kode_desa: k.clone(),
        };
        let ok = |u: Option<&User>, a: Action| authorize(u, &a).is_ok();
        // (user, write Bibrik, read Bibrik, write Wayut, read Wayut)
        let cases = [
            (Some(&upk), true, true, false, false),
            (Some(&lkm), false, true, false, false),
            (Some(&user(Role::Kabupaten)), false, true, false, true),
            (Some(&user(Role::Admin)), true, true, true, true),
            (Some(&user(Role::Viewer)), false, false, false, false),
            (None, false, false, false, false),
        ];
        for (u, wb, rb, ww, rw) in cases {
            let got = (
                ok(u, write(&bibrik)),
                ok(u, read(&bibrik)),
                ok(u, write(&wayut)),
                ok(u, read(&wayut)),
            );
            assert_eq!(got, (wb, rb, ww, rw), "{u:?}");
        }
        // A upk user writes nothing else.
        for a in [
            Action::EditPlaces,
            Action::EditLokasi,
            Action::EditKegiatan {
                kode_desa: bibrik.clone(),
            },
            Action::EditSiteplan {
                kode_desa: bibrik.clone(),
            },
        ] {
            assert!(!ok(Some(&upk), a));
        }
        assert_eq!("UPK".parse::<Role>().unwrap(), Role::Upk);
    }
}
