//! The UPK's reports: performance indicators (public, totals only) and the arrears list
//! (details, for users who may read them), and the net profit given to works.

use std::collections::BTreeMap;

use kumuh_domain::upk::{
    AturanKolektibilitas, DaftarTunggakan, LabaKeSegmen, Nilai, Pinjaman, daftar_tunggakan,
    indikator, laba_ke_segmen,
};
use kumuh_domain::works::Tanggal;
use kumuh_domain::{Kode, User};
use kumuh_store::KegiatanQuery;
use serde::Serialize;

use super::{boleh_baca, hari_ini};
use crate::{AppError, Atlas, Result};

/// An indicator as the API shows it: the percentage (two decimals) and its band.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NilaiPersen {
    /// Numerator of the exact fraction.
    pub pembilang: i64,
    /// Denominator (0: no value).
    pub penyebut: i64,
    /// The percentage, rounded to two decimals; `null` with a zero denominator.
    #[schema(example = 25.0)]
    pub persen: Option<f64>,
    /// `baik`, `cukup` or `kurang`; `null` with a zero denominator.
    #[schema(example = "kurang")]
    pub pita: Option<String>,
}

impl From<Nilai> for NilaiPersen {
    fn from(n: Nilai) -> Self {
        // Basis points are exact integers; two decimals of a percent fit an f64 exactly
        // enough for display.
        #[allow(clippy::cast_precision_loss)]
        let persen = n.persen_bp.map(|bp| bp as f64 / 100.0);
        NilaiPersen {
            pembilang: n.pembilang,
            penyebut: n.penyebut,
            persen,
            pita: n.pita.and_then(|p| {
                serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
            }),
        }
    }
}

/// The indicators of one desa (or the whole area).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KinerjaDesa {
    /// The desa, or the area asked for.
    #[schema(example = "35.19.09.2014")]
    pub kode: String,
    /// Loans disbursed by the date.
    pub pinjaman_dicairkan: u32,
    /// Loans running on the date.
    pub pinjaman_aktif: u32,
    /// Groups with a running loan.
    pub ksm_aktif: u32,
    /// Groups with a running loan 3 or more instalments behind.
    pub ksm_menunggak: u32,
    /// Outstanding principal of running loans.
    pub outstanding_rp: i64,
    /// Of which in loans 3 or more instalments behind.
    pub outstanding_menunggak_rp: i64,
    /// Loan at risk: groups in arrears ÷ active groups (good below 10 %, poor above 20 %).
    pub lar_persen: NilaiPersen,
    /// Portfolio at risk: outstanding in arrears ÷ outstanding.
    pub par_persen: NilaiPersen,
    /// Repayment rate: principal paid on what fell due ÷ principal due (good above 90 %).
    pub rr_persen: NilaiPersen,
}

/// `GET /api/upk/kinerja`: indicators of an area and of each of its desa; totals only,
/// so everyone may read them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KinerjaWilayah {
    /// The date.
    #[schema(value_type = String, example = "2026-07-10")]
    pub per: Tanggal,
    /// The whole area (`kode` is the area asked for, or `semua`).
    pub total: KinerjaDesa,
    /// Each desa with a loan.
    pub per_desa: Vec<KinerjaDesa>,
}

fn kinerja_of<'a>(
    aturan: &AturanKolektibilitas,
    kode: String,
    loans: impl IntoIterator<Item = &'a Pinjaman>,
    per: Tanggal,
) -> Result<KinerjaDesa> {
    let i = indikator(loans, per, aturan, None)?;
    Ok(KinerjaDesa {
        kode,
        pinjaman_dicairkan: i.pinjaman_dicairkan,
        pinjaman_aktif: i.pinjaman_aktif,
        ksm_aktif: i.ksm_aktif,
        ksm_menunggak: i.ksm_menunggak,
        outstanding_rp: i.outstanding_rp.get(),
        outstanding_menunggak_rp: i.outstanding_menunggak_rp.get(),
        lar_persen: i.lar.into(),
        par_persen: i.par.into(),
        rr_persen: i.tingkat_pengembalian.into(),
    })
}

/// The indicators of the loans of an area on a date (today by default), and of each
/// desa in it.
pub async fn kinerja(
    atlas: &Atlas,
    wilayah: Option<&Kode>,
    per: Option<Tanggal>,
) -> Result<KinerjaWilayah> {
    let per = per.map_or_else(hari_ini, Ok)?;
    let stored = atlas.store.list_pinjaman(wilayah, None).await?;
    let mut by_desa: BTreeMap<&str, Vec<&Pinjaman>> = BTreeMap::new();
    for s in &stored {
        by_desa
            .entry(s.pinjaman.kode_desa.as_str())
            .or_default()
            .push(&s.pinjaman);
    }
    let per_desa = by_desa
        .into_iter()
        .map(|(kode, loans)| kinerja_of(&atlas.kolektibilitas, kode.to_owned(), loans, per))
        .collect::<Result<Vec<_>>>()?;
    let name = wilayah.map_or_else(|| "semua".to_owned(), |k| k.as_str().to_owned());
    Ok(KinerjaWilayah {
        per,
        total: kinerja_of(
            &atlas.kolektibilitas,
            name,
            stored.iter().map(|s| &s.pinjaman),
            per,
        )?,
        per_desa,
    })
}

/// `GET /api/upk/tunggakan`: the arrears list with the borrowing groups' names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TunggakanWilayah {
    /// The list: every running loan with an instalment behind, worst first, and totals.
    #[schema(value_type = Object)]
    pub daftar: DaftarTunggakan,
    /// The groups' names by id.
    pub nama_ksm: BTreeMap<String, String>,
}

/// The arrears list of the desa of an area whose details the caller may read; needs a
/// signed-in user, and a desa asked for by code must be one the user may read.
pub async fn tunggakan(
    atlas: &Atlas,
    user: Option<&User>,
    wilayah: Option<&Kode>,
    per: Option<Tanggal>,
) -> Result<TunggakanWilayah> {
    if user.is_none() {
        return Err(AppError::Unauthenticated(
            "sign in first: the arrears list names borrowers".into(),
        ));
    }
    if let Some(w) = wilayah
        && w.level() == kumuh_domain::Level::Desa
    {
        super::harus_baca(user, w)?;
    }
    let per = per.map_or_else(hari_ini, Ok)?;
    let stored = atlas.store.list_pinjaman(wilayah, None).await?;
    let readable: Vec<&Pinjaman> = stored
        .iter()
        .map(|s| &s.pinjaman)
        .filter(|p| boleh_baca(user, &p.kode_desa))
        .collect();
    if readable.is_empty() && !stored.is_empty() {
        // Nothing of the area is the caller's to read: say so rather than answer an
        // empty list that looks like no arrears.
        super::harus_baca(user, &stored[0].pinjaman.kode_desa)?;
    }
    let daftar = daftar_tunggakan(readable, per, &atlas.kolektibilitas)?;
    let mut nama_ksm = BTreeMap::new();
    for k in atlas.store.list_ksm(wilayah).await? {
        if daftar.baris.iter().any(|b| b.ksm == k.ksm.id) {
            nama_ksm.insert(k.ksm.id.as_str().to_owned(), k.ksm.nama);
        }
    }
    Ok(TunggakanWilayah { daftar, nama_ksm })
}

/// The UPK's net profit given to the works of an area, read from the works' funding
/// ledgers where each allocation is recorded once.
pub async fn laba_ke_kegiatan(atlas: &Atlas, wilayah: Option<&Kode>) -> Result<Vec<LabaKeSegmen>> {
    let works = atlas
        .store
        .list_kegiatan(&KegiatanQuery {
            wilayah: wilayah.cloned(),
            tahun: None,
        })
        .await?;
    let (rows, _) = laba_ke_segmen(works.iter().map(|w| &w.kegiatan))?;
    Ok(rows)
}
