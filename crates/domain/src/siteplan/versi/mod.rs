//! The siteplan aggregate: header, status and the append-only list of versions (versi).

mod cek;
mod status;
#[cfg(test)]
mod tests;
mod waktu;

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use super::SiteplanId;
use super::error::{Result, SiteplanError};
use super::fitur::Fitur;
use super::periksa::validate_fitur;
use super::ukuran::{DiLuarDesa, outside_desa};
use crate::Kode;
use cek::{check_judul, check_keterangan, check_stamp, tidy};
pub use status::StatusSiteplan;

/// One saved state of a siteplan's features. Versions are numbered from 1 without gaps
/// and never change once appended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteplanVersi {
    /// The version number, from 1.
    pub versi: u32,
    /// The features, in drawing order.
    pub fitur: Vec<Fitur>,
    /// The username of who saved it.
    pub dibuat_oleh: String,
    /// When it was saved, RFC 3339 (e.g. `2018-03-05T09:00:00+07:00`), as the caller's
    /// clock gave it; the domain keeps no clock.
    pub waktu: String,
    /// What changed, in the author's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catatan: Option<String>,
    /// The version whose features this one copies, when it was made by
    /// [`Siteplan::restore`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dipulihkan_dari: Option<u32>,
}

/// A change of the siteplan's header, as recorded in its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Perubahan {
    /// The title changed.
    Judul {
        /// Before.
        dari: String,
        /// After.
        ke: String,
    },
    /// The status changed.
    Status {
        /// Before.
        dari: StatusSiteplan,
        /// After.
        ke: StatusSiteplan,
    },
    /// The description changed.
    Keterangan {
        /// Before.
        dari: Option<String>,
        /// After.
        ke: Option<String>,
    },
    /// The illustrative-data mark changed.
    Contoh {
        /// Before.
        dari: bool,
        /// After.
        ke: bool,
    },
}

/// One recorded header change: who, when, on which version, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerubahanHeader {
    /// The current version when the change was made: for a status change, the version
    /// that was proposed or adopted.
    pub pada_versi: u32,
    /// The username of who made it.
    pub oleh: String,
    /// When, RFC 3339, as the caller's clock gave it.
    pub waktu: String,
    /// What changed.
    pub perubahan: Perubahan,
}

/// What a new siteplan starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteplanBaru {
    /// Its id, unique in the atlas.
    pub id: SiteplanId,
    /// The desa it belongs to; must be a desa code (four parts).
    pub kode_desa: Kode,
    /// The title (judul), e.g. "Siteplan wisata edukasi dan kuliner RT 09/10".
    pub judul: String,
    /// A description.
    pub keterangan: Option<String>,
    /// Illustrative data (contoh), not a real plan: shown with a mark.
    pub contoh: bool,
}

/// A village siteplan: the plan an LKM board draws for its desa, with every version of
/// its features and every change of its header.
///
/// Nothing is ever overwritten: each save appends a version ([`Siteplan::save`]), going
/// back to an earlier state appends a copy of it ([`Siteplan::restore`]), and each
/// header change is appended to [`Siteplan::riwayat`]. Every change names the version
/// the user was looking at (`expected_versi`); if someone else saved in between, the
/// change is refused with [`SiteplanError::Conflict`] (HTTP 409 for the caller).
///
/// A siteplan always has at least version 1. Its desa is fixed: a plan for another desa
/// is another siteplan.
///
/// # Examples
/// ```
/// use geo_types::point;
/// use kumuh_domain::Kode;
/// use kumuh_domain::siteplan::*;
/// let mut sp = Siteplan::new(
///     SiteplanBaru {
///         id: SiteplanId::new("bibrik-wisata").unwrap(),
///         kode_desa: Kode::parse("35.19.09.2014").unwrap(),
///         judul: "Siteplan wisata RT 09/10".to_owned(),
///         keterangan: None,
///         contoh: false,
///     },
///     vec![],
///     "lkm-bibrik",
///     "2024-05-01T08:00:00+07:00",
///     None,
/// )
/// .unwrap();
/// let jamur = Fitur::new(FiturId::new("BJ-01").unwrap(), Kategori::BudidayaJamur,
///                        point!(x: 111.4942, y: -7.5751));
/// assert_eq!(sp.save(vec![jamur], "lkm-bibrik", "2024-05-02T08:00:00+07:00", None, 1), Ok(2));
/// // A second editor still looking at version 1 gets a conflict.
/// let e = sp.save(vec![], "pendamping", "2024-05-02T09:00:00+07:00", None, 1).unwrap_err();
/// assert!(matches!(e, SiteplanError::Conflict { expected: 1, current: 2, .. }));
/// assert_eq!(sp.restore(1, "lkm-bibrik", "2024-05-03T08:00:00+07:00", None, 2), Ok(3));
/// assert_eq!(sp.current().dipulihkan_dari, Some(1));
/// assert_eq!(sp.version(2).unwrap().fitur.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SiteplanData")]
pub struct Siteplan {
    id: SiteplanId,
    kode_desa: Kode,
    judul: String,
    status: StatusSiteplan,
    contoh: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    keterangan: Option<String>,
    versi: Vec<SiteplanVersi>,
    riwayat: Vec<PerubahanHeader>,
}

/// The stored shape of a [`Siteplan`], checked on the way in.
#[derive(Deserialize)]
struct SiteplanData {
    id: SiteplanId,
    kode_desa: Kode,
    judul: String,
    status: StatusSiteplan,
    #[serde(default)]
    contoh: bool,
    #[serde(default)]
    keterangan: Option<String>,
    versi: Vec<SiteplanVersi>,
    #[serde(default)]
    riwayat: Vec<PerubahanHeader>,
}

impl TryFrom<SiteplanData> for Siteplan {
    type Error = SiteplanError;
    fn try_from(d: SiteplanData) -> Result<Siteplan> {
        let sp = Siteplan {
            id: d.id,
            kode_desa: d.kode_desa,
            judul: d.judul,
            status: d.status,
            contoh: d.contoh,
            keterangan: d.keterangan,
            versi: d.versi,
            riwayat: d.riwayat,
        };
        sp.check_header()?;
        sp.check_versions()?;
        sp.check_riwayat()?;
        Ok(sp)
    }
}

impl Siteplan {
    /// A new siteplan in status [`StatusSiteplan::Draf`] whose version 1 holds `fitur`
    /// (which may be empty), saved by `oleh` at `waktu` (RFC 3339).
    pub fn new(
        baru: SiteplanBaru,
        fitur: Vec<Fitur>,
        oleh: &str,
        waktu: &str,
        catatan: Option<String>,
    ) -> Result<Siteplan> {
        let mut sp = Siteplan {
            id: baru.id,
            kode_desa: baru.kode_desa,
            judul: baru.judul.trim().to_owned(),
            status: StatusSiteplan::Draf,
            contoh: baru.contoh,
            keterangan: tidy(baru.keterangan),
            versi: Vec::new(),
            riwayat: Vec::new(),
        };
        sp.check_header()?;
        sp.append(fitur, oleh, waktu, catatan, None)?;
        Ok(sp)
    }

    /// The siteplan's id.
    pub fn id(&self) -> &SiteplanId {
        &self.id
    }

    /// How this siteplan is named in messages: `siteplan `bibrik-wisata``.
    pub fn label(&self) -> String {
        format!("siteplan `{}`", self.id)
    }

    /// Code of the desa the siteplan belongs to.
    pub fn kode_desa(&self) -> &Kode {
        &self.kode_desa
    }

    /// The title.
    pub fn judul(&self) -> &str {
        &self.judul
    }

    /// The current status.
    pub fn status(&self) -> StatusSiteplan {
        self.status
    }

    /// Whether the siteplan is illustrative data (contoh), not a real plan.
    pub fn contoh(&self) -> bool {
        self.contoh
    }

    /// The description.
    pub fn keterangan(&self) -> Option<&str> {
        self.keterangan.as_deref()
    }

    /// The current (latest) version.
    pub fn current(&self) -> &SiteplanVersi {
        // `new` and deserialisation both guarantee version 1 exists.
        self.versi
            .last()
            .expect("a siteplan always has at least one version")
    }

    /// The number of the current version.
    pub fn current_versi(&self) -> u32 {
        self.current().versi
    }

    /// Version `n`, if it exists.
    pub fn version(&self, n: u32) -> Option<&SiteplanVersi> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        self.versi.get(i)
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> &[SiteplanVersi] {
        &self.versi
    }

    /// Every header change, oldest first.
    pub fn riwayat(&self) -> &[PerubahanHeader] {
        &self.riwayat
    }

    /// The features of the current version that lie outside the desa boundary, as
    /// warnings (see [`outside_desa`]).
    pub fn outside_desa(&self, desa: &MultiPolygon<f64>) -> Vec<DiLuarDesa> {
        outside_desa(desa, &self.current().fitur)
    }

    /// Saves `fitur` as a new version and returns its number.
    ///
    /// Refused, with nothing changed, when `expected_versi` is not the current version
    /// ([`SiteplanError::Conflict`]), when the siteplan is not a draft
    /// ([`SiteplanError::NotDraf`]), when the user or time is not valid, or when a
    /// feature is not ([`super::validate_fitur`]).
    pub fn save(
        &mut self,
        fitur: Vec<Fitur>,
        oleh: &str,
        waktu: &str,
        catatan: Option<String>,
        expected_versi: u32,
    ) -> Result<u32> {
        self.check_expected(expected_versi)?;
        self.check_draf()?;
        self.append(fitur, oleh, waktu, catatan, None)
    }

    /// Appends a new version holding the features of version `versi`, marked
    /// [`SiteplanVersi::dipulihkan_dari`], and returns its number. Refused like
    /// [`Siteplan::save`], and when version `versi` does not exist.
    pub fn restore(
        &mut self,
        versi: u32,
        oleh: &str,
        waktu: &str,
        catatan: Option<String>,
        expected_versi: u32,
    ) -> Result<u32> {
        self.check_expected(expected_versi)?;
        self.check_draf()?;
        let fitur = self
            .version(versi)
            .ok_or_else(|| SiteplanError::VersiNotFound {
                siteplan: self.id.to_string(),
                versi,
                current: self.current_versi(),
            })?
            .fitur
            .clone();
        self.append(fitur, oleh, waktu, catatan, Some(versi))
    }

    /// Moves the siteplan to another status if the life cycle allows it (see
    /// [`StatusSiteplan`]), recording who, when and on which version. Setting the
    /// current status again changes and records nothing.
    pub fn set_status(
        &mut self,
        to: StatusSiteplan,
        oleh: &str,
        waktu: &str,
        expected_versi: u32,
    ) -> Result<()> {
        self.check_expected(expected_versi)?;
        if to == self.status {
            return Ok(());
        }
        if !self.status.can_become(to) {
            let allowed: Vec<&str> = self.status.next().iter().map(|s| s.as_str()).collect();
            return Err(SiteplanError::StatusTransition {
                siteplan: self.id.to_string(),
                from: self.status,
                to,
                allowed: allowed.join(", "),
            });
        }
        self.record(
            oleh,
            waktu,
            Perubahan::Status {
                dari: self.status,
                ke: to,
            },
        )?;
        self.status = to;
        Ok(())
    }

    /// Changes the title (trimmed; not blank, one line, at most [`MAX_JUDUL_CHARS`]
    /// characters), recording the change. The same title again records nothing.
    pub fn set_judul(
        &mut self,
        judul: &str,
        oleh: &str,
        waktu: &str,
        expected_versi: u32,
    ) -> Result<()> {
        self.check_expected(expected_versi)?;
        let judul = judul.trim();
        check_judul(&self.label(), judul)?;
        if judul == self.judul {
            return Ok(());
        }
        self.record(
            oleh,
            waktu,
            Perubahan::Judul {
                dari: self.judul.clone(),
                ke: judul.to_owned(),
            },
        )?;
        self.judul = judul.to_owned();
        Ok(())
    }

    /// Changes the description (trimmed; blank means none; at most
    /// [`MAX_CATATAN_CHARS`] characters), recording the change.
    pub fn set_keterangan(
        &mut self,
        keterangan: Option<String>,
        oleh: &str,
        waktu: &str,
        expected_versi: u32,
    ) -> Result<()> {
        self.check_expected(expected_versi)?;
        let keterangan = tidy(keterangan);
        check_keterangan(&self.label(), keterangan.as_deref())?;
        if keterangan == self.keterangan {
            return Ok(());
        }
        self.record(
            oleh,
            waktu,
            Perubahan::Keterangan {
                dari: self.keterangan.clone(),
                ke: keterangan.clone(),
            },
        )?;
        self.keterangan = keterangan;
        Ok(())
    }

    /// Marks the siteplan as illustrative or real, recording the change.
    pub fn set_contoh(
        &mut self,
        contoh: bool,
        oleh: &str,
        waktu: &str,
        expected_versi: u32,
    ) -> Result<()> {
        self.check_expected(expected_versi)?;
        if contoh == self.contoh {
            return Ok(());
        }
        self.record(
            oleh,
            waktu,
            Perubahan::Contoh {
                dari: self.contoh,
                ke: contoh,
            },
        )?;
        self.contoh = contoh;
        Ok(())
    }

    /// Checks and appends a version; the only place versions are added.
    fn append(
        &mut self,
        fitur: Vec<Fitur>,
        oleh: &str,
        waktu: &str,
        catatan: Option<String>,
        dipulihkan_dari: Option<u32>,
    ) -> Result<u32> {
        let versi = match self.versi.last() {
            None => 1,
            Some(v) => v.versi.checked_add(1).ok_or_else(|| {
                SiteplanError::history(&self.id, "the version number would overflow")
            })?,
        };
        let catatan = tidy(catatan);
        let v = SiteplanVersi {
            versi,
            fitur,
            dibuat_oleh: oleh.trim().to_owned(),
            waktu: waktu.trim().to_owned(),
            catatan,
            dipulihkan_dari,
        };
        self.check_version_fields(&v)?;
        validate_fitur(&self.id, &v.fitur)?;
        self.versi.push(v);
        Ok(versi)
    }

    /// Checks and records a header change.
    fn record(&mut self, oleh: &str, waktu: &str, perubahan: Perubahan) -> Result<()> {
        let p = PerubahanHeader {
            pada_versi: self.current_versi(),
            oleh: oleh.trim().to_owned(),
            waktu: waktu.trim().to_owned(),
            perubahan,
        };
        check_stamp(&self.label(), "oleh", &p.oleh, &p.waktu)?;
        self.riwayat.push(p);
        Ok(())
    }
}
