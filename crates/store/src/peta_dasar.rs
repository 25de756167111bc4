//! Basemaps (peta dasar): raster imagery drawn under the atlas layers. The store keeps a
//! register of them in `peta_dasar`, and for a basemap brought as a file (an MBTiles or
//! PMTiles orthophoto) its tiles in `peta_dasar_ubin`, so that every server of a shared
//! atlas serves the same imagery and a backup of the GeoPackage carries it.
//!
//! A basemap is named by a short code (`nama`, the key in URLs). A remote one (`xyz`) is
//! only its URL template; a kept one (`berkas`) has its tiles here, keyed by zoom, column
//! and row in the XYZ scheme (row 0 at the north).

use async_trait::async_trait;

use crate::{NewAudit, Result};

/// The audit log's entity for basemaps (key: the basemap's `nama`).
pub const PETA_DASAR_AUDIT_ENTITAS: &str = "peta_dasar";

/// Where a basemap's tiles come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JenisPetaDasar {
    /// A remote XYZ/TMS server: the viewer fetches its tiles from the URL template.
    Xyz,
    /// Tiles kept in the store, from a file (MBTiles, PMTiles).
    Berkas,
}

impl JenisPetaDasar {
    /// The stored and JSON spelling: `xyz`, `berkas`.
    pub fn as_str(self) -> &'static str {
        match self {
            JenisPetaDasar::Xyz => "xyz",
            JenisPetaDasar::Berkas => "berkas",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "xyz" => Some(JenisPetaDasar::Xyz),
            "berkas" => Some(JenisPetaDasar::Berkas),
            _ => None,
        }
    }
}

/// A basemap to register (replacing one of the same name).
#[derive(Debug, Clone, PartialEq)]
pub struct PetaDasarBaru<'a> {
    /// Its code: lower-case letters, digits and `-`.
    pub nama: &'a str,
    /// What a user reads in the picker.
    pub judul: &'a str,
    /// Remote or kept.
    pub jenis: JenisPetaDasar,
    /// The URL template of a remote basemap (`https://…/{z}/{x}/{y}.png`), or the file it
    /// came from (its name only) for a kept one.
    pub sumber: &'a str,
    /// The tiles' format: `png`, `jpg` or `webp`.
    pub format: &'a str,
    /// The attribution to show with it (plain text).
    pub atribusi: &'a str,
    /// Lowest zoom with tiles (a kept basemap's is measured from its tiles).
    pub minzoom: u8,
    /// Highest zoom with tiles (a kept basemap's is measured from its tiles).
    pub maxzoom: u8,
    /// Where it has imagery, `[west, south, east, north]` in EPSG:4326.
    pub batas: Option<[f64; 4]>,
    /// The audit line of the registration.
    pub audit: NewAudit,
}

/// A registered basemap.
#[derive(Debug, Clone, PartialEq)]
pub struct PetaDasar {
    /// Its code.
    pub nama: String,
    /// What a user reads in the picker.
    pub judul: String,
    /// Remote or kept.
    pub jenis: JenisPetaDasar,
    /// The URL template (remote) or the file it came from (kept).
    pub sumber: String,
    /// The tiles' format.
    pub format: String,
    /// The attribution.
    pub atribusi: String,
    /// Lowest zoom with tiles.
    pub minzoom: u8,
    /// Highest zoom with tiles.
    pub maxzoom: u8,
    /// Where it has imagery.
    pub batas: Option<[f64; 4]>,
    /// Tiles kept (0 for a remote basemap).
    pub jumlah_ubin: i64,
    /// Bytes of the tiles kept.
    pub ukuran_byte: i64,
    /// When it was registered (RFC 3339, UTC).
    pub dibuat: String,
}

/// One raster tile in the XYZ scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ubin {
    /// Zoom.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row, 0 at the north.
    pub y: u32,
    /// The image bytes.
    pub data: Vec<u8>,
}

/// Tiles handed to the store in batches while it writes them in one transaction, so a
/// large orthophoto is never held in memory whole.
#[async_trait]
pub trait SumberUbin: Send {
    /// The next batch; `None` when there is no more.
    async fn berikut(&mut self) -> Result<Option<Vec<Ubin>>>;
}

/// Copies every basemap of `from` with its tiles into `to` (replacing those of the same
/// name there), a basemap a transaction, its tiles read a page at a time; answers how
/// many. `kumuh migrate` and the GeoPackage export of a database carry basemaps so.
pub async fn copy_peta_dasar(from: &dyn crate::Store, to: &dyn crate::Store) -> Result<usize> {
    let list = from.list_peta_dasar().await?;
    for p in &list {
        let peta = PetaDasarBaru {
            nama: &p.nama,
            judul: &p.judul,
            jenis: p.jenis,
            sumber: &p.sumber,
            format: &p.format,
            atribusi: &p.atribusi,
            minzoom: p.minzoom,
            maxzoom: p.maxzoom,
            batas: p.batas,
            audit: NewAudit {
                pengguna: "kumuh migrate".into(),
                entitas: PETA_DASAR_AUDIT_ENTITAS.into(),
                kunci: p.nama.clone(),
                aksi: "salin".into(),
                sebelum: None,
                sesudah: Some(serde_json::json!({ "jumlah_ubin": p.jumlah_ubin })),
            },
        };
        let mut source = Halaman {
            store: from,
            nama: &p.nama,
            setelah: None,
            selesai: false,
        };
        to.save_peta_dasar(&peta, &mut source).await?;
    }
    Ok(list.len())
}

/// The tiles of a stored basemap, a page at a time.
struct Halaman<'a> {
    store: &'a dyn crate::Store,
    nama: &'a str,
    setelah: Option<(u8, u32, u32)>,
    selesai: bool,
}

/// Tiles read at a time when a basemap is copied.
const HALAMAN_UBIN: u32 = 256;

#[async_trait]
impl SumberUbin for Halaman<'_> {
    async fn berikut(&mut self) -> Result<Option<Vec<Ubin>>> {
        if self.selesai {
            return Ok(None);
        }
        let page = self
            .store
            .peta_dasar_ubin_halaman(self.nama, self.setelah, HALAMAN_UBIN)
            .await?;
        match page.last() {
            None => {
                self.selesai = true;
                Ok(None)
            }
            Some(u) => {
                self.setelah = Some((u.z, u.x, u.y));
                self.selesai = page.len() < HALAMAN_UBIN as usize;
                Ok(Some(page))
            }
        }
    }
}

/// The columns of a register row, in the order of [`PetaDasarRow`].
pub(crate) const COLUMNS: &str = "nama, judul, jenis, sumber, format, atribusi, minzoom, maxzoom,
    barat, selatan, timur, utara, jumlah_ubin, ukuran_byte, dibuat";

/// The statement that registers a basemap (`$1`…`$12`, each once and in order, so the
/// same text serves SQLite and PostgreSQL).
pub(crate) const INSERT: &str = "INSERT INTO peta_dasar (nama, judul, jenis, sumber, format,
    atribusi, minzoom, maxzoom, barat, selatan, timur, utara)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// Measures a kept basemap from its tiles once they are written.
pub(crate) const MEASURE: &str = "UPDATE peta_dasar SET
      jumlah_ubin = (SELECT count(*) FROM peta_dasar_ubin WHERE nama = $1),
      ukuran_byte = coalesce((SELECT sum(length(data)) FROM peta_dasar_ubin WHERE nama = $2), 0),
      minzoom = coalesce((SELECT min(z) FROM peta_dasar_ubin WHERE nama = $3), minzoom),
      maxzoom = coalesce((SELECT max(z) FROM peta_dasar_ubin WHERE nama = $4), maxzoom)
    WHERE nama = $5";

/// The tiles of one zoom inside a box of columns and rows (`$1` name, `$2` zoom, `$3`–`$6`
/// the box), by column and row.
pub(crate) const KOTAK: &str = "SELECT z, x, y, data FROM peta_dasar_ubin
    WHERE nama = $1 AND z = $2 AND x BETWEEN $3 AND $4 AND y BETWEEN $5 AND $6
    ORDER BY x, y";

/// The next tiles of a basemap after (`$2`, `$3`, `$4`) = (z, x, y), in that order, at
/// most `$5`.
pub(crate) const HALAMAN: &str = "SELECT z, x, y, data FROM peta_dasar_ubin
    WHERE nama = $1 AND (z, x, y) > ($2, $3, $4)
    ORDER BY z, x, y LIMIT $5";

/// The tiles of a box as rows read them.
pub(crate) fn ubin_of(rows: Vec<(i64, i64, i64, Vec<u8>)>) -> Vec<Ubin> {
    rows.into_iter()
        .map(|(z, x, y, data)| Ubin {
            z: u8::try_from(z).unwrap_or(u8::MAX),
            x: u32::try_from(x).unwrap_or(u32::MAX),
            y: u32::try_from(y).unwrap_or(u32::MAX),
            data,
        })
        .collect()
}

/// How many tiles go into one INSERT statement.
pub(crate) const UBIN_PER_STATEMENT: usize = 200;

/// The multi-row INSERT of `n` tiles of one basemap (`$1` the name, then z, x, y, data per
/// tile, each placeholder once and in order).
pub(crate) fn insert_ubin(n: usize) -> String {
    let mut sql = String::from("INSERT INTO peta_dasar_ubin (nama, z, x, y, data) VALUES ");
    for i in 0..n {
        let b = 1 + i * 5;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${})",
            b,
            b + 1,
            b + 2,
            b + 3,
            b + 4
        ));
    }
    sql
}

/// A register row as either backend reads it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PetaDasarRow {
    nama: String,
    judul: String,
    jenis: String,
    sumber: String,
    format: String,
    atribusi: String,
    minzoom: i64,
    maxzoom: i64,
    barat: Option<f64>,
    selatan: Option<f64>,
    timur: Option<f64>,
    utara: Option<f64>,
    jumlah_ubin: i64,
    ukuran_byte: i64,
    dibuat: String,
}

impl PetaDasarRow {
    /// The typed basemap; a stored value this build does not read names the field.
    pub(crate) fn typed(self) -> Result<PetaDasar> {
        let corrupt = |field: &'static str, message: String| crate::StoreError::Corrupt {
            table: "peta_dasar".into(),
            fid: 0,
            field,
            message: format!("{}: {message}", self.nama),
        };
        let jenis = JenisPetaDasar::parse(&self.jenis)
            .ok_or_else(|| corrupt("jenis", format!("unknown kind {:?}", self.jenis)))?;
        let zoom = |v: i64, field: &'static str| {
            u8::try_from(v).map_err(|_| corrupt(field, format!("zoom {v} out of range")))
        };
        let minzoom = zoom(self.minzoom, "minzoom")?;
        let maxzoom = zoom(self.maxzoom, "maxzoom")?;
        let batas = match (self.barat, self.selatan, self.timur, self.utara) {
            (Some(w), Some(s), Some(e), Some(n)) => Some([w, s, e, n]),
            _ => None,
        };
        Ok(PetaDasar {
            nama: self.nama,
            judul: self.judul,
            jenis,
            sumber: self.sumber,
            format: self.format,
            atribusi: self.atribusi,
            minzoom,
            maxzoom,
            batas,
            jumlah_ubin: self.jumlah_ubin,
            ukuran_byte: self.ukuran_byte,
            dibuat: self.dibuat,
        })
    }
}

/// Writes the basemap functions of one backend (`save`, `list`, `tile`, `delete`,
/// `kotak`) from one text: the backends differ only in their pool type, how a write
/// transaction begins, and their audit writer. Every statement numbers its placeholders
/// `$1`, `$2`, … once each and in order, which SQLite reads as PostgreSQL does.
macro_rules! backend {
    (pool = $pool:ty, begin = $begin:ident $(($arg:expr))?, audit = $audit:path) => {
        use sqlx::AssertSqlSafe;

        use $audit as append_audit_lines;
        use crate::error::{DbContext, Result};
        use crate::peta_dasar::{
            COLUMNS, HALAMAN, INSERT, KOTAK, MEASURE, PetaDasarRow, UBIN_PER_STATEMENT,
            insert_ubin, ubin_of,
        };
        use crate::{NewAudit, PetaDasar, PetaDasarBaru, SumberUbin, Ubin};

        pub(super) async fn save(
            pool: &$pool,
            p: &PetaDasarBaru<'_>,
            ubin: &mut dyn SumberUbin,
        ) -> Result<PetaDasar> {
            let what = format!("basemap {}", p.nama);
            let mut tx = pool
                .$begin($($arg)?)
                .await
                .ctx(format!("starting a transaction for {what}"))?;
            sqlx::query("DELETE FROM peta_dasar WHERE nama = $1")
                .bind(p.nama)
                .execute(&mut *tx)
                .await
                .ctx(format!("replacing {what}"))?;
            sqlx::query(INSERT)
                .bind(p.nama)
                .bind(p.judul)
                .bind(p.jenis.as_str())
                .bind(p.sumber)
                .bind(p.format)
                .bind(p.atribusi)
                .bind(i64::from(p.minzoom))
                .bind(i64::from(p.maxzoom))
                .bind(p.batas.map(|b| b[0]))
                .bind(p.batas.map(|b| b[1]))
                .bind(p.batas.map(|b| b[2]))
                .bind(p.batas.map(|b| b[3]))
                .execute(&mut *tx)
                .await
                .ctx(format!("registering {what}"))?;
            while let Some(batch) = ubin.berikut().await? {
                for chunk in batch.chunks(UBIN_PER_STATEMENT) {
                    let sql = insert_ubin(chunk.len());
                    let mut q = sqlx::query(AssertSqlSafe(sql));
                    for u in chunk {
                        q = q
                            .bind(p.nama)
                            .bind(i64::from(u.z))
                            .bind(i64::from(u.x))
                            .bind(i64::from(u.y))
                            .bind(&u.data[..]);
                    }
                    q.execute(&mut *tx)
                        .await
                        .ctx(format!("writing the tiles of {what}"))?;
                }
            }
            let mut measure = sqlx::query(MEASURE);
            for _ in 0..5 {
                measure = measure.bind(p.nama);
            }
            measure
                .execute(&mut *tx)
                .await
                .ctx(format!("measuring {what}"))?;
            append_audit_lines(&mut tx, std::slice::from_ref(&p.audit), None).await?;
            let row: PetaDasarRow = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM peta_dasar WHERE nama = $1"
            )))
            .bind(p.nama)
            .fetch_one(&mut *tx)
            .await
            .ctx(format!("reading {what} back"))?;
            tx.commit().await.ctx(format!("committing {what}"))?;
            row.typed()
        }

        pub(super) async fn list(pool: &$pool) -> Result<Vec<PetaDasar>> {
            let rows: Vec<PetaDasarRow> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM peta_dasar ORDER BY judul, nama"
            )))
            .fetch_all(pool)
            .await
            .ctx("reading the basemaps")?;
            rows.into_iter().map(PetaDasarRow::typed).collect()
        }

        pub(super) async fn tile(
            pool: &$pool,
            nama: &str,
            z: u8,
            x: u32,
            y: u32,
        ) -> Result<Option<(String, Vec<u8>)>> {
            sqlx::query_as(
                "SELECT p.format, u.data FROM peta_dasar_ubin u JOIN peta_dasar p USING (nama)
                 WHERE u.nama = $1 AND u.z = $2 AND u.x = $3 AND u.y = $4",
            )
            .bind(nama)
            .bind(i64::from(z))
            .bind(i64::from(x))
            .bind(i64::from(y))
            .fetch_optional(pool)
            .await
            .ctx(format!("reading tile {z}/{x}/{y} of basemap {nama}"))
        }

        pub(super) async fn delete(pool: &$pool, nama: &str, audit: &NewAudit) -> Result<bool> {
            let mut tx = pool.$begin($($arg)?).await.ctx(format!(
                "starting a transaction for removing basemap {nama}"
            ))?;
            // The tiles go by foreign key (ON DELETE CASCADE).
            let done = sqlx::query("DELETE FROM peta_dasar WHERE nama = $1")
                .bind(nama)
                .execute(&mut *tx)
                .await
                .ctx(format!("removing basemap {nama}"))?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            append_audit_lines(&mut tx, std::slice::from_ref(audit), None).await?;
            tx.commit()
                .await
                .ctx(format!("committing the removal of basemap {nama}"))?;
            Ok(true)
        }

        pub(super) async fn kotak(
            pool: &$pool,
            nama: &str,
            z: u8,
            x: (u32, u32),
            y: (u32, u32),
        ) -> Result<Vec<Ubin>> {
            let rows: Vec<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(KOTAK)
                .bind(nama)
                .bind(i64::from(z))
                .bind(i64::from(x.0))
                .bind(i64::from(x.1))
                .bind(i64::from(y.0))
                .bind(i64::from(y.1))
                .fetch_all(pool)
                .await
                .ctx(format!("reading the tiles of basemap {nama} at zoom {z}"))?;
            Ok(ubin_of(rows))
        }

        pub(super) async fn halaman(
            pool: &$pool,
            nama: &str,
            setelah: Option<(u8, u32, u32)>,
            limit: u32,
        ) -> Result<Vec<Ubin>> {
            let (z, x, y) = setelah.map_or((-1, -1, -1), |(z, x, y)| {
                (i64::from(z), i64::from(x), i64::from(y))
            });
            let rows: Vec<(i64, i64, i64, Vec<u8>)> = sqlx::query_as(HALAMAN)
                .bind(nama)
                .bind(z)
                .bind(x)
                .bind(y)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .ctx(format!("reading the tiles of basemap {nama}"))?;
            Ok(ubin_of(rows))
        }
    };
}
pub(crate) use backend;
