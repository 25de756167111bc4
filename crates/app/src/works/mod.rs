//! Works (kegiatan): creating and changing a work, its segments, their funding ledgers
//! and the maintenance group's cash book.
//!
//! Every change loads the work, checks that the acting user may change it, applies the
//! change through the domain rules, evaluates the slum locations of segments it
//! finished, and saves it with its audit lines on the version it was loaded at. A
//! command that names the version it was read at (`expected`) fails with
//! [`AppError::Stale`] when someone changed the work since; without one the change is
//! applied on the newest version, retried when another write wins the race, so
//! concurrent changes never lose one another's entries.

mod evaluate;

use std::collections::BTreeMap;

use kumuh_domain::works::{
    Alokasi, Anggota, AturanIuran, Belanja, EntryId, Iuran, JenisKegiatan, Kegiatan, KegiatanId,
    KegiatanSummary, KodeKriteria, KondisiSegmen, Kpp, Pelaksana, Progres, Realisasi, Reversal,
    Rupiah, Satuan, Segmen, SegmenId, StatusKegiatan, SumberDana, Tanggal, Volume, WorksError,
};
use kumuh_domain::{Action, Kode, User};
use kumuh_store::{KegiatanWrite, NewAudit, StoreError, StoredKegiatan};
use serde::Serialize;
use serde_json::{Value, json};

pub use self::evaluate::{EvaluasiLokasi, JaringanBaru, Skor};
pub(crate) use self::evaluate::{Evaluated, evaluate};
use crate::{AppError, Atlas, Result, authorize};

/// How often a change without an expected version is retried when other writes keep
/// winning.
const MAX_ATTEMPTS: usize = 50;

/// A work with everything computed from it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KegiatanDetail {
    /// Version: send it back as `If-Match` to change the work only if nobody else has.
    pub versi: i64,
    /// When it last changed.
    pub diubah: String,
    /// The work whole: segments with their ledgers, the maintenance group. For callers
    /// who may not see personal data of its desa ([`crate::personal`]), an override's
    /// `oleh` is the approver's role and organisation (`lkm Bibrik`) and each member
    /// household's `nama` and `rt` are `null`.
    #[schema(value_type = Object)]
    pub kegiatan: Value,
    /// Totals and shares per source, progress and cost per unit, per segment and in all.
    #[schema(value_type = Object)]
    pub ringkasan: KegiatanSummary,
    /// The main funding source per segment id.
    #[schema(value_type = Object)]
    pub sumber_utama: BTreeMap<String, Option<SumberDana>>,
    /// Balance of the maintenance group's cash book, rupiah.
    pub saldo_kpp_rp: Option<i64>,
    /// Warnings about the change just made (a segment outside its desa).
    pub peringatan: Vec<String>,
    /// Slum locations evaluated again because a segment was finished in this change.
    pub evaluasi: Vec<EvaluasiLokasi>,
}

async fn load(atlas: &Atlas, id: &str) -> Result<StoredKegiatan> {
    atlas
        .store
        .kegiatan(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no kegiatan {id}")))
}

/// The user, if allowed to change the works of `kode_desa`.
fn may_edit(user: Option<&User>, kode_desa: &Kode) -> Result<User> {
    authorize(
        user,
        &Action::EditKegiatan {
            kode_desa: kode_desa.clone(),
        },
    )
}

fn detail(
    stored: StoredKegiatan,
    peringatan: Vec<String>,
    evaluasi: Vec<EvaluasiLokasi>,
) -> Result<KegiatanDetail> {
    let ringkasan = stored.kegiatan.summary()?;
    let sumber_utama = ringkasan
        .segmen
        .iter()
        .map(|s| (s.segmen.to_string(), s.sumber_utama()))
        .collect();
    let saldo_kpp_rp = match &stored.kegiatan.kpp {
        Some(k) => Some(k.saldo()?.get()),
        None => None,
    };
    Ok(KegiatanDetail {
        versi: stored.versi,
        diubah: stored.diubah,
        kegiatan: serde_json::to_value(&stored.kegiatan).map_err(AppError::internal)?,
        ringkasan,
        sumber_utama,
        saldo_kpp_rp,
        peringatan,
        evaluasi,
    })
}

/// One work whole, with its summary; personal data in it only for callers who may see
/// that of its desa.
pub async fn get(atlas: &Atlas, user: Option<&User>, id: &str) -> Result<KegiatanDetail> {
    let stored = load(atlas, id).await?;
    let open = crate::personal::sees(user, Some(stored.kegiatan.kode_desa()));
    let mut d = detail(stored, vec![], vec![])?;
    if !open {
        crate::personal::Labels::new(atlas.store.as_ref())
            .redact(&mut d.kegiatan)
            .await?;
    }
    Ok(d)
}

/// What one change did, besides changing the work.
#[derive(Debug, Default)]
struct Change {
    /// Audit lines (the user is filled in later).
    audit: Vec<NewAudit>,
    /// Warnings for the caller.
    peringatan: Vec<String>,
    /// Segments finished by this change, with the date.
    selesai: Vec<(SegmenId, Tanggal)>,
}

impl Change {
    fn line(
        entitas: &str,
        kunci: String,
        aksi: &str,
        sebelum: Option<Value>,
        sesudah: Option<Value>,
    ) -> Change {
        Change {
            audit: vec![NewAudit {
                pengguna: String::new(),
                entitas: entitas.into(),
                kunci,
                aksi: aksi.into(),
                sebelum,
                sesudah,
            }],
            ..Change::default()
        }
    }
}

/// Loads, authorizes, applies `apply`, evaluates finished segments and saves, retrying
/// on a lost race unless the caller named a version.
///
/// `apply` runs on the blocking pool, not on an async worker: it checks geometry (a
/// segment may carry tens of thousands of vertices) and re-measures, so one large change
/// does not hold up other requests.
async fn change<F>(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    apply: F,
) -> Result<KegiatanDetail>
where
    F: Fn(&mut Kegiatan) -> Result<Change> + Send + Sync + 'static,
{
    let apply = std::sync::Arc::new(apply);
    for _ in 0..MAX_ATTEMPTS {
        let stored = load(atlas, id).await?;
        let who = may_edit(user, stored.kegiatan.kode_desa())?;
        crate::versioned::check(|| format!("kegiatan {id}"), expected, stored.versi)?;
        let (apply, mut k) = (std::sync::Arc::clone(&apply), stored.kegiatan.clone());
        let (k, mut ch) = crate::blocking(move || {
            let ch = apply(&mut k)?;
            Ok((k, ch))
        })
        .await?;
        if k.kode_desa() != stored.kegiatan.kode_desa() {
            may_edit(user, k.kode_desa())?;
            crate::places::check_desa(atlas, k.kode_desa(), "kode_desa").await?;
        }
        let Evaluated {
            penilaian,
            evaluasi,
            audit: mut lines,
            kondisi_jaringan,
            ruas,
        } = evaluate(atlas, &k, &ch.selesai).await?;
        ch.audit.append(&mut lines);
        for a in &mut ch.audit {
            a.pengguna.clone_from(&who.username);
        }
        let write = KegiatanWrite {
            kegiatan: &k,
            versi: Some(stored.versi),
            audit: ch.audit,
            penilaian,
            kondisi_jaringan,
        };
        match atlas.store.save_kegiatan(&write).await {
            Ok(versi) => {
                tracing::info!(user = %who.username, kegiatan = id, versi, "work changed");
                atlas.tiles.kegiatan_changed(&k);
                atlas.tiles.jaringan_changed(&ruas);
                for r in &write.penilaian {
                    if let Err(e) = atlas
                        .tiles
                        .lokasi_changed(atlas.store.as_ref(), &r.kode_lokasi)
                        .await
                    {
                        tracing::warn!(error = %e, lokasi = %r.kode_lokasi, "refreshing the slum-location tiles");
                    }
                }
                let saved = atlas
                    .store
                    .kegiatan(id)
                    .await?
                    .filter(|s| s.versi == versi)
                    .unwrap_or(StoredKegiatan {
                        kegiatan: k,
                        versi,
                        diubah: String::new(),
                    });
                return detail(saved, ch.peringatan, evaluasi);
            }
            Err(StoreError::Stale { .. }) if expected.is_none() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Conflict {
        code: "busy",
        message: format!("kegiatan {id} is being changed by many requests at once; try again"),
    })
}

/// A warning when a segment's geometry is not inside its desa.
fn outside_warning(desa: &kumuh_domain::Place, segmen: &Segmen) -> Option<String> {
    let boundary = desa.geometry.as_ref()?;
    if kumuh_domain::geometry::lies_within(boundary, segmen.geometry()) {
        None
    } else {
        Some(format!(
            "{} is not wholly inside desa {} ({}); check its geometry",
            segmen.label(),
            desa.nama,
            desa.kode
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Works

/// A new work.
#[derive(Debug, Clone)]
pub struct CreateKegiatan {
    /// The id chosen by the caller; one is made when `None`.
    pub id: Option<String>,
    /// Name.
    pub nama: String,
    /// Type.
    pub jenis: JenisKegiatan,
    /// The desa it is in.
    pub kode_desa: Kode,
    /// Year.
    pub tahun: u16,
    /// Who carries it out.
    pub pelaksana: Pelaksana,
    /// Notes.
    pub keterangan: Option<String>,
    /// Illustrative (contoh), not surveyed.
    pub contoh: bool,
}

/// Creates a work in a desa.
pub async fn create(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: CreateKegiatan,
) -> Result<KegiatanDetail> {
    let who = may_edit(user, &cmd.kode_desa)?;
    let id = KegiatanId::new(crate::new_id(cmd.id, "K", &cmd.kode_desa)?)?;
    crate::places::check_desa(atlas, &cmd.kode_desa, "kode_desa").await?;
    let mut k = Kegiatan::new(
        id,
        cmd.nama,
        cmd.jenis,
        cmd.kode_desa,
        cmd.tahun,
        cmd.pelaksana,
    )?;
    k.keterangan = cmd.keterangan;
    k.contoh = cmd.contoh;
    atlas
        .store
        .save_kegiatan(&KegiatanWrite {
            kegiatan: &k,
            versi: None,
            audit: vec![NewAudit {
                pengguna: who.username.clone(),
                entitas: "kegiatan".into(),
                kunci: k.id().to_string(),
                aksi: "buat".into(),
                sebelum: None,
                sesudah: Some(json!(k)),
            }],
            penilaian: vec![],
            kondisi_jaringan: vec![],
        })
        .await?;
    atlas.tiles.kegiatan_changed(&k);
    let stored = atlas
        .store
        .kegiatan(k.id().as_str())
        .await?
        .ok_or_else(|| AppError::internal("the new work was not found after saving"))?;
    detail(stored, vec![], vec![])
}

/// The work without its segments and group, for the audit log.
fn header_json(k: &Kegiatan) -> Value {
    let mut v = json!(k);
    if let Some(o) = v.as_object_mut() {
        o.remove("segmen");
        o.remove("kpp");
    }
    v
}

/// Only the keys whose values differ, before and after.
fn diff(before: &Value, after: &Value) -> (Value, Value) {
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (before.as_object(), after.as_object()) {
        for (key, av) in ao {
            let bv = bo.get(key).unwrap_or(&Value::Null);
            if bv != av {
                b.insert(key.clone(), bv.clone());
                a.insert(key.clone(), av.clone());
            }
        }
    }
    (Value::Object(b), Value::Object(a))
}

/// A change of a work's header; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UpdateKegiatan {
    /// New name.
    pub nama: Option<String>,
    /// New type.
    pub jenis: Option<JenisKegiatan>,
    /// New desa.
    pub kode_desa: Option<Kode>,
    /// New year.
    pub tahun: Option<u16>,
    /// New stage.
    pub status: Option<StatusKegiatan>,
    /// New executing body.
    pub pelaksana: Option<Pelaksana>,
    /// New notes (`Some(None)` clears them).
    pub keterangan: Option<Option<String>>,
    /// New illustrative mark.
    pub contoh: Option<bool>,
}

/// Changes a work's header, on version `expected` when given.
pub async fn update(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    cmd: UpdateKegiatan,
) -> Result<KegiatanDetail> {
    change(atlas, user, id, expected, move |k| {
        let before = header_json(k);
        if let Some(n) = &cmd.nama {
            k.nama.clone_from(n);
        }
        if let Some(j) = cmd.jenis {
            k.jenis = j;
        }
        if let Some(d) = &cmd.kode_desa {
            k.set_kode_desa(d.clone())?;
        }
        if let Some(t) = cmd.tahun {
            k.set_tahun(t)?;
        }
        if let Some(s) = cmd.status {
            k.set_status(s)?;
        }
        if let Some(p) = &cmd.pelaksana {
            k.pelaksana = p.clone();
        }
        if let Some(ket) = &cmd.keterangan {
            k.keterangan.clone_from(ket);
        }
        if let Some(c) = cmd.contoh {
            k.contoh = c;
        }
        let (sebelum, sesudah) = diff(&before, &header_json(k));
        Ok(Change::line(
            "kegiatan",
            k.id().to_string(),
            "ubah",
            Some(sebelum),
            Some(sesudah),
        ))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Segments

/// The segment without its ledger, for the audit log.
fn segmen_json(s: &Segmen) -> Value {
    let mut v = json!(s);
    if let Some(o) = v.as_object_mut() {
        o.remove("buku");
    }
    v
}

async fn check_lokasi(atlas: &Atlas, kode: Option<&String>) -> Result<()> {
    if let Some(kode) = kode
        && atlas.store.lokasi(kode).await?.is_none()
    {
        return Err(AppError::invalid(
            "kode_lokasi",
            format!("no slum location {kode} in the atlas"),
        ));
    }
    Ok(())
}

async fn desa_of(atlas: &Atlas, id: &str) -> Result<Option<kumuh_domain::Place>> {
    let stored = load(atlas, id).await?;
    Ok(atlas.store.place(stored.kegiatan.kode_desa()).await?)
}

/// A new segment of a work.
#[derive(Debug, Clone)]
pub struct AddSegmen {
    /// The id chosen by the caller; `S1`, `S2` … when `None`.
    pub id: Option<String>,
    /// Name.
    pub nama: String,
    /// Where (EPSG:4326).
    pub geometry: geo_types::Geometry<f64>,
    /// Unit of its volume.
    pub satuan: Satuan,
    /// Planned volume.
    pub volume_rencana: Option<Volume>,
    /// Condition before the work.
    pub kondisi_sebelum: Option<KondisiSegmen>,
    /// Condition after the work.
    pub kondisi_sesudah: Option<KondisiSegmen>,
    /// Slum criteria it improves.
    pub kriteria: Vec<KodeKriteria>,
    /// The slum location it lies in.
    pub kode_lokasi: Option<String>,
    /// Its estimated cost, for budget scenarios.
    pub perkiraan_biaya_rp: Option<Rupiah>,
    /// Notes.
    pub keterangan: Option<String>,
    /// Who carries it out, when not the work's executing body.
    pub pelaksana: Option<Pelaksana>,
}

/// Adds a segment to work `id`; a segment outside the work's desa is a warning.
pub async fn add_segmen(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    cmd: AddSegmen,
) -> Result<KegiatanDetail> {
    check_lokasi(atlas, cmd.kode_lokasi.as_ref()).await?;
    let desa = desa_of(atlas, id).await?;
    change(atlas, user, id, expected, move |k| {
        let sid = match &cmd.id {
            Some(s) => SegmenId::new(s.clone())?,
            None => SegmenId::new(format!("S{}", k.segmen().len() + 1))?,
        };
        let mut s = Segmen::new(
            sid,
            cmd.nama.clone(),
            cmd.geometry.clone(),
            cmd.volume_rencana,
            cmd.satuan,
        )?;
        s.kondisi_sebelum = cmd.kondisi_sebelum;
        s.kondisi_sesudah = cmd.kondisi_sesudah;
        s.kriteria.clone_from(&cmd.kriteria);
        s.kode_lokasi.clone_from(&cmd.kode_lokasi);
        s.perkiraan_biaya_rp = cmd.perkiraan_biaya_rp;
        s.keterangan.clone_from(&cmd.keterangan);
        s.pelaksana.clone_from(&cmd.pelaksana);
        let mut ch = Change::line(
            "segmen",
            format!("{}/{}", k.id(), s.id()),
            "buat",
            None,
            Some(segmen_json(&s)),
        );
        ch.peringatan
            .extend(desa.as_ref().and_then(|d| outside_warning(d, &s)));
        k.add_segmen(s)?;
        Ok(ch)
    })
    .await
}

/// Today in UTC, the default date of a completion.
fn today() -> Option<Tanggal> {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs() / 86_400).ok())?;
    Tanggal::from_day_number(days)
}

/// A change of a segment; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct UpdateSegmen {
    /// New name.
    pub nama: Option<String>,
    /// New stage; `selesai` evaluates the segment's slum location.
    pub status: Option<StatusKegiatan>,
    /// The date it was finished (default today).
    pub tanggal_selesai: Option<Tanggal>,
    /// Condition before.
    pub kondisi_sebelum: Option<Option<KondisiSegmen>>,
    /// Condition after.
    pub kondisi_sesudah: Option<Option<KondisiSegmen>>,
    /// Criteria improved.
    pub kriteria: Option<Vec<KodeKriteria>>,
    /// The slum location.
    pub kode_lokasi: Option<Option<String>>,
    /// Estimated cost.
    pub perkiraan_biaya_rp: Option<Option<Rupiah>>,
    /// Notes.
    pub keterangan: Option<Option<String>>,
    /// Who carries it out.
    pub pelaksana: Option<Pelaksana>,
    /// New geometry (EPSG:4326).
    pub geometry: Option<geo_types::Geometry<f64>>,
    /// New planned volume.
    pub volume_rencana: Option<Option<Volume>>,
    /// New unit.
    pub satuan: Option<Satuan>,
}

/// Changes segment `segmen` of work `id`. Finishing it (status `selesai`) marks the
/// improved thing `baik` unless `kondisi_sesudah` says otherwise, and records a new
/// evaluation of its slum location.
pub async fn update_segmen(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    segmen: &SegmenId,
    expected: Option<i64>,
    cmd: UpdateSegmen,
) -> Result<KegiatanDetail> {
    let sid = segmen.clone();
    check_lokasi(atlas, cmd.kode_lokasi.as_ref().and_then(Option::as_ref)).await?;
    let desa = desa_of(atlas, id).await?;
    change(atlas, user, id, expected, move |k| {
        let key = format!("{}/{sid}", k.id());
        let s = k.segmen_mut(&sid)?;
        let before = segmen_json(s);
        let was = s.status();
        if let Some(n) = &cmd.nama {
            s.nama.clone_from(n);
        }
        if let Some(v) = cmd.kondisi_sebelum {
            s.kondisi_sebelum = v;
        }
        if let Some(v) = cmd.kondisi_sesudah {
            s.kondisi_sesudah = v;
        }
        if let Some(c) = &cmd.kriteria {
            s.kriteria.clone_from(c);
        }
        if let Some(l) = &cmd.kode_lokasi {
            s.kode_lokasi.clone_from(l);
        }
        if let Some(p) = cmd.perkiraan_biaya_rp {
            s.perkiraan_biaya_rp = p;
        }
        if let Some(ket) = &cmd.keterangan {
            s.keterangan.clone_from(ket);
        }
        if let Some(p) = &cmd.pelaksana {
            s.pelaksana = Some(p.clone());
        }
        if cmd.geometry.is_some() || cmd.volume_rencana.is_some() || cmd.satuan.is_some() {
            s.set_rencana(
                cmd.geometry.clone().unwrap_or_else(|| s.geometry().clone()),
                cmd.volume_rencana.unwrap_or_else(|| s.volume_rencana()),
                cmd.satuan.unwrap_or(s.satuan()),
            )?;
        }
        let mut selesai = Vec::new();
        if let Some(st) = cmd.status {
            s.set_status(st)?;
            if st == StatusKegiatan::Selesai && was != StatusKegiatan::Selesai {
                if s.kondisi_sesudah.is_none() {
                    s.kondisi_sesudah = Some(KondisiSegmen::Baik);
                }
                let tanggal = cmd
                    .tanggal_selesai
                    .or_else(today)
                    .ok_or_else(|| AppError::invalid("tanggal_selesai", "is required"))?;
                selesai.push((sid.clone(), tanggal));
            }
        }
        let (b4, after) = diff(&before, &segmen_json(s));
        let mut ch = Change::line("segmen", key, "ubah", Some(b4), Some(after));
        if cmd.geometry.is_some() {
            ch.peringatan
                .extend(desa.as_ref().and_then(|d| outside_warning(d, s)));
        }
        ch.selesai = selesai;
        Ok(ch)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Ledgers

fn totals(s: &Segmen) -> Value {
    match s.summary() {
        Ok(sum) => json!({
            "alokasi": sum.alokasi, "realisasi_rp": sum.realisasi_rp,
            "volume_realisasi": sum.volume_realisasi.as_f64(),
        }),
        Err(e) => json!({"error": e.to_string()}),
    }
}

/// An entry of a segment's ledger.
#[derive(Debug, Clone)]
pub enum SegmenEntry {
    /// An allocation of funds.
    Alokasi(Alokasi),
    /// Spending from an allocation.
    Realisasi(Realisasi),
    /// Physical progress.
    Progres(Progres),
    /// The reversal of an earlier entry (nothing with money is erased).
    Batal(Reversal),
}

/// Records `entry` in the ledger of segment `segmen` of work `id` and logs it with the
/// totals before and after.
pub async fn record_segmen(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    segmen: &SegmenId,
    expected: Option<i64>,
    entry: SegmenEntry,
) -> Result<KegiatanDetail> {
    match entry {
        SegmenEntry::Alokasi(a) => {
            ledger(
                atlas,
                user,
                id,
                segmen,
                expected,
                "alokasi",
                a,
                Segmen::allocate,
            )
            .await
        }
        SegmenEntry::Realisasi(r) => {
            let record = Segmen::record_realisasi;
            ledger(atlas, user, id, segmen, expected, "realisasi", r, record).await
        }
        SegmenEntry::Progres(p) => {
            let record = Segmen::record_progres;
            ledger(atlas, user, id, segmen, expected, "progres", p, record).await
        }
        SegmenEntry::Batal(r) => {
            ledger(
                atlas,
                user,
                id,
                segmen,
                expected,
                "batal",
                r,
                Segmen::reverse,
            )
            .await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn ledger<T: Clone + Serialize + Send + Sync + 'static>(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    sid: &SegmenId,
    expected: Option<i64>,
    aksi: &'static str,
    entry: T,
    record: impl Fn(&mut Segmen, T) -> Result<EntryId, WorksError> + Send + Sync + 'static,
) -> Result<KegiatanDetail> {
    let sid = sid.clone();
    change(atlas, user, id, expected, move |k| {
        let key = format!("{}/{sid}", k.id());
        let s = k.segmen_mut(&sid)?;
        let before = totals(s);
        let entri = record(s, entry.clone())?;
        Ok(Change::line(
            "segmen",
            key,
            aksi,
            Some(before),
            Some(json!({"entri": entri.0, "isi": entry, "total": totals(s)})),
        ))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Maintenance group

/// The maintenance group (KPP) of a work, formed or changed; its cash book is kept.
#[derive(Debug, Clone)]
pub struct PutKpp {
    /// Name.
    pub nama: String,
    /// How dues are collected.
    pub aturan_iuran: AturanIuran,
    /// Members (`None` keeps them).
    pub anggota: Option<Vec<Anggota>>,
    /// Notes.
    pub keterangan: Option<String>,
    /// Illustrative mark (`None` keeps it).
    pub contoh: Option<bool>,
}

fn kpp_json(k: &Kpp) -> Value {
    let mut v = json!(k);
    if let Some(o) = v.as_object_mut() {
        o.remove("kas");
        o.insert("jumlah_anggota".into(), json!(k.anggota.len()));
        o.remove("anggota");
    }
    v
}

/// Forms or changes the maintenance group of work `id`.
pub async fn put_kpp(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    cmd: PutKpp,
) -> Result<KegiatanDetail> {
    change(atlas, user, id, expected, move |k| {
        let before = k.kpp.as_ref().map(kpp_json);
        let mut kpp = match k.kpp.take() {
            Some(mut kpp) => {
                kpp.nama.clone_from(&cmd.nama);
                kpp.set_aturan_iuran(cmd.aturan_iuran)?;
                kpp
            }
            None => Kpp::new(cmd.nama.clone(), cmd.aturan_iuran)?,
        };
        if let Some(a) = &cmd.anggota {
            kpp.anggota.clone_from(a);
        }
        kpp.keterangan.clone_from(&cmd.keterangan);
        if let Some(c) = cmd.contoh {
            kpp.contoh = c;
        }
        let after = kpp_json(&kpp);
        k.kpp = Some(kpp);
        Ok(Change::line(
            "kpp",
            k.id().to_string(),
            if before.is_some() { "ubah" } else { "buat" },
            before,
            Some(after),
        ))
    })
    .await
}

/// An entry of the maintenance group's cash book.
#[derive(Debug, Clone)]
pub enum KasEntry {
    /// Dues collected.
    Iuran(Iuran),
    /// Maintenance spending.
    Belanja(Belanja),
    /// The reversal of an earlier entry.
    Batal(Reversal),
}

/// Records `entry` in the cash book of the maintenance group of work `id` and logs it
/// with the balance before and after.
pub async fn record_kas(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    entry: KasEntry,
) -> Result<KegiatanDetail> {
    match entry {
        KasEntry::Iuran(i) => kas(atlas, user, id, expected, "iuran", i, Kpp::record_iuran).await,
        KasEntry::Belanja(b) => {
            kas(atlas, user, id, expected, "belanja", b, Kpp::record_belanja).await
        }
        KasEntry::Batal(r) => kas(atlas, user, id, expected, "batal", r, Kpp::reverse).await,
    }
}

async fn kas<T: Clone + Serialize + Send + Sync + 'static>(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Option<i64>,
    aksi: &'static str,
    entry: T,
    record: impl Fn(&mut Kpp, T) -> Result<EntryId, WorksError> + Send + Sync + 'static,
) -> Result<KegiatanDetail> {
    change(atlas, user, id, expected, move |k| {
        let key = k.id().to_string();
        let kpp = k.kpp.as_mut().ok_or_else(|| {
            AppError::rule(format!(
                "kegiatan {key} has no maintenance group yet; form it with PUT /api/kegiatan/{key}/kpp"
            ))
        })?;
        let before = kpp.saldo()?;
        let entri = record(kpp, entry.clone())?;
        Ok(Change::line(
            "kpp",
            key,
            aksi,
            Some(json!({"saldo_rp": before})),
            Some(json!({"entri": entri.0, "isi": entry, "saldo_rp": kpp.saldo()?})),
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_keeps_only_what_changed() {
        let (b, a) = diff(&json!({"x": 1, "y": 2}), &json!({"x": 1, "y": 3, "z": 4}));
        assert_eq!(b, json!({"y": 2, "z": null}));
        assert_eq!(a, json!({"y": 3, "z": 4}));
    }
}
