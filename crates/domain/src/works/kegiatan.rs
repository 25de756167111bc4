//! Works (kegiatan): what is built, where, when, by whom, and how far it got.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{Result, WorksError};
use super::kpp::Kpp;
use super::segmen::{Segmen, SegmenId, check_year};
use crate::{Kode, Level};

define_id! {
    /// The id of a work, unique in the atlas (e.g. `35.19.09.2014-2018-01`).
    KegiatanId, "kegiatan id", crate::works::WorksError
}

define_code! {
    /// The type of a work (jenis kegiatan); `ALL` lists them in the order lists show
    /// them, and the code is the stable id used in files, URLs and tables.
    pub enum JenisKegiatan {
        /// Road paved with concrete blocks (paving block).
        JalanPaving = "jalan_paving",
        /// Road of cast concrete (rabat beton).
        RabatBeton = "rabat_beton",
        /// Drainage channels.
        Drainase = "drainase",
        /// Drinking water supply.
        AirMinum = "air_minum",
        /// Sanitation: toilets, septic tanks, sewers.
        Sanitasi = "sanitasi",
        /// Solid waste: carts, bins, collection points.
        Persampahan = "persampahan",
        /// Fire protection: hydrants, extinguishers, access.
        ProteksiKebakaran = "proteksi_kebakaran",
        /// Green open space (ruang terbuka hijau).
        RuangTerbukaHijau = "ruang_terbuka_hijau",
        /// Murals and streetscape improvement (penataan).
        MuralPenataan = "mural_penataan",
        /// Anything else; the name says what.
        Lainnya = "lainnya",
    }
}

impl JenisKegiatan {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            JenisKegiatan::JalanPaving => "Jalan paving",
            JenisKegiatan::RabatBeton => "Jalan rabat beton",
            JenisKegiatan::Drainase => "Drainase",
            JenisKegiatan::AirMinum => "Air minum",
            JenisKegiatan::Sanitasi => "Sanitasi",
            JenisKegiatan::Persampahan => "Persampahan",
            JenisKegiatan::ProteksiKebakaran => "Proteksi kebakaran",
            JenisKegiatan::RuangTerbukaHijau => "Ruang terbuka hijau",
            JenisKegiatan::MuralPenataan => "Mural dan penataan",
            JenisKegiatan::Lainnya => "Lainnya",
        }
    }
}

define_code! {
    /// The kind of body that carries out a work.
    pub enum JenisPelaksana {
        /// Lembaga Keswadayaan Masyarakat (also BKM): the village community board.
        Lkm = "lkm",
        /// Kelompok Swadaya Masyarakat: a community group.
        Ksm = "ksm",
        /// The village government.
        PemerintahDesa = "pemerintah_desa",
        /// A district agency (dinas), e.g. Dinas PKP.
        Dinas = "dinas",
        /// A contractor.
        Kontraktor = "kontraktor",
    }
}

impl JenisPelaksana {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            JenisPelaksana::Lkm => "LKM",
            JenisPelaksana::Ksm => "KSM",
            JenisPelaksana::PemerintahDesa => "Pemerintah Desa",
            JenisPelaksana::Dinas => "Dinas",
            JenisPelaksana::Kontraktor => "Kontraktor",
        }
    }
}

/// The executing body (pelaksana) of a work or segment: its kind and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pelaksana {
    /// What kind of body.
    pub jenis: JenisPelaksana,
    /// Its name, e.g. `Makmur Sentosa` for LKM Makmur Sentosa.
    pub nama: String,
}

impl Pelaksana {
    /// A body of a kind with a name.
    pub fn new(jenis: JenisPelaksana, nama: impl Into<String>) -> Pelaksana {
        Pelaksana {
            jenis,
            nama: nama.into(),
        }
    }
}

impl fmt::Display for Pelaksana {
    /// `LKM Makmur Sentosa`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.jenis.label_id(), self.nama)
    }
}

define_code! {
    /// The stage of a work (status kegiatan), following the programme's three stages
    /// (persiapan, pelaksanaan konstruksi, pemanfaatan dan pemeliharaan) with a planning
    /// stage before and a hand-over in between; `ALL` is in life-cycle order.
    pub enum StatusKegiatan {
        /// Planned (in the RPLP or a budget proposal).
        Rencana = "rencana",
        /// Preparation: design, KSM formed, money committed.
        Persiapan = "persiapan",
        /// Construction under way.
        Pelaksanaan = "pelaksanaan",
        /// Built and handed over.
        Selesai = "selesai",
        /// In use and maintained (pemanfaatan dan pemeliharaan), usually by a KPP.
        Pemeliharaan = "pemeliharaan",
    }
}

impl StatusKegiatan {
    /// The statuses that may follow this one.
    ///
    /// Works move forward one stage at a time. Two steps back are allowed because they
    /// happen in the field: preparation can fall back to plan when the money does not
    /// come, and a hand-over can be refused, sending the work back to construction. A
    /// maintained work stays maintained; rebuilding it is a new work.
    pub fn next(self) -> &'static [StatusKegiatan] {
        use StatusKegiatan as S;
        match self {
            S::Rencana => &[S::Persiapan],
            S::Persiapan => &[S::Pelaksanaan, S::Rencana],
            S::Pelaksanaan => &[S::Selesai],
            S::Selesai => &[S::Pemeliharaan, S::Pelaksanaan],
            S::Pemeliharaan => &[],
        }
    }

    /// The statuses that may follow `from`, listed for an error message.
    pub fn allowed_after(from: StatusKegiatan) -> String {
        let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
        if allowed.is_empty() {
            "none".to_owned()
        } else {
            allowed.join(", ")
        }
    }

    /// Whether the life cycle allows going from this status to `to`.
    pub fn can_become(self, to: StatusKegiatan) -> bool {
        self.next().contains(&to)
    }

    /// Moves `self` to `to` if the life cycle allows it, for the record named by
    /// `record` (a work or a segment: both go through the same stages). Setting the
    /// current status again changes nothing and is not an error, so a repeated request is
    /// harmless.
    pub(crate) fn change_to(&mut self, to: StatusKegiatan, record: &str) -> Result<()> {
        if to == *self {
            return Ok(());
        }
        if !self.can_become(to) {
            return Err(WorksError::StatusTransition {
                record: record.to_owned(),
                from: self.to_string(),
                to: to.to_string(),
                allowed: StatusKegiatan::allowed_after(*self),
            });
        }
        *self = to;
        Ok(())
    }
}

/// A work (kegiatan): one piece of upgrading in one desa and year, carried out by one
/// body, made of one or more segments.
///
/// The desa code, the year and the status are checked when they change, so they are
/// reached through methods; segments are added and removed through methods that keep
/// their ids unique and their money history intact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KegiatanData")]
pub struct Kegiatan {
    id: KegiatanId,
    /// Name, e.g. "Jalan paving kawasan budidaya lele RT 09/10".
    pub nama: String,
    /// Type of work.
    pub jenis: JenisKegiatan,
    kode_desa: Kode,
    tahun: u16,
    /// Executing body.
    pub pelaksana: Pelaksana,
    status: StatusKegiatan,
    /// Illustrative data (contoh), not surveyed: shown with a mark, left out of
    /// official figures.
    pub contoh: bool,
    /// Free notes.
    pub keterangan: Option<String>,
    segmen: Vec<Segmen>,
    /// The users' group that maintains the work, once formed.
    pub kpp: Option<Kpp>,
}

/// The stored shape of a [`Kegiatan`], checked on the way in. The stored status is
/// trusted: it was checked when it was set.
#[derive(Deserialize)]
struct KegiatanData {
    id: KegiatanId,
    nama: String,
    jenis: JenisKegiatan,
    kode_desa: Kode,
    tahun: u16,
    pelaksana: Pelaksana,
    status: StatusKegiatan,
    #[serde(default)]
    contoh: bool,
    keterangan: Option<String>,
    #[serde(default)]
    segmen: Vec<Segmen>,
    kpp: Option<Kpp>,
}

impl TryFrom<KegiatanData> for Kegiatan {
    type Error = WorksError;
    fn try_from(d: KegiatanData) -> Result<Kegiatan> {
        let mut k = Kegiatan::new(d.id, d.nama, d.jenis, d.kode_desa, d.tahun, d.pelaksana)?;
        k.status = d.status;
        k.contoh = d.contoh;
        k.keterangan = d.keterangan;
        k.kpp = d.kpp;
        for s in d.segmen {
            k.add_segmen(s)?;
        }
        Ok(k)
    }
}

impl Kegiatan {
    /// A new work in status [`StatusKegiatan::Rencana`], without segments.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::Kode;
    /// use kumuh_domain::works::*;
    /// let mut k = Kegiatan::new(
    ///     KegiatanId::new("K1").unwrap(),
    ///     "Drainase RT 24",
    ///     JenisKegiatan::Drainase,
    ///     Kode::parse("35.19.09.2005").unwrap(),
    ///     2020,
    ///     Pelaksana::new(JenisPelaksana::Ksm, "Maju"),
    /// )
    /// .unwrap();
    /// assert!(k.set_status(StatusKegiatan::Selesai).is_err());
    /// k.set_status(StatusKegiatan::Persiapan).unwrap();
    /// ```
    pub fn new(
        id: KegiatanId,
        nama: impl Into<String>,
        jenis: JenisKegiatan,
        kode_desa: Kode,
        tahun: u16,
        pelaksana: Pelaksana,
    ) -> Result<Kegiatan> {
        let nama = nama.into();
        let label = format!("kegiatan `{id}`");
        if nama.trim().is_empty() {
            return Err(WorksError::field(label, "nama", "a work needs a name"));
        }
        check_desa(&label, &kode_desa)?;
        check_tahun(&label, tahun)?;
        if pelaksana.nama.trim().is_empty() {
            return Err(WorksError::field(
                label,
                "pelaksana.nama",
                "the executing body needs a name",
            ));
        }
        Ok(Kegiatan {
            id,
            nama,
            jenis,
            kode_desa,
            tahun,
            pelaksana,
            status: StatusKegiatan::Rencana,
            contoh: false,
            keterangan: None,
            segmen: Vec::new(),
            kpp: None,
        })
    }

    /// The work's id.
    pub fn id(&self) -> &KegiatanId {
        &self.id
    }

    /// How this work is named in messages.
    pub fn label(&self) -> String {
        format!("kegiatan `{}`", self.id)
    }

    /// Code of the desa the work lies in.
    pub fn kode_desa(&self) -> &Kode {
        &self.kode_desa
    }

    /// Moves the work to another desa; the code must be a desa code.
    pub fn set_kode_desa(&mut self, kode_desa: Kode) -> Result<()> {
        check_desa(&self.label(), &kode_desa)?;
        self.kode_desa = kode_desa;
        Ok(())
    }

    /// The year of the work.
    pub fn tahun(&self) -> u16 {
        self.tahun
    }

    /// Changes the year (1900-2100).
    pub fn set_tahun(&mut self, tahun: u16) -> Result<()> {
        check_tahun(&self.label(), tahun)?;
        self.tahun = tahun;
        Ok(())
    }

    /// The current stage.
    pub fn status(&self) -> StatusKegiatan {
        self.status
    }

    /// Moves the work to another stage if the life cycle allows it (see
    /// [`StatusKegiatan::next`]). Setting the current status again changes nothing and
    /// is not an error, so a repeated request is harmless.
    pub fn set_status(&mut self, to: StatusKegiatan) -> Result<()> {
        let record = self.label();
        self.status.change_to(to, &record)
    }

    /// The segments, in the order they were added.
    pub fn segmen(&self) -> &[Segmen] {
        &self.segmen
    }

    /// One segment, by id.
    pub fn segmen_by_id(&self, id: &SegmenId) -> Option<&Segmen> {
        self.segmen.iter().find(|s| s.id() == id)
    }

    /// One segment, by id, to record funding or progress on.
    pub fn segmen_mut(&mut self, id: &SegmenId) -> Result<&mut Segmen> {
        let kegiatan = self.id.to_string();
        self.segmen
            .iter_mut()
            .find(|s| s.id() == id)
            .ok_or_else(|| WorksError::SegmenNotFound {
                kegiatan,
                segmen: id.to_string(),
            })
    }

    /// Adds a segment; its id must be new in this work.
    pub fn add_segmen(&mut self, segmen: Segmen) -> Result<()> {
        if self.segmen_by_id(segmen.id()).is_some() {
            return Err(WorksError::DuplicateSegmen {
                kegiatan: self.id.to_string(),
                segmen: segmen.id().to_string(),
            });
        }
        self.segmen.push(segmen);
        Ok(())
    }

    /// Removes a segment that has no ledger entries. A segment with any funding or
    /// progress history, even fully reversed, stays: history is never erased.
    pub fn remove_segmen(&mut self, id: &SegmenId) -> Result<Segmen> {
        let i = self
            .segmen
            .iter()
            .position(|s| s.id() == id)
            .ok_or_else(|| WorksError::SegmenNotFound {
                kegiatan: self.id.to_string(),
                segmen: id.to_string(),
            })?;
        let entries = self.segmen.get(i).map_or(0, |s| s.buku().len());
        if entries > 0 {
            return Err(WorksError::HasHistory {
                record: format!("segmen `{id}`"),
                entries,
            });
        }
        Ok(self.segmen.remove(i))
    }

    /// Whether the whole work may be deleted: only if no segment and no maintenance
    /// group has ever recorded anything. The store calls this before deleting.
    pub fn check_deletable(&self) -> Result<()> {
        let entries = self.segmen.iter().map(|s| s.buku().len()).sum::<usize>()
            + self.kpp.as_ref().map_or(0, |k| k.kas().len());
        if entries > 0 {
            return Err(WorksError::HasHistory {
                record: self.label(),
                entries,
            });
        }
        Ok(())
    }
}

fn check_desa(label: &str, kode: &Kode) -> Result<()> {
    if kode.level() == Level::Desa {
        Ok(())
    } else {
        Err(WorksError::field(
            label,
            "kode_desa",
            format!(
                "`{kode}` is a {} code; a desa code has four parts, e.g. 35.19.09.2014",
                kode.level()
            ),
        ))
    }
}

fn check_tahun(label: &str, tahun: u16) -> Result<()> {
    check_year(label, "tahun", Some(tahun))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kegiatan() -> Kegiatan {
        Kegiatan::new(
            KegiatanId::new("K1").unwrap(),
            "Drainase",
            JenisKegiatan::Drainase,
            Kode::parse("35.19.09.2005").unwrap(),
            2020,
            Pelaksana::new(JenisPelaksana::Ksm, "Maju"),
        )
        .unwrap()
    }

    #[test]
    fn status_follows_the_life_cycle() {
        use StatusKegiatan as S;
        // (from, to, allowed)
        let cases = [
            (S::Rencana, S::Persiapan, true),
            (S::Rencana, S::Pelaksanaan, false),
            (S::Rencana, S::Pemeliharaan, false),
            (S::Persiapan, S::Pelaksanaan, true),
            (S::Persiapan, S::Rencana, true),
            (S::Pelaksanaan, S::Selesai, true),
            (S::Pelaksanaan, S::Persiapan, false),
            (S::Selesai, S::Pemeliharaan, true),
            (S::Selesai, S::Pelaksanaan, true),
            (S::Pemeliharaan, S::Selesai, false),
            (S::Pemeliharaan, S::Rencana, false),
        ];
        for (from, to, allowed) in cases {
            assert_eq!(from.can_become(to), allowed, "{from} -> {to}");
        }
        let mut k = kegiatan();
        let e = k.set_status(S::Selesai).unwrap_err();
        assert_eq!(
            e.to_string(),
            "kegiatan `K1`: status cannot change from rencana to selesai; allowed next: persiapan"
        );
        for s in [
            S::Persiapan,
            S::Persiapan,
            S::Pelaksanaan,
            S::Selesai,
            S::Pemeliharaan,
        ] {
            k.set_status(s).unwrap();
        }
        let e = k.set_status(S::Rencana).unwrap_err();
        assert!(e.to_string().ends_with("allowed next: none"), "{e}");
    }

    #[test]
    fn fields_are_checked_and_named() {
        let id = || KegiatanId::new("K1").unwrap();
        let desa = || Kode::parse("35.19.09.2005").unwrap();
        let body = || Pelaksana::new(JenisPelaksana::Lkm, "Makmur Sentosa");
        let jenis = JenisKegiatan::Drainase;
        let cases = [
            (
                Kegiatan::new(id(), " ", jenis, desa(), 2020, body()),
                "nama",
            ),
            (
                Kegiatan::new(
                    id(),
                    "x",
                    jenis,
                    Kode::parse("35.19.09").unwrap(),
                    2020,
                    body(),
                ),
                "kode_desa",
            ),
            (
                Kegiatan::new(id(), "x", jenis, desa(), 218, body()),
                "tahun",
            ),
            (
                Kegiatan::new(
                    id(),
                    "x",
                    jenis,
                    desa(),
                    2020,
                    Pelaksana::new(JenisPelaksana::Lkm, ""),
                ),
                "pelaksana.nama",
            ),
        ];
        for (got, field) in cases {
            let e = got.unwrap_err();
            assert!(e.to_string().contains(&format!("field `{field}`")), "{e}");
        }
        let mut k = kegiatan();
        assert!(k.set_tahun(20188).is_err());
        assert!(k.set_kode_desa(Kode::parse("35").unwrap()).is_err());
        assert_eq!(k.tahun(), 2020);
    }

    #[test]
    fn ids_are_checked() {
        assert!(KegiatanId::new("  ").is_err());
        assert!(KegiatanId::new("a\nb").is_err());
        assert!(KegiatanId::new("x".repeat(101)).is_err());
        assert_eq!(KegiatanId::new(" K1 ").unwrap().as_str(), "K1");
        assert!(serde_json::from_str::<KegiatanId>("\"\"").is_err());
    }

    #[test]
    fn ids_are_plain_letters_digits_dots_dashes_and_underscores() {
        for bad in [
            "a/b",
            "../K1",
            "..",
            ".",
            "K1?x=1",
            "K1#a",
            "<b>K1</b>",
            "K 1",
            "K1\"",
            "K1;",
            "K%2F1",
            "K\\1",
            "kegiatán",
        ] {
            let e = KegiatanId::new(bad).unwrap_err().to_string();
            assert!(e.contains("id"), "{bad}: {e}");
        }
        assert!(KegiatanId::new("x".repeat(65)).is_err());
        for good in [
            "K1",
            "35.19.09.2014-2018-01",
            "SP-35.19.09.2014-aZ_9",
            &"x".repeat(64),
        ] {
            assert_eq!(KegiatanId::new(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn labels_and_ids_are_stable() {
        for j in JenisKegiatan::ALL {
            assert_eq!(
                serde_json::to_string(&j).unwrap(),
                format!("\"{}\"", j.as_str())
            );
        }
        assert_eq!(
            Pelaksana::new(JenisPelaksana::PemerintahDesa, "Bibrik").to_string(),
            "Pemerintah Desa Bibrik"
        );
    }
}
