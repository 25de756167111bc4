//! The revolving-loan unit's files: the arrears list (Daftar Tunggakan) out as CSV and
//! XLSX, and a UPK's existing loan book in ([`read_pinjaman`], `impor.rs`).
//!
//! One row per running loan with an instalment behind, worst first, with the columns
//! [`TUNGGAKAN_COLUMNS`]; the XLSX adds a `TOTAL` row under the amounts. Money is whole
//! rupiah. Group names come from users, so CSV cells go through [`csv_text`] and XLSX
//! cells are written as text, never as formulas.

mod impor;

pub use impor::{
    BarisPinjaman, BukuPinjaman, KOLOM_PINJAMAN, MAX_BARIS_PINJAMAN, Masalah, read_pinjaman,
    read_pinjaman_csv, read_pinjaman_workbook, write_template_pinjaman,
};

use std::collections::BTreeMap;
use std::io::Write;

use kumuh_domain::upk::DaftarTunggakan;
use rust_xlsxwriter::{Format, Workbook};

use crate::laporan::Error;
use crate::text::csv_text;

/// The columns of the arrears list.
pub const TUNGGAKAN_COLUMNS: [&str; 12] = [
    "kode_desa",
    "ksm",
    "nama_ksm",
    "pinjaman",
    "sisa_pokok_rp",
    "tunggakan_pokok_rp",
    "tunggakan_jasa_rp",
    "angsuran_tertunggak",
    "hari_tunggak",
    "kolektibilitas",
    "menunggak",
    "penyebab",
];

fn cells(d: &DaftarTunggakan, nama_ksm: &BTreeMap<String, String>) -> Vec<[String; 12]> {
    d.baris
        .iter()
        .map(|b| {
            let penyebab: Vec<String> = b
                .penyebab
                .iter()
                .filter_map(|p| {
                    serde_json::to_value(p)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                })
                .collect();
            [
                b.kode_desa.as_str().to_owned(),
                b.ksm.as_str().to_owned(),
                nama_ksm.get(b.ksm.as_str()).cloned().unwrap_or_default(),
                b.pinjaman.as_str().to_owned(),
                b.sisa_pokok_rp.get().to_string(),
                b.tunggakan_pokok_rp.get().to_string(),
                b.tunggakan_jasa_rp.get().to_string(),
                b.angsuran_tertunggak.to_string(),
                b.hari_tunggak.to_string(),
                b.kolektibilitas.kelas().to_string(),
                if b.menunggak { "ya" } else { "tidak" }.to_owned(),
                penyebab.join(" "),
            ]
        })
        .collect()
}

/// Writes the arrears list as CSV, with the groups' names from `nama_ksm` (by id).
///
/// # Examples
/// ```
/// use kumuh_domain::upk::DaftarTunggakan;
/// use kumuh_domain::works::{Rupiah, Tanggal};
/// let d = DaftarTunggakan { per: Tanggal::parse("2026-07-10").unwrap(), baris: vec![],
///     total_tunggakan_pokok_rp: Rupiah::ZERO, total_tunggakan_jasa_rp: Rupiah::ZERO };
/// let mut out = Vec::new();
/// kumuh_io::upk::tunggakan_csv(&d, &Default::default(), &mut out).unwrap();
/// assert!(String::from_utf8(out).unwrap().starts_with("kode_desa,ksm,nama_ksm,pinjaman,"));
/// ```
pub fn tunggakan_csv(
    d: &DaftarTunggakan,
    nama_ksm: &BTreeMap<String, String>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TUNGGAKAN_COLUMNS).map_err(Error::Csv)?;
    for row in cells(d, nama_ksm) {
        w.write_record(row.iter().map(|c| csv_text(c).into_owned()))
            .map_err(Error::Csv)?;
    }
    w.flush().map_err(Error::Io)
}

/// The numeric columns of the list (money and counts), by index.
const NUMERIC: [usize; 6] = [4, 5, 6, 7, 8, 9];

/// Writes the arrears list as an XLSX workbook with one sheet, `Daftar Tunggakan`: a
/// title row with the date, the header, one row per loan, and `TOTAL` under the amounts.
pub fn tunggakan_xlsx(
    d: &DaftarTunggakan,
    nama_ksm: &BTreeMap<String, String>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let money = Format::new().set_num_format("#,##0");
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Daftar Tunggakan").map_err(Error::Xlsx)?;
    sheet
        .write_string_with_format(0, 0, format!("Daftar Tunggakan per {}", d.per), &bold)
        .map_err(Error::Xlsx)?;
    for (c, h) in (0u16..).zip(TUNGGAKAN_COLUMNS) {
        sheet
            .write_string_with_format(1, c, h, &bold)
            .map_err(Error::Xlsx)?;
    }
    let rows = cells(d, nama_ksm);
    let mut r = 2u32;
    for row in &rows {
        for (c, v) in (0u16..).zip(row.iter()) {
            if NUMERIC.contains(&usize::from(c)) {
                #[allow(clippy::cast_precision_loss)]
                let n = v.parse::<i64>().unwrap_or(0) as f64;
                sheet
                    .write_number_with_format(r, c, n, &money)
                    .map_err(Error::Xlsx)?;
            } else {
                sheet.write_string(r, c, v).map_err(Error::Xlsx)?;
            }
        }
        r = r
            .checked_add(1)
            .filter(|r| *r < 1_048_575)
            .ok_or(Error::TooManyRows)?;
    }
    sheet
        .write_string_with_format(r, 0, "TOTAL", &bold)
        .map_err(Error::Xlsx)?;
    #[allow(clippy::cast_precision_loss)]
    for (c, v) in [
        (5u16, d.total_tunggakan_pokok_rp.get()),
        (6, d.total_tunggakan_jasa_rp.get()),
    ] {
        sheet
            .write_number_with_format(r, c, v as f64, &money)
            .map_err(Error::Xlsx)?;
    }
    let bytes = wb.save_to_buffer().map_err(Error::Xlsx)?;
    out.write_all(&bytes).map_err(Error::Io)
}
