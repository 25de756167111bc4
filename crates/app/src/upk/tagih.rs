//! The arrears workflow: causes of arrears noted on a loan, collection plans (who visits
//! which group, when) and what each visit found.
//!
//! Plans and results are append-only collection records; a result names the plan it
//! carries out, and a plan has at most one result. A visit that collected money records
//! that money on the loan as a repayment from `penagihan` in the same transaction.
//! Listing them names groups and visitors, so it needs [`kumuh_domain::Action::ReadUpk`]
//! for the desa, as the arrears list does.

use std::collections::BTreeMap;

use kumuh_domain::upk::{
    CatatanPenyebab, Hasil, HasilKunjungan, Pembayaran, Penyebab, RencanaPenagihan, SumberBayar,
};
use kumuh_domain::works::{Rupiah, Tanggal};
use kumuh_domain::{Kode, Level, User};
use kumuh_store::{Penagihan, StoredPenagihan, UpkWrite, Versi};
use serde::Serialize;
use serde_json::json;

use super::PinjamanDetail;
use super::tulis::{line, load_pinjaman, may_edit, ubah_pinjaman};
use super::{boleh_baca, harus_baca};
use crate::{AppError, Atlas, Result};

/// A cause of arrears to note on a loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatatPenyebab {
    /// The day it was noted.
    pub tanggal: Tanggal,
    /// The cause.
    pub penyebab: Penyebab,
    /// Details; required for `lainnya`.
    pub keterangan: Option<String>,
    /// The loan's version read; the stored one when not given.
    pub versi: Option<i64>,
}

/// Notes a cause of arrears on a loan; answers the loan standing on that day, whose
/// `penyebab` lists the causes noted so far.
pub async fn catat_penyebab(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    cmd: CatatPenyebab,
) -> Result<PinjamanDetail> {
    let keterangan = cmd
        .keterangan
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty());
    ubah_pinjaman(atlas, user, id, cmd.versi, |p, _| {
        if p.tanggal_cair().is_none() {
            return Err(AppError::invalid(
                "pinjaman",
                format!("pinjaman {id} is not disbursed, so it cannot be in arrears"),
            ));
        }
        p.catat_penyebab(CatatanPenyebab {
            tanggal: cmd.tanggal,
            penyebab: cmd.penyebab,
            keterangan: keterangan.clone(),
        })?;
        let logged =
            json!({"tanggal": cmd.tanggal, "penyebab": cmd.penyebab, "keterangan": keterangan});
        Ok(("penyebab", logged, cmd.tanggal))
    })
    .await
}

/// A collection visit to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RencanaBaru {
    /// The loan in arrears.
    pub pinjaman: String,
    /// Who visits.
    pub petugas: Vec<String>,
    /// The planned day.
    pub tanggal: Tanggal,
    /// Whether the village government comes along.
    pub bersama_pemerintah_desa: bool,
    /// What the visit is for.
    pub catatan: Option<String>,
}

/// What a visit found, for the plan it carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HasilBaru {
    /// The day of the visit.
    pub tanggal: Tanggal,
    /// The outcome.
    pub hasil: Hasil,
    /// Who visited; the plan's visitors when not given.
    pub petugas: Option<Vec<String>>,
    /// Money collected (required for `membayar`); recorded on the loan as a repayment.
    pub jumlah_rp: Option<Rupiah>,
    /// The promised day, for `janji_bayar`.
    pub janji_tanggal: Option<Tanggal>,
    /// Notes (required for `lainnya`).
    pub catatan: Option<String>,
}

/// A visit's result as a plan line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HasilBaris {
    /// The day of the visit.
    #[schema(value_type = String, example = "2026-07-14")]
    pub tanggal: Tanggal,
    /// `membayar`, `janji_bayar`, `tidak_ditemui`, `menolak` or `lainnya`.
    #[schema(example = "janji_bayar")]
    pub hasil: String,
    /// Notes.
    pub catatan: Option<String>,
    /// Who visited.
    pub petugas: Vec<String>,
    /// Money collected, whole rupiah.
    pub jumlah_rp: Option<i64>,
    /// The promised day of payment.
    #[schema(value_type = Option<String>)]
    pub janji_tanggal: Option<Tanggal>,
}

/// A plan line of the collection plan, with its result once there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BarisPenagihan {
    /// The plan's id (send results to `/api/upk/penagihan/{id}/hasil`).
    pub id: i64,
    /// The loan.
    #[schema(example = "P-01")]
    pub pinjaman: String,
    /// The group's name.
    #[schema(example = "KSM Maju")]
    pub ksm: String,
    /// The group's id.
    pub ksm_id: String,
    /// The desa.
    #[schema(example = "35.19.09.2014")]
    pub kode_desa: String,
    /// Who visits.
    pub petugas: Vec<String>,
    /// The planned day.
    #[schema(value_type = String, example = "2026-07-14")]
    pub tanggal_rencana: Tanggal,
    /// Whether the village government comes along.
    pub bersama_pemerintah_desa: bool,
    /// What the visit is for.
    pub catatan: Option<String>,
    /// What the visit found; `null` until recorded.
    pub hasil: Option<HasilBaris>,
}

fn hasil_code(h: Hasil) -> String {
    serde_json::to_value(h)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn hasil_baris(k: &HasilKunjungan) -> HasilBaris {
    HasilBaris {
        tanggal: k.tanggal,
        hasil: hasil_code(k.hasil),
        catatan: k.catatan.clone(),
        petugas: k.petugas.clone(),
        jumlah_rp: k.jumlah_rp.map(Rupiah::get),
        janji_tanggal: k.janji_tanggal,
    }
}

fn baris(
    id: i64,
    kode_desa: &Kode,
    r: &RencanaPenagihan,
    nama_ksm: &str,
    hasil: Option<&HasilKunjungan>,
) -> BarisPenagihan {
    BarisPenagihan {
        id,
        pinjaman: r.pinjaman.as_str().to_owned(),
        ksm: nama_ksm.to_owned(),
        ksm_id: r.ksm.as_str().to_owned(),
        kode_desa: kode_desa.as_str().to_owned(),
        petugas: r.petugas.clone(),
        tanggal_rencana: r.tanggal,
        bersama_pemerintah_desa: r.bersama_pemerintah_desa,
        catatan: r.catatan.clone(),
        hasil: hasil.map(hasil_baris),
    }
}

fn names(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

async fn nama_ksm(atlas: &Atlas, id: &str) -> Result<String> {
    Ok(atlas
        .store
        .ksm(id)
        .await?
        .map(|k| k.ksm.nama)
        .unwrap_or_default())
}

/// Adds a plan line: who visits the group of a disbursed loan, and when.
pub async fn rencana_penagihan(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: RencanaBaru,
) -> Result<BarisPenagihan> {
    let stored = atlas.store.pinjaman(&cmd.pinjaman).await?.ok_or_else(|| {
        AppError::invalid("pinjaman", format!("there is no pinjaman {}", cmd.pinjaman))
    })?;
    let p = &stored.pinjaman;
    let who = may_edit(user, &p.kode_desa)?;
    if p.tanggal_cair().is_none() {
        return Err(AppError::invalid(
            "pinjaman",
            format!(
                "pinjaman {} is not disbursed: there is nothing to collect",
                p.id
            ),
        ));
    }
    let r = RencanaPenagihan {
        pinjaman: p.id.clone(),
        ksm: p.ksm.clone(),
        tanggal: cmd.tanggal,
        petugas: names(cmd.petugas),
        bersama_pemerintah_desa: cmd.bersama_pemerintah_desa,
        catatan: cmd
            .catatan
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
    };
    if r.petugas.is_empty() {
        return Err(AppError::invalid("petugas", "name who visits"));
    }
    r.check()?;
    let v = atlas
        .store
        .save_upk(&UpkWrite {
            penagihan: vec![(Penagihan::Rencana(r.clone()), p.kode_desa.clone())],
            audit: vec![line(
                &who,
                "penagihan",
                p.id.as_str(),
                "rencana",
                json!({"tanggal": r.tanggal, "jumlah_petugas": r.petugas.len(),
                       "bersama_pemerintah_desa": r.bersama_pemerintah_desa}),
            )],
            ..UpkWrite::default()
        })
        .await?;
    let id = v
        .penagihan
        .ok_or_else(|| AppError::internal("the store did not say which id the plan got"))?;
    Ok(baris(
        id,
        &p.kode_desa,
        &r,
        &nama_ksm(atlas, p.ksm.as_str()).await?,
        None,
    ))
}

/// The plan `id` and its result so far, from the collection records.
fn find_plan(
    records: &[StoredPenagihan],
    id: i64,
) -> Option<(&StoredPenagihan, &RencanaPenagihan, Option<&HasilKunjungan>)> {
    let stored = records.iter().find(|r| r.id == id)?;
    let Penagihan::Rencana(r) = &stored.penagihan else {
        return None;
    };
    let hasil = records.iter().find_map(|x| match &x.penagihan {
        Penagihan::Kunjungan(k) if k.rencana == Some(id) => Some(k),
        _ => None,
    });
    Some((stored, r, hasil))
}

/// Records what the visit of plan `id` found. Money collected is also recorded on the
/// loan as a repayment from `penagihan`, in the same transaction. A plan has one result.
pub async fn hasil_penagihan(
    atlas: &Atlas,
    user: Option<&User>,
    id: i64,
    cmd: HasilBaru,
) -> Result<BarisPenagihan> {
    let records = atlas.store.list_penagihan(None).await?;
    let (stored, r, hasil) = find_plan(&records, id)
        .ok_or_else(|| AppError::NotFound(format!("there is no collection plan {id}")))?;
    let who = may_edit(user, &stored.kode_desa)?;
    if hasil.is_some() {
        return Err(AppError::Conflict {
            code: "conflict",
            message: format!("collection plan {id} already has its result"),
        });
    }
    let k = HasilKunjungan {
        pinjaman: r.pinjaman.clone(),
        rencana: Some(id),
        tanggal: cmd.tanggal,
        petugas: cmd
            .petugas
            .map(names)
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| r.petugas.clone()),
        hasil: cmd.hasil,
        jumlah_rp: cmd.jumlah_rp,
        janji_tanggal: cmd.janji_tanggal,
        catatan: cmd
            .catatan
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
    };
    k.check()?;
    let loan = load_pinjaman(atlas, r.pinjaman.as_str()).await?;
    let mut p = loan.pinjaman.clone();
    let mut audit = vec![line(
        &who,
        "penagihan",
        r.pinjaman.as_str(),
        "hasil",
        json!({"rencana": id, "tanggal": k.tanggal, "hasil": k.hasil, "jumlah_rp": k.jumlah_rp}),
    )];
    let bayar = match (k.hasil, k.jumlah_rp) {
        (Hasil::Membayar, Some(jumlah_rp)) => {
            let entri = p.bayar(Pembayaran {
                tanggal: k.tanggal,
                jumlah_rp,
                sumber: SumberBayar::Penagihan,
                keterangan: Some(format!("penagihan {id}")),
            })?;
            audit.push(line(
                &who,
                "pinjaman",
                r.pinjaman.as_str(),
                "angsuran",
                json!({"entri": entri.0, "tanggal": k.tanggal, "jumlah_rp": jumlah_rp,
                       "sumber": SumberBayar::Penagihan}),
            ));
            true
        }
        _ => false,
    };
    atlas
        .store
        .save_upk(&UpkWrite {
            pinjaman: bayar.then_some(Versi {
                isi: &p,
                versi: Some(loan.versi),
            }),
            penagihan: vec![(Penagihan::Kunjungan(k.clone()), stored.kode_desa.clone())],
            audit,
            ..UpkWrite::default()
        })
        .await?;
    Ok(baris(
        id,
        &stored.kode_desa,
        r,
        &nama_ksm(atlas, r.ksm.as_str()).await?,
        Some(&k),
    ))
}

/// The collection plan of an area, oldest planned day first, each line with its
/// result; only `bulan` (the month of `bulan`'s date) when given. Needs a signed-in
/// user; a desa asked for by code must be one the user may read, and lines of other
/// desa are left out.
pub async fn daftar_penagihan(
    atlas: &Atlas,
    user: Option<&User>,
    wilayah: Option<&Kode>,
    bulan: Option<Tanggal>,
) -> Result<Vec<BarisPenagihan>> {
    if user.is_none() {
        return Err(AppError::Unauthenticated(
            "sign in first: the collection plan names groups and visitors".into(),
        ));
    }
    if let Some(w) = wilayah
        && w.level() == Level::Desa
    {
        harus_baca(user, w)?;
    }
    let records = atlas.store.list_penagihan(wilayah).await?;
    let readable: Vec<&StoredPenagihan> = records
        .iter()
        .filter(|r| boleh_baca(user, &r.kode_desa))
        .collect();
    if readable.is_empty()
        && let Some(first) = records.first()
    {
        // As for the arrears list: refuse rather than answer an empty plan.
        harus_baca(user, &first.kode_desa)?;
    }
    let mut hasil: BTreeMap<i64, &HasilKunjungan> = BTreeMap::new();
    for r in &readable {
        if let Penagihan::Kunjungan(k) = &r.penagihan
            && let Some(plan) = k.rencana
        {
            hasil.entry(plan).or_insert(k);
        }
    }
    let nama: BTreeMap<String, String> = atlas
        .store
        .list_ksm(wilayah)
        .await?
        .into_iter()
        .map(|k| (k.ksm.id.as_str().to_owned(), k.ksm.nama))
        .collect();
    let in_month =
        |t: Tanggal| bulan.is_none_or(|b| (t.tahun(), t.bulan()) == (b.tahun(), b.bulan()));
    let mut out: Vec<BarisPenagihan> = readable
        .iter()
        .filter_map(|s| match &s.penagihan {
            Penagihan::Rencana(r) if in_month(r.tanggal) => Some(baris(
                s.id,
                &s.kode_desa,
                r,
                nama.get(r.ksm.as_str()).map_or("", String::as_str),
                hasil.get(&s.id).copied(),
            )),
            _ => None,
        })
        .collect();
    out.sort_by_key(|b| (b.tanggal_rencana, b.id));
    Ok(out)
}
