//! Revolving loans (pinjaman dana bergulir) run by the UPK (Unit Pengelola Keuangan, the
//! LKM's revolving-loan unit), and the KSM that borrow.
//!
//! - [`Ksm`]: the borrowing groups, their members (NIKs kept apart in a [`DaftarNik`]),
//!   rules, and the dated Pancasutra and independence (kemandirian) checks.
//! - [`Tabungan`]: a group's joint-liability savings (tabungan tanggung renteng), an
//!   append-only book whose balance never goes below zero.
//! - [`Pinjaman`]: a loan from application through approval and disbursement
//!   (`tanggal_cair`) to repayments, reversals and write-off (hapus buku); its schedule
//!   ([`jadwal`]) splits every instalment into principal and service in whole rupiah.
//! - [`Posisi`]: where a loan stands on a date: outstanding, arrears, instalments
//!   behind, days overdue and [`Kolektibilitas`] 1-5, whose limits are data
//!   ([`AturanKolektibilitas`], `crates/domain/data/kolektibilitas.toml`).
//! - [`indikator`]: LAR, PAR, repayment rate, cost coverage, ROI and idle funds of a
//!   set of loans, each with its band.
//! - [`daftar_tunggakan`]: the monthly arrears list, with causes ([`Penyebab`]),
//!   collection plans ([`RencanaPenagihan`]) and visit results ([`HasilKunjungan`]).
//! - [`laba_ke_segmen`]: the UPK's net profit given to the desa's works, read from the
//!   works' funding ledgers where it is recorded once (source `upk`).
//!
//! Money is [`Rupiah`](crate::works::Rupiah) and dates are
//! [`Tanggal`](crate::works::Tanggal), shared with the works model. `docs/upk.md` defines
//! every figure with worked examples.
//!
//! Everything here is pure data and rules: storing and serving loans is for the store
//! and server crates.

pub mod contoh;
pub mod error;
pub mod indikator;
pub mod jadwal;
pub mod kolektibilitas;
pub mod ksm;
pub mod laba;
pub mod pinjaman;
pub mod posisi;
pub mod tabungan;
pub mod tunggakan;

pub use error::{Result, UpkError};
pub use indikator::{Indikator, Keuangan, Nilai, Pita, dalam_wilayah, indikator};
pub use jadwal::{
    Angsuran, MAX_JANGKA_BULAN, MAX_JASA_BP, MetodeJasa, PersenBulan, Syarat, add_months, jadwal,
};
pub use kolektibilitas::{AturanKolektibilitas, Dasar, Kolektibilitas, Minimum};
pub use ksm::{AnggotaKsm, DaftarNik, JenisKelamin, JenisKsm, Kemandirian, Ksm, Nik, Pancasutra};
pub use laba::{LabaKeSegmen, laba_ke_segmen};
pub use pinjaman::{
    HapusBuku, Keputusan, KsmId, Pembayaran, Pinjaman, PinjamanEntry, PinjamanId, StatusPinjaman,
    SumberBayar,
};
pub use posisi::{Posisi, Terbayar, alokasikan};
pub use tabungan::{Penarikan, Setoran, Tabungan, TabunganEntry, TutupAngsuran};
pub use tunggakan::{
    BarisTunggakan, CatatanPenyebab, DaftarTunggakan, Hasil, HasilKunjungan, Penyebab,
    RencanaPenagihan, daftar_tunggakan,
};
