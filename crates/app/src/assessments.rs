//! Slum assessments: the stored record of an assessed row, and storing imported ones.

use kumuh_domain::assessment::{Dasar, Hasil};
use kumuh_store::{AssessmentRecord, AssessmentWriter, UpsertReport};

use crate::{Atlas, Result};

/// The stored record of one assessed row, with its published result (beside the survey,
/// which the record keeps from the row), basis and date.
pub fn record_of(
    a: &kumuh_io::assessment::AssessedRow,
    result: Hasil,
    dasar: Dasar,
    tanggal: Option<String>,
) -> AssessmentRecord {
    AssessmentRecord {
        kode_lokasi: a.result.kode_lokasi.clone(),
        nama_lokasi: a.result.nama_lokasi.clone(),
        kode_desa: a.result.kode_desa.clone(),
        tahun: a.result.tahun,
        rule_set_id: a.result.rule_set_id.clone(),
        rule_set_version: a.result.rule_set_version.clone(),
        luas_ha: a.source.input.luas_ha,
        total: a.result.total,
        class: a.result.class,
        priority: a.result.priority.as_ref().map(|p| p.code.clone()),
        masukan: Some(a.source.input.clone()),
        result,
        dasar,
        tanggal,
    }
}

/// Stores imported assessments (one transaction). A serving server's tiles follow
/// through the store's change feed.
pub async fn import(atlas: &Atlas, records: &[AssessmentRecord]) -> Result<UpsertReport> {
    Ok(atlas.store.upsert_assessments(records).await?)
}

/// An import of assessments that arrive in batches (a large table read row by row): all
/// of them are stored in one transaction by [`AssessmentImport::commit`], or, if the
/// import is dropped before that, none.
#[derive(Debug)]
pub struct AssessmentImport {
    writer: Box<dyn AssessmentWriter>,
}

/// Starts a batched import (see [`AssessmentImport`]); other writes to the store wait
/// until it is committed or dropped.
pub async fn begin_import(atlas: &Atlas) -> Result<AssessmentImport> {
    Ok(AssessmentImport {
        writer: atlas.store.begin_assessments().await?,
    })
}

impl AssessmentImport {
    /// Writes one batch inside the import's transaction.
    pub async fn write(&mut self, records: &[AssessmentRecord]) -> Result<()> {
        Ok(self.writer.write(records).await?)
    }

    /// Stores every batch written, and tells how many records were new and how many
    /// replaced an assessment of the same location, year and basis.
    pub async fn commit(self) -> Result<UpsertReport> {
        Ok(self.writer.commit().await?)
    }
}
