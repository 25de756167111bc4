//! Segments (segmen): the mapped pieces of a work, each with its own geometry, planned
//! volume and funding ledger.

use std::fmt;

use geo::{Geodesic, GeodesicArea, Length};
use geo_types::{Coord, Geometry, MultiPolygon};
use serde::{Deserialize, Serialize};

use super::dana::{Alokasi, Override, Progres, Realisasi, SegmenEntry};
use super::error::{Result, WorksError};
use super::kegiatan::{Pelaksana, StatusKegiatan};
use super::ledger::{EntryId, Ledger, LedgerEntry, Reversal};
use super::money::{Amount, Rupiah, group_thousands};

define_id! {
    /// The id of a segment, unique within its work (e.g. `S1`).
    SegmenId, "segmen id", crate::works::WorksError
}

/// The unit a volume is planned and measured in (satuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satuan {
    /// Metres of length: roads, drains, pipes. Needs a line geometry.
    M,
    /// Square metres: public spaces, plots, walls. Needs a polygon geometry.
    M2,
    /// Countable items: waste carts, hydrants, toilets. Any geometry.
    Unit,
    /// Households (kepala keluarga) served: house connections. Any geometry.
    Kk,
}

impl Satuan {
    /// The stable id used in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Satuan::M => "m",
            Satuan::M2 => "m2",
            Satuan::Unit => "unit",
            Satuan::Kk => "kk",
        }
    }

    /// How people write it: `m`, `m²`, `unit`, `KK`.
    pub fn label_id(self) -> &'static str {
        match self {
            Satuan::M => "m",
            Satuan::M2 => "m²",
            Satuan::Unit => "unit",
            Satuan::Kk => "KK",
        }
    }

    /// Whether a geometry of this kind can carry a volume in this unit: a length needs a
    /// line and an area a polygon, while counts may sit on anything (a point per cart,
    /// or the line of the pipe that serves the households).
    pub fn fits(self, kind: GeometryKind) -> bool {
        match self {
            Satuan::M => kind == GeometryKind::Garis,
            Satuan::M2 => kind == GeometryKind::Area,
            Satuan::Unit | Satuan::Kk => true,
        }
    }
}

impl fmt::Display for Satuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_id())
    }
}

/// The kind of a segment's geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// (Multi)line: roads, drains.
    Garis,
    /// (Multi)polygon: areas.
    Area,
    /// (Multi)point: units.
    Titik,
}

/// A non-negative quantity held in thousandths of its unit (millimetres for `m`), so that
/// volumes add up exactly and cost per unit can be computed in integers. Stored and
/// serialised as a plain decimal number (`170`, `12.5`).
///
/// # Examples
/// ```
/// use kumuh_domain::works::Volume;
/// let v = Volume::from_f64(12.5).unwrap();
/// assert_eq!(v.milli(), 12_500);
/// assert_eq!(v.to_string(), "12,5");
/// assert_eq!(Volume::whole(2_823).to_string(), "2.823");
/// assert!(Volume::from_f64(-1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Volume(i64);

impl Volume {
    /// Nothing.
    pub const ZERO: Volume = Volume(0);

    /// A whole number of units.
    pub const fn whole(units: u32) -> Volume {
        Volume(units as i64 * 1000)
    }

    /// A volume in thousandths of a unit.
    pub fn from_milli(milli: i64) -> Result<Volume> {
        if milli < 0 {
            return Err(WorksError::InvalidVolume {
                value: milli.to_string(),
                problem: "a volume cannot be negative",
            });
        }
        Ok(Volume(milli))
    }

    /// A volume from a decimal number, rounded to the nearest thousandth.
    pub fn from_f64(value: f64) -> Result<Volume> {
        let err = |problem| WorksError::InvalidVolume {
            value: value.to_string(),
            problem,
        };
        if !value.is_finite() {
            return Err(err("a volume must be a finite number"));
        }
        if value < 0.0 {
            return Err(err("a volume cannot be negative"));
        }
        let milli = (value * 1000.0).round();
        // i64::MAX as f64 rounds up to 2^63, which no longer fits.
        if milli >= 9.2e18 {
            return Err(err("a volume this large cannot be held"));
        }
        #[allow(clippy::cast_possible_truncation)]
        Ok(Volume(milli as i64))
    }

    /// Thousandths of a unit.
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// As a decimal number, for display and measurement comparisons.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Whether the volume is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The sum, or an error if it does not fit.
    pub fn checked_add(self, other: Volume) -> Result<Volume> {
        self.0
            .checked_add(other.0)
            .map(Volume)
            .ok_or_else(|| WorksError::InvalidVolume {
                value: format!("{self} + {other}"),
                problem: "the sum is too large to hold",
            })
    }
}

impl fmt::Display for Volume {
    /// Indonesian style: `2.823`, `12,5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        group_thousands(&(self.0 / 1000).to_string(), f)?;
        let frac = self.0 % 1000;
        if frac != 0 {
            let digits = format!("{frac:03}");
            write!(f, ",{}", digits.trim_end_matches('0'))?;
        }
        Ok(())
    }
}

impl Serialize for Volume {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Volume::from_f64(v).map_err(serde::de::Error::custom)
    }
}

/// The state of the thing a segment improves, before or after the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kondisi {
    /// Nothing there (an earth track where a road should be, no drain at all).
    TidakAda,
    /// Badly damaged or not working.
    Buruk,
    /// Working, with damage.
    Sedang,
    /// Good.
    Baik,
}

impl Kondisi {
    /// Every condition, worst first.
    pub const ALL: [Kondisi; 4] = [
        Kondisi::TidakAda,
        Kondisi::Buruk,
        Kondisi::Sedang,
        Kondisi::Baik,
    ];

    /// The stable id (`tidak_ada`, `buruk`, `sedang`, `baik`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kondisi::TidakAda => "tidak_ada",
            Kondisi::Buruk => "buruk",
            Kondisi::Sedang => "sedang",
            Kondisi::Baik => "baik",
        }
    }
}

/// The code of a slum criterion (kriteria kumuh) a segment addresses: the aspect number
/// and a letter, e.g. `2b` (quality of the neighbourhood road surface) in the national
/// assessment format. Only the shape is checked here; the rule sets live in
/// [`crate::assessment`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KodeKriteria(String);

impl KodeKriteria {
    /// Checks and normalises a code: one or two digits and one letter (`2b`, `7A`→`7a`).
    pub fn parse(text: &str) -> Result<KodeKriteria> {
        let s = text.trim().to_ascii_lowercase();
        let mut chars = s.chars();
        let letter = chars.next_back();
        let digits = chars.as_str();
        let ok = (1..=2).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
            && letter.is_some_and(|c| c.is_ascii_lowercase());
        if ok {
            Ok(KodeKriteria(s))
        } else {
            Err(WorksError::field(
                format!("kriteria `{text}`"),
                "kriteria",
                "a criterion code is an aspect number and a letter, e.g. 2b",
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for KodeKriteria {
    type Error = WorksError;
    fn try_from(s: String) -> Result<KodeKriteria> {
        KodeKriteria::parse(&s)
    }
}

impl From<KodeKriteria> for String {
    fn from(k: KodeKriteria) -> String {
        k.0
    }
}

impl fmt::Display for KodeKriteria {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A size measured on the segment's geometry, on the WGS84 ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terukur {
    /// Geodesic length of a line geometry, metres.
    PanjangM(f64),
    /// Geodesic area of a polygon geometry, square metres.
    LuasM2(f64),
}

impl Terukur {
    /// The measured value in its unit (m or m²).
    pub fn value(self) -> f64 {
        match self {
            Terukur::PanjangM(v) | Terukur::LuasM2(v) => v,
        }
    }

    /// The unit of the measure.
    pub fn satuan(self) -> Satuan {
        match self {
            Terukur::PanjangM(_) => Satuan::M,
            Terukur::LuasM2(_) => Satuan::M2,
        }
    }
}

/// A segment of a work: one mapped piece with its planned volume and its funding ledger.
///
/// Geometry, unit and planned volume are checked together (a length in metres needs a
/// line), so they change only through [`Segmen::new`] and [`Segmen::set_rencana`]. The
/// ledger changes only through the methods that enforce the money rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SegmenData")]
pub struct Segmen {
    id: SegmenId,
    /// Name, e.g. "Paving RT 09/10".
    pub nama: String,
    geometry: Geometry<f64>,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
    /// Who carries out this segment, where not the work's executing body.
    pub pelaksana: Option<Pelaksana>,
    /// Condition of the thing improved, before the work.
    pub kondisi_sebelum: Option<Kondisi>,
    /// Condition after the work.
    pub kondisi_sesudah: Option<Kondisi>,
    /// Slum criteria this segment addresses (`2b`).
    pub kriteria: Vec<KodeKriteria>,
    /// Code of the slum location (lokasi kumuh) it lies in, where known.
    pub kode_lokasi: Option<String>,
    /// Free notes.
    pub keterangan: Option<String>,
    status: StatusKegiatan,
    buku: Ledger<SegmenEntry>,
}

/// The stored shape of a [`Segmen`], checked on the way in.
#[derive(Deserialize)]
struct SegmenData {
    id: SegmenId,
    nama: String,
    geometry: Geometry<f64>,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
    pelaksana: Option<Pelaksana>,
    kondisi_sebelum: Option<Kondisi>,
    kondisi_sesudah: Option<Kondisi>,
    #[serde(default)]
    kriteria: Vec<KodeKriteria>,
    kode_lokasi: Option<String>,
    keterangan: Option<String>,
    #[serde(default = "rencana")]
    status: StatusKegiatan,
    #[serde(default)]
    buku: Ledger<SegmenEntry>,
}

fn rencana() -> StatusKegiatan {
    StatusKegiatan::Rencana
}

impl TryFrom<SegmenData> for Segmen {
    type Error = WorksError;
    fn try_from(d: SegmenData) -> Result<Segmen> {
        let mut s = Segmen::new(d.id, d.nama, d.geometry, d.volume_rencana, d.satuan)?;
        s.pelaksana = d.pelaksana;
        s.kondisi_sebelum = d.kondisi_sebelum;
        s.kondisi_sesudah = d.kondisi_sesudah;
        s.kriteria = d.kriteria;
        s.kode_lokasi = d.kode_lokasi;
        s.keterangan = d.keterangan;
        s.status = d.status;
        check_stored_spending(&d.buku).map_err(|message| WorksError::InvalidLedger {
            ledger: s.label(),
            message,
        })?;
        s.buku = d.buku;
        Ok(s)
    }
}

/// Spending in a stored ledger must point at an earlier allocation, must not have gone
/// beyond a known allocation without an override at the time it was recorded, and an
/// allocation can only have been reversed after its spending was.
fn check_stored_spending(buku: &Ledger<SegmenEntry>) -> std::result::Result<(), String> {
    let mut spent: std::collections::BTreeMap<EntryId, i128> = std::collections::BTreeMap::new();
    for e in buku.entries() {
        match &e.isi {
            SegmenEntry::Realisasi(r) => {
                let target = buku.get(r.alokasi).filter(|t| t.id < e.id).ok_or_else(|| {
                    format!(
                        "entry {} spends from {}, which is not an earlier entry",
                        e.id, r.alokasi
                    )
                })?;
                let SegmenEntry::Alokasi(a) = &target.isi else {
                    return Err(format!(
                        "entry {} spends from {}, which is {}",
                        e.id,
                        r.alokasi,
                        target.isi.kind()
                    ));
                };
                let total = spent.entry(r.alokasi).or_default();
                *total += i128::from(r.jumlah.get());
                if let Amount::Known(allocated) = a.jumlah
                    && *total > i128::from(allocated.get())
                    && r.izin_lebih.is_none()
                {
                    return Err(format!(
                        "entry {} overspends allocation {} without an override",
                        e.id, r.alokasi
                    ));
                }
                if buku.reversed_by(r.alokasi).is_some() && buku.reversed_by(e.id).is_none() {
                    return Err(format!(
                        "allocation {} is reversed but its spending {} is not",
                        r.alokasi, e.id
                    ));
                }
            }
            SegmenEntry::Reversal(rev) => {
                if let Some(SegmenEntry::Realisasi(r)) = buku.get(rev.of).map(|t| &t.isi) {
                    *spent.entry(r.alokasi).or_default() -= i128::from(r.jumlah.get());
                }
            }
            SegmenEntry::Alokasi(_) | SegmenEntry::Progres(_) => {}
        }
    }
    Ok(())
}

impl Segmen {
    /// A segment without funding yet. The geometry must be a valid line, polygon or point
    /// in EPSG:4326, the unit must fit it, and a planned volume, where known, must be
    /// more than zero.
    ///
    /// # Examples
    /// ```
    /// use geo_types::{Geometry, line_string, point};
    /// use kumuh_domain::works::{Satuan, Segmen, SegmenId, Volume};
    /// let road = line_string![(x: 111.4935, y: -7.5753), (x: 111.49504, y: -7.5753)];
    /// let id = SegmenId::new("S1").unwrap();
    /// let s = Segmen::new(id.clone(), "Paving", Geometry::LineString(road), Some(Volume::whole(170)), Satuan::M)
    ///     .unwrap();
    /// assert!((s.measured().unwrap().value() - 170.0).abs() < 1.0);
    ///
    /// let cart = Geometry::Point(point!(x: 111.49, y: -7.57));
    /// let e = Segmen::new(id, "Gerobak", cart, Some(Volume::whole(4)), Satuan::M).unwrap_err();
    /// assert!(e.to_string().contains("field `satuan`"), "{e}");
    /// ```
    pub fn new(
        id: SegmenId,
        nama: impl Into<String>,
        geometry: Geometry<f64>,
        volume_rencana: Option<Volume>,
        satuan: Satuan,
    ) -> Result<Segmen> {
        let nama = nama.into();
        let label = format!("segmen `{id}`");
        if nama.trim().is_empty() {
            return Err(WorksError::field(&label, "nama", "a segment needs a name"));
        }
        check_rencana(&label, &geometry, volume_rencana, satuan)?;
        Ok(Segmen {
            id,
            nama,
            geometry,
            volume_rencana,
            satuan,
            pelaksana: None,
            kondisi_sebelum: None,
            kondisi_sesudah: None,
            kriteria: Vec::new(),
            kode_lokasi: None,
            keterangan: None,
            status: StatusKegiatan::Rencana,
            buku: Ledger::new(),
        })
    }

    /// The segment's id.
    pub fn id(&self) -> &SegmenId {
        &self.id
    }

    /// The geometry, EPSG:4326.
    pub fn geometry(&self) -> &Geometry<f64> {
        &self.geometry
    }

    /// The planned volume in [`Segmen::satuan`], where known.
    pub fn volume_rencana(&self) -> Option<Volume> {
        self.volume_rencana
    }

    /// The unit of the planned and realised volumes.
    pub fn satuan(&self) -> Satuan {
        self.satuan
    }

    /// The kind of geometry (line, area, point).
    pub fn geometry_kind(&self) -> GeometryKind {
        // The geometry was classified when it was set.
        classify(&self.geometry).unwrap_or(GeometryKind::Titik)
    }

    /// Replaces geometry, planned volume and unit together, with the same checks as
    /// [`Segmen::new`]. The ledger is kept: its volumes are in the old unit, so changing
    /// the unit of a segment with progress entries is refused.
    pub fn set_rencana(
        &mut self,
        geometry: Geometry<f64>,
        volume_rencana: Option<Volume>,
        satuan: Satuan,
    ) -> Result<()> {
        let label = self.label();
        check_rencana(&label, &geometry, volume_rencana, satuan)?;
        let has_progress = self
            .buku
            .entries()
            .iter()
            .any(|e| matches!(e.isi, SegmenEntry::Progres(_)));
        if satuan != self.satuan && has_progress {
            return Err(WorksError::field(
                label,
                "satuan",
                format!(
                    "progress was recorded in {}; reverse it before changing the unit to {satuan}",
                    self.satuan
                ),
            ));
        }
        self.geometry = geometry;
        self.volume_rencana = volume_rencana;
        self.satuan = satuan;
        Ok(())
    }

    /// The segment's own stage. A long road is often finished piece by piece, so each
    /// segment moves through the same life cycle as a work ([`StatusKegiatan::next`]).
    pub fn status(&self) -> StatusKegiatan {
        self.status
    }

    /// Moves the segment to another stage if the life cycle allows it. Setting the
    /// current status again changes nothing and is not an error.
    pub fn set_status(&mut self, to: StatusKegiatan) -> Result<()> {
        if to == self.status {
            return Ok(());
        }
        if !self.status.can_become(to) {
            return Err(WorksError::StatusTransition {
                record: self.label(),
                from: self.status.to_string(),
                to: to.to_string(),
                allowed: StatusKegiatan::allowed_after(self.status),
            });
        }
        self.status = to;
        Ok(())
    }

    /// The geodesic length (lines) or area (polygons) of the geometry; `None` for points.
    pub fn measured(&self) -> Option<Terukur> {
        measure(&self.geometry)
    }

    /// The funding and progress ledger.
    pub fn buku(&self) -> &Ledger<SegmenEntry> {
        &self.buku
    }

    /// How this segment is named in messages.
    pub fn label(&self) -> String {
        format!("segmen `{}`", self.id)
    }

    /// Records an allocation (money or an in-kind valuation committed by one source).
    pub fn allocate(&mut self, alokasi: Alokasi) -> Result<EntryId> {
        let label = self.label();
        check_year(&label, "tahun_anggaran", alokasi.tahun_anggaran)?;
        if let Some(d) = &alokasi.dokumen
            && d.nomor.as_deref().is_some_and(|n| n.trim().is_empty())
        {
            return Err(WorksError::field(
                label,
                "dokumen.nomor",
                "the document number is blank; leave it out when unknown",
            ));
        }
        self.buku.push(SegmenEntry::Alokasi(alokasi), &label)
    }

    /// Records spending against one of this segment's allocations.
    ///
    /// Spending that takes a known allocation beyond its amount is refused unless the
    /// entry carries an [`Override`] with a reason; the error names the allocation and
    /// the excess. Spending against an allocation of unknown amount cannot be checked and
    /// is accepted (the summaries flag it).
    pub fn record_realisasi(&mut self, realisasi: Realisasi) -> Result<EntryId> {
        let label = self.label();
        if realisasi.jumlah.is_zero() {
            return Err(WorksError::field(
                label,
                "jumlah",
                "spending must be more than Rp 0",
            ));
        }
        check_override(&label, realisasi.izin_lebih.as_ref())?;
        let alokasi = self.live_allocation(realisasi.alokasi)?;
        if let Amount::Known(allocated) = alokasi.jumlah {
            let spent = self.spent_on(realisasi.alokasi)?;
            let after = spent.checked_add(realisasi.jumlah)?;
            if after > allocated && realisasi.izin_lebih.is_none() {
                return Err(WorksError::Overspend {
                    ledger: label,
                    alokasi: realisasi.alokasi,
                    sumber: alokasi.sumber.label_id(),
                    allocated,
                    spent,
                    requested: realisasi.jumlah,
                    excess: after.saturating_sub(allocated),
                });
            }
        }
        self.buku.push(SegmenEntry::Realisasi(realisasi), &label)
    }

    /// Records physical progress. Progress that takes the realised volume beyond the
    /// planned volume (over 100 %) is refused unless the entry carries an [`Override`].
    pub fn record_progres(&mut self, progres: Progres) -> Result<EntryId> {
        let label = self.label();
        if progres.volume.is_zero() {
            return Err(WorksError::field(
                label,
                "volume",
                "progress must add more than zero",
            ));
        }
        check_override(&label, progres.izin_lebih.as_ref())?;
        let total = self.realised_volume()?.checked_add(progres.volume)?;
        if let Some(planned) = self.volume_rencana
            && total > planned
            && progres.izin_lebih.is_none()
        {
            let bp = super::summary::Ratio::new(total.milli(), planned.milli())
                .map_or(0, super::summary::Ratio::basis_points);
            return Err(WorksError::ProgressOver100 {
                ledger: label,
                planned: format!("{planned} {}", self.satuan),
                total: format!("{total} {}", self.satuan),
                percent: super::summary::format_bp(bp),
            });
        }
        self.buku.push(SegmenEntry::Progres(progres), &label)
    }

    /// Undoes an earlier entry by appending a reversal; nothing is erased. An allocation
    /// that still carries live spending cannot be reversed until that spending is.
    pub fn reverse(&mut self, reversal: Reversal) -> Result<EntryId> {
        let label = self.label();
        self.buku.check_reversal(&reversal, &label)?;
        if let Some(e) = self.buku.get(reversal.of)
            && matches!(e.isi, SegmenEntry::Alokasi(_))
        {
            let spending: Vec<EntryId> = self
                .live_realisasi()
                .filter(|(_, r)| r.alokasi == reversal.of)
                .map(|(id, _)| id)
                .collect();
            if !spending.is_empty() {
                return Err(WorksError::AllocationHasSpending {
                    ledger: label,
                    id: reversal.of,
                    spending,
                });
            }
        }
        self.buku.push(SegmenEntry::Reversal(reversal), &label)
    }

    /// Live allocations (not reversed), oldest first.
    pub fn live_alokasi(&self) -> impl Iterator<Item = (EntryId, &Alokasi)> {
        self.buku.live().filter_map(|e| match &e.isi {
            SegmenEntry::Alokasi(a) => Some((e.id, a)),
            _ => None,
        })
    }

    /// Live spending entries, oldest first.
    pub fn live_realisasi(&self) -> impl Iterator<Item = (EntryId, &Realisasi)> {
        self.buku.live().filter_map(|e| match &e.isi {
            SegmenEntry::Realisasi(r) => Some((e.id, r)),
            _ => None,
        })
    }

    /// Live progress entries, oldest first.
    pub fn live_progres(&self) -> impl Iterator<Item = (EntryId, &Progres)> {
        self.buku.live().filter_map(|e| match &e.isi {
            SegmenEntry::Progres(p) => Some((e.id, p)),
            _ => None,
        })
    }

    /// Live spending booked on one allocation, in rupiah.
    pub fn spent_on(&self, alokasi: EntryId) -> Result<Rupiah> {
        Rupiah::checked_sum(
            self.live_realisasi()
                .filter(|(_, r)| r.alokasi == alokasi)
                .map(|(_, r)| r.jumlah),
        )
    }

    /// The realised volume: the sum of live progress entries.
    pub fn realised_volume(&self) -> Result<Volume> {
        self.live_progres()
            .try_fold(Volume::ZERO, |acc, (_, p)| acc.checked_add(p.volume))
    }

    /// The allocation with this id, if it is a live allocation of this segment.
    fn live_allocation(&self, id: EntryId) -> Result<&Alokasi> {
        let label = self.label();
        let e = self.buku.get(id).ok_or_else(|| WorksError::EntryNotFound {
            ledger: label.clone(),
            id,
        })?;
        let SegmenEntry::Alokasi(a) = &e.isi else {
            return Err(WorksError::NotAnAllocation {
                ledger: label,
                id,
                kind: e.isi.kind(),
            });
        };
        if let Some(by) = self.buku.reversed_by(id) {
            return Err(WorksError::AllocationReversed {
                ledger: label,
                id,
                by,
            });
        }
        Ok(a)
    }
}

/// Fiscal and work years must be plausible: typing errors like `218` or `20188` are
/// caught here instead of in a report.
pub(crate) fn check_year(label: &str, field: &'static str, year: Option<u16>) -> Result<()> {
    match year {
        Some(y) if !(1900..=2100).contains(&y) => Err(WorksError::field(
            label,
            field,
            format!("year {y} is outside 1900-2100"),
        )),
        _ => Ok(()),
    }
}

fn check_override(label: &str, o: Option<&Override>) -> Result<()> {
    match o {
        Some(o) if o.alasan.trim().is_empty() => Err(WorksError::field(
            label,
            "izin_lebih.alasan",
            "an override needs a reason",
        )),
        _ => Ok(()),
    }
}

fn check_rencana(
    label: &str,
    geometry: &Geometry<f64>,
    volume_rencana: Option<Volume>,
    satuan: Satuan,
) -> Result<()> {
    let kind = classify(geometry).map_err(|m| WorksError::field(label, "geometry", m))?;
    if !satuan.fits(kind) {
        let needs = match satuan {
            Satuan::M => "a line",
            Satuan::M2 => "a polygon",
            Satuan::Unit | Satuan::Kk => "any",
        };
        return Err(WorksError::field(
            label,
            "satuan",
            format!(
                "unit {satuan} needs {needs} geometry, but the geometry is a {}",
                geometry_type_name(geometry)
            ),
        ));
    }
    if volume_rencana.is_some_and(Volume::is_zero) {
        return Err(WorksError::field(
            label,
            "volume_rencana",
            "a planned volume must be more than zero; leave it out when unknown",
        ));
    }
    Ok(())
}

fn geometry_type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

fn coord_problem(c: Coord<f64>) -> Option<String> {
    if !c.x.is_finite() || !c.y.is_finite() {
        Some(format!(
            "coordinate ({}, {}) is not a finite number",
            c.x, c.y
        ))
    } else if !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
        Some(format!(
            "coordinate ({}, {}) is outside longitude -180..180 / latitude -90..90 (EPSG:4326, lon/lat order)",
            c.x, c.y
        ))
    } else {
        None
    }
}

fn check_coords<'a>(coords: impl IntoIterator<Item = &'a Coord<f64>>) -> Result<(), String> {
    coords
        .into_iter()
        .find_map(|c| coord_problem(*c))
        .map_or(Ok(()), Err)
}

/// What kind of segment geometry this is, or why it cannot be one.
fn classify(g: &Geometry<f64>) -> Result<GeometryKind, String> {
    let polygons =
        |mp: MultiPolygon<f64>| match crate::geometry::validate_area_geometry(&mp).first() {
            Some(issue) => Err(issue.to_string()),
            None => Ok(GeometryKind::Area),
        };
    match g {
        Geometry::Point(p) => check_coords([&p.0]).map(|()| GeometryKind::Titik),
        Geometry::MultiPoint(mp) => {
            if mp.0.is_empty() {
                return Err("the multipoint is empty".to_owned());
            }
            check_coords(mp.0.iter().map(|p| &p.0)).map(|()| GeometryKind::Titik)
        }
        Geometry::Line(l) => check_coords([&l.start, &l.end]).map(|()| GeometryKind::Garis),
        Geometry::LineString(ls) => {
            if ls.0.len() < 2 {
                return Err(format!(
                    "a line needs at least 2 points, got {}",
                    ls.0.len()
                ));
            }
            check_coords(&ls.0).map(|()| GeometryKind::Garis)
        }
        Geometry::MultiLineString(mls) => {
            if mls.0.is_empty() {
                return Err("the multilinestring is empty".to_owned());
            }
            for (i, ls) in mls.0.iter().enumerate() {
                if ls.0.len() < 2 {
                    return Err(format!(
                        "line {i} needs at least 2 points, got {}",
                        ls.0.len()
                    ));
                }
                check_coords(&ls.0).map_err(|m| format!("line {i}: {m}"))?;
            }
            Ok(GeometryKind::Garis)
        }
        Geometry::Polygon(p) => polygons(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(mp) => polygons(mp.clone()),
        other => Err(format!(
            "a {} cannot be a segment; use a line, polygon or point",
            geometry_type_name(other)
        )),
    }
}

fn measure(g: &Geometry<f64>) -> Option<Terukur> {
    match g {
        Geometry::Line(l) => Some(Terukur::PanjangM(Geodesic.length(l))),
        Geometry::LineString(ls) => Some(Terukur::PanjangM(Geodesic.length(ls))),
        Geometry::MultiLineString(mls) => Some(Terukur::PanjangM(Geodesic.length(mls))),
        Geometry::Polygon(p) => Some(Terukur::LuasM2(p.geodesic_area_unsigned())),
        Geometry::MultiPolygon(mp) => Some(Terukur::LuasM2(crate::geometry::geodesic_area_m2(mp))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{
        GeometryCollection, MultiLineString, MultiPoint, Point, Rect, line_string, point, polygon,
    };

    fn id() -> SegmenId {
        SegmenId::new("S1").unwrap()
    }

    /// Checks whether a geometry and unit make a segment; `Err(field)` names the field
    /// the error must be about.
    fn check(g: Geometry<f64>, satuan: Satuan, expected: std::result::Result<(), &str>) {
        let got = Segmen::new(id(), "x", g.clone(), Some(Volume::whole(1)), satuan);
        match (got, expected) {
            (Ok(_), Ok(())) => {}
            (Err(WorksError::InvalidField { field, .. }), Err(want)) if field == want => {}
            (got, want) => panic!("{g:?} {satuan:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn units_must_fit_the_geometry() {
        let line: Geometry<f64> =
            line_string![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57)].into();
        let area: Geometry<f64> =
            polygon![(x: 111.49, y: -7.57), (x: 111.491, y: -7.57), (x: 111.491, y: -7.571)].into();
        let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
        let pts: Geometry<f64> = MultiPoint::from(vec![
            point!(x: 111.49, y: -7.57),
            point!(x: 111.5, y: -7.57),
        ])
        .into();
        let mls: Geometry<f64> = MultiLineString::new(vec![
            line_string![(x: 111.49, y: -7.57), (x: 111.5, y: -7.57)],
        ])
        .into();

        check(line.clone(), Satuan::M, Ok(()));
        check(mls.clone(), Satuan::M, Ok(()));
        check(area.clone(), Satuan::M2, Ok(()));
        for g in [&line, &area, &pt, &pts, &mls] {
            check(g.clone(), Satuan::Unit, Ok(()));
            check(g.clone(), Satuan::Kk, Ok(()));
        }
        check(line.clone(), Satuan::M2, Err("satuan"));
        check(pt.clone(), Satuan::M, Err("satuan"));
        check(pts, Satuan::M2, Err("satuan"));
        check(area, Satuan::M, Err("satuan"));
    }

    #[test]
    fn bad_geometries_are_refused_with_the_reason() {
        let cases: Vec<(Geometry<f64>, &str)> = vec![
            (
                line_string![(x: 111.49, y: -7.57)].into(),
                "at least 2 points",
            ),
            (point!(x: f64::NAN, y: 0.0).into(), "not a finite number"),
            (point!(x: -7.57, y: 111.49).into(), "outside longitude"),
            (
                polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)]
                    .into(),
                "polygon 0, exterior ring",
            ),
            (
                Geometry::GeometryCollection(GeometryCollection(vec![])),
                "use a line, polygon or point",
            ),
            (
                Rect::new((0.0, 0.0), (1.0, 1.0)).into(),
                "a Rect cannot be a segment",
            ),
            (
                MultiPoint::<f64>::new(Vec::<Point<f64>>::new()).into(),
                "empty",
            ),
        ];
        for (g, expected) in cases {
            let e = Segmen::new(id(), "x", g, None, Satuan::Unit).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains("field `geometry`") && msg.contains(expected),
                "{msg}"
            );
        }
    }

    #[test]
    fn planned_volume_must_be_positive_when_given() {
        let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
        let e = Segmen::new(id(), "x", pt.clone(), Some(Volume::ZERO), Satuan::Unit).unwrap_err();
        assert!(e.to_string().contains("field `volume_rencana`"), "{e}");
        assert!(Segmen::new(id(), "x", pt.clone(), None, Satuan::Unit).is_ok());
        let e = Segmen::new(id(), " ", pt, None, Satuan::Unit).unwrap_err();
        assert!(e.to_string().contains("field `nama`"), "{e}");
    }

    #[test]
    fn geometry_is_measured_geodesically() {
        // 0.0009° of latitude is about 99.5 m near 7.6° S.
        let line: Geometry<f64> =
            line_string![(x: 111.49, y: -7.57), (x: 111.49, y: -7.5709)].into();
        let s = Segmen::new(id(), "x", line, Some(Volume::whole(100)), Satuan::M).unwrap();
        let Some(Terukur::PanjangM(m)) = s.measured() else {
            panic!("a line has a length")
        };
        assert!((m - 99.52).abs() < 0.1, "{m}");

        let sq: Geometry<f64> = polygon![(x: 111.49, y: -7.65), (x: 111.4909, y: -7.65),
                 (x: 111.4909, y: -7.6491), (x: 111.49, y: -7.6491)]
        .into();
        let s = Segmen::new(id(), "x", sq, None, Satuan::M2).unwrap();
        assert!((s.measured().unwrap().value() - 9_850.0).abs() < 150.0);
        let pt: Geometry<f64> = point!(x: 111.49, y: -7.57).into();
        assert!(
            Segmen::new(id(), "x", pt, None, Satuan::Kk)
                .unwrap()
                .measured()
                .is_none()
        );
    }

    #[test]
    fn volumes_round_to_thousandths_and_print_indonesian_style() {
        let cases = [
            (0.0, 0, "0"),
            (170.0, 170_000, "170"),
            (12.5, 12_500, "12,5"),
            (2_823.0, 2_823_000, "2.823"),
            (0.0004, 0, "0"),
            (0.0005, 1, "0,001"),
            (1_234_567.25, 1_234_567_250, "1.234.567,25"),
        ];
        for (f, milli, text) in cases {
            let v = Volume::from_f64(f).unwrap();
            assert_eq!(v.milli(), milli, "{f}");
            assert_eq!(v.to_string(), text, "{f}");
        }
        for bad in [-0.5, f64::NAN, f64::INFINITY, 1e17] {
            assert!(Volume::from_f64(bad).is_err(), "{bad}");
        }
        assert!(Volume::from_milli(-1).is_err());
        assert_eq!(
            serde_json::to_string(&Volume::from_f64(12.5).unwrap()).unwrap(),
            "12.5"
        );
    }

    #[test]
    fn criterion_codes_are_checked_and_normalised() {
        for (text, want) in [
            ("2b", Some("2b")),
            (" 7A ", Some("7a")),
            ("10c", Some("10c")),
        ] {
            assert_eq!(
                KodeKriteria::parse(text)
                    .ok()
                    .as_ref()
                    .map(KodeKriteria::as_str),
                want
            );
        }
        for bad in ["", "b", "2", "02b", "2bb", "123a", "2-b", "2é"] {
            assert!(KodeKriteria::parse(bad).is_err(), "{bad}");
        }
    }
}
