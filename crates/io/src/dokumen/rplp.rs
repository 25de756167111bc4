//! The RPLP (Rencana Penataan Lingkungan Permukiman) of a desa: its profile, the
//! investment plan (works × budget years × sources, with totals), the siteplans, and
//! each slum location's baseline and target.

use std::fmt::Write as _;

use rust_xlsxwriter::Workbook;

use super::halaman::{cut_note, foot, head};
use super::peta::{Peta, svg};
use super::teks::{esc, total_sum};
use super::xlsx::{self, money, row, sheet, text};
use super::{Error, MatriksInvestasi, Rplp};

/// The RPLP as one printable HTML page.
pub fn rplp_html(r: &Rplp) -> String {
    let w = &r.profil.wilayah;
    let mut out = String::with_capacity(48 * 1024);
    head(
        &mut out,
        &format!(
            "Rencana Penataan Lingkungan Permukiman (RPLP) {}",
            w.judul()
        ),
        &format!("{} (kode {})", w.judul(), w.kode.as_str()),
    );
    super::profil::sections(&mut out, &r.profil);
    plan(&mut out, &r.matriks, r.batas_baris);
    siteplans(&mut out, r);
    targets(&mut out, r);
    foot(&mut out);
    out
}

fn column_label(c: &(Option<u16>, kumuh_domain::works::SumberDana)) -> String {
    format!(
        "{}<br>{}",
        c.0.map_or_else(|| "tahun ?".to_owned(), |y| y.to_string()),
        esc(c.1.label_id())
    )
}

fn plan(out: &mut String, m: &MatriksInvestasi, cap: usize) {
    out.push_str(
        "<section class=\"bab\" id=\"rencana-investasi\"><h2>Rencana investasi</h2>\
         <p class=\"catatan\">Setiap kegiatan desa (yang direncanakan maupun yang sudah \
         berjalan) dengan alokasinya menurut tahun anggaran dan sumber dana; jumlah baris dan \
         kolom di tepi.</p>",
    );
    if m.baris.is_empty() {
        out.push_str("<p>Belum ada kegiatan dengan alokasi dana.</p></section>");
        return;
    }
    out.push_str("<table class=\"matriks\"><thead><tr><th>Kegiatan</th><th>Tahap</th>");
    for c in &m.kolom {
        let _ = write!(out, "<th class=\"n\">{}</th>", column_label(c));
    }
    out.push_str("<th class=\"n\">Jumlah</th></tr></thead><tbody>");
    for b in &m.baris {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            esc(&b.nama),
            esc(&b.tahap)
        );
        for s in &b.sel {
            let cell = if s.diketahui_rp.is_zero() && s.tidak_diketahui == 0 {
                "-".to_owned()
            } else {
                total_sum(s)
            };
            let _ = write!(out, "<td class=\"n\">{cell}</td>");
        }
        let _ = write!(out, "<td class=\"n\">{}</td></tr>", total_sum(&b.total));
    }
    out.push_str("</tbody><tfoot><tr><td colspan=\"2\">Jumlah</td>");
    for s in &m.total_kolom {
        let _ = write!(out, "<td class=\"n\">{}</td>", total_sum(s));
    }
    let _ = write!(
        out,
        "<td class=\"n\">{}</td></tr></tfoot></table>",
        total_sum(&m.total)
    );
    cut_note(out, m.baris.len(), m.jumlah_kegiatan, cap, "kegiatan");
    out.push_str("</section>");
}

fn siteplans(out: &mut String, r: &Rplp) {
    out.push_str("<section class=\"bab\" id=\"siteplan\"><h2>Siteplan</h2>");
    if r.siteplan.is_empty() {
        out.push_str("<p>Belum ada siteplan desa ini.</p></section>");
        return;
    }
    out.push_str(
        "<table><thead><tr><th>Siteplan</th><th>Status</th><th class=\"n\">Versi</th>\
         <th class=\"n\">Fitur</th></tr></thead><tbody>",
    );
    for s in &r.siteplan {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&s.judul),
            esc(&s.status),
            s.versi,
            s.fitur.len()
        );
    }
    out.push_str("</tbody></table>");
    cut_note(
        out,
        r.siteplan.len(),
        r.jumlah_siteplan,
        r.batas_baris,
        "siteplan",
    );
    for s in &r.siteplan {
        let map = svg(&Peta {
            judul: &format!("Siteplan {}", s.judul),
            batas: &[],
            lokasi: &[],
            segmen: &[],
            bentuk: &s.fitur,
            ukuran: (280.0, 200.0),
        });
        let _ = write!(
            out,
            "<figure class=\"siteplan\">{}<figcaption>{}</figcaption></figure>",
            map.replacen("class=\"peta\"", "class=\"peta kecil\"", 1),
            esc(&s.judul)
        );
    }
    out.push_str("</section>");
}

fn targets(out: &mut String, r: &Rplp) {
    out.push_str(
        "<section class=\"bab\" id=\"target\"><h2>Kondisi awal (baseline) dan target</h2>",
    );
    let _ = write!(out, "<p class=\"catatan\">{}</p>", esc(&r.aturan_target));
    if r.target.is_empty() {
        out.push_str("<p>Belum ada survei kekumuhan di desa ini.</p></section>");
        return;
    }
    out.push_str(
        "<table><thead><tr><th>Lokasi</th><th class=\"n\">Luas (ha)</th><th>Survei terakhir</th>\
         <th>Kelas (nilai)</th><th>Kini</th><th>Target</th><th>Capaian</th></tr></thead><tbody>",
    );
    for t in &r.target {
        let reached = t.kelas_kini == kumuh_domain::assessment::SlumClass::TidakKumuh;
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{} ({})</td><td>{} ({})</td>\
             <td>Tidak kumuh pada {}</td><td>{}</td></tr>",
            esc(&t.nama),
            super::teks::hektar(t.luas_ha),
            t.tahun_dasar,
            t.kelas_dasar.label_id(),
            t.nilai_dasar,
            t.kelas_kini.label_id(),
            t.tahun_kini,
            t.tahun_target,
            if reached { "tercapai" } else { "belum" }
        );
    }
    out.push_str("</tbody></table></section>");
}

/// The RPLP as XLSX: the profile's sheets, then `Rencana investasi`, `Siteplan` and
/// `Target`.
pub fn rplp_xlsx(r: &Rplp, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let m = money();
    let mut wb = Workbook::new();
    super::profil::sheets(&mut wb, &r.profil)?;

    let mut columns = vec!["kegiatan".to_owned(), "nama".to_owned(), "tahap".to_owned()];
    for (y, s) in &r.matriks.kolom {
        let y = y.map_or_else(|| "tahun_tidak_diketahui".to_owned(), |y| y.to_string());
        columns.push(format!("{y} {}", s.as_str()));
        columns.push(format!("{y} {} tidak_diketahui", s.as_str()));
    }
    columns.push("jumlah_rp".to_owned());
    columns.push("jumlah_tidak_diketahui".to_owned());
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let s = sheet(&mut wb, "Rencana investasi", &refs)?;
    for (i, b) in r.matriks.baris.iter().enumerate() {
        let rr = row(i)?;
        text(s, rr, 0, &b.kegiatan)?;
        text(s, rr, 1, &b.nama)?;
        text(s, rr, 2, &b.tahap)?;
        for (c, cell) in (3u16..).step_by(2).zip(&b.sel) {
            xlsx::sum(s, rr, c, cell, &m)?;
        }
        let c = 3 + 2 * u16::try_from(b.sel.len()).map_err(|_| Error::TooManyRows)?;
        xlsx::sum(s, rr, c, &b.total, &m)?;
    }
    let rr = row(r.matriks.baris.len())?;
    text(s, rr, 0, "Jumlah")?;
    for (c, cell) in (3u16..).step_by(2).zip(&r.matriks.total_kolom) {
        xlsx::sum(s, rr, c, cell, &m)?;
    }
    let c = 3 + 2 * u16::try_from(r.matriks.total_kolom.len()).map_err(|_| Error::TooManyRows)?;
    xlsx::sum(s, rr, c, &r.matriks.total, &m)?;

    let s = sheet(
        &mut wb,
        "Siteplan",
        &["id", "judul", "status", "versi", "fitur"],
    )?;
    for (i, sp) in r.siteplan.iter().enumerate() {
        let rr = row(i)?;
        text(s, rr, 0, &sp.id)?;
        text(s, rr, 1, &sp.judul)?;
        text(s, rr, 2, &sp.status)?;
        s.write_number(rr, 3, f64::from(sp.versi))
            .map_err(Error::Xlsx)?;
        #[allow(clippy::cast_precision_loss)]
        s.write_number(rr, 4, sp.fitur.len() as f64)
            .map_err(Error::Xlsx)?;
    }

    let s = sheet(
        &mut wb,
        "Target",
        &[
            "kode",
            "lokasi",
            "luas_ha",
            "tahun_dasar",
            "kelas_dasar",
            "nilai_dasar",
            "tahun_kini",
            "kelas_kini",
            "tahun_target",
            "kelas_target",
        ],
    )?;
    let ha = xlsx::ha();
    for (i, t) in r.target.iter().enumerate() {
        let rr = row(i)?;
        text(s, rr, 0, &t.kode)?;
        text(s, rr, 1, &t.nama)?;
        xlsx::number(s, rr, 2, t.luas_ha, &ha)?;
        s.write_number(rr, 3, f64::from(t.tahun_dasar))
            .map_err(Error::Xlsx)?;
        text(s, rr, 4, t.kelas_dasar.label_id())?;
        s.write_number(rr, 5, f64::from(t.nilai_dasar))
            .map_err(Error::Xlsx)?;
        s.write_number(rr, 6, f64::from(t.tahun_kini))
            .map_err(Error::Xlsx)?;
        text(s, rr, 7, t.kelas_kini.label_id())?;
        s.write_number(rr, 8, f64::from(t.tahun_target))
            .map_err(Error::Xlsx)?;
        text(s, rr, 9, "Tidak kumuh")?;
    }
    xlsx::save(&mut wb, out)
}
