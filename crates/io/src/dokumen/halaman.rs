//! The skeleton every printed document shares: the head with print CSS for A4, the title
//! block and the foot.

use std::fmt::Write as _;

use super::teks::esc;

/// Screen and print styles. On paper: A4 with margins, every `section.bab` on a new
/// page, each kecamatan map on its own page, table headers repeated on every page and
/// no row split across pages.
pub(crate) const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;\
max-width:60rem;padding:0 .75rem 2rem;line-height:1.35;color:#1a1a1a}\
h1{font-size:1.45rem;margin:1rem 0 .25rem}h2{font-size:1.15rem;border-bottom:2px solid #2b6cb0;\
padding-bottom:.2rem;margin-top:1.5rem}h3{font-size:1rem;margin:1rem 0 .25rem}\
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}\
th,td{border:1px solid #bbb;padding:.2rem .35rem;text-align:left;vertical-align:top}\
th{background:#eef2f7}td.n,th.n{text-align:right;white-space:nowrap}tfoot td{font-weight:bold}\
.catatan{color:#555;font-size:.8rem}.contoh{background:#fff3c4;border:1px solid #c9a400;\
border-radius:.25rem;padding:0 .3rem;font-size:.75rem}figure{margin:.5rem 0}\
svg.peta{width:100%;max-width:40rem;height:auto;border:1px solid #ccc;background:#fbfbf8}\
svg.peta.kecil{max-width:18rem}svg.grafik{width:100%;max-width:40rem;height:auto}\
.siteplan{display:inline-block;vertical-align:top;margin:.25rem;width:18rem}\
.foto figure{display:inline-block;vertical-align:top;margin:.25rem;width:11rem}\
.foto img{width:11rem;height:auto;border:1px solid #ccc}.foto figcaption{font-size:.75rem;color:#555}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;margin:.25rem 0}\
dt{color:#555}dd{margin:0}.legenda span{display:inline-block;width:.8rem;height:.8rem;\
margin:0 .25rem 0 .75rem;vertical-align:middle;border:1px solid #333}\
@page{size:A4;margin:16mm 14mm 18mm 14mm}\
@media print{body{max-width:none;font-size:9.5pt;padding:0}a{color:inherit;text-decoration:none}\
section.bab{break-before:page}section.bab:first-of-type{break-before:auto}\
.peta-kecamatan{break-before:page}thead{display:table-header-group}tfoot{display:table-footer-group}\
tr,figure,.siteplan{break-inside:avoid}h2,h3{break-after:avoid}.layar{display:none}}";

/// Opens a document: head, styles and the title block.
pub(crate) fn head(out: &mut String, title: &str, subtitle: &str) {
    let _ = write!(
        out,
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\
         <header><h1>{}</h1><p><strong>{}</strong></p>\
         <p class=\"layar catatan\">Cetak halaman ini (Ctrl+P) untuk kertas A4 atau PDF.</p></header>",
        esc(title),
        esc(title),
        esc(subtitle)
    );
}

/// Closes a document with the note every one carries.
pub(crate) fn foot(out: &mut String) {
    out.push_str(
        "<footer><p class=\"catatan\">Jumlah \"tidak diketahui\" berarti nilainya belum dicatat, \
         bukan nol. Luas (ha) adalah luas geodesik deliniasi lokasi. Dokumen ini tidak memuat \
         nama warga, anggota kelompok, peminjam, atau pengguna.</p></footer></body></html>",
    );
}

/// The legend of slum classes under a map, with the segments' red where some are drawn.
pub(crate) fn legend(out: &mut String, segmen: bool) {
    out.push_str("<p class=\"legenda catatan\">");
    for k in kumuh_domain::assessment::SlumClass::ALL {
        let _ = write!(
            out,
            "<span style=\"background:{}\"></span>{}",
            super::peta::class_colour(k),
            k.label_id()
        );
    }
    out.push_str("<span style=\"background:#e8e8e0\"></span>Batas desa");
    if segmen {
        out.push_str("<span style=\"background:#d33\"></span>Segmen kegiatan");
    }
    out.push_str("</p>");
}

/// A note that a list was cut at `shown` of `all` rows.
pub(crate) fn cut_note(out: &mut String, shown: usize, all: usize, cap: usize, what: &str) {
    if all > shown {
        let _ = write!(
            out,
            "<p class=\"catatan\">Ditampilkan {shown} dari {all} {what} (paling banyak {cap} \
             per dokumen); jumlah dan luas menghitung semuanya.</p>"
        );
    }
}
