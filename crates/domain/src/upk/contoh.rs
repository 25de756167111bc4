//! The illustrative (contoh) KSM of the seed, from the programme notes on Bibrik.

use super::error::Result;
use super::ksm::{JenisKelamin, JenisKsm, Ksm};
use super::pinjaman::KsmId;
use crate::Kode;
use crate::works::Tanggal;

/// KSM Berkah Jaya of Bibrik: makes tempe and banana chips; formed with five members,
/// three remain; its capital is the members' own savings and it has no UPK loan yet.
/// Members' names and the dates are illustrative (the notes give neither), which is why
/// the group is marked `contoh`.
///
/// # Examples
/// ```
/// use kumuh_domain::upk::contoh;
/// use kumuh_domain::works::Tanggal;
/// let k = contoh::berkah_jaya();
/// assert!(k.contoh);
/// assert_eq!(k.anggota().len(), 5);
/// assert_eq!(k.anggota_per(Tanggal::parse("2026-01-01").unwrap()).count(), 3);
/// ```
pub fn berkah_jaya() -> Ksm {
    build().expect("the Berkah Jaya seed is valid data; its doc test checks it")
}

fn build() -> Result<Ksm> {
    let kode = Kode::parse("35.19.09.2014")
        .map_err(|e| super::UpkError::field("contoh berkah jaya", "kode_desa", e.to_string()))?;
    let mut k = Ksm::new(
        KsmId::new("contoh-ksm-berkah-jaya")?,
        kode,
        "KSM Berkah Jaya",
        JenisKsm::Ekonomi,
        Tanggal::parse("2016-01-01")?,
    )?;
    k.contoh = true;
    k.aturan_main = vec![
        "Usaha bersama: tempe dan keripik pisang.".to_owned(),
        "Modal dari tabungan anggota sendiri; belum meminjam dari UPK.".to_owned(),
        "Contoh: nama anggota dan tanggal ilustratif.".to_owned(),
    ];
    for i in 1..=5 {
        let nama = format!("Anggota {i} (contoh)");
        k.tambah_anggota(&nama, JenisKelamin::P, &nama, None)?;
    }
    let keluar = Tanggal::parse("2019-01-01")?;
    for no in [4, 5] {
        k.anggota_keluar(no, keluar)?;
    }
    Ok(k)
}
