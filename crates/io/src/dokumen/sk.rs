//! The annex of the SK Kumuh (lampiran SK): the decree's table of slum locations of a
//! kabupaten or kecamatan in a year, a map per kecamatan, and the hectares by class
//! compared with a second year.

use std::fmt::Write as _;

use kumuh_domain::assessment::SlumClass;
use rust_xlsxwriter::Workbook;

use super::halaman::{cut_note, foot, head, legend};
use super::peta::{Peta, svg};
use super::teks::{esc, hektar};
use super::xlsx::{self, row, sheet, text};
use super::{BarisSk, Error, LampiranSk, Perbandingan};

/// `Legal`, `Tidak legal` or `-` where not surveyed.
fn legalitas(legal: Option<bool>) -> &'static str {
    match legal {
        Some(true) => "Legal",
        Some(false) => "Tidak legal",
        None => "-",
    }
}

/// The annex as one printable HTML page.
pub fn sk_html(l: &LampiranSk) -> String {
    let mut out = String::with_capacity(32 * 1024);
    head(
        &mut out,
        &format!("Lampiran SK Kumuh {} Tahun {}", l.wilayah.judul(), l.tahun),
        &format!(
            "Lokasi perumahan kumuh dan permukiman kumuh, {} (kode {})",
            l.wilayah.judul(),
            l.wilayah.kode.as_str()
        ),
    );
    if !l.nomor_sk.is_empty() {
        let _ = write!(
            out,
            "<p>Nomor SK yang tercatat pada lokasi: {}</p>",
            esc(&l.nomor_sk.join("; "))
        );
    }
    table(&mut out, l);
    if let Some(b) = &l.banding {
        comparison(&mut out, b);
    }
    for p in &l.peta {
        let _ = write!(
            out,
            "<section class=\"peta-kecamatan\"><h2>Peta {}</h2><figure>{}</figure>",
            esc(&p.judul),
            svg(&Peta {
                judul: &format!("Peta lokasi kumuh {}", p.judul),
                batas: &p.batas,
                lokasi: &p.lokasi,
                segmen: &p.segmen,
                bentuk: &[],
                ukuran: (600.0, 560.0),
            })
        );
        legend(&mut out, !p.segmen.is_empty());
        out.push_str("</section>");
    }
    foot(&mut out);
    out
}

fn table(out: &mut String, l: &LampiranSk) {
    let _ = write!(
        out,
        "<section id=\"lampiran\"><h2>Daftar lokasi kumuh tahun {}</h2>",
        l.tahun
    );
    if l.baris.is_empty() {
        out.push_str("<p>Tidak ada lokasi dalam kelas kumuh pada tahun ini.</p></section>");
        return;
    }
    out.push_str(
        "<table class=\"sk\"><thead><tr><th class=\"n\">No</th><th>Lokasi</th><th>RT/RW</th>\
         <th>Desa/Kelurahan</th><th>Kecamatan</th><th class=\"n\">Luas (ha)</th>\
         <th>Tingkat kekumuhan</th><th>Legalitas lahan</th><th>Prioritas</th></tr></thead><tbody>",
    );
    for (i, b) in l.baris.iter().enumerate() {
        row_html(out, i + 1, b);
    }
    let total: f64 = l.baris.iter().map(|b| b.luas_ha).sum();
    let _ = write!(
        out,
        "</tbody><tfoot><tr><td colspan=\"5\">Jumlah</td><td class=\"n\">{}</td>\
         <td colspan=\"3\"></td></tr></tfoot></table>",
        hektar(total)
    );
    cut_note(out, l.baris.len(), l.jumlah_baris, l.batas_baris, "lokasi");
    out.push_str(
        "<p class=\"catatan\">Lokasi dalam kelas kumuh menurut catatan terakhirnya sampai tahun \
         ini; luas geodesik deliniasi. Legalitas \"-\": belum disurvei. Peta dibuat untuk tiap \
         kecamatan yang batas desa atau lokasinya ada di atlas.</p></section>",
    );
}

fn row_html(out: &mut String, no: usize, b: &BarisSk) {
    let _ = write!(
        out,
        "<tr><td class=\"n\">{no}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        esc(&b.lokasi),
        esc(&b.rt_rw),
        esc(&b.desa),
        esc(&b.kecamatan),
        hektar(b.luas_ha),
        b.kelas.label_id(),
        legalitas(b.legal),
        esc(b.prioritas.as_deref().unwrap_or("-"))
    );
}

fn comparison(out: &mut String, b: &Perbandingan) {
    let _ = write!(
        out,
        "<section id=\"perbandingan\"><h2>Perbandingan {} dan {}</h2><table><thead><tr>\
         <th>Tingkat kekumuhan</th><th class=\"n\">{} (ha)</th><th class=\"n\">{} (ha)</th>\
         <th class=\"n\">Berkurang (ha)</th></tr></thead><tbody>",
        b.tahun_awal, b.tahun_akhir, b.tahun_awal, b.tahun_akhir
    );
    for (k, (awal, akhir)) in SlumClass::ALL.iter().zip(b.per_kelas_ha) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            k.label_id(),
            hektar(awal),
            hektar(akhir),
            hektar(awal - akhir)
        );
    }
    out.push_str(
        "</tbody></table><p class=\"catatan\">Berkurang = luas tahun awal dikurangi luas tahun \
         akhir; negatif berarti bertambah. Tiap lokasi dihitung dengan catatan terakhirnya sampai \
         tahun itu.</p></section>",
    );
}

/// The annex as XLSX: sheets `Lampiran SK` and `Perbandingan` (empty but for its header
/// without a second year).
pub fn sk_xlsx(l: &LampiranSk, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let ha = xlsx::ha();
    let mut wb = Workbook::new();
    let s = sheet(
        &mut wb,
        "Lampiran SK",
        &[
            "no",
            "lokasi",
            "rt_rw",
            "desa",
            "kecamatan",
            "luas_ha",
            "tingkat_kekumuhan",
            "legalitas_lahan",
            "prioritas",
            "kode_lokasi",
        ],
    )?;
    s.set_column_width(1, 32.0).map_err(Error::Xlsx)?;
    for (i, b) in l.baris.iter().enumerate() {
        let r = row(i)?;
        #[allow(clippy::cast_precision_loss)]
        s.write_number(r, 0, (i + 1) as f64).map_err(Error::Xlsx)?;
        text(s, r, 1, &b.lokasi)?;
        text(s, r, 2, &b.rt_rw)?;
        text(s, r, 3, &b.desa)?;
        text(s, r, 4, &b.kecamatan)?;
        xlsx::number(s, r, 5, b.luas_ha, &ha)?;
        text(s, r, 6, b.kelas.label_id())?;
        text(s, r, 7, legalitas(b.legal))?;
        text(s, r, 8, b.prioritas.as_deref().unwrap_or("-"))?;
        text(s, r, 9, &b.kode)?;
    }
    let s = sheet(
        &mut wb,
        "Perbandingan",
        &[
            "tingkat_kekumuhan",
            "tahun_awal",
            "luas_awal_ha",
            "tahun_akhir",
            "luas_akhir_ha",
            "berkurang_ha",
        ],
    )?;
    if let Some(b) = &l.banding {
        for (i, (k, (awal, akhir))) in SlumClass::ALL.iter().zip(b.per_kelas_ha).enumerate() {
            let r = row(i)?;
            text(s, r, 0, k.label_id())?;
            s.write_number(r, 1, f64::from(b.tahun_awal))
                .map_err(Error::Xlsx)?;
            xlsx::number(s, r, 2, awal, &ha)?;
            s.write_number(r, 3, f64::from(b.tahun_akhir))
                .map_err(Error::Xlsx)?;
            xlsx::number(s, r, 4, akhir, &ha)?;
            xlsx::number(s, r, 5, awal - akhir, &ha)?;
        }
    }
    xlsx::save(&mut wb, out)
}
