//! The public transparency pages: plain HTML without sign-in, for a desa, a kecamatan and
//! a kabupaten, on a new store's seed. (That they show no personal data is checked with
//! every other GET path in `privacy.rs`.)

use axum::http::{Method, StatusCode, header};
use kumuh_domain::Role;
use serde_json::{Value, json};

use crate::common;
use common::Fixture;

const BIBRIK: &str = "35.19.09.2014";

/// A fixture holding what `kumuh init` gives a new store.
async fn new_store() -> Fixture {
    let f = common::fixture().await;
    kumuh_app::seed::seed(&f.state.atlas(), &kumuh_io::seed::jiwan().unwrap())
        .await
        .unwrap();
    f
}

/// Status, content type and body of a GET without sign-in.
async fn page(f: &Fixture, uri: &str) -> (StatusCode, String, String) {
    let (status, headers, body) = f.call_full(Method::GET, uri, None, &[], None).await;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Value::String(text) = body else {
        panic!("GET {uri}: not text: {body}")
    };
    (status, kind, text)
}

#[tokio::test]
async fn the_bibrik_page_shows_the_paving_its_money_and_the_location_before_and_after() {
    let f = new_store().await;
    let (status, kind, html) = page(&f, &format!("/publik/desa/{BIBRIK}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(kind, "text/html; charset=utf-8");
    for expected in [
        "Desa Bibrik",
        "Jalan paving kawasan budidaya lele RT 09/10",
        "Rp 100.000.000",
        "APBD Kabupaten",
        "2018",
        // Swadaya and Dana Desa amounts were not recorded: never shown as Rp 0.
        "<td>Swadaya masyarakat</td><td>2018</td><td class=\"n\">tidak diketahui</td>",
        "<td>Dana Desa</td><td>tidak diketahui</td><td class=\"n\">tidak diketahui</td>",
        "Rp 100.000.000 + 3 alokasi tidak diketahui",
        // 170 m of 170 m built.
        "170 m dari 170 m",
        "100%",
        "Paseduluran Jalan Poros RT 09/10, 30 KK; saldo kas Rp 0",
        "<svg",
        // The location on the map, coloured by its latest class.
        "<title>Bibrik RT 09/10 (Tidak kumuh)</title>",
        "Contoh",
    ] {
        assert!(html.contains(expected), "no `{expected}` in {html}");
    }
    // The location was kumuh ringan in its 2017 survey and is tidak kumuh after the
    // paving (2018): its hectares move from one class to the other.
    let row = |kelas: &str| {
        let start = html.find(&format!("<td>{kelas}</td>")).unwrap();
        let end = start + html[start..].find("</tr>").unwrap();
        html[start..end].to_owned()
    };
    let ha = |cell: &str| cell.replace(',', ".").parse::<f64>().unwrap();
    let cells = |kelas: &str| -> Vec<f64> {
        row(kelas)
            .split("<td class=\"n\">")
            .skip(1)
            .map(|c| ha(c.trim_end_matches("</td>")))
            .collect()
    };
    let ringan = cells("Kumuh ringan");
    let tidak = cells("Tidak kumuh");
    assert!(ringan[0] > 2.5 && ringan[1] == 0.0, "{ringan:?}");
    assert!(tidak[0] == 0.0 && tidak[1] == ringan[0], "{tidak:?}");
    assert!(html.contains("tahun 2017\u{2013}2018"), "{html}");
    assert!(!html.contains("-0,00"), "no negative zero hectares: {html}");
    assert!(!html.contains("<script"), "no script on the page");
}

#[tokio::test]
async fn the_kecamatan_and_kabupaten_pages_hold_the_desa_work() {
    let f = new_store().await;
    for uri in ["/publik/kecamatan/35.19.09", "/publik/kabupaten/35.19"] {
        let (status, _, html) = page(&f, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {html}");
        for expected in [
            "Rp 100.000.000",
            "APBD Kabupaten",
            "href=\"../desa/35.19.09.2014\"",
            "Kumuh ringan",
        ] {
            assert!(html.contains(expected), "{uri}: no `{expected}` in {html}");
        }
    }
    // A neighbouring kabupaten has none of it.
    let (status, _, html) = page(&f, "/publik/kabupaten/35.20").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Belum ada kegiatan yang tercatat."), "{html}");
    assert!(!html.contains("Rp 100.000.000"), "{html}");
}

#[tokio::test]
async fn unknown_places_and_wrong_levels_get_a_404_page() {
    let f = new_store().await;
    for uri in [
        "/publik/desa/35.19.09.2099",
        "/publik/desa/bukan-kode",
        "/publik/desa/35.19.09",
        "/publik/kecamatan/35.19.09.2014",
        "/publik/kabupaten/35.99",
        "/publik/kabupaten/%3Cscript%3E",
    ] {
        let (status, kind, html) = page(&f, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {html}");
        assert_eq!(kind, "text/html; charset=utf-8", "{uri}");
        assert!(html.contains("Wilayah tidak ditemukan"), "{uri}: {html}");
        assert!(!html.contains("<script"), "{uri}: {html}");
    }
}

#[tokio::test]
async fn text_from_the_store_is_escaped() {
    let f = new_store().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let evil = "<script>alert(1)</script>";
    let (s, b) = f
        .call(
            Method::POST,
            "/api/kegiatan",
            Some(&admin),
            Some(json!({
                "id": "K-XSS", "nama": evil, "jenis": "drainase", "kode_desa": BIBRIK,
                "tahun": 2024, "keterangan": "\"><img src=x onerror=alert(2)>",
                "pelaksana": {"jenis": "ksm", "nama": "<b>KSM</b>"}
            })),
        )
        .await;
    assert!(s.is_success(), "{s} {b}");
    for uri in [
        format!("/publik/desa/{BIBRIK}"),
        "/publik/kecamatan/35.19.09".to_owned(),
    ] {
        let (status, _, html) = page(&f, &uri).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{uri}: {html}"
        );
        for raw in ["<script", "<img", "<b>KSM"] {
            assert!(!html.contains(raw), "{uri} holds `{raw}` unescaped");
        }
    }
}

#[tokio::test]
async fn a_long_list_of_works_is_cut_and_the_page_says_so() {
    let f = new_store().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let more = kumuh_app::publik::MAX_KEGIATAN;
    for i in 0..more {
        let (s, b) = f
            .call(
                Method::POST,
                "/api/kegiatan",
                Some(&admin),
                Some(json!({
                    "id": format!("K-{i:03}"), "nama": format!("Drainase {i}"),
                    "jenis": "drainase", "kode_desa": BIBRIK, "tahun": 2024,
                    "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
                })),
            )
            .await;
        assert!(s.is_success(), "{s} {b}");
    }
    let (status, _, html) = page(&f, &format!("/publik/desa/{BIBRIK}")).await;
    assert_eq!(status, StatusCode::OK);
    let shown = html.matches("<div class=\"kegiatan\">").count();
    assert_eq!(shown, more);
    assert!(
        html.contains(&format!("Ditampilkan {more} dari {} kegiatan", more + 1)),
        "{html}"
    );
    // The money table still counts the work that was left out of the list.
    assert!(html.contains("Rp 100.000.000"), "{html}");
}

#[tokio::test]
async fn each_segment_shows_its_photo_thumbnails_by_stage() {
    let f = new_store().await;
    let admin = f.token_for("ana", Role::Admin).await;
    let work = "contoh-35.19.09.2014-2018-paving";
    let taken = kumuh_io::foto::contoh::ContohExif {
        waktu: "2018:08:31 09:15:00".into(),
        posisi: kumuh_io::foto::Posisi {
            lon: 111.4936,
            lat: -7.5753,
        },
    };
    let uploads = [
        ("100", kumuh_io::foto::contoh::jpeg(40, 30, Some(&taken))),
        ("0", kumuh_io::foto::contoh::jpeg(40, 30, None)),
    ];
    for (tahap, bytes) in uploads {
        let (s, _, b) = f
            .call_bytes(
                Method::POST,
                &format!("/api/kegiatan/{work}/segmen/S1/foto?tahap={tahap}"),
                Some(&admin),
                &[],
                Some(("image/jpeg", bytes)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&b));
    }
    let (status, _, html) = page(&f, &format!("/publik/desa/{BIBRIK}")).await;
    assert_eq!(status, StatusCode::OK);
    let before = html
        .find("<img src=\"../../api/foto/2/kecil\"")
        .unwrap_or_else(|| panic!("{html}"));
    let after = html.find("<img src=\"../../api/foto/1/kecil\"").unwrap();
    assert!(before < after, "the 0 % photo comes first");
    assert!(html.contains("<a href=\"../../api/foto/1\">"), "{html}");
    assert!(
        html.contains("<figcaption>100% \u{b7} 2018-08-31</figcaption>"),
        "{html}"
    );
    assert!(html.contains("<figcaption>0%</figcaption>"), "{html}");
    // The kecamatan's page shows them too.
    let (_, _, html) = page(&f, "/publik/kecamatan/35.19.09").await;
    assert!(html.contains("../../api/foto/1/kecil"));
}
