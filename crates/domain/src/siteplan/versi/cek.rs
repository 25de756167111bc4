//! The invariants of a siteplan: its header, its versions and its recorded changes, as
//! checked on every change and when a stored siteplan is read.

use super::waktu::waktu_problem;
use super::{Perubahan, Siteplan, SiteplanVersi, StatusSiteplan};
use crate::Level;
use crate::siteplan::error::{Result, SiteplanError};
use crate::siteplan::periksa::{text_problem, validate_fitur};
use crate::siteplan::{MAX_CATATAN_CHARS, MAX_JUDUL_CHARS, MAX_USER_CHARS};

impl Siteplan {
    pub(super) fn check_expected(&self, expected: u32) -> Result<()> {
        let current = self.current_versi();
        if expected == current {
            Ok(())
        } else {
            Err(SiteplanError::Conflict {
                siteplan: self.id.to_string(),
                expected,
                current,
            })
        }
    }

    pub(super) fn check_draf(&self) -> Result<()> {
        if self.status == StatusSiteplan::Draf {
            Ok(())
        } else {
            Err(SiteplanError::NotDraf {
                siteplan: self.id.to_string(),
                status: self.status,
                versi: self.current_versi(),
            })
        }
    }

    pub(super) fn check_header(&self) -> Result<()> {
        let label = self.label();
        if self.kode_desa.level() != Level::Desa {
            return Err(SiteplanError::field(
                label,
                "kode_desa",
                format!(
                    "`{}` is a {} code; a desa code has four parts, e.g. 35.19.09.2014",
                    self.kode_desa,
                    self.kode_desa.level()
                ),
            ));
        }
        check_judul(&label, &self.judul)?;
        check_keterangan(&label, self.keterangan.as_deref())
    }

    pub(super) fn check_version_fields(&self, v: &SiteplanVersi) -> Result<()> {
        let label = format!("{}, versi {}", self.label(), v.versi);
        check_stamp(&label, "dibuat_oleh", &v.dibuat_oleh, &v.waktu)?;
        if let Some(message) = v
            .catatan
            .as_deref()
            .and_then(|c| text_problem(c, MAX_CATATAN_CHARS, true))
        {
            return Err(SiteplanError::field(label, "catatan", message));
        }
        Ok(())
    }

    /// Versions as stored: numbered 1, 2, … without gaps, each valid, each restore a
    /// faithful copy of an earlier version.
    pub(super) fn check_versions(&self) -> Result<()> {
        if self.versi.is_empty() {
            return Err(SiteplanError::history(&self.id, "there is no version"));
        }
        for (i, v) in self.versi.iter().enumerate() {
            let expected = u32::try_from(i + 1).ok();
            if Some(v.versi) != expected {
                return Err(SiteplanError::history(
                    &self.id,
                    format!(
                        "version at position {} is numbered {}; versions run 1, 2, 3 … without gaps",
                        i + 1,
                        v.versi
                    ),
                ));
            }
            self.check_version_fields(v)?;
            validate_fitur(&self.id, &v.fitur)?;
            if let Some(n) = v.dipulihkan_dari {
                let source = if n < v.versi { self.version(n) } else { None };
                match source {
                    None => {
                        return Err(SiteplanError::history(
                            &self.id,
                            format!(
                                "version {} is restored from version {n}, which is not an earlier version",
                                v.versi
                            ),
                        ));
                    }
                    Some(s) if s.fitur != v.fitur => {
                        return Err(SiteplanError::history(
                            &self.id,
                            format!(
                                "version {} is restored from version {n} but its features differ",
                                v.versi
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }

    /// Header changes as stored: in version order, each valid, the status changes
    /// following the life cycle from draft to the current status, each chain of values
    /// ending at the current value, and no version saved while not a draft.
    pub(super) fn check_riwayat(&self) -> Result<()> {
        let bad = |message: String| Err(SiteplanError::history(&self.id, message));
        let current = self.current_versi();
        let mut status = StatusSiteplan::Draf;
        let mut judul: Option<&str> = None;
        let mut keterangan: Option<Option<&str>> = None;
        let mut contoh: Option<bool> = None;
        // Version 1 was saved as a draft; versions above `checked_up_to` were saved after
        // the changes replayed so far, so while `status` held.
        let mut checked_up_to = 1;
        for (i, p) in self.riwayat.iter().enumerate() {
            if p.pada_versi < checked_up_to || p.pada_versi > current {
                return bad(format!(
                    "header change {i} is on version {}; changes must be in version order \
                     within 1..={current}",
                    p.pada_versi
                ));
            }
            check_stamp(
                &format!("{}, riwayat {i}", self.label()),
                "oleh",
                &p.oleh,
                &p.waktu,
            )?;
            if p.pada_versi > checked_up_to && status != StatusSiteplan::Draf {
                return bad(format!(
                    "version {} was saved while the siteplan was {status}",
                    checked_up_to + 1
                ));
            }
            checked_up_to = p.pada_versi;
            match &p.perubahan {
                Perubahan::Status { dari, ke } => {
                    if *dari != status || !dari.can_become(*ke) {
                        return bad(format!(
                            "header change {i} moves the status from {dari} to {ke}, but the \
                             status was {status}"
                        ));
                    }
                    status = *ke;
                }
                Perubahan::Judul { dari, ke } => {
                    if judul.is_some_and(|j| j != dari) {
                        return bad(format!("header change {i} changes a title it did not have"));
                    }
                    judul = Some(ke);
                }
                Perubahan::Keterangan { dari, ke } => {
                    if keterangan.is_some_and(|k| k != dari.as_deref()) {
                        return bad(format!(
                            "header change {i} changes a description it did not have"
                        ));
                    }
                    keterangan = Some(ke.as_deref());
                }
                Perubahan::Contoh { dari, ke } => {
                    if contoh.is_some_and(|c| c != *dari) {
                        return bad(format!("header change {i} changes a mark it did not have"));
                    }
                    contoh = Some(*ke);
                }
            }
        }
        if current > checked_up_to && status != StatusSiteplan::Draf {
            return bad(format!(
                "version {} was saved while the siteplan was {status}",
                checked_up_to + 1
            ));
        }
        if status != self.status {
            return bad(format!(
                "the recorded status changes end at {status}, but the status is {}",
                self.status
            ));
        }
        if judul.is_some_and(|j| j != self.judul)
            || keterangan.is_some_and(|k| k != self.keterangan.as_deref())
            || contoh.is_some_and(|c| c != self.contoh)
        {
            return bad("the recorded header changes do not end at the current header".to_owned());
        }
        Ok(())
    }
}

/// Trims text and drops it when blank.
pub(super) fn tidy(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub(super) fn check_judul(label: &str, judul: &str) -> Result<()> {
    match text_problem(judul, MAX_JUDUL_CHARS, false) {
        Some(message) => Err(SiteplanError::field(label, "judul", message)),
        None => Ok(()),
    }
}

pub(super) fn check_keterangan(label: &str, keterangan: Option<&str>) -> Result<()> {
    match keterangan.and_then(|k| text_problem(k, MAX_CATATAN_CHARS, true)) {
        Some(message) => Err(SiteplanError::field(label, "keterangan", message)),
        None => Ok(()),
    }
}

/// Checks who (a username: one line, at most [`MAX_USER_CHARS`] characters) and when
/// (RFC 3339).
pub(super) fn check_stamp(
    label: &str,
    user_field: &'static str,
    oleh: &str,
    waktu: &str,
) -> Result<()> {
    if let Some(message) = text_problem(oleh, MAX_USER_CHARS, false) {
        return Err(SiteplanError::field(label, user_field, message));
    }
    if let Some(problem) = waktu_problem(waktu) {
        return Err(SiteplanError::field(
            label,
            "waktu",
            format!(
                "`{}` is not an RFC 3339 time such as 2018-03-05T09:00:00+07:00: {problem}",
                waktu.escape_debug()
            ),
        ));
    }
    Ok(())
}
