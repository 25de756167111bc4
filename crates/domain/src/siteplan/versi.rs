//! The siteplan aggregate: header, status and the append-only list of versions (versi).

use std::fmt;
use std::str::FromStr;

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use super::error::{Result, SiteplanError};
use super::fitur::Fitur;
use super::periksa::{text_problem, validate_fitur};
use super::ukuran::{DiLuarDesa, outside_desa};
use super::{MAX_CATATAN_CHARS, MAX_JUDUL_CHARS, MAX_USER_CHARS, SiteplanId};
use crate::{Kode, Level};

/// Where a siteplan stands in the village's planning.
///
/// The life cycle, and why:
///
/// | from | may become |
/// |---|---|
/// | `draf` (draft) | `diusulkan` |
/// | `diusulkan` (proposed) | `ditetapkan`, `draf` |
/// | `ditetapkan` (adopted) | `draf` |
///
/// The LKM draws a draft and proposes it (to the village deliberation, musyawarah
/// desa). A proposal is adopted, or sent back to draft for changes. An adopted plan is
/// revised by taking it back to draft and going through proposal and adoption again,
/// so that what is adopted has always been proposed first. Features change only in
/// draft ([`Siteplan::save`], [`Siteplan::restore`]): what was proposed is what gets
/// adopted, and every status change records the version it applied to
/// ([`PerubahanHeader::pada_versi`]).
///
/// # Examples
/// ```
/// use kumuh_domain::siteplan::StatusSiteplan;
/// let s: StatusSiteplan = "proposed".parse().unwrap();
/// assert_eq!(s, StatusSiteplan::Diusulkan);
/// assert_eq!(s.label_id(), "Diusulkan");
/// assert!(s.can_become(StatusSiteplan::Ditetapkan));
/// assert!(!StatusSiteplan::Draf.can_become(StatusSiteplan::Ditetapkan));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum StatusSiteplan {
    /// Draf: being drawn by the LKM.
    Draf,
    /// Diusulkan: proposed, waiting for the village's decision.
    Diusulkan,
    /// Ditetapkan: adopted.
    Ditetapkan,
}

impl StatusSiteplan {
    /// Every status, in life-cycle order.
    pub const ALL: [StatusSiteplan; 3] = [
        StatusSiteplan::Draf,
        StatusSiteplan::Diusulkan,
        StatusSiteplan::Ditetapkan,
    ];

    /// The stable id: `draf`, `diusulkan`, `ditetapkan`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusSiteplan::Draf => "draf",
            StatusSiteplan::Diusulkan => "diusulkan",
            StatusSiteplan::Ditetapkan => "ditetapkan",
        }
    }

    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            StatusSiteplan::Draf => "Draf",
            StatusSiteplan::Diusulkan => "Diusulkan",
            StatusSiteplan::Ditetapkan => "Ditetapkan",
        }
    }

    /// A label for people, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            StatusSiteplan::Draf => "Draft",
            StatusSiteplan::Diusulkan => "Proposed",
            StatusSiteplan::Ditetapkan => "Adopted",
        }
    }

    /// The statuses that may follow this one (see the type's table).
    pub fn next(self) -> &'static [StatusSiteplan] {
        use StatusSiteplan as S;
        match self {
            S::Draf => &[S::Diusulkan],
            S::Diusulkan => &[S::Ditetapkan, S::Draf],
            S::Ditetapkan => &[S::Draf],
        }
    }

    /// Whether the life cycle allows going from this status to `to`.
    pub fn can_become(self, to: StatusSiteplan) -> bool {
        self.next().contains(&to)
    }

    /// Reads a status from its id or English label, ignoring case and surrounding
    /// spaces.
    pub fn parse(text: &str) -> Result<StatusSiteplan> {
        let t = text.trim().to_lowercase();
        StatusSiteplan::ALL
            .into_iter()
            .find(|s| t == s.as_str() || t == s.label_en().to_lowercase())
            .ok_or_else(|| SiteplanError::UnknownStatus {
                value: text.to_owned(),
            })
    }
}

impl fmt::Display for StatusSiteplan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StatusSiteplan {
    type Err = SiteplanError;
    fn from_str(s: &str) -> Result<StatusSiteplan> {
        StatusSiteplan::parse(s)
    }
}

impl TryFrom<String> for StatusSiteplan {
    type Error = SiteplanError;
    fn try_from(s: String) -> Result<StatusSiteplan> {
        StatusSiteplan::parse(&s)
    }
}

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

    fn check_expected(&self, expected: u32) -> Result<()> {
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

    fn check_draf(&self) -> Result<()> {
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

    fn check_header(&self) -> Result<()> {
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

    fn check_version_fields(&self, v: &SiteplanVersi) -> Result<()> {
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
    fn check_versions(&self) -> Result<()> {
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
    fn check_riwayat(&self) -> Result<()> {
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
fn tidy(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn check_judul(label: &str, judul: &str) -> Result<()> {
    match text_problem(judul, MAX_JUDUL_CHARS, false) {
        Some(message) => Err(SiteplanError::field(label, "judul", message)),
        None => Ok(()),
    }
}

fn check_keterangan(label: &str, keterangan: Option<&str>) -> Result<()> {
    match keterangan.and_then(|k| text_problem(k, MAX_CATATAN_CHARS, true)) {
        Some(message) => Err(SiteplanError::field(label, "keterangan", message)),
        None => Ok(()),
    }
}

/// Checks who (a username: one line, at most [`MAX_USER_CHARS`] characters) and when
/// (RFC 3339).
fn check_stamp(label: &str, user_field: &'static str, oleh: &str, waktu: &str) -> Result<()> {
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

/// What is wrong with an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS`, optional fraction,
/// then `Z` or `±HH:MM`), if anything. Calendar dates are checked, leap years included;
/// a leap second (`:60`) is accepted.
pub(crate) fn waktu_problem(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return Some("too short");
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let at = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return Some("expected the shape YYYY-MM-DDTHH:MM:SS");
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        num(0, 4),
        num(5, 7),
        num(8, 10),
        num(11, 13),
        num(14, 16),
        num(17, 19),
    ) else {
        return Some("expected digits in the date and time");
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Some("the month is not 01-12"),
    };
    if day == 0 || day > days {
        return Some("the day does not exist in that month");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Some("the time of day is out of range");
    }
    let mut i = 19;
    if at(i, b".") {
        i += 1;
        let start = i;
        while at(i, b"0123456789") {
            i += 1;
        }
        if i == start {
            return Some("a fraction of a second needs digits after the dot");
        }
    }
    let rest = &b[i..];
    match rest {
        [b'Z' | b'z'] => None,
        [b'+' | b'-', ..] if rest.len() == 6 && rest[3] == b':' => {
            match (num(i + 1, i + 3), num(i + 4, i + 6)) {
                (Some(h), Some(m)) if h <= 23 && m <= 59 => None,
                _ => Some("the offset is not ±HH:MM"),
            }
        }
        _ => Some("expected Z or an offset ±HH:MM at the end"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siteplan::{FiturId, Kategori};
    use geo_types::point;

    const T: &str = "2024-05-01T08:00:00+07:00";

    fn siteplan() -> Siteplan {
        Siteplan::new(
            SiteplanBaru {
                id: SiteplanId::new("sp").unwrap(),
                kode_desa: Kode::parse("35.19.09.2014").unwrap(),
                judul: " Wisata ".to_owned(),
                keterangan: Some("  ".to_owned()),
                contoh: false,
            },
            vec![],
            "lkm",
            T,
            None,
        )
        .unwrap()
    }

    fn jamur(id: &str) -> Fitur {
        Fitur::new(
            FiturId::new(id).unwrap(),
            Kategori::BudidayaJamur,
            point!(x: 111.4942, y: -7.5751),
        )
    }

    #[test]
    fn waktu_is_rfc3339() {
        // (input, ok)
        let cases = [
            ("2018-03-05T09:00:00+07:00", true),
            ("2018-03-05T09:00:00Z", true),
            ("2018-03-05t09:00:00.123456z", true),
            ("2024-02-29T23:59:60-00:30", true),
            ("2023-02-29T09:00:00Z", false),
            ("2100-02-29T09:00:00Z", false),
            ("2000-02-29T09:00:00Z", true),
            ("2018-04-31T09:00:00Z", false),
            ("2018-13-01T09:00:00Z", false),
            ("2018-03-05 09:00:00Z", false),
            ("2018-03-05T24:00:00Z", false),
            ("2018-03-05T09:00:00", false),
            ("2018-03-05T09:00:00+0700", false),
            ("2018-03-05T09:00:00+24:00", false),
            ("2018-03-05T09:00:00.Z", false),
            ("2018-03-05", false),
            ("", false),
            ("２０１８-03-05T09:00:00Z", false),
        ];
        for (input, ok) in cases {
            assert_eq!(
                waktu_problem(input).is_none(),
                ok,
                "{input}: {:?}",
                waktu_problem(input)
            );
        }
    }

    #[test]
    fn new_tidies_and_checks_the_header() {
        let sp = siteplan();
        assert_eq!(sp.judul(), "Wisata");
        assert_eq!(sp.keterangan(), None);
        assert_eq!(sp.current_versi(), 1);
        assert_eq!(sp.status(), StatusSiteplan::Draf);
        let baru = |kode: &str, judul: &str| SiteplanBaru {
            id: SiteplanId::new("sp").unwrap(),
            kode_desa: Kode::parse(kode).unwrap(),
            judul: judul.to_owned(),
            keterangan: None,
            contoh: true,
        };
        // (header, oleh, waktu, expected message)
        let cases = [
            (
                baru("35.19.09", "x"),
                "lkm",
                T,
                "siteplan `sp`: field `kode_desa`: `35.19.09` is a kecamatan code; a desa code \
                 has four parts, e.g. 35.19.09.2014",
            ),
            (
                baru("35.19.09.2014", " "),
                "lkm",
                T,
                "siteplan `sp`: field `judul`: the text is blank; leave it out instead",
            ),
            (
                baru("35.19.09.2014", "x"),
                "",
                T,
                "siteplan `sp`, versi 1: field `dibuat_oleh`: the text is blank; leave it out \
                 instead",
            ),
            (
                baru("35.19.09.2014", "x"),
                "lkm",
                "kemarin",
                "siteplan `sp`, versi 1: field `waktu`: `kemarin` is not an RFC 3339 time such \
                 as 2018-03-05T09:00:00+07:00: too short",
            ),
        ];
        for (b, oleh, waktu, expected) in cases {
            let e = Siteplan::new(b, vec![], oleh, waktu, None).unwrap_err();
            assert_eq!(e.to_string(), expected);
        }
    }

    #[test]
    fn status_life_cycle() {
        use StatusSiteplan as S;
        // (from, to, allowed)
        let cases = [
            (S::Draf, S::Diusulkan, true),
            (S::Draf, S::Ditetapkan, false),
            (S::Diusulkan, S::Ditetapkan, true),
            (S::Diusulkan, S::Draf, true),
            (S::Ditetapkan, S::Draf, true),
            (S::Ditetapkan, S::Diusulkan, false),
        ];
        for (from, to, allowed) in cases {
            assert_eq!(from.can_become(to), allowed, "{from} -> {to}");
        }
        let mut sp = siteplan();
        let e = sp.set_status(S::Ditetapkan, "lkm", T, 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "siteplan `sp`: status cannot change from draf to ditetapkan; allowed next: diusulkan"
        );
        sp.set_status(S::Diusulkan, "lkm", T, 1).unwrap();
        let e = sp.save(vec![jamur("A")], "lkm", T, None, 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "siteplan `sp` is diusulkan (proposed) at version 1; set its status back to draf \
             before changing its features"
        );
        sp.set_status(S::Ditetapkan, "kades", T, 1).unwrap();
        assert!(sp.restore(1, "lkm", T, None, 1).is_err());
        sp.set_status(S::Draf, "lkm", T, 1).unwrap();
        assert_eq!(sp.save(vec![jamur("A")], "lkm", T, None, 1), Ok(2));
        // Repeating the current status records nothing.
        sp.set_status(S::Draf, "lkm", T, 2).unwrap();
        let steps: Vec<(u32, S)> = sp
            .riwayat()
            .iter()
            .map(|p| match p.perubahan {
                Perubahan::Status { ke, .. } => (p.pada_versi, ke),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            steps,
            vec![(1, S::Diusulkan), (1, S::Ditetapkan), (1, S::Draf)]
        );
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()).unwrap(), s);
            assert_eq!(S::parse(&s.label_en().to_uppercase()).unwrap(), s);
        }
        assert!(
            S::parse("final")
                .unwrap_err()
                .to_string()
                .contains("`final`")
        );
    }

    #[test]
    fn header_changes_are_recorded() {
        let mut sp = siteplan();
        sp.set_judul("Wisata edukasi", "lkm", T, 1).unwrap();
        sp.set_judul(" Wisata edukasi ", "lkm", T, 1).unwrap();
        sp.set_keterangan(Some("Catatan".to_owned()), "lkm", T, 1)
            .unwrap();
        sp.set_contoh(true, "lkm", T, 1).unwrap();
        assert_eq!(sp.riwayat().len(), 3);
        assert_eq!(
            sp.riwayat()[0].perubahan,
            Perubahan::Judul {
                dari: "Wisata".to_owned(),
                ke: "Wisata edukasi".to_owned()
            }
        );
        let e = sp.set_judul("a\nb", "lkm", T, 1).unwrap_err();
        assert!(e.to_string().contains("field `judul`"), "{e}");
        let e = sp.set_judul("Baru", "lkm", T, 7).unwrap_err();
        assert!(matches!(
            e,
            SiteplanError::Conflict {
                expected: 7,
                current: 1,
                ..
            }
        ));
        assert_eq!(sp.judul(), "Wisata edukasi");
        let back: Siteplan = serde_json::from_str(&serde_json::to_string(&sp).unwrap()).unwrap();
        assert_eq!(back, sp);
    }

    #[test]
    fn a_refused_change_leaves_no_trace() {
        let mut sp = siteplan();
        sp.save(vec![jamur("A")], "lkm", T, None, 1).unwrap();
        let before = sp.clone();
        // (attempt, what it should say)
        let attempts: Vec<(Result<u32>, &str)> = vec![
            (sp.clone().save(vec![], "lkm", T, None, 1), "reload"),
            (
                sp.clone()
                    .save(vec![jamur("B"), jamur("B")], "lkm", T, None, 2),
                "feature 1 (`B`), field `id`: feature 0 already has this id",
            ),
            (
                sp.clone().save(vec![], "lkm", "now", None, 2),
                "field `waktu`",
            ),
            (
                sp.clone()
                    .save(vec![], "lkm", T, Some("\u{0}".to_owned()), 2),
                "field `catatan`",
            ),
            (
                sp.clone().restore(3, "lkm", T, None, 2),
                "has no version 3; its versions run from 1 to 2",
            ),
            (sp.clone().restore(0, "lkm", T, None, 2), "has no version 0"),
        ];
        for (got, expected) in attempts {
            let e = got.unwrap_err();
            assert!(e.to_string().contains(expected), "{e}");
        }
        assert!(sp.save(vec![], "", T, None, 2).is_err());
        assert_eq!(sp, before);
    }
}
