//! A whole atlas as data, read from any backend through [`Store`] and written into
//! another in one transaction (`GpkgStore::load_atlas`, `PgStore::load_atlas`): how
//! `kumuh migrate` moves an atlas between a GeoPackage and PostGIS, and how a PostGIS
//! store is exported as a GeoPackage.

use kumuh_domain::jaringan::Ruas;
use kumuh_domain::upk::DaftarNik;
use kumuh_domain::{Level, LokasiKumuh, Place, User};

use crate::error::Result;
use crate::{
    AssessmentRecord, AuditEntry, AuditQuery, FotoCopy, FotoQuery, KegiatanQuery, PlaceQuery,
    Store, StoredKegiatan, StoredKsm, StoredPenagihan, StoredPinjaman, StoredSiteplan,
    StoredTabungan, Ukuran,
};

/// Everything an atlas holds apart from API tokens and the change feed (a copy starts
/// its own): places of every level, slum locations, lines, assessments, users, works,
/// the photos of their segments, siteplans and the UPK's records with their versions, and the audit log with its ids
/// and times.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AtlasCopy {
    /// Places, parents before children.
    pub places: Vec<Place>,
    /// Slum locations.
    pub lokasi: Vec<LokasiKumuh>,
    /// Road and drainage lines.
    pub jaringan: Vec<Ruas>,
    /// Assessments, each location's oldest first.
    pub assessments: Vec<AssessmentRecord>,
    /// Users with their password hashes (empty where secrets were left out).
    pub users: Vec<(User, String)>,
    /// Works with their versions.
    pub kegiatan: Vec<StoredKegiatan>,
    /// Photos of the works' segments with their ids, both files in memory.
    pub foto: Vec<FotoCopy>,
    /// Siteplans with their revisions.
    pub siteplan: Vec<StoredSiteplan>,
    /// KSM with their versions (without NIKs).
    pub ksm: Vec<StoredKsm>,
    /// The members' NIKs by KSM id (empty where secrets were left out).
    pub nik: Vec<(String, DaftarNik)>,
    /// Savings books with their versions.
    pub tabungan: Vec<StoredTabungan>,
    /// Loans with their versions.
    pub pinjaman: Vec<StoredPinjaman>,
    /// Collection plans and visits, oldest first.
    pub penagihan: Vec<StoredPenagihan>,
    /// The audit log, oldest first.
    pub audit: Vec<AuditEntry>,
}

/// How many audit lines are read at a time.
const AUDIT_PAGE: u32 = 1_000;

impl AtlasCopy {
    /// Reads the whole atlas from `store`; with `secrets` false the password hashes and
    /// the KSM members' NIKs are left out (a copy that leaves the machine).
    pub async fn read(store: &dyn Store, secrets: bool) -> Result<AtlasCopy> {
        let mut places = Vec::new();
        for level in Level::ALL {
            places.extend(store.places(&PlaceQuery::level(level)).await?);
        }
        let mut users = Vec::new();
        for user in store.list_users().await? {
            let hash = if secrets {
                store
                    .credentials(&user.username)
                    .await?
                    .map(|c| c.password_hash)
                    .unwrap_or_default()
            } else {
                String::new()
            };
            users.push((user, hash));
        }
        let mut audit = Vec::new();
        let mut before = None;
        loop {
            let page = store
                .audit(&AuditQuery {
                    kunci: None,
                    sebelum_id: before,
                    limit: AUDIT_PAGE,
                })
                .await?;
            let Some(last) = page.last() else { break };
            before = Some(last.id);
            audit.extend(page);
        }
        audit.reverse();
        let ksm = store.list_ksm(None).await?;
        let mut nik = Vec::new();
        if secrets {
            for k in &ksm {
                let id = k.ksm.id.as_str();
                if let Some(daftar) = store.ksm_nik(id).await? {
                    nik.push((id.to_owned(), daftar));
                }
            }
        }
        Ok(AtlasCopy {
            places,
            lokasi: store.list_lokasi(None).await?,
            jaringan: store.jaringan(None).await?,
            assessments: store.assessments(&Default::default()).await?,
            users,
            kegiatan: store.list_kegiatan(&KegiatanQuery::default()).await?,
            foto: read_foto(store).await?,
            siteplan: store.list_siteplan(None).await?,
            ksm,
            nik,
            tabungan: store.list_tabungan(None).await?,
            pinjaman: store.list_pinjaman(None, None).await?,
            penagihan: store.list_penagihan(None).await?,
            audit,
        })
    }

    /// How many records it holds, for a report.
    pub fn records(&self) -> usize {
        self.places.len()
            + self.lokasi.len()
            + self.jaringan.len()
            + self.assessments.len()
            + self.users.len()
            + self.kegiatan.len()
            + self.foto.len()
            + self.siteplan.len()
            + self.ksm.len()
            + self.nik.len()
            + self.tabungan.len()
            + self.pinjaman.len()
            + self.penagihan.len()
            + self.audit.len()
    }
}

/// Every photo with both its files, read one at a time.
async fn read_foto(store: &dyn Store) -> Result<Vec<FotoCopy>> {
    let mut out = Vec::new();
    for foto in store.list_foto(&FotoQuery::default()).await? {
        let file = |ukuran| async move {
            store
                .foto_berkas(foto.id, ukuran)
                .await?
                .map(|b| b.bytes)
                .ok_or_else(|| crate::StoreError::NotFound(format!("photo {}", foto.id)))
        };
        let isi = file(Ukuran::Asli).await?;
        let kecil = file(Ukuran::Kecil).await?;
        out.push(FotoCopy { foto, isi, kecil });
    }
    Ok(out)
}

/// The tables an atlas occupies, children before parents (the order to empty them in).
pub(crate) const ATLAS_TABLES: [&str; 23] = [
    "upk_penagihan",
    "upk_buku",
    "upk_pinjaman",
    "upk_tabungan",
    "upk_ksm_nik",
    "upk_ksm",
    "kumuh_tokens",
    "kumuh_users",
    "kegiatan_segmen",
    "kegiatan_foto",
    "kegiatan",
    "siteplan_fitur",
    "siteplan",
    "penilaian",
    "lokasi_kumuh",
    "jaringan",
    "rt",
    "rw",
    "desa",
    "kecamatan",
    "kabupaten",
    "provinsi",
    "kumuh_audit",
];

/// Writes the atlas of `store` as a standalone GeoPackage at `path` (which must not
/// exist), without tokens and password hashes: `export_copy` of a backend that is not
/// a file. A failed copy leaves no file behind.
pub(crate) async fn export_to_gpkg(store: &dyn Store, path: &std::path::Path) -> Result<()> {
    if path.exists() {
        return Err(crate::StoreError::Invalid(format!(
            "{}: already exists; choose a new file",
            path.display()
        )));
    }
    let atlas = AtlasCopy::read(store, false).await?;
    let (out, _) = crate::GpkgStore::open(path, crate::OpenMode::CreateIfMissing).await?;
    let mut written = out.load_atlas(&atlas, false).await;
    if written.is_ok() {
        written = crate::copy_peta_dasar(store, &out).await.map(|_| ());
    }
    out.close().await;
    if written.is_err() {
        let _ = crate::remove_store_file(path).await;
    }
    written
}
