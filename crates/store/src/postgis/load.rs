//! Writing a whole atlas ([`AtlasCopy`]) into the database in one transaction.

use sqlx::{AssertSqlSafe, PgConnection};

use super::{PgStore, foto, layers, places, records, upk};
use crate::copy::{ATLAS_TABLES, AtlasCopy};
use crate::error::{DbContext, Result, StoreError};
use crate::{KegiatanWrite, SiteplanWrite};

/// How many records the atlas tables of the database hold.
async fn held(conn: &mut PgConnection) -> Result<i64> {
    let sum = ATLAS_TABLES
        .iter()
        .map(|t| format!("(SELECT count(*) FROM {t})"))
        .collect::<Vec<_>>()
        .join(" + ");
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT {sum}")))
        .fetch_one(conn)
        .await
        .ctx("counting what the database holds")
}

impl PgStore {
    /// Writes `atlas` into this store in one transaction: whole, or nothing. A store that
    /// holds records already is refused ([`StoreError::Conflict`]) unless `replace`,
    /// which empties it first (its audit log too: the copy's log replaces it). Works and
    /// siteplans and the UPK's records keep their versions, audit lines their ids and
    /// times, collection records their ids.
    pub async fn load_atlas(&self, atlas: &AtlasCopy, replace: bool) -> Result<()> {
        let mut tx = self.begin_write("copying an atlas in").await?;
        let found = held(&mut tx).await?;
        if found > 0 {
            if !replace {
                return Err(StoreError::Conflict(format!(
                    "{}: already holds an atlas ({found} records); refusing to write over it (--force replaces it)",
                    self.location
                )));
            }
            // The append-only triggers are lifted for this transaction only.
            const LIFTED: [(&str, &str); 3] = [
                ("kumuh_audit", "kumuh_audit_no_update"),
                ("upk_buku", "upk_buku_no_update"),
                ("upk_penagihan", "upk_penagihan_no_update"),
            ];
            let mut sql = String::new();
            for (table, trigger) in LIFTED {
                sql.push_str(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger};"));
            }
            for t in ATLAS_TABLES {
                sql.push_str(&format!("DELETE FROM {t};"));
            }
            for (table, trigger) in LIFTED {
                sql.push_str(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger};"));
            }
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .ctx(format!("emptying {}", self.location))?;
        }
        places::write_places(&mut tx, &atlas.places).await?;
        layers::write_lokasi(&mut tx, &atlas.lokasi).await?;
        layers::write_jaringan(&mut tx, &atlas.jaringan).await?;
        layers::write_assessments(&mut tx, &atlas.assessments).await?;
        for (user, hash) in &atlas.users {
            crate::users::add_user(&mut *tx, user, hash).await?;
        }
        for k in &atlas.kegiatan {
            let write = KegiatanWrite::new(&k.kegiatan);
            records::save_kegiatan(&mut tx, &write).await?;
            stamp(
                &mut tx,
                "kegiatan",
                "versi",
                k.kegiatan.id().as_str(),
                k.versi,
                &k.diubah,
            )
            .await?;
        }
        foto::load(&mut tx, &atlas.foto).await?;
        for s in &atlas.siteplan {
            let write = SiteplanWrite {
                siteplan: &s.siteplan,
                revisi: None,
                audit: vec![],
            };
            records::save_siteplan(&mut tx, &write).await?;
            stamp(
                &mut tx,
                "siteplan",
                "revisi",
                s.siteplan.id().as_str(),
                s.revisi,
                &s.diubah,
            )
            .await?;
        }
        upk::load(&mut tx, atlas).await?;
        for a in &atlas.audit {
            sqlx::query(
                "INSERT INTO kumuh_audit (fid, waktu, pengguna, entitas, kunci, aksi, versi, sebelum, sesudah)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(a.id)
            .bind(&a.waktu)
            .bind(&a.pengguna)
            .bind(&a.entitas)
            .bind(&a.kunci)
            .bind(&a.aksi)
            .bind(a.versi)
            .bind(a.sebelum.as_ref().map(serde_json::Value::to_string))
            .bind(a.sesudah.as_ref().map(serde_json::Value::to_string))
            .execute(&mut *tx)
            .await
            .ctx(format!("copying audit line {}", a.id))?;
        }
        // New audit lines and collection records continue after the copied ones.
        for table in ["kumuh_audit", "upk_penagihan"] {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'fid'),
                               greatest((SELECT max(fid) FROM {table}), 1))"
            )))
            .execute(&mut *tx)
            .await
            .ctx(format!("continuing the numbering of {table}"))?;
        }
        tx.commit()
            .await
            .ctx(format!("committing the copy into {}", self.location))
    }
}

/// Gives a copied record the version and change time it had.
async fn stamp(
    conn: &mut PgConnection,
    table: &str,
    version: &str,
    id: &str,
    versi: i64,
    diubah: &str,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET {version} = $1, diubah = $2 WHERE id = $3"
    )))
    .bind(versi)
    .bind(diubah)
    .bind(id)
    .execute(conn)
    .await
    .ctx(format!("copying the version of {table} {id}"))?;
    Ok(())
}
