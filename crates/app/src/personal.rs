//! Personal data in what the atlas answers: who wrote a record (usernames in the audit
//! log, a siteplan's history, an override's approver) and the names and RT of a
//! maintenance group's member households.
//!
//! Reads are public, but these are not: they are shown only to callers allowed
//! [`Action::ReadPersonal`] for the record's desa (its `lkm`, the kabupaten, admins).
//! Everyone else sees, in the same field, the writer's role and organisation
//! (`lkm Bibrik`, `kabupaten`, `admin`), so answers keep one shape for every caller;
//! a member household keeps its dates, with `nama` and `rt` set to `null`.

use std::collections::{BTreeSet, HashMap};

use kumuh_domain::{Action, Kode, Role, User};
use kumuh_store::Store;
use serde_json::Value;

use crate::Result;

/// Keys whose string value is a username.
const WRITER_KEYS: [&str; 3] = ["pengguna", "dibuat_oleh", "oleh"];

/// What a writer is shown as when nobody knows them any more (a deleted user).
const UNKNOWN_WRITER: &str = "pengguna";

/// Whether `user` may see personal data in a record of `kode_desa` (`None`: a record
/// that belongs to no desa, such as a kecamatan's boundary).
pub fn sees(user: Option<&User>, kode_desa: Option<&Kode>) -> bool {
    kumuh_domain::authorize(
        user,
        &Action::ReadPersonal {
            kode_desa: kode_desa.cloned(),
        },
    )
    .is_ok()
}

/// The role and organisation a writer is shown as, looked up once per username.
#[derive(Debug)]
pub(crate) struct Labels<'a> {
    store: &'a dyn Store,
    known: HashMap<String, String>,
}

impl<'a> Labels<'a> {
    /// Labels read from `store`.
    pub(crate) fn new(store: &'a dyn Store) -> Labels<'a> {
        Labels {
            store,
            known: HashMap::new(),
        }
    }

    /// `lkm Bibrik`, `kabupaten`, `admin`, `viewer`; a writer that is not a user (the
    /// seeding of a new store) keeps its name, which names no person.
    pub(crate) async fn label(&mut self, username: &str) -> Result<String> {
        if let Some(l) = self.known.get(username) {
            return Ok(l.clone());
        }
        let label = match self.store.credentials(username).await? {
            Some(c) => self.role_label(&c.user).await?,
            None if username == crate::seed::SEEDER => username.to_owned(),
            None => UNKNOWN_WRITER.to_owned(),
        };
        self.known.insert(username.to_owned(), label.clone());
        Ok(label)
    }

    async fn role_label(&self, user: &User) -> Result<String> {
        if user.role != Role::Lkm || user.desa.is_empty() {
            return Ok(user.role.as_str().to_owned());
        }
        let mut names = Vec::new();
        for kode in &user.desa {
            let name = self.store.place(kode).await?.map(|p| p.nama);
            names.push(name.unwrap_or_else(|| kode.to_string()));
        }
        Ok(format!("{} {}", user.role, names.join(", ")))
    }

    /// `value` with every writer replaced by their label and every member household's
    /// `nama` and `rt` set to `null`, at any depth.
    pub(crate) async fn redact(&mut self, value: &mut Value) -> Result<()> {
        let labels = self.labels_of(writers_in(value)).await?;
        redact_with(value, &labels);
        Ok(())
    }

    /// The label of each writer, for [`redact_with`].
    pub(crate) async fn labels_of(
        &mut self,
        writers: BTreeSet<String>,
    ) -> Result<HashMap<String, String>> {
        let mut labels = HashMap::new();
        for w in writers {
            let l = self.label(&w).await?;
            labels.insert(w, l);
        }
        Ok(labels)
    }
}

/// The writers named anywhere in `value`. With [`Labels::labels_of`] and [`redact_with`]
/// a caller redacts in three steps, so that walking large values (a work's geometry) can
/// run off the async workers and only the lookups of labels on them.
pub(crate) fn writers_in(value: &Value) -> BTreeSet<String> {
    let mut writers = BTreeSet::new();
    collect_writers(value, &mut writers);
    writers
}

/// [`Labels::redact`] with the labels already looked up: every writer replaced by their
/// label (one missing from `labels` by the unknown writer's) and every member
/// household's `nama` and `rt` set to `null`.
pub(crate) fn redact_with(value: &mut Value, labels: &HashMap<String, String>) {
    replace(value, labels);
}

fn collect_writers(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match x {
                    Value::String(s) if WRITER_KEYS.contains(&k.as_str()) => {
                        out.insert(s.clone());
                    }
                    _ => collect_writers(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_writers(x, out)),
        _ => {}
    }
}

fn replace(v: &mut Value, labels: &HashMap<String, String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if WRITER_KEYS.contains(&k.as_str())
                    && let Value::String(s) = x
                {
                    *s = labels
                        .get(s.as_str())
                        .cloned()
                        .unwrap_or_else(|| UNKNOWN_WRITER.to_owned());
                } else if k == "anggota"
                    && let Value::Array(members) = x
                {
                    for m in members.iter_mut().filter_map(Value::as_object_mut) {
                        for field in ["nama", "rt"] {
                            if m.contains_key(field) {
                                m.insert(field.into(), Value::Null);
                            }
                        }
                    }
                } else {
                    replace(x, labels);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| replace(x, labels)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn writers_become_labels_and_members_lose_name_and_rt() {
        let mut v = json!({
            "pengguna": "sutrisno",
            "sesudah": {"isi": {"izin_lebih": {"alasan": "addendum", "oleh": "sutrisno"}}},
            "kpp": {"anggota": [{"nama": "Bu Sumarni", "rt": "09", "bergabung": "2019-01-01"}]},
            "riwayat": [{"dibuat_oleh": "orang-lain"}],
            "nama": "Paving RT 09",
        });
        let mut found = BTreeSet::new();
        collect_writers(&v, &mut found);
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["orang-lain", "sutrisno"]
        );
        let labels = HashMap::from([("sutrisno".to_owned(), "lkm Bibrik".to_owned())]);
        replace(&mut v, &labels);
        assert_eq!(
            v,
            json!({
                "pengguna": "lkm Bibrik",
                "sesudah": {"isi": {"izin_lebih": {"alasan": "addendum", "oleh": "lkm Bibrik"}}},
                "kpp": {"anggota": [{"nama": null, "rt": null, "bergabung": "2019-01-01"}]},
                "riwayat": [{"dibuat_oleh": "pengguna"}],
                "nama": "Paving RT 09",
            })
        );
    }

    #[test]
    fn only_the_desa_and_the_kabupaten_see_personal_data() {
        let bibrik = Kode::parse("35.19.09.2014").unwrap();
        let lkm = User {
            desa: vec![bibrik.clone()],
            ..User::new("makmur", Role::Lkm)
        };
        assert!(sees(Some(&lkm), Some(&bibrik)));
        assert!(!sees(Some(&lkm), None));
        assert!(!sees(None, Some(&bibrik)));
        assert!(!sees(Some(&User::new("v", Role::Viewer)), Some(&bibrik)));
        assert!(sees(Some(&User::new("k", Role::Kabupaten)), None));
    }
}
