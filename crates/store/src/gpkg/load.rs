//! Writing a whole atlas ([`AtlasCopy`]) into the file in one transaction.

use sqlx::{AssertSqlSafe, SqliteConnection};

use super::{GpkgStore, foto, layers, places, siteplan, touch_contents, upk, works};
use crate::copy::{ATLAS_TABLES, AtlasCopy};
use crate::error::{DbContext, Result, StoreError};
use crate::{KegiatanWrite, SiteplanWrite};

/// How many records the atlas tables of the file hold.
async fn held(conn: &mut SqliteConnection) -> Result<i64> {
    let sum = ATLAS_TABLES
        .iter()
        .map(|t| format!("(SELECT count(*) FROM {t})"))
        .collect::<Vec<_>>()
        .join(" + ");
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT {sum}")))
        .fetch_one(conn)
        .await
        .ctx("counting what the store holds")
}

impl GpkgStore {
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
                    self.path.display()
                )));
            }
            // The append-only triggers are lifted inside this transaction only.
            let mut sql = String::from(
                "DROP TRIGGER kumuh_audit_no_delete; DROP TRIGGER upk_buku_no_delete;
                 DROP TRIGGER upk_penagihan_no_delete;",
            );
            for t in ATLAS_TABLES {
                sql.push_str(&format!("DELETE FROM {t};"));
            }
            for trigger in [super::schema::AUDIT_NO_DELETE]
                .into_iter()
                .chain(super::schema::UPK_NO_DELETE)
            {
                sql.push_str(trigger);
                sql.push(';');
            }
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .ctx(format!("emptying {}", self.path.display()))?;
            for t in ["provinsi", "kabupaten", "kecamatan", "desa", "rw", "rt"] {
                touch_contents(&mut tx, t).await?;
            }
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
            works::save_in(&mut tx, &write).await?;
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
            siteplan::save_in(&mut tx, &write).await?;
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
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        tx.commit()
            .await
            .ctx(format!("committing the copy into {}", self.path.display()))
    }
}

/// Gives a copied record the version and change time it had.
async fn stamp(
    conn: &mut SqliteConnection,
    table: &str,
    version: &str,
    id: &str,
    versi: i64,
    diubah: &str,
) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET {version} = ?, diubah = ? WHERE id = ?"
    )))
    .bind(versi)
    .bind(diubah)
    .bind(id)
    .execute(conn)
    .await
    .ctx(format!("copying the version of {table} {id}"))?;
    Ok(())
}
