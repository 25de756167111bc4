//! Reading the audit log, with personal data only for those allowed to see it
//! ([`crate::personal`]).

use std::collections::HashMap;

use kumuh_domain::{Kode, Level, User};
use kumuh_store::{AuditEntry, AuditQuery};

use crate::personal::{Labels, sees};
use crate::{Atlas, Result};

/// The audit lines `query` asks for, newest first. A caller who may not see personal
/// data of a line's desa sees its writer (`pengguna`, and any approver inside
/// `sebelum`/`sesudah`) as role and organisation, e.g. `lkm Bibrik`.
pub async fn lines(
    atlas: &Atlas,
    user: Option<&User>,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>> {
    let mut lines = atlas.store.audit(query).await?;
    if sees(user, None) {
        return Ok(lines);
    }
    // Only a caller scoped to desa can see some lines and not others; for everyone else
    // the desa of a line does not matter, so it is not looked up.
    let scoped = user.is_some_and(|u| !u.desa.is_empty());
    let mut desa_of: HashMap<(String, String), Option<Kode>> = HashMap::new();
    let mut labels = Labels::new(atlas.store.as_ref());
    for line in &mut lines {
        if scoped {
            let key = (line.entitas.clone(), record_key(&line.kunci).to_owned());
            let desa = match desa_of.get(&key) {
                Some(d) => d.clone(),
                None => {
                    let d = desa_of_line(atlas, &line.entitas, &line.kunci).await?;
                    desa_of.insert(key, d.clone());
                    d
                }
            };
            if sees(user, desa.as_ref()) {
                continue;
            }
        }
        line.pengguna = labels.label(&line.pengguna).await?;
        for v in [&mut line.sebelum, &mut line.sesudah].into_iter().flatten() {
            labels.redact(v).await?;
        }
    }
    Ok(lines)
}

/// The record a key names: `K1` of `K1/S1`.
fn record_key(kunci: &str) -> &str {
    kunci.split('/').next().unwrap_or(kunci)
}

/// The desa a line is about: the desa of the work or siteplan it names, or the desa a
/// place or location code lies in; `None` when it is about no single desa.
async fn desa_of_line(atlas: &Atlas, entitas: &str, kunci: &str) -> Result<Option<Kode>> {
    let id = record_key(kunci);
    let store = atlas.store.as_ref();
    if entitas == "siteplan" {
        return Ok(store
            .siteplan(id)
            .await?
            .map(|s| s.siteplan.kode_desa().clone()));
    }
    if entitas != "wilayah"
        && let Some(k) = store.kegiatan(id).await?
    {
        return Ok(Some(k.kegiatan.kode_desa().clone()));
    }
    Ok(desa_of_code(kunci))
}

/// The desa a place code lies in (itself for a desa); `None` above desa level.
fn desa_of_code(kunci: &str) -> Option<Kode> {
    let mut k = Kode::parse(kunci).ok()?;
    while k.level() != Level::Desa {
        k = k.parent()?;
    }
    Some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_lies_in_its_desa_and_a_kecamatan_in_none() {
        let desa = |s: &str| desa_of_code(s).map(|k| k.to_string());
        assert_eq!(desa("35.19.09.2014"), Some("35.19.09.2014".into()));
        assert_eq!(desa("35.19.09.2014.003.009"), Some("35.19.09.2014".into()));
        assert_eq!(desa("35.19.09"), None);
        assert_eq!(desa("K1"), None);
        assert_eq!(record_key("K1/S2"), "K1");
    }
}
