//! The UPK's records in PostgreSQL, kept as the GeoPackage keeps them (`gpkg::upk`):
//! `upk_ksm`, `upk_tabungan` and `upk_pinjaman` whole as checked JSON with a version,
//! the members' NIKs apart in `upk_ksm_nik`, and the append-only `upk_buku` and
//! `upk_penagihan`. The record descriptions are the GeoPackage's, so both backends store
//! the same columns and JSON.

use std::collections::HashMap;

use kumuh_domain::Kode;
use kumuh_domain::upk::DaftarNik;
use kumuh_domain::works::Entry;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::postgres::PgPool;
use sqlx::{AssertSqlSafe, PgConnection, Row};

use super::records::append_audit_lines;
use crate::copy::AtlasCopy;
use crate::error::{DbContext, Result, StoreError};
use crate::gpkg::rows::json_field;
pub(super) use crate::gpkg::upk::{KSM, PINJAMAN, TABUNGAN};
use crate::gpkg::upk::{TabunganJson, jenis_ksm, status_code};
use crate::gpkg::versioned::Versioned;
use crate::upk::{
    Penagihan, StoredKsm, StoredPenagihan, StoredPinjaman, StoredTabungan, UpkVersi, UpkWrite,
    Versi,
};

/// Records of a place: a desa, or any place above it (a prefix of the code).
const IN_PLACE: &str = "($1::text IS NULL OR kode_desa = $1 OR starts_with(kode_desa, $1 || '.'))";

fn place(wilayah: Option<&Kode>) -> Option<String> {
    wilayah.map(|k| k.as_str().to_owned())
}

pub(super) async fn list_ksm(pool: &PgPool, wilayah: Option<&Kode>) -> Result<Vec<StoredKsm>> {
    KSM.pg_list(
        pool,
        &format!("WHERE {IN_PLACE} ORDER BY kode_desa COLLATE \"C\", id COLLATE \"C\""),
        |q| q.bind(place(wilayah)),
    )
    .await
}

pub(super) async fn ksm_nik(pool: &PgPool, id: &str) -> Result<Option<DaftarNik>> {
    let row = sqlx::query("SELECT fid, data FROM upk_ksm_nik WHERE ksm_id = $1")
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
    pool: &PgPool,
    wilayah: Option<&Kode>,
) -> Result<Vec<StoredTabungan>> {
    TABUNGAN
        .pg_list(
            pool,
            &format!("WHERE {IN_PLACE} ORDER BY kode_desa COLLATE \"C\", ksm_id COLLATE \"C\""),
            |q| q.bind(place(wilayah)),
        )
        .await
}

pub(super) async fn list_pinjaman(
    pool: &PgPool,
    wilayah: Option<&Kode>,
    ksm: Option<&str>,
) -> Result<Vec<StoredPinjaman>> {
    PINJAMAN
        .pg_list(
            pool,
            &format!(
                "WHERE {IN_PLACE} AND ($2::text IS NULL OR ksm_id = $2)
                 ORDER BY kode_desa COLLATE \"C\", id COLLATE \"C\""
            ),
            |q| q.bind(place(wilayah)).bind(ksm.map(str::to_owned)),
        )
        .await
}

pub(super) async fn list_penagihan(
    pool: &PgPool,
    wilayah: Option<&Kode>,
) -> Result<Vec<StoredPenagihan>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT fid, kode_desa, jenis, data FROM upk_penagihan WHERE {IN_PLACE} ORDER BY fid"
    )))
    .bind(place(wilayah))
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

/// Writes every record of `w` and its audit lines inside the caller's transaction;
/// answers the new versions.
pub(super) async fn save(conn: &mut PgConnection, w: &UpkWrite<'_>) -> Result<UpkVersi> {
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
        let (desa, nama, jenis) = (
            ksm.kode_desa.as_str().to_owned(),
            ksm.nama.clone(),
            jenis_ksm(ksm),
        );
        versi.ksm = Some(
            KSM.pg_write(conn, ksm.id.as_str(), k.versi, data, |q| {
                q.bind(desa)
                    .bind(nama)
                    .bind(jenis)
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
                "INSERT INTO upk_ksm_nik (ksm_id, data) VALUES ($1, $2)
                 ON CONFLICT (ksm_id) DO UPDATE SET data = excluded.data",
            )
            .bind(ksm.id.as_str())
            .bind(data)
            .execute(&mut *conn)
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
        let desa = kode.as_str().to_owned();
        versi.tabungan = Some(
            TABUNGAN
                .pg_write(conn, key, t.versi, data, |q| q.bind(desa).bind(saldo.get()))
                .await?,
        );
        append_book(conn, "tabungan", key, kode, tab.buku().entries()).await?;
    }
    if let (Some(p), Some(data)) = (&w.pinjaman, pinjaman_data) {
        let pin = p.isi;
        let key = pin.id.as_str();
        let status = pin
            .status()
            .map_err(|e| StoreError::Invalid(format!("pinjaman {key}: {e}")))?;
        let (ksm, desa) = (
            pin.ksm.as_str().to_owned(),
            pin.kode_desa.as_str().to_owned(),
        );
        let cair = pin.tanggal_cair().map(|t| t.to_string());
        versi.pinjaman = Some(
            PINJAMAN
                .pg_write(conn, key, p.versi, data, |q| {
                    q.bind(ksm)
                        .bind(desa)
                        .bind(status_code(status))
                        .bind(pin.syarat().pokok_rp.get())
                        .bind(cair)
                        .bind(pin.contoh)
                })
                .await?,
        );
        append_book(conn, "pinjaman", key, &pin.kode_desa, pin.buku().entries()).await?;
    }
    for (p, kode) in &w.penagihan {
        versi.penagihan = Some(append_penagihan(conn, None, p, kode).await?);
    }
    for a in &w.audit {
        let v = match a.entitas.as_str() {
            "ksm" => versi.ksm,
            "tabungan" => versi.tabungan,
            "pinjaman" => versi.pinjaman,
            _ => None,
        };
        append_audit_lines(conn, std::slice::from_ref(a), v).await?;
    }
    Ok(versi)
}

/// Appends one collection plan or visit, as row `fid` when copying an atlas.
async fn append_penagihan(
    conn: &mut PgConnection,
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
         VALUES (coalesce($1, nextval(pg_get_serial_sequence('upk_penagihan', 'fid'))),
                 $2, $3, $4, $5, $6)
         RETURNING fid",
    )
    .bind(fid)
    .bind(pinjaman.as_str())
    .bind(kode.as_str())
    .bind(jenis)
    .bind(tanggal.to_string())
    .bind(data)
    .fetch_one(&mut *conn)
    .await
    .ctx(format!("writing the {jenis} of pinjaman {pinjaman}"))
    .map(|row| row.get::<i64, _>("fid"))
}

/// Writes the UPK's records of a copied atlas inside the caller's transaction, each
/// with the version and change time it had; the books are rebuilt from the records.
pub(super) async fn load(conn: &mut PgConnection, atlas: &AtlasCopy) -> Result<()> {
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
        save(conn, &w).await?;
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
        save(conn, &w).await?;
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
        save(conn, &w).await?;
        stamp(conn, &PINJAMAN, p.pinjaman.id.as_str(), p.versi, &p.diubah).await?;
    }
    for p in &atlas.penagihan {
        append_penagihan(conn, Some(p.id), &p.penagihan, &p.kode_desa).await?;
    }
    Ok(())
}

/// Gives a copied record the version and change time it had.
async fn stamp<T: Serialize + DeserializeOwned, S>(
    conn: &mut PgConnection,
    record: &Versioned<T, S>,
    key: &str,
    versi: i64,
    diubah: &str,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {} SET {} = $1, diubah = $2 WHERE {} = $3",
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

/// Appends to `upk_buku` the entries of a book that are not there yet, after checking
/// that those already there are unchanged: a book only grows.
async fn append_book<T: Serialize>(
    conn: &mut PgConnection,
    buku: &str,
    kunci: &str,
    kode_desa: &Kode,
    entries: &[Entry<T>],
) -> Result<()> {
    let stored: Vec<(i64, String)> = sqlx::query_as(
        "SELECT entri, data FROM upk_buku WHERE buku = $1 AND kunci = $2 ORDER BY entri",
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
