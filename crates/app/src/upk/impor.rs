//! A UPK's existing loan book brought in whole (`kumuh import-pinjaman`): each row a loan
//! recorded as approved and disbursed on its `tanggal_cair`, with what was paid to date
//! as one repayment; groups created where the desa has none of that name.
//!
//! Every problem of every row is listed, with row and column, before anything is
//! written; then the whole book is written in one transaction, or nothing is.

use std::collections::{BTreeMap, BTreeSet};

use kumuh_domain::upk::{
    JenisKsm, Ksm, KsmId, Pembayaran, PersenBulan, Pinjaman, PinjamanId, SumberBayar, Syarat,
    UpkError,
};
use kumuh_domain::{Kode, User};
use kumuh_io::upk::{BarisPinjaman, BukuPinjaman, Masalah};
use kumuh_store::{UpkWrite, Versi};
use serde_json::json;

use super::tulis::{line, may_edit};
use crate::{AppError, Atlas, Result};

/// What an import did, or would do with `dry_run`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HasilImpor {
    /// KSM created, as `(id, name)`.
    pub ksm_baru: Vec<(String, String)>,
    /// Loans recorded, by id.
    pub pinjaman: Vec<String>,
    /// Every problem, by row; nothing was written when there is one.
    pub masalah: Vec<Masalah>,
    /// Whether the book was written.
    pub ditulis: bool,
}

/// The column a domain rule's field belongs to, for messages.
fn kolom(field: &str) -> &'static str {
    match field {
        "jasa_persen_bulan" | "syarat_diajukan" => "jasa_persen_bulan",
        "jangka_bulan" => "jangka_bulan",
        "pokok_rp" => "pokok_rp",
        "tanggal_cair" => "tanggal_cair",
        "tanggal" | "jumlah_rp" => "dibayar_rp",
        _ => "-",
    }
}

fn masalah(b: &BarisPinjaman, kolom: &str, pesan: impl Into<String>) -> Masalah {
    Masalah {
        baris: b.baris,
        kolom: kolom.to_owned(),
        pesan: pesan.into(),
    }
}

fn from_domain(b: &BarisPinjaman, e: &UpkError) -> Masalah {
    let k = match e {
        UpkError::InvalidField { field, .. } => kolom(field),
        UpkError::Overpayment { .. } => "dibayar_rp",
        _ => "-",
    };
    masalah(b, k, e.to_string())
}

/// One loan built from its row, approved and disbursed on `tanggal_cair` by `who`.
fn pinjaman(b: &BarisPinjaman, id: PinjamanId, ksm: KsmId, who: &str) -> Result<Pinjaman, Masalah> {
    let jasa = PersenBulan::from_percent(b.jasa_persen_bulan)
        .map_err(|e| masalah(b, "jasa_persen_bulan", e.to_string()))?;
    let syarat = Syarat {
        pokok_rp: b.pokok_rp,
        jangka_bulan: b.jangka_bulan,
        jasa_persen_bulan: jasa,
        metode_jasa: b.metode_jasa,
    };
    let dom = |e: UpkError| from_domain(b, &e);
    let mut p =
        Pinjaman::ajukan(id, ksm, b.kode_desa.clone(), b.tanggal_cair, syarat).map_err(dom)?;
    p.setujui(b.tanggal_cair, who, None).map_err(dom)?;
    p.cairkan(b.tanggal_cair).map_err(dom)?;
    if let Some((jumlah_rp, tanggal)) = b.dibayar {
        p.bayar(Pembayaran {
            tanggal,
            jumlah_rp,
            sumber: SumberBayar::Angsuran,
            keterangan: Some("dibayar sebelum impor buku pinjaman".into()),
        })
        .map_err(|e| match e {
            UpkError::InvalidField {
                field: "tanggal", ..
            } => masalah(b, "tanggal_dibayar", e.to_string()),
            other => dom(other),
        })?;
    }
    Ok(p)
}

/// Imports a loan book: checks every row (the desa exists and is the user's to write
/// for, the loan id is new, the terms and payments keep the loan rules), then writes
/// the new KSM and every loan in one transaction, unless `dry_run` or any problem.
pub async fn impor_pinjaman(
    atlas: &Atlas,
    user: Option<&User>,
    buku: BukuPinjaman,
    dry_run: bool,
) -> Result<HasilImpor> {
    let user = user.ok_or_else(|| AppError::Unauthenticated("sign in first".into()))?;
    let mut out = HasilImpor {
        masalah: buku.masalah,
        ..HasilImpor::default()
    };
    // Groups known: by desa and name, ignoring case and surrounding spaces.
    let key = |kode: &Kode, nama: &str| (kode.as_str().to_owned(), nama.trim().to_lowercase());
    let mut groups: BTreeMap<(String, String), KsmId> = atlas
        .store
        .list_ksm(None)
        .await?
        .into_iter()
        .map(|s| (key(&s.ksm.kode_desa, &s.ksm.nama), s.ksm.id))
        .collect();
    let mut ids: BTreeSet<String> = atlas
        .store
        .list_pinjaman(None, None)
        .await?
        .into_iter()
        .map(|s| s.pinjaman.id.as_str().to_owned())
        .collect();
    let mut desa_ok: BTreeMap<String, bool> = BTreeMap::new();
    let mut new_ksm: Vec<Ksm> = Vec::new();
    let mut loans: Vec<Pinjaman> = Vec::new();
    for b in &buku.baris {
        let desa = b.kode_desa.as_str().to_owned();
        if !desa_ok.contains_key(&desa) {
            let ok = match crate::places::check_desa(atlas, &b.kode_desa, "kode_desa").await {
                Ok(_) => true,
                Err(AppError::Invalid { message, .. }) | Err(AppError::NotFound(message)) => {
                    out.masalah.push(masalah(b, "kode_desa", message));
                    false
                }
                Err(e) => return Err(e),
            };
            desa_ok.insert(desa.clone(), ok);
        }
        if !desa_ok[&desa] {
            continue;
        }
        if let Err(e) = may_edit(Some(user), &b.kode_desa) {
            out.masalah.push(masalah(b, "kode_desa", e.to_string()));
            continue;
        }
        let id = match crate::new_id(b.pinjaman.clone(), "P", &b.kode_desa)
            .and_then(|id| PinjamanId::new(id).map_err(AppError::from))
        {
            Ok(id) => id,
            Err(e) => {
                out.masalah.push(masalah(b, "pinjaman", e.to_string()));
                continue;
            }
        };
        if !ids.insert(id.as_str().to_owned()) {
            out.masalah.push(masalah(
                b,
                "pinjaman",
                format!("pinjaman {id} is already in the atlas or earlier in the file"),
            ));
            continue;
        }
        let k = key(&b.kode_desa, &b.ksm);
        let ksm = match groups.get(&k) {
            Some(id) => id.clone(),
            None => {
                let made = crate::new_id(None, "KSM", &b.kode_desa)
                    .and_then(|id| KsmId::new(id).map_err(AppError::from))?;
                match Ksm::new(
                    made.clone(),
                    b.kode_desa.clone(),
                    b.ksm.trim(),
                    JenisKsm::Ekonomi,
                    b.tanggal_cair,
                ) {
                    Ok(ksm) => new_ksm.push(ksm),
                    Err(e) => {
                        out.masalah.push(masalah(b, "ksm", e.to_string()));
                        continue;
                    }
                }
                groups.insert(k, made.clone());
                made
            }
        };
        match pinjaman(b, id, ksm, &user.username) {
            Ok(p) => loans.push(p),
            Err(m) => out.masalah.push(m),
        }
    }
    out.masalah.sort_by_key(|m| m.baris);
    out.ksm_baru = new_ksm
        .iter()
        .map(|k| (k.id.as_str().to_owned(), k.nama.clone()))
        .collect();
    out.pinjaman = loans.iter().map(|p| p.id.as_str().to_owned()).collect();
    if dry_run || !out.masalah.is_empty() {
        return Ok(out);
    }
    let mut writes: Vec<UpkWrite<'_>> = Vec::new();
    for k in &new_ksm {
        writes.push(UpkWrite {
            ksm: Some(Versi {
                isi: k,
                versi: None,
            }),
            audit: vec![line(
                user,
                "ksm",
                k.id.as_str(),
                "impor",
                json!({"nama": k.nama, "file": buku.file}),
            )],
            ..UpkWrite::default()
        });
    }
    for p in &loans {
        writes.push(UpkWrite {
            pinjaman: Some(Versi {
                isi: p,
                versi: None,
            }),
            audit: vec![line(
                user,
                "pinjaman",
                p.id.as_str(),
                "impor",
                json!({"ksm": p.ksm, "syarat": p.syarat(), "tanggal_cair": p.tanggal_cair(),
                       "dibayar_rp": p.total_dibayar(None)?, "file": buku.file}),
            )],
            ..UpkWrite::default()
        });
    }
    atlas.store.save_upk_all(&writes).await?;
    out.ditulis = true;
    Ok(out)
}
