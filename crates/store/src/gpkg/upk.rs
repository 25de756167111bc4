//! The UPK's records in the GeoPackage: `upk_ksm`, `upk_tabungan` and `upk_pinjaman`
//! (each record whole as checked JSON with a version, like works), `upk_ksm_nik` (the
//! members' NIKs, apart from everything a listing reads), and the append-only
//! `upk_buku` (every savings and loan book entry, as appended) and `upk_penagihan`
//! (collection plans and visits).

use std::collections::HashMap;

use kumuh_domain::Kode;
use kumuh_domain::upk::{DaftarNik, Ksm, Pinjaman, Tabungan};
use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, Row, SqliteConnection, SqlitePool};

use super::json_field;
use super::versioned::Versioned;
use super::works::append_audit_lines;
use crate::copy::AtlasCopy;
use crate::error::{DbContext, Result, StoreError};
use crate::upk::{
    Penagihan, StoredKsm, StoredPenagihan, StoredPinjaman, StoredTabungan, UpkVersi, UpkWrite,
    Versi,
};

/// KSM: the JSON in `data` (never with NIKs), numbered by `versi`.
pub(crate) const KSM: Versioned<Ksm, StoredKsm> = Versioned {
    table: "upk_ksm",
    key: "id",
    version: "versi",
    json: "data",
    columns: &["kode_desa", "nama", "jenis", "jumlah_anggota", "contoh"],
    what: "ksm",
    noun: "ksm",
    version_noun: "version",
    on_exists: "change it instead",
    stored: |ksm, versi, diubah| StoredKsm { ksm, versi, diubah },
};

/// A savings book with the desa of its group, so that books can be listed by area.
#[derive(Serialize, Deserialize)]
pub(crate) struct TabunganJson {
    /// The desa of the group.
    pub kode_desa: Kode,
    /// The book.
    pub tabungan: Tabungan,
}

/// Savings books: the JSON (with the group's desa) in `data`, numbered by `versi`.
pub(crate) const TABUNGAN: Versioned<TabunganJson, StoredTabungan> = Versioned {
    table: "upk_tabungan",
    key: "ksm_id",
    version: "versi",
    json: "data",
    columns: &["kode_desa", "saldo_rp"],
    what: "tabungan ksm",
    noun: "savings book",
    version_noun: "version",
    on_exists: "change it instead",
    stored: |t, versi, diubah| StoredTabungan {
        tabungan: t.tabungan,
        kode_desa: t.kode_desa,
        versi,
        diubah,
    },
};

/// Loans with their books: the JSON in `data`, numbered by `versi`.
pub(crate) const PINJAMAN: Versioned<Pinjaman, StoredPinjaman> = Versioned {
    table: "upk_pinjaman",
    key: "id",
    version: "versi",
    json: "data",
    columns: &[
        "ksm_id",
        "kode_desa",
        "status",
        "pokok_rp",
        "tanggal_cair",
        "contoh",
    ],
    what: "pinjaman",
    noun: "loan",
    version_noun: "version",
    on_exists: "change it instead",
    stored: |pinjaman, versi, diubah| StoredPinjaman {
        pinjaman,
        versi,
        diubah,
    },
};

/// The filter of records of a desa, or of any place above it (prefix of the code).
const IN_WILAYAH: &str = "(?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%')";

pub(super) async fn list_ksm(pool: &SqlitePool, wilayah: Option<&Kode>) -> Result<Vec<StoredKsm>> {
    KSM.list(
        pool,
        &format!("WHERE {IN_WILAYAH} ORDER BY kode_desa, id"),
        |q| q.bind(wilayah.map(Kode::as_str)),
    )
    .await
}

pub(super) async fn ksm(pool: &SqlitePool, id: &str) -> Result<Option<StoredKsm>> {
    KSM.get(pool, id).await
}

pub(super) async fn ksm_nik(pool: &SqlitePool, id: &str) -> Result<Option<DaftarNik>> {
    let row = sqlx::query("SELECT fid, data FROM upk_ksm_nik WHERE ksm_id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .ctx(format!("reading the NIKs of ksm {id}"))?;
    row.map(|r| {
        json_field(
            "upk_ksm_nik",
            r.get("fid"),
            "data",
            r.get::<&str, _>("data"),
        )
    })
    .transpose()
}

pub(super) async fn list_tabungan(
    pool: &SqlitePool,
    wilayah: Option<&Kode>,
) -> Result<Vec<StoredTabungan>> {
    TABUNGAN
        .list(
            pool,
            &format!("WHERE {IN_WILAYAH} ORDER BY kode_desa, ksm_id"),
            |q| q.bind(wilayah.map(Kode::as_str)),
        )
        .await
}

pub(super) async fn tabungan(pool: &SqlitePool, ksm: &str) -> Result<Option<StoredTabungan>> {
    TABUNGAN.get(pool, ksm).await
}

pub(super) async fn list_pinjaman(
    pool: &SqlitePool,
    wilayah: Option<&Kode>,
    ksm: Option<&str>,
) -> Result<Vec<StoredPinjaman>> {
    PINJAMAN
        .list(
            pool,
            &format!("WHERE {IN_WILAYAH} AND (?2 IS NULL OR ksm_id = ?2) ORDER BY kode_desa, id"),
            |q| q.bind(wilayah.map(Kode::as_str)).bind(ksm),
        )
        .await
}

pub(super) async fn pinjaman(pool: &SqlitePool, id: &str) -> Result<Option<StoredPinjaman>> {
    PINJAMAN.get(pool, id).await
}

pub(super) async fn list_penagihan(
    pool: &SqlitePool,
    wilayah: Option<&Kode>,
) -> Result<Vec<StoredPenagihan>> {
    let rows = sqlx::query(
        "SELECT fid, kode_desa, jenis, data FROM upk_penagihan
         WHERE (?1 IS NULL OR kode_desa = ?1 OR kode_desa LIKE ?1 || '.%') ORDER BY fid",
    )
    .bind(wilayah.map(Kode::as_str))
    .fetch_all(pool)
    .await
    .ctx("reading collection plans and visits")?;
    rows.iter()
        .map(|r| {
            let fid: i64 = r.get("fid");
            let data: String = r.get("data");
            let jenis: String = r.get("jenis");
            let penagihan = match jenis.as_str() {
                "rencana" => Penagihan::Rencana(json_field("upk_penagihan", fid, "data", &data)?),
                "kunjungan" => {
                    Penagihan::Kunjungan(json_field("upk_penagihan", fid, "data", &data)?)
                }
                other => {
                    return Err(StoreError::Invalid(format!(
                        "upk_penagihan row {fid}: field `jenis`: `{other}` is neither rencana nor kunjungan"
                    )));
                }
            };
            let kode: String = r.get("kode_desa");
            let kode_desa = Kode::parse(&kode).map_err(|e| {
                StoreError::Invalid(format!("upk_penagihan row {fid}: field `kode_desa`: {e}"))
            })?;
            Ok(StoredPenagihan {
                id: fid,
                kode_desa,
                penagihan,
            })
        })
        .collect()
}

/// Writes every record of `w` and its audit lines in one transaction.
pub(super) async fn save(pool: &SqlitePool, w: &UpkWrite<'_>) -> Result<UpkVersi> {
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx("starting a transaction")?;
    let versi = save_in(&mut tx, w).await?;
    tx.commit().await.ctx("committing the UPK's records")?;
    Ok(versi)
}

/// Writes every change of `writes` in order, in one transaction.
pub(super) async fn save_all(pool: &SqlitePool, writes: &[UpkWrite<'_>]) -> Result<Vec<UpkVersi>> {
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .ctx("starting a transaction")?;
    let mut out = Vec::with_capacity(writes.len());
    for w in writes {
        out.push(save_in(&mut tx, w).await?);
    }
    tx.commit().await.ctx("committing the UPK's records")?;
    Ok(out)
}

/// Writes every record of `w` and its audit lines inside the caller's transaction.
async fn save_in(tx: &mut SqliteConnection, w: &UpkWrite<'_>) -> Result<UpkVersi> {
    // Encoded before anything is written: nothing is written if a record cannot be.
    let ksm_data = w
        .ksm
        .as_ref()
        .map(|k| KSM.encode(k.isi.id.as_str(), k.isi))
        .transpose()?;
    let tabungan_json = w.tabungan.as_ref().map(|(t, kode)| TabunganJson {
        kode_desa: (*kode).clone(),
        tabungan: t.isi.clone(),
    });
    let tabungan_data = tabungan_json
        .as_ref()
        .map(|t| TABUNGAN.encode(t.tabungan.ksm.as_str(), t))
        .transpose()?;
    let pinjaman_data = w
        .pinjaman
        .as_ref()
        .map(|p| PINJAMAN.encode(p.isi.id.as_str(), p.isi))
        .transpose()?;
    let mut versi = UpkVersi::default();
    if let (Some(k), Some(data)) = (&w.ksm, ksm_data) {
        let ksm = k.isi;
        let jumlah = i64::try_from(ksm.anggota().iter().filter(|a| a.keluar.is_none()).count())
            .unwrap_or(i64::MAX);
        versi.ksm = Some(
            KSM.write(tx, ksm.id.as_str(), k.versi, data, |q| {
                q.bind(ksm.kode_desa.as_str())
                    .bind(&ksm.nama)
                    .bind(jenis_ksm(ksm))
                    .bind(jumlah)
                    .bind(ksm.contoh)
            })
            .await?,
        );
        if let Some(nik) = w.nik {
            let data = serde_json::to_string(nik).map_err(|e| {
                StoreError::Invalid(format!("ksm {}: NIKs cannot be written: {e}", ksm.id))
            })?;
            sqlx::query(
                "INSERT INTO upk_ksm_nik (ksm_id, data) VALUES (?1, ?2)
                 ON CONFLICT (ksm_id) DO UPDATE SET data = ?2",
            )
            .bind(ksm.id.as_str())
            .bind(data)
            .execute(&mut *tx)
            .await
            .ctx(format!("writing the NIKs of ksm {}", ksm.id))?;
        }
    } else if w.nik.is_some() {
        return Err(StoreError::Invalid(
            "NIKs are written only with their KSM".into(),
        ));
    }
    if let (Some((t, kode)), Some(data)) = (&w.tabungan, tabungan_data) {
        let tab = t.isi;
        let key = tab.ksm.as_str();
        let saldo = tab
            .saldo()
            .map_err(|e| StoreError::Invalid(format!("tabungan ksm {key}: {e}")))?;
        versi.tabungan = Some(
            TABUNGAN
                .write(tx, key, t.versi, data, |q| {
                    q.bind(kode.as_str()).bind(saldo.get())
                })
                .await?,
        );
        append_book(tx, "tabungan", key, kode, tab.buku().entries()).await?;
    }
    if let (Some(p), Some(data)) = (&w.pinjaman, pinjaman_data) {
        let pin = p.isi;
        let key = pin.id.as_str();
        let status = pin
            .status()
            .map_err(|e| StoreError::Invalid(format!("pinjaman {key}: {e}")))?;
        versi.pinjaman = Some(
            PINJAMAN
                .write(tx, key, p.versi, data, |q| {
                    q.bind(pin.ksm.as_str())
                        .bind(pin.kode_desa.as_str())
                        .bind(status_code(status))
                        .bind(pin.syarat().pokok_rp.get())
                        .bind(pin.tanggal_cair().map(|t| t.to_string()))
                        .bind(pin.contoh)
                })
                .await?,
        );
        append_book(tx, "pinjaman", key, &pin.kode_desa, pin.buku().entries()).await?;
    }
    for (p, kode) in &w.penagihan {
        versi.penagihan = Some(append_penagihan(tx, None, p, kode).await?);
    }
    for a in &w.audit {
        let v = match a.entitas.as_str() {
            "ksm" => versi.ksm,
            "tabungan" => versi.tabungan,
            "pinjaman" => versi.pinjaman,
            _ => None,
        };
        append_audit_lines(tx, std::slice::from_ref(a), v).await?;
    }
    Ok(versi)
}

/// Appends one collection plan or visit, as row `fid` when copying an atlas.
async fn append_penagihan(
    conn: &mut SqliteConnection,
    fid: Option<i64>,
    p: &Penagihan,
    kode: &Kode,
) -> Result<i64> {
    let (jenis, pinjaman, tanggal, data) = match p {
        Penagihan::Rencana(r) => ("rencana", &r.pinjaman, r.tanggal, serde_json::to_string(r)),
        Penagihan::Kunjungan(k) => (
            "kunjungan",
            &k.pinjaman,
            k.tanggal,
            serde_json::to_string(k),
        ),
    };
    let data = data.map_err(|e| {
        StoreError::Invalid(format!(
            "penagihan {pinjaman} {tanggal}: cannot be written: {e}"
        ))
    })?;
    sqlx::query(
        "INSERT INTO upk_penagihan (fid, pinjaman_id, kode_desa, jenis, tanggal, data)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(fid)
    .bind(pinjaman.as_str())
    .bind(kode.as_str())
    .bind(jenis)
    .bind(tanggal.to_string())
    .bind(data)
    .execute(&mut *conn)
    .await
    .ctx(format!("writing the {jenis} of pinjaman {pinjaman}"))
    .map(|done| done.last_insert_rowid())
}

/// Writes the UPK's records of a copied atlas inside the caller's transaction, each
/// with the version and change time it had; the books are rebuilt from the records.
pub(super) async fn load(conn: &mut SqliteConnection, atlas: &AtlasCopy) -> Result<()> {
    let nik: HashMap<&str, &DaftarNik> = atlas.nik.iter().map(|(k, n)| (k.as_str(), n)).collect();
    for k in &atlas.ksm {
        let id = k.ksm.id.as_str();
        let w = UpkWrite {
            ksm: Some(Versi {
                isi: &k.ksm,
                versi: None,
            }),
            nik: nik.get(id).copied(),
            ..UpkWrite::default()
        };
        save_in(conn, &w).await?;
        stamp(conn, &KSM, id, k.versi, &k.diubah).await?;
    }
    for t in &atlas.tabungan {
        let w = UpkWrite {
            tabungan: Some((
                Versi {
                    isi: &t.tabungan,
                    versi: None,
                },
                &t.kode_desa,
            )),
            ..UpkWrite::default()
        };
        save_in(conn, &w).await?;
        stamp(conn, &TABUNGAN, t.tabungan.ksm.as_str(), t.versi, &t.diubah).await?;
    }
    for p in &atlas.pinjaman {
        let w = UpkWrite {
            pinjaman: Some(Versi {
                isi: &p.pinjaman,
                versi: None,
            }),
            ..UpkWrite::default()
        };
        save_in(conn, &w).await?;
        stamp(conn, &PINJAMAN, p.pinjaman.id.as_str(), p.versi, &p.diubah).await?;
    }
    for p in &atlas.penagihan {
        append_penagihan(conn, Some(p.id), &p.penagihan, &p.kode_desa).await?;
    }
    Ok(())
}

/// Gives a copied record the version and change time it had.
async fn stamp<T: Serialize + serde::de::DeserializeOwned, S>(
    conn: &mut SqliteConnection,
    record: &Versioned<T, S>,
    key: &str,
    versi: i64,
    diubah: &str,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {} SET {} = ?, diubah = ? WHERE {} = ?",
        record.table, record.version, record.key
    )))
    .bind(versi)
    .bind(diubah)
    .bind(key)
    .execute(conn)
    .await
    .ctx(format!("copying the version of {}", record.what(key)))?;
    Ok(())
}

/// The KSM's kind as its JSON name, for the `jenis` column.
pub(crate) fn jenis_ksm(k: &Ksm) -> String {
    serde_json::to_value(k.jenis)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A loan's status as its JSON name, for the `status` column.
pub(crate) fn status_code(s: kumuh_domain::upk::StatusPinjaman) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Appends to `upk_buku` the entries of a book that are not there yet, after checking
/// that those already there are unchanged: a book only grows.
async fn append_book<T: Serialize>(
    conn: &mut SqliteConnection,
    buku: &str,
    kunci: &str,
    kode_desa: &Kode,
    entries: &[kumuh_domain::works::Entry<T>],
) -> Result<()> {
    let stored: Vec<(i64, String)> = sqlx::query_as(
        "SELECT entri, data FROM upk_buku WHERE buku = ? AND kunci = ? ORDER BY entri",
    )
    .bind(buku)
    .bind(kunci)
    .fetch_all(&mut *conn)
    .await
    .ctx(format!("reading the book of {buku} {kunci}"))?;
    let what = format!("{buku} {kunci}");
    for (i, e) in entries.iter().enumerate() {
        let entri = i64::try_from(e.id.0).unwrap_or(i64::MAX);
        let value = serde_json::to_value(&e.isi)
            .map_err(|err| StoreError::Invalid(format!("{what}: entry {}: {err}", e.id)))?;
        let data = value.to_string();
        if let Some((id, old)) = stored.get(i) {
            if *id != entri || *old != data {
                return Err(StoreError::Invalid(format!(
                    "{what}: entry #{id} is already in the book and cannot be changed; record a reversal instead"
                )));
            }
            continue;
        }
        sqlx::query(
            "INSERT INTO upk_buku (buku, kunci, entri, kode_desa, jenis, tanggal, jumlah_rp, data)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(buku)
        .bind(kunci)
        .bind(entri)
        .bind(kode_desa.as_str())
        .bind(value.get("jenis").and_then(|v| v.as_str()).unwrap_or(""))
        .bind(value.get("tanggal").and_then(|v| v.as_str()))
        .bind(value.get("jumlah_rp").and_then(serde_json::Value::as_i64))
        .bind(&data)
        .execute(&mut *conn)
        .await
        .ctx(format!("appending entry {} to the book of {what}", e.id))?;
    }
    if stored.len() > entries.len() {
        return Err(StoreError::Invalid(format!(
            "{what}: the book holds {} entries and the change only {}; entries are never removed",
            stored.len(),
            entries.len()
        )));
    }
    Ok(())
}
