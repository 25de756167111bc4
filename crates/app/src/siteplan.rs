//! Siteplans of desa: reading one (any version) with the features lying outside its desa,
//! creating one, saving a new version of its features, restoring an earlier version,
//! changing title or status, and exporting it.
//!
//! A siteplan is a versioned record like a work: every change names what it was read at.
//! [`Expected::revisi`] is the record's revision (the ETag, sent back as `If-Match`);
//! [`Expected::versi`], the siteplan's own version number sent in the body, is the older
//! way and is still accepted. When both are given both must be current: the change is
//! refused (409) if either is stale.

use kumuh_domain::siteplan::{
    Fitur, FiturDraft, Siteplan, SiteplanBaru, SiteplanId, StatusSiteplan, fitur_from_drafts,
};
use kumuh_domain::{Action, Kode, User};
use kumuh_store::{NewAudit, SiteplanWrite, StoredSiteplan};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{AppError, Atlas, Result, authorize};

/// Now, as RFC 3339 UTC (`2026-11-28T03:04:05Z`).
fn now_rfc3339() -> String {
    let secs = crate::users::now_unix();
    let day = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    let date = kumuh_domain::works::Tanggal::from_day_number(day)
        .map_or_else(|| "1970-01-01".to_owned(), |d| d.to_string());
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

/// A siteplan's features as GeoJSON, with their geodesic size.
fn fitur_collection(fitur: &[Fitur]) -> Value {
    let features: Vec<Value> = fitur
        .iter()
        .map(|f| {
            json!({
                "type": "Feature",
                "id": f.id.as_str(),
                "properties": {
                    "id": f.id.as_str(), "kategori": f.kategori.as_str(),
                    "label": f.label, "catatan": f.catatan, "ukuran": f.ukuran(),
                    "warna": f.kategori.simbol().warna,
                },
                "geometry": kumuh_io::geojson::geometry_json(&f.geometry),
            })
        })
        .collect();
    kumuh_io::geojson::feature_collection(features)
}

/// One version in a siteplan's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersiInfo {
    /// Version number, from 1.
    pub versi: u32,
    /// Who saved it: the username for callers who may see personal data of the desa
    /// (its `lkm`, the kabupaten, admins), otherwise role and organisation
    /// (`lkm Bibrik`).
    pub dibuat_oleh: String,
    /// When (RFC 3339).
    pub waktu: String,
    /// The saver's note.
    pub catatan: Option<String>,
    /// The version it restored, if it is a restore.
    pub dipulihkan_dari: Option<u32>,
    /// Number of features.
    pub jumlah_fitur: usize,
}

/// A siteplan as the viewer needs it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SiteplanDetail {
    /// Id.
    pub id: String,
    /// Desa code.
    pub kode_desa: String,
    /// Title.
    pub judul: String,
    /// `draf`, `diusulkan` or `ditetapkan`.
    pub status: String,
    /// Illustrative (contoh), not an adopted plan.
    pub contoh: bool,
    /// Notes.
    pub keterangan: Option<String>,
    /// The version shown (the current one unless asked).
    pub versi: u32,
    /// The current version.
    pub versi_terkini: u32,
    /// Revision of the record, also its ETag: send it back as `If-Match` with a change.
    pub revisi: i64,
    /// The features of `versi`, as GeoJSON.
    #[schema(value_type = Object)]
    pub fitur: Value,
    /// Every version, oldest first.
    pub riwayat: Vec<VersiInfo>,
    /// Features lying outside the desa (warnings, shown on the map): a list.
    #[schema(value_type = Vec<Object>)]
    pub di_luar_desa: Value,
}

async fn load(atlas: &Atlas, id: &str) -> Result<StoredSiteplan> {
    atlas
        .store
        .siteplan(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no siteplan {id}")))
}

async fn detail(
    atlas: &Atlas,
    stored: &StoredSiteplan,
    versi: Option<u32>,
) -> Result<SiteplanDetail> {
    let sp = &stored.siteplan;
    let shown = match versi {
        Some(n) => sp.version(n).ok_or_else(|| {
            AppError::NotFound(format!(
                "siteplan {} has no version {n} (it has 1 to {})",
                sp.id(),
                sp.current_versi()
            ))
        })?,
        None => sp.current(),
    };
    let outside = match atlas.store.place(sp.kode_desa()).await? {
        Some(desa) => desa
            .geometry
            .map(|g| kumuh_domain::siteplan::outside_desa(&g, &shown.fitur))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let di_luar_desa = Value::Array(
        outside
            .iter()
            .map(|o| json!({"id": o.id.as_str(), "index": o.index, "luar": o.luar, "pesan": o.to_string()}))
            .collect(),
    );
    Ok(SiteplanDetail {
        id: sp.id().to_string(),
        kode_desa: sp.kode_desa().to_string(),
        judul: sp.judul().to_owned(),
        status: sp.status().as_str().to_owned(),
        contoh: sp.contoh(),
        keterangan: sp.keterangan().map(str::to_owned),
        versi: shown.versi,
        versi_terkini: sp.current_versi(),
        revisi: stored.revisi,
        fitur: fitur_collection(&shown.fitur),
        riwayat: sp
            .versions()
            .iter()
            .map(|v| VersiInfo {
                versi: v.versi,
                dibuat_oleh: v.dibuat_oleh.clone(),
                waktu: v.waktu.clone(),
                catatan: v.catatan.clone(),
                dipulihkan_dari: v.dipulihkan_dari,
                jumlah_fitur: v.fitur.len(),
            })
            .collect(),
        di_luar_desa,
    })
}

/// Siteplan `id` with the features of its current version (or of `versi`), its history
/// and the features lying outside its desa; who saved each version is a username only
/// for callers who may see personal data of its desa.
pub async fn get(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    versi: Option<u32>,
) -> Result<SiteplanDetail> {
    let stored = load(atlas, id).await?;
    let mut d = detail(atlas, &stored, versi).await?;
    if !crate::personal::sees(user, Some(stored.siteplan.kode_desa())) {
        let mut labels = crate::personal::Labels::new(atlas.store.as_ref());
        for v in &mut d.riwayat {
            v.dibuat_oleh = labels.label(&v.dibuat_oleh).await?;
        }
    }
    Ok(d)
}

/// The user, if allowed to change the siteplans of `kode_desa`.
fn may_edit(user: Option<&User>, kode_desa: &Kode) -> Result<User> {
    authorize(
        user,
        &Action::EditSiteplan {
            kode_desa: kode_desa.clone(),
        },
    )
}

/// Saves a change on the revision it was made on and logs it; answers the new revision.
async fn save(
    atlas: &Atlas,
    user: &User,
    stored: Option<&StoredSiteplan>,
    sp: &Siteplan,
    aksi: &str,
    sesudah: Value,
) -> Result<i64> {
    let revisi = atlas
        .store
        .save_siteplan(&SiteplanWrite {
            siteplan: sp,
            revisi: stored.map(|s| s.revisi),
            audit: vec![NewAudit {
                pengguna: user.username.clone(),
                entitas: "siteplan".into(),
                kunci: sp.id().to_string(),
                aksi: aksi.into(),
                sebelum: stored.map(|s| {
                    json!({"versi": s.siteplan.current_versi(), "status": s.siteplan.status().as_str(),
                           "judul": s.siteplan.judul()})
                }),
                sesudah: Some(sesudah),
            }],
        })
        .await?;
    tracing::info!(user = %user.username, siteplan = %sp.id(), aksi, "siteplan changed");
    Ok(revisi)
}

/// A new siteplan.
#[derive(Debug, Clone)]
pub struct CreateSiteplan {
    /// The id chosen by the caller; one is made when `None`.
    pub id: Option<String>,
    /// The desa it plans.
    pub kode_desa: Kode,
    /// Title.
    pub judul: String,
    /// Notes.
    pub keterangan: Option<String>,
    /// Illustrative (contoh).
    pub contoh: bool,
    /// The note of version 1.
    pub catatan: Option<String>,
    /// The features of version 1.
    pub fitur: Vec<FiturDraft>,
}

/// Creates a siteplan for a desa.
pub async fn create(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: CreateSiteplan,
) -> Result<SiteplanDetail> {
    let who = may_edit(user, &cmd.kode_desa)?;
    crate::places::check_desa(atlas, &cmd.kode_desa, "kode_desa").await?;
    let id = SiteplanId::new(crate::new_id(cmd.id, "SP", &cmd.kode_desa)?)?;
    let username = who.username.clone();
    // The features' checks grow with the geometry posted.
    let sp = crate::blocking(move || {
        let fitur = fitur_from_drafts(&id, cmd.fitur)?;
        Ok(Siteplan::new(
            SiteplanBaru {
                id,
                kode_desa: cmd.kode_desa,
                judul: cmd.judul,
                keterangan: cmd.keterangan,
                contoh: cmd.contoh,
            },
            fitur,
            &username,
            &now_rfc3339(),
            cmd.catatan,
        )?)
    })
    .await?;
    let n = sp.current().fitur.len();
    save(
        atlas,
        &who,
        None,
        &sp,
        "buat",
        json!({"versi": 1, "jumlah_fitur": n}),
    )
    .await?;
    get(atlas, Some(&who), sp.id().as_str(), None).await
}

/// What a change was read at; see the module's documentation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected {
    /// The record's revision (its ETag), from `If-Match`.
    pub revisi: Option<i64>,
    /// The siteplan's version number, from the body (deprecated).
    pub versi: Option<u32>,
}

/// Loads siteplan `id`, checks that `user` may change it and that `expected` is current,
/// lets `apply` change a copy (given the user's name and the version to change; it returns
/// the audit line's `sesudah`) and saves the copy on the revision loaded.
async fn change(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Expected,
    aksi: &str,
    apply: impl FnOnce(&mut Siteplan, &str, u32) -> Result<Value> + Send + 'static,
) -> Result<SiteplanDetail> {
    let stored = load(atlas, id).await?;
    let who = may_edit(user, stored.siteplan.kode_desa())?;
    crate::versioned::check(|| format!("siteplan {id}"), expected.revisi, stored.revisi)?;
    let versi = match (expected.versi, expected.revisi) {
        (Some(v), _) => v,
        // The revision is current, so the version read is the current one.
        (None, Some(_)) => stored.siteplan.current_versi(),
        (None, None) => {
            return Err(AppError::invalid(
                "versi",
                "is required (or send If-Match with the ETag read)",
            ));
        }
    };
    let mut sp = stored.siteplan.clone();
    let username = who.username.clone();
    // A new version's features are checked and measured here, in time with their size.
    let (sp, sesudah) = crate::blocking(move || {
        let sesudah = apply(&mut sp, &username, versi)?;
        Ok((sp, sesudah))
    })
    .await?;
    save(atlas, &who, Some(&stored), &sp, aksi, sesudah).await?;
    get(atlas, Some(&who), id, None).await
}

/// Saves a new version of the features (only a `draf` siteplan takes new features).
pub async fn save_fitur(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Expected,
    fitur: Vec<FiturDraft>,
    catatan: Option<String>,
) -> Result<SiteplanDetail> {
    change(atlas, user, id, expected, "simpan", move |sp, by, versi| {
        let fitur = fitur_from_drafts(sp.id(), fitur)?;
        let n = sp.save(fitur, by, &now_rfc3339(), catatan, versi)?;
        Ok(json!({"versi": n, "jumlah_fitur": sp.current().fitur.len()}))
    })
    .await
}

/// Restores version `dari` as a new version (the history keeps both).
pub async fn restore(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Expected,
    dari: u32,
    catatan: Option<String>,
) -> Result<SiteplanDetail> {
    change(
        atlas,
        user,
        id,
        expected,
        "pulihkan",
        move |sp, by, versi| {
            let n = sp.restore(dari, by, &now_rfc3339(), catatan, versi)?;
            Ok(json!({"versi": n, "dipulihkan_dari": dari}))
        },
    )
    .await
}

/// A change of a siteplan's title, status, notes or `contoh` mark; `None` leaves a field
/// as it is.
#[derive(Debug, Clone, Default)]
pub struct UpdateSiteplan {
    /// New title.
    pub judul: Option<String>,
    /// New status.
    pub status: Option<StatusSiteplan>,
    /// New notes (`Some(None)` clears them).
    pub keterangan: Option<Option<String>>,
    /// New illustrative mark.
    pub contoh: Option<bool>,
}

/// Changes title, status, notes or the `contoh` mark.
pub async fn update(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    expected: Expected,
    cmd: UpdateSiteplan,
) -> Result<SiteplanDetail> {
    change(atlas, user, id, expected, "ubah", move |sp, by, versi| {
        let now = now_rfc3339();
        if let Some(j) = &cmd.judul {
            sp.set_judul(j, by, &now, versi)?;
        }
        if let Some(k) = cmd.keterangan {
            sp.set_keterangan(k, by, &now, versi)?;
        }
        if let Some(c) = cmd.contoh {
            sp.set_contoh(c, by, &now, versi)?;
        }
        if let Some(st) = cmd.status {
            sp.set_status(st, by, &now, versi)?;
        }
        Ok(json!({"judul": sp.judul(), "status": sp.status().as_str(), "contoh": sp.contoh()}))
    })
    .await
}

/// The current version (or `versi`) as a GeoJSON FeatureCollection carrying the
/// siteplan's id, desa, title, status, version and `contoh` mark; and that version.
pub async fn export_geojson(atlas: &Atlas, id: &str, versi: Option<u32>) -> Result<(Value, u32)> {
    let d = detail(atlas, &load(atlas, id).await?, versi).await?;
    let mut fc = d.fitur;
    if let Some(o) = fc.as_object_mut() {
        o.insert(
            "siteplan".into(),
            json!({"id": d.id, "kode_desa": d.kode_desa, "judul": d.judul, "status": d.status,
                   "versi": d.versi, "contoh": d.contoh}),
        );
    }
    Ok((fc, d.versi))
}

/// The siteplan (every version, its current features as the `siteplan_fitur` layer, and
/// its desa) as the bytes of a standalone GeoPackage for QGIS, written by the store. For
/// a caller who may not see personal data of its desa, the copy names its writers by
/// role and organisation.
pub async fn export_gpkg(atlas: &Atlas, user: Option<&User>, id: &str) -> Result<Vec<u8>> {
    // Read first, so that a missing siteplan answers as everywhere else.
    let stored = load(atlas, id).await?;
    let dir = tempfile::tempdir().map_err(AppError::internal)?;
    let path = dir.path().join("siteplan.gpkg");
    if crate::personal::sees(user, Some(stored.siteplan.kode_desa())) {
        atlas.store.export_siteplan(id, &path).await?;
    } else {
        let mut v = serde_json::to_value(&stored.siteplan).map_err(AppError::internal)?;
        crate::personal::Labels::new(atlas.store.as_ref())
            .redact(&mut v)
            .await?;
        let redacted: Siteplan = serde_json::from_value(v).map_err(AppError::internal)?;
        write_gpkg(atlas, &redacted, &path).await?;
    }
    tokio::fs::read(&path).await.map_err(AppError::internal)
}

/// Writes `sp` and its desa as a new standalone GeoPackage at `path`, as the store's
/// `export_siteplan` does for a stored siteplan.
async fn write_gpkg(atlas: &Atlas, sp: &Siteplan, path: &std::path::Path) -> Result<()> {
    use kumuh_store::{GpkgStore, OpenMode, Store};
    let desa = atlas.store.place(sp.kode_desa()).await?;
    let (out, _) = GpkgStore::open(path, OpenMode::CreateIfMissing).await?;
    let written = async {
        if let Some(d) = desa {
            out.upsert_places(std::slice::from_ref(&d)).await?;
        }
        out.save_siteplan(&SiteplanWrite {
            siteplan: sp,
            revisi: None,
            audit: vec![],
        })
        .await
    }
    .await;
    out.close().await;
    written.map(|_| ()).map_err(Into::into)
}
