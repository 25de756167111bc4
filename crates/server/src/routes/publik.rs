//! The public transparency pages (`/publik/desa/{kode}`, `/publik/kecamatan/{kode}`,
//! `/publik/kabupaten/{kode}`): plain HTML in Bahasa Indonesia, without sign-in or
//! script, small enough for a cheap phone and fit to print. The data comes from
//! [`kumuh_app::publik`]; this file only writes it out, escaping every text from the
//! store.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kumuh_app::AppError;
use kumuh_app::publik::{self, Halaman, KegiatanPublik, PetaDesa};
use kumuh_domain::Level;
use kumuh_io::dokumen::level_label;
use kumuh_io::dokumen::peta::{self, Peta};
use kumuh_io::dokumen::teks::{amount_sum, esc, hektar, rupiah};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The three public pages, for the API's router and its OpenAPI document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publik_desa))
        .routes(routes!(publik_kecamatan))
        .routes(routes!(publik_kabupaten))
}

/// The public page of a desa: its works, money, progress and slum hectares.
#[utoipa::path(get, path = "/publik/desa/{kode}", tag = "publik",
    params(("kode" = String, Path, description = "Kemendagri code of the desa, e.g. `35.19.09.2014`")),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 404, description = "No such desa", content_type = "text/html", body = String)))]
pub async fn publik_desa(State(state): State<AppState>, Path(kode): Path<String>) -> Response {
    page(&state, &kode, Level::Desa).await
}

/// The public page of a kecamatan: the works of all its desa.
#[utoipa::path(get, path = "/publik/kecamatan/{kode}", tag = "publik",
    params(("kode" = String, Path, description = "Kemendagri code of the kecamatan, e.g. `35.19.09`")),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 404, description = "No such kecamatan", content_type = "text/html", body = String)))]
pub async fn publik_kecamatan(State(state): State<AppState>, Path(kode): Path<String>) -> Response {
    page(&state, &kode, Level::Kecamatan).await
}

/// The public page of a kabupaten: the works of all its desa.
#[utoipa::path(get, path = "/publik/kabupaten/{kode}", tag = "publik",
    params(("kode" = String, Path, description = "Kemendagri code of the kabupaten, e.g. `35.19`")),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 404, description = "No such kabupaten", content_type = "text/html", body = String)))]
pub async fn publik_kabupaten(State(state): State<AppState>, Path(kode): Path<String>) -> Response {
    page(&state, &kode, Level::Kabupaten).await
}

async fn page(state: &AppState, kode: &str, level: Level) -> Response {
    match publik::halaman(&state.atlas(), kode, level).await {
        Ok(h) => html(StatusCode::OK, render(&h)),
        Err(AppError::NotFound(_)) => html(
            StatusCode::NOT_FOUND,
            message_page(
                "Wilayah tidak ditemukan",
                &format!(
                    "Tidak ada {} dengan kode {} di atlas ini.",
                    level_label(level).to_lowercase(),
                    esc(kode)
                ),
            ),
        ),
        Err(e) => {
            tracing::error!(error = %e, kode, "public page");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                message_page(
                    "Terjadi kesalahan",
                    "Halaman ini tidak dapat dibuat sekarang. Silakan coba lagi nanti.",
                ),
            )
        }
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// Small, print-friendly styles; no web fonts, no script.
const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:56rem;\
padding:0 .75rem 2rem;line-height:1.4;color:#1a1a1a}h1{font-size:1.4rem;margin:1rem 0 .25rem}\
h2{font-size:1.15rem;border-bottom:2px solid #2b6cb0;padding-bottom:.2rem;margin-top:1.75rem}\
h3{font-size:1rem;margin:1.25rem 0 .25rem}table{border-collapse:collapse;width:100%;\
font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;\
vertical-align:top}td.n,th.n{text-align:right;white-space:nowrap}tfoot td{font-weight:bold}\
.contoh{background:#fff3c4;border:1px solid #c9a400;border-radius:.25rem;padding:0 .3rem;\
font-size:.8rem}.catatan{color:#555;font-size:.85rem}.peta{display:inline-block;margin:.25rem;\
vertical-align:top}.peta svg{width:18rem;max-width:100%;height:auto;border:1px solid #ccc;\
background:#fbfbf8}dl{display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;margin:.25rem 0}\
dt{color:#555}dd{margin:0}.foto p{margin:.5rem 0 .2rem;font-size:.9rem}.foto figure{\
display:inline-block;margin:0 .4rem .4rem 0;vertical-align:top;font-size:.8rem;color:#555}\
.foto img{display:block;height:6rem;width:auto;max-width:10rem;border:1px solid #ccc}@media print{body{max-width:none;font-size:10pt}a{color:inherit;\
text-decoration:none}section,.kegiatan,.peta{break-inside:avoid-page}}";

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
}

fn message_page(title: &str, message_html: &str) -> String {
    let mut out = String::new();
    head(&mut out, title);
    let _ = write!(
        out,
        "<h1>{}</h1><p>{message_html}</p></body></html>",
        esc(title)
    );
    out
}

/// The whole page of an area.
fn render(h: &Halaman) -> String {
    let w = &h.wilayah;
    let place = format!("{} {}", level_label(w.level), w.nama);
    let mut out = String::with_capacity(16 * 1024);
    head(&mut out, &format!("Transparansi penanganan kumuh: {place}"));
    let _ = write!(
        out,
        "<header><h1>Transparansi penanganan permukiman kumuh</h1>\
         <p><strong>{}</strong> (kode {})</p></header>",
        esc(&place),
        esc(w.kode.as_str())
    );
    if h.jumlah_contoh > 0 {
        let _ = write!(
            out,
            "<p class=\"catatan\"><span class=\"contoh\">Contoh</span> {} kegiatan di halaman ini \
             adalah contoh ilustratif, bukan catatan lapangan; angkanya ikut dihitung di bawah.</p>",
            h.jumlah_contoh
        );
    }
    money_section(&mut out, h);
    slum_section(&mut out, h);
    works_section(&mut out, h);
    maps_section(&mut out, &h.peta);
    out.push_str(
        "<footer><p class=\"catatan\">Jumlah \"tidak diketahui\" berarti nilainya belum dicatat, \
         bukan nol. Halaman ini tidak memuat nama warga, anggota kelompok, atau pengguna.</p>\
         </footer></body></html>",
    );
    out
}

fn money_section(out: &mut String, h: &Halaman) {
    out.push_str("<section><h2>Dana menurut sumber dan tahun anggaran</h2>");
    if h.dana.is_empty() {
        out.push_str("<p>Belum ada alokasi dana yang tercatat.</p></section>");
        return;
    }
    kumuh_io::dokumen::money_table(out, &h.dana, &h.dana_total);
    out.push_str("</section>");
}

fn slum_section(out: &mut String, h: &Halaman) {
    out.push_str("<section><h2>Luas permukiman kumuh menurut kelas</h2>");
    let Some((awal, kini)) = h.tahun else {
        out.push_str("<p>Belum ada penilaian kekumuhan yang tercatat.</p></section>");
        return;
    };
    let _ = write!(
        out,
        "<p class=\"catatan\">{} lokasi; \"awal\" adalah catatan pertama tiap lokasi, \"kini\" \
         catatan terakhirnya (tahun {awal}\u{2013}{kini}).</p>\
         <table><thead><tr><th>Kelas</th><th class=\"n\">Awal (ha)</th>\
         <th class=\"n\">Kini (ha)</th></tr></thead><tbody>",
        h.jumlah_lokasi
    );
    for k in &h.kelas {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            k.kelas.label_id(),
            hektar(k.awal_ha),
            hektar(k.kini_ha)
        );
    }
    out.push_str("</tbody></table></section>");
}

fn works_section(out: &mut String, h: &Halaman) {
    out.push_str("<section><h2>Kegiatan</h2>");
    if h.kegiatan.is_empty() {
        out.push_str("<p>Belum ada kegiatan yang tercatat.</p></section>");
        return;
    }
    if h.jumlah_kegiatan > h.kegiatan.len() {
        let _ = write!(
            out,
            "<p class=\"catatan\">Ditampilkan {} dari {} kegiatan (paling banyak {} per halaman); \
             tabel dana dan luas di atas menghitung semuanya. Buka halaman desa untuk rinciannya.</p>",
            h.kegiatan.len(),
            h.jumlah_kegiatan,
            publik::MAX_KEGIATAN
        );
    }
    for k in &h.kegiatan {
        work(out, k, h.wilayah.level);
    }
    out.push_str("</section>");
}

fn work(out: &mut String, k: &KegiatanPublik, level: Level) {
    let _ = write!(out, "<div class=\"kegiatan\"><h3>{}", esc(&k.nama));
    if k.contoh {
        out.push_str(" <span class=\"contoh\">Contoh</span>");
    }
    out.push_str("</h3><dl>");
    let desa = k.desa.as_deref().unwrap_or(k.kode_desa.as_str());
    let desa = if level == Level::Desa {
        esc(desa)
    } else {
        // Relative, so that the link holds behind any path prefix.
        format!(
            "<a href=\"../desa/{}\">{}</a>",
            esc(k.kode_desa.as_str()),
            esc(desa)
        )
    };
    for (term, value) in [
        ("Jenis", esc(k.jenis)),
        ("Desa", desa),
        ("Tahun", k.tahun.to_string()),
        ("Tahap", esc(k.status)),
        ("Pelaksana", esc(&k.pelaksana)),
    ] {
        let _ = write!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>");
    if let Some(note) = &k.keterangan {
        let _ = write!(out, "<p class=\"catatan\">{}</p>", esc(note));
    }
    out.push_str(
        "<table><thead><tr><th>Segmen</th><th>Tahap</th><th class=\"n\">Volume terbangun</th>\
         <th class=\"n\">Progres fisik</th><th class=\"n\">Alokasi</th><th class=\"n\">Realisasi</th>\
         </tr></thead><tbody>",
    );
    for s in &k.segmen {
        let volume = match &s.volume_rencana {
            Some(r) => format!("{} dari {}", esc(&s.volume_realisasi), esc(r)),
            None => format!("{} (rencana tidak diketahui)", esc(&s.volume_realisasi)),
        };
        let progres = s.progres_fisik.map_or_else(
            || "tidak diketahui".to_owned(),
            |r| format!("{:.0}%", r.percent()),
        );
        let _ = write!(
            out,
            "<tr><td>{} {}</td><td>{}</td><td class=\"n\">{volume}</td><td class=\"n\">{progres}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&s.id),
            esc(&s.nama),
            esc(s.status),
            amount_sum(&s.alokasi),
            rupiah(i128::from(s.realisasi_rp))
        );
    }
    out.push_str("</tbody></table>");
    photos(out, k);
    if let Some(kpp) = &k.kpp {
        let _ = write!(
            out,
            "<p>Kelompok pemanfaat dan pemelihara (KPP): {}, {} KK; saldo kas {}.</p>",
            esc(&kpp.nama),
            kpp.jumlah_kk,
            rupiah(i128::from(kpp.saldo_rp))
        );
    }
    out.push_str("</div>");
}

/// Each segment's photo thumbnails, linked to the photos, with the stage and the date
/// taken. Links are relative (`../../api/foto/…` from `/publik/LEVEL/KODE`), so they hold
/// behind any path prefix.
fn photos(out: &mut String, k: &KegiatanPublik) {
    for s in k.segmen.iter().filter(|s| !s.foto.is_empty()) {
        let _ = write!(
            out,
            "<div class=\"foto\"><p>Foto {} {}</p>",
            esc(&s.id),
            esc(&s.nama)
        );
        for f in &s.foto {
            let tahap = f.tahap.label();
            let date = f
                .waktu_exif
                .as_deref()
                .and_then(|w| w.get(..10))
                .map(|d| format!(" \u{b7} {}", esc(d)))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<figure><a href=\"../../api/foto/{id}\"><img src=\"../../api/foto/{id}/kecil\" \
                 alt=\"Foto {seg} tahap {tahap}\" loading=\"lazy\"></a>\
                 <figcaption>{tahap}{date}</figcaption></figure>",
                id = f.id,
                seg = esc(&s.id),
            );
        }
        out.push_str("</div>");
    }
}

fn maps_section(out: &mut String, peta: &[PetaDesa]) {
    if peta.is_empty() {
        return;
    }
    out.push_str("<section><h2>Peta segmen</h2>");
    for p in peta {
        let name = p.nama.as_deref().unwrap_or(p.kode_desa.as_str());
        let _ = write!(
            out,
            "<figure class=\"peta\">{}<figcaption>Desa {} \u{2014} {} segmen</figcaption></figure>",
            peta::svg(&Peta {
                judul: &format!("Peta Desa {name}"),
                batas: p.batas.as_slice(),
                lokasi: &p.lokasi,
                segmen: &p.segmen,
                bentuk: &[],
                ukuran: (300.0, 220.0),
            }),
            esc(name),
            p.segmen.len()
        );
    }
    out.push_str(
        "<p class=\"catatan\">Garis merah: segmen kegiatan; bidang abu-abu: batas desa; \
         bidang berwarna: lokasi kumuh menurut kelas terakhirnya (merah tua kumuh berat, \
         merah kumuh sedang, jingga kumuh ringan, hijau tidak kumuh). \
         Peta sederhana, bukan untuk pengukuran.</p></section>",
    );
}
