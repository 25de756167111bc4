//! A UPK's existing loan book (buku pinjaman) read from CSV or XLSX, for
//! `kumuh import-pinjaman`: one row per loan, the columns [`KOLOM_PINJAMAN`], described in
//! `docs/upk-impor.md`.
//!
//! The file is read through the same bounded readers as assessment tables (CSV record by
//! record; XLSX cell by cell after the reference scan), and at most [`MAX_BARIS_PINJAMAN`]
//! rows are taken. Every problem is collected with its row and column, not just the first:
//! the caller writes nothing while there is any.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::Path;

use kumuh_domain::Kode;
use kumuh_domain::upk::{MAX_JANGKA_BULAN, MetodeJasa};
use kumuh_domain::works::{Rupiah, Tanggal};
use rust_xlsxwriter::{Format, Workbook};

use crate::assessment::Error;
use crate::assessment::table::{Cell, Head, RawRows, column_letter, open_csv, open_workbook};
use crate::text::control_character;

/// The most loans one file may hold. A UPK's book has hundreds; a larger file is not one
/// UPK's book, and is refused before anything is checked.
pub const MAX_BARIS_PINJAMAN: usize = 10_000;

/// The columns of a loan book, in the template's order.
pub const KOLOM_PINJAMAN: [&str; 10] = [
    "ksm",
    "kode_desa",
    "pinjaman",
    "pokok_rp",
    "jangka_bulan",
    "jasa_persen_bulan",
    "metode_jasa",
    "tanggal_cair",
    "dibayar_rp",
    "tanggal_dibayar",
];

/// What each column holds, for the template's instructions sheet.
const PETUNJUK: [(&str, &str); 10] = [
    (
        "ksm",
        "Nama KSM (wajib). KSM yang belum ada dibuat, dicocokkan per desa dan nama.",
    ),
    (
        "kode_desa",
        "Kode Kemendagri desa KSM, mis. 35.19.09.2014 (wajib, kecuali --desa).",
    ),
    (
        "pinjaman",
        "Nomor pinjaman (boleh kosong: dibuat dari kode desa).",
    ),
    (
        "pokok_rp",
        "Pokok pinjaman, rupiah bulat, lebih dari 0 (wajib).",
    ),
    ("jangka_bulan", "Jangka waktu, 1-120 bulan (wajib)."),
    (
        "jasa_persen_bulan",
        "Jasa per bulan dalam persen, paling banyak dua desimal, mis. 1,5 (wajib).",
    ),
    ("metode_jasa", "flat (bawaan) atau menurun."),
    ("tanggal_cair", "Tanggal pencairan, YYYY-MM-DD (wajib)."),
    (
        "dibayar_rp",
        "Jumlah angsuran (pokok + jasa) yang sudah dibayar sampai tanggal_dibayar.",
    ),
    (
        "tanggal_dibayar",
        "Tanggal pembayaran terakhir, YYYY-MM-DD (wajib bila dibayar_rp diisi).",
    ),
];

/// One loan of the book, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct BarisPinjaman {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub baris: usize,
    /// The group's name.
    pub ksm: String,
    /// The group's desa.
    pub kode_desa: Kode,
    /// The loan's id, where given.
    pub pinjaman: Option<String>,
    /// Principal.
    pub pokok_rp: Rupiah,
    /// Term, months.
    pub jangka_bulan: u16,
    /// Service per month, percent.
    pub jasa_persen_bulan: f64,
    /// Flat or declining balance.
    pub metode_jasa: MetodeJasa,
    /// Disbursement day.
    pub tanggal_cair: Tanggal,
    /// Principal and service paid to date, and the day of the last payment; recorded as
    /// one repayment on that day.
    pub dibayar: Option<(Rupiah, Tanggal)>,
}

/// A problem with one cell (or a whole row, or the header), located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masalah {
    /// The row as the spreadsheet shows it (1 is the header).
    pub baris: usize,
    /// The column: its letter and name, e.g. `D (pokok_rp)`.
    pub kolom: String,
    /// What is wrong.
    pub pesan: String,
}

impl fmt::Display for Masalah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column {}: {}",
            self.baris, self.kolom, self.pesan
        )
    }
}

/// A loan book as read: the good rows and every problem found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BukuPinjaman {
    /// The file, as the user named it.
    pub file: String,
    /// Rows without a problem.
    pub baris: Vec<BarisPinjaman>,
    /// Every problem, by row.
    pub masalah: Vec<Masalah>,
}

/// Reads a loan book from a `.csv` or `.xlsx` (`.xls`, `.ods`) file; `desa` fills an
/// empty `kode_desa` (or stands for a missing column).
pub fn read_pinjaman(path: &Path, desa: Option<&Kode>) -> Result<BukuPinjaman, Error> {
    let file = path.display().to_string();
    let read_err = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let (head, rows) = match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let f = std::fs::File::open(path).map_err(read_err)?;
            open_csv(Box::new(std::io::BufReader::new(f)), &file)?
        }
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let bytes = std::fs::read(path).map_err(read_err)?;
            return read_pinjaman_workbook(&bytes, &file, desa);
        }
        _ => return Err(Error::UnsupportedFormat { file }),
    };
    Ok(read_rows(&file, &head, rows, desa))
}

/// Reads a loan book from CSV text (for tests and callers holding the bytes).
///
/// # Examples
/// ```
/// let csv = "ksm,kode_desa,pokok_rp,jangka_bulan,jasa_persen_bulan,tanggal_cair\n\
///            KSM Maju,35.19.09.2014,3000000,10,\"1,5\",2026-01-05\n\
///            KSM Maju,35.19.09.2014,-5,10,1.5,2026-01-05\n";
/// let book = kumuh_io::upk::read_pinjaman_csv(csv.as_bytes(), "buku.csv", None).unwrap();
/// assert_eq!(book.baris.len(), 1);
/// assert_eq!(book.masalah[0].to_string(),
///     "row 3, column C (pokok_rp): `-5` is not a whole number of rupiah above 0");
/// ```
pub fn read_pinjaman_csv(
    bytes: &[u8],
    file: &str,
    desa: Option<&Kode>,
) -> Result<BukuPinjaman, Error> {
    let (head, rows) = open_csv(Box::new(std::io::Cursor::new(bytes.to_vec())), file)?;
    Ok(read_rows(file, &head, rows, desa))
}

/// Reads a loan book from a workbook held in memory (XLSX through the bounded reader;
/// XLS and ODS): its first sheet other than `Petunjuk`.
pub fn read_pinjaman_workbook(
    bytes: &[u8],
    file: &str,
    desa: Option<&Kode>,
) -> Result<BukuPinjaman, Error> {
    let (head, rows) = open_workbook(bytes, file)?;
    Ok(read_rows(file, &head, rows, desa))
}

fn read_rows(file: &str, head: &Head, rows: RawRows, desa: Option<&Kode>) -> BukuPinjaman {
    let mut out = BukuPinjaman {
        file: file.to_owned(),
        ..BukuPinjaman::default()
    };
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in head.headers.iter().enumerate() {
        let name = h.trim();
        let col = || format!("{} ({name})", column_letter(head.first_col + i));
        if name.is_empty() {
            continue;
        }
        if !KOLOM_PINJAMAN.contains(&name) {
            out.masalah.push(Masalah {
                baris: head.header_row,
                kolom: col(),
                pesan: format!(
                    "unknown column; the columns are {}",
                    KOLOM_PINJAMAN.join(", ")
                ),
            });
        } else if let Some(key) = KOLOM_PINJAMAN.iter().find(|k| **k == name)
            && index.insert(key, i).is_some()
        {
            out.masalah.push(Masalah {
                baris: head.header_row,
                kolom: col(),
                pesan: "the column appears twice".into(),
            });
        }
    }
    for required in [
        "ksm",
        "pokok_rp",
        "jangka_bulan",
        "jasa_persen_bulan",
        "tanggal_cair",
    ] {
        if !index.contains_key(required) {
            out.masalah.push(Masalah {
                baris: head.header_row,
                kolom: required.to_owned(),
                pesan: "required column missing".into(),
            });
        }
    }
    if !index.contains_key("kode_desa") && desa.is_none() {
        out.masalah.push(Masalah {
            baris: head.header_row,
            kolom: "kode_desa".to_owned(),
            pesan: "required column missing (or give --desa)".into(),
        });
    }
    if !out.masalah.is_empty() {
        return out;
    }
    let mut count = 0usize;
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                out.masalah.push(Masalah {
                    baris: head.header_row,
                    kolom: "-".into(),
                    pesan: e.to_string(),
                });
                return out;
            }
        };
        if row.cells.iter().all(|c| matches!(c, Cell::Empty)) {
            continue;
        }
        count += 1;
        if count > MAX_BARIS_PINJAMAN {
            out.masalah.push(Masalah {
                baris: row.number,
                kolom: "-".into(),
                pesan: format!(
                    "more than {MAX_BARIS_PINJAMAN} loans: split the book into several files"
                ),
            });
            out.baris.clear();
            return out;
        }
        let mut r = Row {
            head,
            index: &index,
            number: row.number,
            cells: &row.cells,
            masalah: &mut out.masalah,
        };
        if let Some(b) = r.parse(desa) {
            out.baris.push(b);
        }
    }
    out
}

/// One data row being read, with where its problems go.
struct Row<'a> {
    head: &'a Head,
    index: &'a HashMap<&'static str, usize>,
    number: usize,
    cells: &'a [Cell],
    masalah: &'a mut Vec<Masalah>,
}

impl Row<'_> {
    fn cell(&self, name: &str) -> Option<&Cell> {
        let i = *self.index.get(name)?;
        self.cells.get(i).filter(|c| !matches!(c, Cell::Empty))
    }

    fn bad(&mut self, name: &str, pesan: String) {
        let kolom = match self.index.get(name) {
            Some(i) => format!("{} ({name})", column_letter(self.head.first_col + i)),
            None => name.to_owned(),
        };
        self.masalah.push(Masalah {
            baris: self.number,
            kolom,
            pesan,
        });
    }

    /// The cell's text, refused with a control character; `None` when empty (a problem
    /// when `required`).
    fn text(&mut self, name: &str, required: bool) -> Option<String> {
        let Some(c) = self.cell(name) else {
            if required {
                self.bad(name, "empty; a value is required".into());
            }
            return None;
        };
        let text = c.display();
        if let Some(ch) = control_character(&text) {
            self.bad(
                name,
                format!("holds the control character U+{:04X}", u32::from(ch)),
            );
            return None;
        }
        Some(text)
    }

    /// The cell as a whole number, if it is one (dots and spaces read as thousands
    /// separators in text).
    fn number(&self, name: &str, text: &str) -> Option<i64> {
        match self.cell(name) {
            Some(Cell::Number(n)) if n.fract() == 0.0 && n.abs() < 9e15 => {
                // Whole and well inside the range where f64 is exact.
                #[allow(clippy::cast_possible_truncation)]
                Some(*n as i64)
            }
            _ => text.replace(['.', ' '], "").parse::<i64>().ok(),
        }
    }

    fn whole(&mut self, name: &str, required: bool) -> Option<i64> {
        let text = self.text(name, required)?;
        let value = self.number(name, &text);
        if value.is_none() {
            self.bad(name, format!("`{text}` is not a whole number"));
        }
        value
    }

    /// Whole rupiah, above 0 (or 0 as well, with `zero_ok`).
    fn rupiah(&mut self, name: &str, required: bool, zero_ok: bool) -> Option<Rupiah> {
        let text = self.text(name, required)?;
        match self.number(name, &text).map(Rupiah::new) {
            Some(Ok(r)) if zero_ok || !r.is_zero() => Some(r),
            _ => {
                let floor = if zero_ok { "0 or more" } else { "above 0" };
                self.bad(
                    name,
                    format!("`{text}` is not a whole number of rupiah {floor}"),
                );
                None
            }
        }
    }

    fn tanggal(&mut self, name: &str, required: bool) -> Option<Tanggal> {
        let text = self.text(name, required)?;
        // A date typed into a spreadsheet arrives as its serial day number (1 is
        // 1900-01-01; 25569 is 1970-01-01).
        let serial = match self.cell(name) {
            Some(Cell::Number(n)) if n.fract() == 0.0 && (1.0..=2_958_465.0).contains(n) =>
            {
                #[allow(clippy::cast_possible_truncation)]
                Some(*n as i64)
            }
            _ => None,
        };
        let parsed = match serial {
            Some(s) => Tanggal::from_day_number(s - 25_569),
            None => Tanggal::parse(text.get(..10).unwrap_or(&text)).ok(),
        };
        if parsed.is_none() {
            self.bad(name, format!("`{text}` is not a date as YYYY-MM-DD"));
        }
        parsed
    }

    fn parse(&mut self, desa: Option<&Kode>) -> Option<BarisPinjaman> {
        let before = self.masalah.len();
        let ksm = self.text("ksm", true);
        let kode_desa = match self.text("kode_desa", desa.is_none()) {
            Some(t) => match Kode::parse(&t) {
                Ok(k) => Some(k),
                Err(e) => {
                    self.bad("kode_desa", e.to_string());
                    None
                }
            },
            None => desa.cloned(),
        };
        let pinjaman = self.text("pinjaman", false);
        let pokok_rp = self.rupiah("pokok_rp", true, false);
        let jangka_bulan = self
            .whole("jangka_bulan", true)
            .and_then(|n| match u16::try_from(n) {
                Ok(m) if (1..=MAX_JANGKA_BULAN).contains(&m) => Some(m),
                _ => {
                    self.bad(
                        "jangka_bulan",
                        format!("{n} is not a term of 1-{MAX_JANGKA_BULAN} months"),
                    );
                    None
                }
            });
        let jasa_persen_bulan = self.text("jasa_persen_bulan", true).and_then(|t| {
            let value = match self.cell("jasa_persen_bulan") {
                Some(Cell::Number(n)) => Some(*n),
                _ => t
                    .replace(',', ".")
                    .trim_end_matches('%')
                    .trim()
                    .parse::<f64>()
                    .ok(),
            };
            match value {
                Some(v) if v.is_finite() && v >= 0.0 => Some(v),
                _ => {
                    self.bad("jasa_persen_bulan", format!("`{t}` is not a percentage"));
                    None
                }
            }
        });
        let metode_jasa = match self.text("metode_jasa", false).as_deref() {
            None => Some(MetodeJasa::Flat),
            Some(t) if t.eq_ignore_ascii_case("flat") => Some(MetodeJasa::Flat),
            Some(t) if t.eq_ignore_ascii_case("menurun") => Some(MetodeJasa::Menurun),
            Some(t) => {
                self.bad("metode_jasa", format!("`{t}` is neither flat nor menurun"));
                None
            }
        };
        let tanggal_cair = self.tanggal("tanggal_cair", true);
        let dibayar_rp = self
            .rupiah("dibayar_rp", false, true)
            .filter(|r| !r.is_zero());
        let tanggal_dibayar = self.tanggal("tanggal_dibayar", dibayar_rp.is_some());
        if self.masalah.len() > before {
            return None;
        }
        Some(BarisPinjaman {
            baris: self.number,
            ksm: ksm?,
            kode_desa: kode_desa?,
            pinjaman,
            pokok_rp: pokok_rp?,
            jangka_bulan: jangka_bulan?,
            jasa_persen_bulan: jasa_persen_bulan?,
            metode_jasa: metode_jasa?,
            tanggal_cair: tanggal_cair?,
            dibayar: dibayar_rp.zip(tanggal_dibayar),
        })
    }
}

/// Writes the empty loan-book template as XLSX: the sheet `Pinjaman` with the header
/// row (every cell formatted as text, so dates and codes stay as typed) and the sheet
/// `Petunjuk` describing each column.
pub fn write_template_pinjaman(out: &mut dyn Write) -> Result<(), Error> {
    let xlsx = |source| Error::XlsxWrite { source };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet().set_name("Pinjaman").map_err(xlsx)?;
    for (c, name) in (0u16..).zip(KOLOM_PINJAMAN) {
        sheet
            .write_string_with_format(0, c, name, &bold)
            .map_err(xlsx)?;
        sheet.set_column_format(c, &text).map_err(xlsx)?;
        sheet.set_column_width(c, 18).map_err(xlsx)?;
    }
    let help = book.add_worksheet().set_name("Petunjuk").map_err(xlsx)?;
    help.write_string_with_format(0, 0, "kolom", &bold)
        .map_err(xlsx)?;
    help.write_string_with_format(0, 1, "isi", &bold)
        .map_err(xlsx)?;
    for (r, (name, what)) in (1u32..).zip(PETUNJUK) {
        help.write_string(r, 0, name).map_err(xlsx)?;
        help.write_string(r, 1, what).map_err(xlsx)?;
    }
    help.write_string(
        12,
        0,
        format!("Paling banyak {MAX_BARIS_PINJAMAN} pinjaman per berkas. Lihat docs/upk-impor.md."),
    )
    .map_err(xlsx)?;
    help.set_column_width(0, 20).map_err(xlsx)?;
    help.set_column_width(1, 90).map_err(xlsx)?;
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    out.write_all(&bytes)
        .map_err(|source| Error::Output { source })
}
