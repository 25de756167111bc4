//! The loan-book reader (`kumuh_io::upk::read_pinjaman_*`): any bytes as CSV or as a
//! workbook give rows and problems, or an error, never a panic; every row and problem
//! points below the header.

use kumuh_domain::Kode;
use kumuh_io::upk::{BukuPinjaman, read_pinjaman_csv, read_pinjaman_workbook};

/// Reads `data` as a CSV loan book; answers whether it was read without a problem.
pub fn upk_pinjaman_csv(data: &[u8]) -> bool {
    let desa = Kode::parse("35.19.09.2014").ok();
    check(read_pinjaman_csv(data, "fuzz.csv", desa.as_ref()))
}

/// Reads `data` as a workbook loan book; answers whether it was read without a problem.
pub fn upk_pinjaman_xlsx(data: &[u8]) -> bool {
    check(read_pinjaman_workbook(data, "fuzz.xlsx", None))
}

fn check(read: Result<BukuPinjaman, kumuh_io::assessment::Error>) -> bool {
    let Ok(book) = read else {
        return false;
    };
    assert!(book.baris.len() <= kumuh_io::upk::MAX_BARIS_PINJAMAN);
    for b in &book.baris {
        assert!(b.baris >= 2, "a loan on row {}", b.baris);
        assert!(b.pokok_rp.get() > 0);
        assert!((1..=120).contains(&b.jangka_bulan));
    }
    assert!(
        book.masalah
            .iter()
            .all(|m| m.baris >= 1 && !m.pesan.is_empty())
    );
    book.masalah.is_empty()
}
