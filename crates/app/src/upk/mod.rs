//! Revolving loans (pinjaman dana bergulir): the use cases of the UPK, the LKM's
//! revolving-loan unit, over its KSM, their savings and loans.
//!
//! Who sees what: the details (members' and borrowers' names, NIKs, single loans and the
//! arrears list) are personal data and need [`Action::ReadUpk`] for the desa: its `upk`
//! and `lkm` users, `kabupaten` and `admin`. Everyone else, anonymous callers and
//! `viewer` included, gets totals per desa only. Writes need [`Action::EditUpk`]: the
//! desa's `upk` user, or an admin. Every write lands in the audit log with the record's
//! new version, in the same transaction.

mod bulanan;
mod impor;
mod laporan;

mod siklus;
mod tagih;
mod tulis;

use std::collections::BTreeMap;

use kumuh_domain::upk::{
    Angsuran, AturanKolektibilitas, DaftarNik, JenisKelamin, Ksm, Pinjaman, Posisi, UpkError,
};
use kumuh_domain::works::{Rupiah, Tanggal};
use kumuh_domain::{Action, Kode, User};
use serde::Serialize;
use serde_json::Value;

use crate::{AppError, Atlas, Result};

pub use bulanan::{KinerjaBulan, MAKS_BULAN, kinerja_bulanan};
pub use impor::{HasilImpor, impor_pinjaman};
pub use laporan::{
    KinerjaDesa, KinerjaWilayah, NilaiPersen, TunggakanWilayah, kinerja, laba_ke_kegiatan,
    tunggakan,
};
pub use siklus::{Putuskan, cairkan, hapus_buku, putuskan};
pub use tagih::{
    BarisPenagihan, CatatPenyebab, HasilBaris, HasilBaru, RencanaBaru, catat_penyebab,
    daftar_penagihan, hasil_penagihan, rencana_penagihan,
};
pub use tulis::{
    AnggotaBaru, BuatKsm, BuatPinjaman, CatatTabungan, JenisTabungan, UbahKsm, angsuran,
    batal_angsuran, buat_ksm, buat_pinjaman, catat_tabungan, sumber_bayar, ubah_ksm,
};

impl From<UpkError> for AppError {
    fn from(e: UpkError) -> Self {
        match &e {
            UpkError::InvalidField { field, .. } => AppError::invalid(field, e.to_string()),
            _ => AppError::rule(e),
        }
    }
}

/// Whether `user` may read the revolving-loan details of the desa `kode`.
pub fn boleh_baca(user: Option<&User>, kode: &Kode) -> bool {
    kumuh_domain::authorize(
        user,
        &Action::ReadUpk {
            kode_desa: kode.clone(),
        },
    )
    .is_ok()
}

/// The details of the desa `kode`, or why not (unauthenticated, or forbidden).
pub(crate) fn harus_baca(user: Option<&User>, kode: &Kode) -> Result<()> {
    kumuh_domain::authorize(
        user,
        &Action::ReadUpk {
            kode_desa: kode.clone(),
        },
    )?;
    Ok(())
}

/// Today in UTC, the default date of a standing.
pub fn hari_ini() -> Result<Tanggal> {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs() / 86_400).ok());
    days.and_then(Tanggal::from_day_number)
        .ok_or_else(|| AppError::internal("the system clock is outside 0001-9999"))
}

/// A KSM's totals, the part of it everyone may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RingkasDesa {
    /// The desa (Kemendagri code).
    #[schema(example = "35.19.09.2014")]
    pub kode_desa: String,
    /// KSM in the desa.
    pub jumlah_ksm: u32,
    /// Current members of those KSM (not yet left).
    pub jumlah_anggota: u32,
    /// Of which women.
    pub anggota_perempuan: u32,
    /// Loans disbursed and still running (neither repaid nor written off), today.
    pub pinjaman_aktif: u32,
    /// Outstanding principal of those loans, today.
    pub sisa_pokok_rp: i64,
    /// Group savings, today.
    pub saldo_tabungan_rp: i64,
}

/// One KSM in a list, for users who may read its desa's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KsmBaris {
    /// Id.
    #[schema(example = "ksm-berkah-jaya")]
    pub id: String,
    /// Desa code.
    pub kode_desa: String,
    /// Name.
    #[schema(example = "KSM Berkah Jaya")]
    pub nama: String,
    /// `ekonomi`, `lingkungan` or `sosial`.
    pub jenis: String,
    /// Current members.
    pub jumlah_anggota: u32,
    /// Savings balance, today.
    pub saldo_tabungan_rp: i64,
    /// Loans of the group, with their class today where disbursed.
    pub pinjaman: Vec<PinjamanBaris>,
    /// Illustrative data (contoh).
    pub contoh: bool,
}

/// A loan in a list: its terms and where it stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PinjamanBaris {
    /// Id.
    pub id: String,
    /// Status: `diajukan`, `disetujui`, `ditolak`, `berjalan`, `lunas`, `dihapus_buku`.
    pub status: String,
    /// Principal lent.
    pub pokok_rp: i64,
    /// Outstanding principal today, where disbursed.
    pub sisa_pokok_rp: Option<i64>,
    /// Class 1-5 today, where disbursed.
    pub kolektibilitas: Option<u8>,
}

/// `GET /api/ksm`: KSM one by one where the caller may read them, and totals per desa
/// for every desa of the area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DaftarKsm {
    /// KSM of the desa whose details the caller may read.
    pub ksm: Vec<KsmBaris>,
    /// Totals per desa, for every desa with a KSM.
    pub per_desa: Vec<RingkasDesa>,
}

/// A KSM with its savings and loans, for users who may read its desa's details.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KsmDetail {
    /// Id.
    pub id: String,
    /// The group as stored: members, rules, Pancasutra and independence checks.
    #[schema(value_type = Object)]
    pub ksm: Value,
    /// Version: send it back as `versi` (or `If-Match`) with a change.
    pub versi: i64,
    /// Members' NIKs by member number.
    #[schema(value_type = Option<Object>)]
    pub nik: Option<DaftarNik>,
    /// The savings book, entries oldest first.
    #[schema(value_type = Object)]
    pub tabungan: Value,
    /// The savings balance today.
    pub saldo_tabungan_rp: i64,
    /// Version of the savings book (0 when it has no entry yet).
    pub versi_tabungan: i64,
    /// The group's loans.
    pub pinjaman: Vec<PinjamanBaris>,
}

/// A loan with its schedule and its standing on a date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PinjamanDetail {
    /// Id.
    #[schema(example = "P-01")]
    pub id: String,
    /// The borrowing KSM.
    pub ksm: String,
    /// The desa.
    pub kode_desa: String,
    /// Status today (see [`PinjamanBaris::status`]).
    pub status: String,
    /// The loan as stored: terms, decision, disbursement, book.
    #[schema(value_type = Object)]
    pub pinjaman: Value,
    /// Version: send it back with a change.
    pub versi: i64,
    /// The instalment schedule (empty before disbursement).
    #[schema(value_type = Vec<Object>)]
    pub jadwal: Vec<Angsuran>,
    /// The date of the standing.
    #[schema(value_type = String, example = "2026-07-10")]
    pub per: Tanggal,
    /// Outstanding principal.
    pub sisa_pokok_rp: i64,
    /// Principal of the instalments due and not paid.
    pub tunggakan_pokok_rp: i64,
    /// Service of the instalments due and not paid.
    pub tunggakan_jasa_rp: i64,
    /// Instalments due and not fully paid.
    pub angsuran_tertunggak: u16,
    /// Days since the oldest unpaid instalment fell due.
    pub hari_tunggak: u32,
    /// Class 1-5 (1 before disbursement).
    pub kolektibilitas: u8,
    /// Causes of arrears noted by `per`, each once, in the order first noted
    /// (`seleksi_lemah`, `usaha_gagal`, `meninggal`, `pindah`, `karakter`, `lainnya`);
    /// the notes themselves are in `pinjaman.penyebab_tunggakan`.
    pub penyebab: Vec<String>,
    /// The whole standing, `null` before disbursement.
    #[schema(value_type = Option<Object>)]
    pub posisi: Option<Posisi>,
}

/// Status code as JSON spells it.
fn status_code(p: &Pinjaman) -> Result<String> {
    let s = p.status()?;
    Ok(serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default())
}

fn pinjaman_baris(p: &Pinjaman, per: Tanggal) -> Result<PinjamanBaris> {
    let pos = p.posisi(per)?;
    Ok(PinjamanBaris {
        id: p.id.as_str().to_owned(),
        status: status_code(p)?,
        pokok_rp: p.syarat().pokok_rp.get(),
        sisa_pokok_rp: pos.as_ref().map(|x| x.sisa_pokok_rp.get()),
        kolektibilitas: pos.as_ref().map(|x| x.kolektibilitas.kelas()),
    })
}

fn anggota_kini(k: &Ksm) -> impl Iterator<Item = &kumuh_domain::upk::AnggotaKsm> {
    k.anggota().iter().filter(|a| a.keluar.is_none())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Lists the KSM of an area: one by one for the desa whose details the caller may read,
/// totals per desa for all.
pub async fn daftar_ksm(
    atlas: &Atlas,
    user: Option<&User>,
    wilayah: Option<&Kode>,
) -> Result<DaftarKsm> {
    let per = hari_ini()?;
    let ksm = atlas.store.list_ksm(wilayah).await?;
    let tabungan: BTreeMap<String, Rupiah> = atlas
        .store
        .list_tabungan(wilayah)
        .await?
        .into_iter()
        .map(|t| Ok((t.tabungan.ksm.as_str().to_owned(), t.tabungan.saldo()?)))
        .collect::<Result<_>>()?;
    let pinjaman = atlas.store.list_pinjaman(wilayah, None).await?;
    let mut out = DaftarKsm::default();
    let mut per_desa: BTreeMap<String, RingkasDesa> = BTreeMap::new();
    for s in &ksm {
        let k = &s.ksm;
        let desa = k.kode_desa.as_str().to_owned();
        let saldo = tabungan.get(k.id.as_str()).map_or(0, |r| r.get());
        let r = per_desa.entry(desa.clone()).or_insert_with(|| RingkasDesa {
            kode_desa: desa.clone(),
            ..RingkasDesa::default()
        });
        r.jumlah_ksm += 1;
        r.jumlah_anggota += count(anggota_kini(k).count());
        r.anggota_perempuan += count(
            anggota_kini(k)
                .filter(|a| a.jenis_kelamin == JenisKelamin::P)
                .count(),
        );
        r.saldo_tabungan_rp = r.saldo_tabungan_rp.saturating_add(saldo);
        if boleh_baca(user, &k.kode_desa) {
            let rows = pinjaman
                .iter()
                .filter(|p| p.pinjaman.ksm == k.id)
                .map(|p| pinjaman_baris(&p.pinjaman, per))
                .collect::<Result<Vec<_>>>()?;
            out.ksm.push(KsmBaris {
                id: k.id.as_str().to_owned(),
                kode_desa: desa,
                nama: k.nama.clone(),
                jenis: serde_json::to_value(k.jenis)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                jumlah_anggota: count(anggota_kini(k).count()),
                saldo_tabungan_rp: saldo,
                pinjaman: rows,
                contoh: k.contoh,
            });
        }
    }
    for p in &pinjaman {
        if let Some(pos) = p.pinjaman.posisi(per)?
            && pos.aktif()
        {
            let desa = p.pinjaman.kode_desa.as_str().to_owned();
            let r = per_desa.entry(desa.clone()).or_insert_with(|| RingkasDesa {
                kode_desa: desa,
                ..RingkasDesa::default()
            });
            r.pinjaman_aktif += 1;
            r.sisa_pokok_rp = r.sisa_pokok_rp.saturating_add(pos.sisa_pokok_rp.get());
        }
    }
    out.per_desa = per_desa.into_values().collect();
    Ok(out)
}

/// One KSM with its NIKs, savings and loans; needs the details of its desa.
pub async fn ksm(atlas: &Atlas, user: Option<&User>, id: &str) -> Result<KsmDetail> {
    let stored = atlas
        .store
        .ksm(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("ksm {id} does not exist")))?;
    harus_baca(user, &stored.ksm.kode_desa)?;
    let per = hari_ini()?;
    let nik = atlas.store.ksm_nik(id).await?;
    let tab = atlas.store.tabungan(id).await?;
    let (tabungan, saldo, versi_tabungan) = match &tab {
        Some(t) => (
            serde_json::to_value(&t.tabungan).map_err(AppError::internal)?,
            t.tabungan.saldo()?.get(),
            t.versi,
        ),
        None => (serde_json::json!({"ksm": id, "buku": []}), 0, 0),
    };
    let pinjaman = atlas
        .store
        .list_pinjaman(Some(&stored.ksm.kode_desa), Some(id))
        .await?
        .iter()
        .map(|p| pinjaman_baris(&p.pinjaman, per))
        .collect::<Result<Vec<_>>>()?;
    Ok(KsmDetail {
        id: id.to_owned(),
        ksm: serde_json::to_value(&stored.ksm).map_err(AppError::internal)?,
        versi: stored.versi,
        nik,
        tabungan,
        saldo_tabungan_rp: saldo,
        versi_tabungan,
        pinjaman,
    })
}

/// One loan with its schedule and its standing on `per` (today by default); needs the
/// details of its desa.
pub async fn pinjaman(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    per: Option<Tanggal>,
) -> Result<PinjamanDetail> {
    let stored = atlas
        .store
        .pinjaman(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("pinjaman {id} does not exist")))?;
    harus_baca(user, &stored.pinjaman.kode_desa)?;
    detail(
        &atlas.kolektibilitas,
        &stored.pinjaman,
        stored.versi,
        per.map_or_else(hari_ini, Ok)?,
    )
}

pub(crate) fn detail(
    aturan: &AturanKolektibilitas,
    p: &Pinjaman,
    versi: i64,
    per: Tanggal,
) -> Result<PinjamanDetail> {
    let pos = p.posisi_dengan(per, aturan)?;
    let get = |f: fn(&Posisi) -> i64| pos.as_ref().map_or(0, f);
    Ok(PinjamanDetail {
        id: p.id.as_str().to_owned(),
        ksm: p.ksm.as_str().to_owned(),
        kode_desa: p.kode_desa.as_str().to_owned(),
        status: status_code(p)?,
        pinjaman: serde_json::to_value(p).map_err(AppError::internal)?,
        versi,
        jadwal: p.jadwal()?,
        per,
        sisa_pokok_rp: get(|x| x.sisa_pokok_rp.get()),
        tunggakan_pokok_rp: get(|x| x.tunggakan_pokok_rp.get()),
        tunggakan_jasa_rp: get(|x| x.tunggakan_jasa_rp.get()),
        angsuran_tertunggak: pos.as_ref().map_or(0, |x| x.angsuran_tertunggak),
        hari_tunggak: pos.as_ref().map_or(0, |x| x.hari_tunggak),
        kolektibilitas: pos.as_ref().map_or(1, |x| x.kolektibilitas.kelas()),
        penyebab: p
            .penyebab_per(per)
            .into_iter()
            .filter_map(|c| {
                serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
            })
            .collect(),
        posisi: pos,
    })
}
