//! A loan's life after its application: the decision (approve or refuse), the
//! disbursement, and the write-off (hapus buku). Each is one change of the loan on the
//! version it was read at, with its audit line in the same transaction.
//!
//! Who decides: the desa's `upk` user (or an admin), the same users who record the loan.
//! The LKM's agreement to a write-off is taken outside Kumuh (in its meeting minutes); the
//! user who records the write-off is named as the approving user, and the reason is
//! required.

use kumuh_domain::User;
use kumuh_domain::upk::HapusBuku;
use kumuh_domain::works::Tanggal;
use serde_json::json;

use super::PinjamanDetail;
use super::tulis::ubah_pinjaman;
use crate::{AppError, Atlas, Result};

/// The decision on a loan application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Putuskan {
    /// Approve (`true`) or refuse (`false`).
    pub setuju: bool,
    /// The day of the decision.
    pub tanggal: Tanggal,
    /// Why; required for a refusal.
    pub alasan: Option<String>,
    /// The loan's version read; the stored one when not given.
    pub versi: Option<i64>,
}

/// Approves (on the terms applied for) or refuses a loan application; the deciding
/// user is recorded. Answers the loan as it stands on the decision's day.
pub async fn putuskan(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    cmd: Putuskan,
) -> Result<PinjamanDetail> {
    let alasan = cmd.alasan.as_deref().map(str::trim).unwrap_or_default();
    ubah_pinjaman(atlas, user, id, cmd.versi, |p, who| {
        let aksi = if cmd.setuju {
            p.setujui(cmd.tanggal, &who.username, None)?;
            "setujui"
        } else {
            if alasan.is_empty() {
                return Err(AppError::invalid("alasan", "a refusal needs a reason"));
            }
            p.tolak(cmd.tanggal, &who.username, alasan)?;
            "tolak"
        };
        let logged =
            json!({"tanggal": cmd.tanggal, "alasan": (!alasan.is_empty()).then_some(alasan)});
        Ok((aksi, logged, cmd.tanggal))
    })
    .await
}

/// Disburses an approved loan on `tanggal_cair`; its schedule runs from the month after.
pub async fn cairkan(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    tanggal_cair: Tanggal,
    versi: Option<i64>,
) -> Result<PinjamanDetail> {
    ubah_pinjaman(atlas, user, id, versi, |p, _| {
        p.cairkan(tanggal_cair)?;
        let logged = json!({"tanggal_cair": tanggal_cair, "pokok_rp": p.syarat().pokok_rp});
        Ok(("cair", logged, tanggal_cair))
    })
    .await
}

/// Writes a disbursed loan off on `tanggal`, with the reason; the signed-in user is
/// recorded as the one who approved it. Repayments may still be recorded afterwards.
pub async fn hapus_buku(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    tanggal: Tanggal,
    alasan: &str,
    versi: Option<i64>,
) -> Result<PinjamanDetail> {
    let alasan = alasan.trim();
    ubah_pinjaman(atlas, user, id, versi, |p, who| {
        let entri = p.hapus_buku(HapusBuku {
            tanggal,
            alasan: alasan.to_owned(),
            disetujui_oleh: who.username.clone(),
        })?;
        let sisa = p.posisi(tanggal)?.map_or(0, |pos| pos.sisa_pokok_rp.get());
        let logged = json!({"entri": entri.0, "tanggal": tanggal, "alasan": alasan,
                            "sisa_pokok_rp": sisa});
        Ok(("hapus_buku", logged, tanggal))
    })
    .await
}
