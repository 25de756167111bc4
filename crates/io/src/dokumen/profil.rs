//! The profile (profil) of a desa, kecamatan or kabupaten: map, slum locations and
//! their classes, hectares by class per year, works and money, maintenance cash and
//! revolving loans as totals.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use base64::Engine as _;

use kumuh_domain::assessment::SlumClass;
use kumuh_domain::works::SumberDana;
use rust_xlsxwriter::Workbook;

use super::grafik::{Seri, batang};
use super::halaman::{cut_note, foot, head, legend};
use super::peta::{Peta, class_colour, svg};
use super::teks::{amount_sum, esc, hektar, rupiah, total_sum};
use super::xlsx::{self, money, row, sheet, text};
use super::{DanaBaris, Error, Profil, level_label};

/// At most this many years are columns of the location table (the latest ones).
const YEAR_COLUMNS: usize = 6;

/// The profile as one printable HTML page.
pub fn profil_html(p: &Profil) -> String {
    let mut out = String::with_capacity(32 * 1024);
    head(
        &mut out,
        &format!("Profil Permukiman Kumuh {}", p.wilayah.judul()),
        &format!("{} (kode {})", p.wilayah.judul(), p.wilayah.kode.as_str()),
    );
    sections(&mut out, p);
    foot(&mut out);
    out
}

/// The profile's sections, which the RPLP opens with too.
pub(crate) fn sections(out: &mut String, p: &Profil) {
    summary(out, p);
    locations(out, p);
    hectares(out, p);
    works(out, p);
    photos(out, p);
    cash_and_loans(out, p);
}

/// The works' photos, before, during and after, as the thumbnails themselves.
fn photos(out: &mut String, p: &Profil) {
    if p.foto.is_empty() {
        return;
    }
    out.push_str("<section id=\"foto\"><h2>Dokumentasi kegiatan</h2><div class=\"foto\">");
    for f in &p.foto {
        let caption = format!(
            "{} · {} · {}{}",
            f.kegiatan,
            f.segmen,
            f.tahap,
            f.waktu
                .as_deref()
                .map(|w| format!(" · {w}"))
                .unwrap_or_default()
        );
        let _ = write!(
            out,
            "<figure><img alt=\"{alt}\" src=\"data:image/jpeg;base64,{data}\">\
             <figcaption>{alt}</figcaption></figure>",
            alt = esc(&caption),
            data = base64::engine::general_purpose::STANDARD.encode(&f.jpeg)
        );
    }
    out.push_str("</div></section>");
}

fn summary(out: &mut String, p: &Profil) {
    out.push_str("<section class=\"bab\" id=\"ringkasan\"><h2>Ringkasan dan peta</h2><dl>");
    let latest = p.luas.last();
    let slum_ha = latest.map_or(0.0, |l| l.per_kelas_ha[..3].iter().sum::<f64>());
    for (term, value) in [
        ("Wilayah", esc(&p.wilayah.judul())),
        ("Kode", esc(p.wilayah.kode.as_str())),
        ("Lokasi kumuh", p.jumlah_lokasi.to_string()),
        (
            "Luas kumuh",
            match latest {
                Some(l) => format!("{} ha (tahun {})", hektar(slum_ha), l.tahun),
                None => "belum dinilai".to_owned(),
            },
        ),
        ("Kegiatan", p.jumlah_kegiatan.to_string()),
        ("Alokasi dana", total_sum(&p.dana_total.alokasi)),
        ("Realisasi", rupiah(p.dana_total.realisasi_rp.get())),
    ] {
        let _ = write!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>");
    let _ = write!(
        out,
        "<figure>{}</figure>",
        svg(&Peta {
            judul: &format!("Peta {}", p.peta.judul),
            batas: &p.peta.batas,
            lokasi: &p.peta.lokasi,
            segmen: &p.peta.segmen,
            bentuk: &[],
            ukuran: (600.0, 440.0),
        })
    );
    legend(out, !p.peta.segmen.is_empty());
    out.push_str(
        "<p class=\"catatan\">Warna lokasi menurut kelas catatan terakhirnya. Peta sederhana \
         tanpa latar; skala batang diukur geodesik di garis lintang tengah peta.</p></section>",
    );
}

/// The years shown as columns of the location table: the latest few.
fn year_columns(p: &Profil) -> Vec<u16> {
    let years: BTreeSet<u16> = p
        .lokasi
        .iter()
        .flat_map(|l| l.riwayat.iter().map(|r| r.0))
        .collect();
    let skip = years.len().saturating_sub(YEAR_COLUMNS);
    years.into_iter().skip(skip).collect()
}

fn locations(out: &mut String, p: &Profil) {
    out.push_str("<section id=\"lokasi\"><h2>Lokasi kumuh dan riwayat kelasnya</h2>");
    if p.lokasi.is_empty() {
        out.push_str("<p>Belum ada lokasi kumuh yang tercatat.</p></section>");
        return;
    }
    let years = year_columns(p);
    out.push_str(
        "<table><thead><tr><th class=\"n\">No</th><th>Lokasi</th><th>Desa</th>\
         <th class=\"n\">Luas (ha)</th>",
    );
    for y in &years {
        let _ = write!(out, "<th>{y}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, l) in p.lokasi.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
            i + 1,
            esc(&l.nama),
            esc(&l.desa),
            hektar(l.luas_ha)
        );
        for y in &years {
            // The class a location stood in that year: its last record up to then.
            let class = l.riwayat.iter().rev().find(|r| r.0 <= *y).map(|r| r.1);
            match class {
                Some(c) => {
                    let _ = write!(out, "<td>{}</td>", c.label_id());
                }
                None => out.push_str("<td>-</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    cut_note(
        out,
        p.lokasi.len(),
        p.jumlah_lokasi,
        p.batas_baris,
        "lokasi",
    );
    out.push_str(
        "<p class=\"catatan\">Kelas tiap tahun adalah catatan terakhir lokasi sampai tahun itu \
         (survei, atau evaluasi setelah segmen kegiatan selesai); \"-\" belum dinilai.</p></section>",
    );
}

fn hectares(out: &mut String, p: &Profil) {
    out.push_str("<section id=\"luas\"><h2>Luas menurut kelas per tahun</h2>");
    if p.luas.is_empty() {
        out.push_str("<p>Belum ada penilaian kekumuhan yang tercatat.</p></section>");
        return;
    }
    out.push_str("<table><thead><tr><th>Tahun</th>");
    for k in SlumClass::ALL {
        let _ = write!(out, "<th class=\"n\">{} (ha)</th>", k.label_id());
    }
    out.push_str("</tr></thead><tbody>");
    for l in &p.luas {
        let _ = write!(out, "<tr><td>{}</td>", l.tahun);
        for ha in l.per_kelas_ha {
            let _ = write!(out, "<td class=\"n\">{}</td>", hektar(ha));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    let years: Vec<String> = p.luas.iter().map(|l| l.tahun.to_string()).collect();
    let seri: Vec<Seri> = SlumClass::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| Seri {
            label: k.label_id().to_owned(),
            warna: class_colour(*k),
            nilai: p.luas.iter().map(|l| l.per_kelas_ha[i]).collect(),
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}</figure></section>",
        batang("Luas menurut kelas per tahun", &years, &seri, "ha", &hektar)
    );
}

/// The colour of a funding source in charts.
fn source_colour(s: SumberDana) -> &'static str {
    const COLOURS: [&str; 8] = [
        "#2b6cb0", "#38a169", "#d69e2e", "#805ad5", "#dd6b20", "#319795", "#e53e3e", "#718096",
    ];
    let i = SumberDana::ALL.iter().position(|x| *x == s).unwrap_or(0);
    COLOURS[i % COLOURS.len()]
}

fn works(out: &mut String, p: &Profil) {
    out.push_str("<section class=\"bab\" id=\"kegiatan\"><h2>Kegiatan dan pendanaan</h2>");
    if p.kegiatan.is_empty() {
        out.push_str("<p>Belum ada kegiatan yang tercatat.</p>");
    } else {
        out.push_str(
            "<table><thead><tr><th>Kegiatan</th><th>Jenis</th><th>Desa</th><th>Tahun</th>\
             <th>Tahap</th><th>Pelaksana</th><th class=\"n\">Alokasi</th></tr></thead><tbody>",
        );
        for k in &p.kegiatan {
            let _ = write!(
                out,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"n\">{}</td></tr>",
                esc(&k.nama),
                if k.contoh {
                    " <span class=\"contoh\">Contoh</span>"
                } else {
                    ""
                },
                esc(&k.jenis),
                esc(&k.desa),
                k.tahun,
                esc(&k.tahap),
                esc(&k.pelaksana),
                amount_sum(&k.alokasi)
            );
        }
        out.push_str("</tbody></table>");
        cut_note(
            out,
            p.kegiatan.len(),
            p.jumlah_kegiatan,
            p.batas_baris,
            "kegiatan",
        );
    }
    out.push_str("<h3>Dana menurut sumber dan tahun anggaran</h3>");
    if p.dana.is_empty() {
        out.push_str("<p>Belum ada alokasi dana yang tercatat.</p></section>");
        return;
    }
    money_table(out, &p.dana, &p.dana_total);
    let _ = write!(out, "<figure>{}</figure>", money_chart(&p.dana));
    out.push_str(
        "<p class=\"catatan\">Grafik menggambar alokasi yang jumlahnya diketahui; alokasi yang \
         tidak diketahui dihitung di tabel.</p></section>",
    );
}

/// The money table: one row per source and budget year (allocations, spending), an
/// unknown amount as "tidak diketahui", and the totals; for the profile and the public
/// page alike.
pub fn money_table(out: &mut String, dana: &[DanaBaris], total: &DanaBaris) {
    out.push_str(
        "<table><thead><tr><th>Sumber dana</th><th>Tahun anggaran</th>\
         <th class=\"n\">Alokasi</th><th class=\"n\">Realisasi</th></tr></thead><tbody>",
    );
    for r in dana {
        let sumber = r.sumber.map_or("Lainnya", |s| s.label_id());
        let tahun = r
            .tahun
            .map_or_else(|| "tidak diketahui".to_owned(), |t| t.to_string());
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{tahun}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(sumber),
            total_sum(&r.alokasi),
            rupiah(r.realisasi_rp.get())
        );
    }
    let _ = write!(
        out,
        "</tbody><tfoot><tr><td colspan=\"2\">Jumlah</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td></tr></tfoot></table>",
        total_sum(&total.alokasi),
        rupiah(total.realisasi_rp.get())
    );
}

/// Known allocations stacked by source, one bar per budget year.
fn money_chart(dana: &[DanaBaris]) -> String {
    let years: Vec<Option<u16>> = dana
        .iter()
        .map(|d| d.tahun)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let sources: Vec<SumberDana> = SumberDana::ALL
        .iter()
        .copied()
        .filter(|s| dana.iter().any(|d| d.sumber == Some(*s)))
        .collect();
    let labels: Vec<String> = years
        .iter()
        .map(|y| y.map_or_else(|| "tanpa tahun".to_owned(), |y| y.to_string()))
        .collect();
    let seri: Vec<Seri> = sources
        .iter()
        .map(|s| Seri {
            label: s.label_id().to_owned(),
            warna: source_colour(*s),
            nilai: years
                .iter()
                .map(|y| {
                    dana.iter()
                        .filter(|d| d.sumber == Some(*s) && d.tahun == *y)
                        .map(|d| rp_f64(d.alokasi.diketahui_rp.get()))
                        .sum()
                })
                .collect(),
        })
        .collect();
    batang(
        "Alokasi menurut sumber dan tahun",
        &labels,
        &seri,
        "Rp juta",
        &|v| format!("{:.0}", v / 1e6),
    )
}

#[allow(clippy::cast_precision_loss)]
fn rp_f64(v: i128) -> f64 {
    v as f64
}

fn cash_and_loans(out: &mut String, p: &Profil) {
    out.push_str("<section id=\"kas\"><h2>Kas pemeliharaan (KPP)</h2>");
    if p.kas.is_empty() {
        out.push_str("<p>Belum ada kelompok pemanfaat dan pemelihara yang tercatat.</p>");
    } else {
        out.push_str(
            "<table><thead><tr><th>Kegiatan</th><th>KPP</th><th class=\"n\">Anggota (KK)</th>\
             <th class=\"n\">Saldo kas</th></tr></thead><tbody>",
        );
        for k in &p.kas {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&k.kegiatan),
                esc(&k.nama),
                k.jumlah_kk,
                rupiah(i128::from(k.saldo_rp))
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section><section id=\"pinjaman\"><h2>Dana bergulir (UPK)</h2>");
    let Some(l) = &p.pinjaman else {
        out.push_str("<p>Belum ada pinjaman dana bergulir yang tercatat.</p></section>");
        return;
    };
    let persen = |v: Option<f64>| {
        v.map_or_else(
            || "tidak ada".to_owned(),
            |v| format!("{v:.2}%").replace('.', ","),
        )
    };
    let _ = write!(
        out,
        "<p class=\"catatan\">Per {}; jumlah saja, tanpa nama kelompok atau peminjam.</p><dl>",
        esc(&l.per)
    );
    for (term, value) in [
        ("Pinjaman dicairkan", l.pinjaman_dicairkan.to_string()),
        ("Pinjaman berjalan", l.pinjaman_aktif.to_string()),
        ("KSM aktif", l.ksm_aktif.to_string()),
        ("KSM menunggak (3+ angsuran)", l.ksm_menunggak.to_string()),
        ("Sisa pokok", rupiah(i128::from(l.outstanding_rp))),
        (
            "Sisa pokok menunggak",
            rupiah(i128::from(l.outstanding_menunggak_rp)),
        ),
        ("LAR", persen(l.lar_persen)),
        ("PAR", persen(l.par_persen)),
        ("Tingkat pengembalian", persen(l.rr_persen)),
    ] {
        let _ = write!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl></section>");
}

/// The profile as XLSX: sheets `Ringkasan`, `Lokasi`, `Luas per kelas`, `Pendanaan`.
pub fn profil_xlsx(p: &Profil, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let mut wb = Workbook::new();
    sheets(&mut wb, p)?;
    xlsx::save(&mut wb, out)
}

/// The profile's sheets, which the RPLP's workbook opens with too.
pub(crate) fn sheets(wb: &mut Workbook, p: &Profil) -> Result<(), Error> {
    let m = money();
    let ha = xlsx::ha();

    let s = sheet(wb, "Ringkasan", &["ukuran", "nilai"])?;
    s.set_column_width(0, 28.0).map_err(Error::Xlsx)?;
    s.set_column_width(1, 40.0).map_err(Error::Xlsx)?;
    let rows: [(&str, String); 6] = [
        ("wilayah", p.wilayah.judul()),
        ("kode", p.wilayah.kode.as_str().to_owned()),
        ("tingkat", level_label(p.wilayah.level).to_owned()),
        ("jumlah_lokasi", p.jumlah_lokasi.to_string()),
        ("jumlah_kegiatan", p.jumlah_kegiatan.to_string()),
        (
            "pinjaman",
            p.pinjaman.as_ref().map_or_else(
                || "tidak ada".to_owned(),
                |l| format!("{} berjalan per {}", l.pinjaman_aktif, l.per),
            ),
        ),
    ];
    let mut r = 1;
    for (k, v) in rows {
        text(s, r, 0, k)?;
        text(s, r, 1, &v)?;
        r += 1;
    }
    text(s, r, 0, "alokasi_rp")?;
    xlsx::sum(s, r, 1, &p.dana_total.alokasi, &m)?;
    r += 1;
    text(s, r, 0, "realisasi_rp")?;
    xlsx::rupiah(s, r, 1, p.dana_total.realisasi_rp.get(), &m)?;
    for k in &p.kas {
        r += 1;
        text(s, r, 0, &format!("kas_kpp: {}", k.nama))?;
        xlsx::rupiah(s, r, 1, i128::from(k.saldo_rp), &m)?;
    }

    let years = year_columns(p);
    let mut columns: Vec<String> = ["kode", "lokasi", "desa", "luas_ha"]
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    columns.extend(years.iter().map(|y| format!("kelas_{y}")));
    let column_refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let s = sheet(wb, "Lokasi", &column_refs)?;
    for (i, l) in p.lokasi.iter().enumerate() {
        let r = row(i)?;
        text(s, r, 0, &l.kode)?;
        text(s, r, 1, &l.nama)?;
        text(s, r, 2, &l.desa)?;
        xlsx::number(s, r, 3, l.luas_ha, &ha)?;
        for (c, y) in (4u16..).zip(&years) {
            let class = l.riwayat.iter().rev().find(|x| x.0 <= *y).map(|x| x.1);
            text(s, r, c, class.map_or("-", |c| c.label_id()))?;
        }
    }

    let mut columns = vec!["tahun".to_owned()];
    columns.extend(SlumClass::ALL.iter().map(|k| format!("{}_ha", k.as_str())));
    let column_refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let s = sheet(wb, "Luas per kelas", &column_refs)?;
    for (i, l) in p.luas.iter().enumerate() {
        let r = row(i)?;
        xlsx::number(s, r, 0, f64::from(l.tahun), &rust_xlsxwriter::Format::new())?;
        for (c, v) in (1u16..).zip(l.per_kelas_ha) {
            xlsx::number(s, r, c, v, &ha)?;
        }
    }

    let s = sheet(
        wb,
        "Pendanaan",
        &[
            "sumber",
            "tahun",
            "alokasi_rp",
            "alokasi_tidak_diketahui",
            "realisasi_rp",
        ],
    )?;
    for (i, d) in p.dana.iter().chain([&p.dana_total]).enumerate() {
        let r = row(i)?;
        let sumber = match d.sumber {
            Some(s) => s.label_id(),
            None if i == p.dana.len() => "Jumlah",
            None => "Lainnya",
        };
        text(s, r, 0, sumber)?;
        match d.tahun {
            Some(t) => xlsx::number(s, r, 1, f64::from(t), &rust_xlsxwriter::Format::new())?,
            None if i == p.dana.len() => {}
            None => text(s, r, 1, "tidak diketahui")?,
        }
        xlsx::sum(s, r, 2, &d.alokasi, &m)?;
        xlsx::rupiah(s, r, 4, d.realisasi_rp.get(), &m)?;
    }
    Ok(())
}
