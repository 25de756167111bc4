//! Segments (segmen): the mapped pieces of a work, each with its own geometry, planned
//! volume and funding ledger.

use geo_types::Geometry;
use serde::{Deserialize, Serialize};

use super::dana::{Alokasi, Override, Progres, Realisasi, SegmenEntry};
use super::error::{Result, WorksError};
use super::kegiatan::{Pelaksana, StatusKegiatan};
use super::ledger::{EntryId, Ledger, LedgerEntry, Reversal};
use super::money::{Amount, Rupiah};
#[cfg(doc)]
use crate::geometry::MAX_VERTICES_DRAWN;
use crate::geometry::normalise_geometry_orientation;
use geometri::{check_rencana, check_stored_rencana, kind_of, measure};

mod geometri;
mod satuan;
#[cfg(test)]
mod tests;

pub use satuan::{GeometryKind, KodeKriteria, KondisiSegmen, Satuan, Terukur, Volume};

define_id! {
    /// The id of a segment, unique within its work (e.g. `S1`).
    SegmenId, "segmen id", crate::works::WorksError
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
    /// The geometry's geodesic length or area, measured once when the geometry is set
    /// and stored with it, so that reads do not measure (or check) large geometries again.
    #[serde(skip_serializing_if = "Option::is_none")]
    terukur: Option<Terukur>,
    /// Who carries out this segment, where not the work's executing body.
    pub pelaksana: Option<Pelaksana>,
    /// Condition of the thing improved, before the work.
    pub kondisi_sebelum: Option<KondisiSegmen>,
    /// Condition after the work.
    pub kondisi_sesudah: Option<KondisiSegmen>,
    /// Slum criteria this segment addresses (`2b`).
    pub kriteria: Vec<KodeKriteria>,
    /// Code of the slum location (lokasi kumuh) it lies in, where known.
    pub kode_lokasi: Option<String>,
    /// What the segment is expected to cost, for planning (budget scenarios) before any
    /// money is allocated; where absent, its allocations stand for its cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perkiraan_biaya_rp: Option<Rupiah>,
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
    /// Present on every segment written since measures are stored; its presence marks a
    /// geometry that passed [`Segmen::new`]'s checks when it was written.
    #[serde(default)]
    terukur: Option<Terukur>,
    pelaksana: Option<Pelaksana>,
    kondisi_sebelum: Option<KondisiSegmen>,
    kondisi_sesudah: Option<KondisiSegmen>,
    #[serde(default)]
    kriteria: Vec<KodeKriteria>,
    kode_lokasi: Option<String>,
    #[serde(default)]
    perkiraan_biaya_rp: Option<Rupiah>,
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
        // A stored measure means the geometry was checked and oriented when written: only
        // the linear checks run again (a damaged record must still not pass), not the
        // ring-crossing sweep nor the measure.
        let mut s = Segmen::build(
            d.id,
            d.nama,
            d.geometry,
            d.volume_rencana,
            d.satuan,
            d.terukur,
        )?;
        s.pelaksana = d.pelaksana;
        s.kondisi_sebelum = d.kondisi_sebelum;
        s.kondisi_sesudah = d.kondisi_sesudah;
        s.kriteria = d.kriteria;
        s.kode_lokasi = d.kode_lokasi;
        s.perkiraan_biaya_rp = d.perkiraan_biaya_rp;
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
    /// in EPSG:4326 of at most [`MAX_VERTICES_DRAWN`] vertices, the unit must fit it, and
    /// a planned volume, where known, must be more than zero. Polygons are kept in the
    /// RFC 7946 winding (exterior counter-clockwise), whatever winding they came in.
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
        Segmen::build(id, nama.into(), geometry, volume_rencana, satuan, None)
    }

    /// A segment from its parts. With `stored`, the measure kept beside a geometry that
    /// passed these checks when it was written: only the linear checks run again. Without
    /// it, the full checks run, and the geometry is oriented and measured.
    fn build(
        id: SegmenId,
        nama: String,
        mut geometry: Geometry<f64>,
        volume_rencana: Option<Volume>,
        satuan: Satuan,
        stored: Option<Terukur>,
    ) -> Result<Segmen> {
        let label = format!("segmen `{id}`");
        if nama.trim().is_empty() {
            return Err(WorksError::field(&label, "nama", "a segment needs a name"));
        }
        let terukur = match stored {
            Some(t) => {
                check_stored_rencana(&label, &geometry, volume_rencana, satuan, t)?;
                Some(t)
            }
            None => {
                check_rencana(&label, &geometry, volume_rencana, satuan)?;
                normalise_geometry_orientation(&mut geometry);
                measure(&geometry)
            }
        };
        Ok(Segmen {
            id,
            nama,
            geometry,
            volume_rencana,
            satuan,
            terukur,
            pelaksana: None,
            kondisi_sebelum: None,
            kondisi_sesudah: None,
            kriteria: Vec::new(),
            kode_lokasi: None,
            perkiraan_biaya_rp: None,
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
        // The geometry was checked when it was set; its type alone tells the kind.
        kind_of(&self.geometry).unwrap_or(GeometryKind::Titik)
    }

    /// Replaces geometry, planned volume and unit together, with the same checks as
    /// [`Segmen::new`]. The ledger is kept: its volumes are in the old unit, so changing
    /// the unit of a segment with progress entries is refused.
    pub fn set_rencana(
        &mut self,
        mut geometry: Geometry<f64>,
        volume_rencana: Option<Volume>,
        satuan: Satuan,
    ) -> Result<()> {
        let label = self.label();
        check_rencana(&label, &geometry, volume_rencana, satuan)?;
        normalise_geometry_orientation(&mut geometry);
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
        self.terukur = measure(&geometry);
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
        let record = self.label();
        self.status.change_to(to, &record)
    }

    /// The geodesic length (lines) or area (polygons) of the geometry; `None` for points.
    pub fn measured(&self) -> Option<Terukur> {
        self.terukur
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
