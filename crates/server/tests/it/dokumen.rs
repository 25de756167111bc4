//! The printable documents (`/api/dokumen/{profil|rplp|sk-kumuh}`) on a new store's seed:
//! each answers as HTML and as an XLSX workbook with its named sheets, text from the
//! store is escaped, and a bad parameter is a 400 that names it. (That they show no
//! personal data is checked with every other GET path in `privacy.rs`.)

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::common;
use common::Fixture;

const BIBRIK: &str = "35.19.09.2014";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A fixture holding what `kumuh init` gives a new store: the Bibrik paving work and the
/// Bibrik RT 09/10 location, surveyed in 2017 and evaluated in 2018.
async fn new_store() -> Fixture {
    let f = common::fixture().await;
    kumuh_app::seed::seed(&f.state.atlas(), &kumuh_io::seed::jiwan().unwrap())
        .await
        .unwrap();
    f
}

/// Status, content type, content disposition and bytes of a GET without sign-in.
async fn get(f: &Fixture, uri: &str) -> (StatusCode, String, String, Vec<u8>) {
    let req = Request::get(uri).body(Body::empty()).unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let header_text = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (kind, disposition) = (
        header_text(header::CONTENT_TYPE),
        header_text(header::CONTENT_DISPOSITION),
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, kind, disposition, bytes)
}

async fn html(f: &Fixture, uri: &str) -> String {
    let (status, kind, _, bytes) = get(f, uri).await;
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(status, StatusCode::OK, "GET {uri}: {text}");
    assert_eq!(kind, "text/html; charset=utf-8", "GET {uri}");
    text
}

async fn workbook(f: &Fixture, uri: &str) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let (status, kind, disposition, bytes) = get(f, uri).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "GET {uri}: {}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(kind, XLSX, "GET {uri}");
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
}

fn rows(wb: &mut Xlsx<std::io::Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    wb.worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

#[tokio::test]
async fn the_bibrik_profile_prints_its_map_classes_money_and_cash() {
    let f = new_store().await;
    let page = html(&f, &format!("/api/dokumen/profil?wilayah={BIBRIK}")).await;
    for expected in [
        "Profil Permukiman Kumuh Desa Bibrik",
        "@page{size:A4",
        "thead{display:table-header-group}",
        "<svg class=\"peta\"",
        "data-skala=",
        "data-utara=",
        "<svg class=\"grafik\"",
        // The location's class history: surveyed 2017, evaluated after the paving in 2018.
        "<th>2017</th><th>2018</th>",
        "<td>Tidak kumuh</td>",
        "Rp 100.000.000",
        // Swadaya was not recorded: said, never Rp 0.
        "<td>Swadaya masyarakat</td><td>2018</td><td class=\"n\">tidak diketahui</td>",
        "Paseduluran Jalan Poros RT 09/10",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    let mut wb = workbook(
        &f,
        &format!("/api/dokumen/profil?wilayah={BIBRIK}&format=xlsx"),
    )
    .await;
    assert_eq!(wb.sheet_names(), kumuh_io::dokumen::SHEETS_PROFIL);
    let money = rows(&mut wb, "Pendanaan");
    let apbd = money
        .iter()
        .find(|r| r[0] == "APBD Kabupaten/Kota")
        .unwrap();
    assert_eq!(apbd[1..3], ["2018", "100000000"]);
    let swadaya = money.iter().find(|r| r[0] == "Swadaya masyarakat").unwrap();
    assert_eq!(swadaya[2], "tidak diketahui", "{money:?}");
    let lokasi = rows(&mut wb, "Lokasi");
    assert_eq!(lokasi[0][4..], ["kelas_2017", "kelas_2018"]);
    assert_eq!(lokasi[1][5], "Tidak kumuh");

    // A kecamatan and a kabupaten too.
    for kode in ["35.19.09", "35.19"] {
        let page = html(&f, &format!("/api/dokumen/profil?wilayah={kode}")).await;
        assert!(page.contains("Bibrik RT 09/10"), "{kode}");
    }
}

#[tokio::test]
async fn the_bibrik_rplp_has_the_investment_plan_with_totals_and_the_targets() {
    let f = new_store().await;
    let page = html(&f, &format!("/api/dokumen/rplp?wilayah={BIBRIK}")).await;
    for expected in [
        "Rencana Penataan Lingkungan Permukiman (RPLP) Desa Bibrik",
        "<h2>Rencana investasi</h2>",
        "2018<br>APBD Kabupaten/Kota",
        "Rp 100.000.000 + 3 alokasi tidak diketahui",
        "<h2>Siteplan</h2>",
        "Tidak kumuh pada 2022",
        "tercapai",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    let mut wb = workbook(
        &f,
        &format!("/api/dokumen/rplp?wilayah={BIBRIK}&format=xlsx"),
    )
    .await;
    assert_eq!(wb.sheet_names(), kumuh_io::dokumen::SHEETS_RPLP);
    let plan = rows(&mut wb, "Rencana investasi");
    let total = plan.last().unwrap();
    assert_eq!(total[0], "Jumlah");
    // The grand total: the known rupiah and the count of unknown allocations.
    assert_eq!(total[total.len() - 2..], ["100000000", "3"], "{plan:?}");
    let target = rows(&mut wb, "Target");
    assert_eq!(target[1][3], "2017", "{target:?}");
    assert_eq!(target[1][8], "2022", "{target:?}");
}

#[tokio::test]
async fn the_sk_annex_lists_the_slum_locations_of_a_year_and_compares_two() {
    let f = new_store().await;
    let page = html(
        &f,
        "/api/dokumen/sk-kumuh?wilayah=35.19&tahun=2017&banding=2018",
    )
    .await;
    for expected in [
        "Lampiran SK Kumuh Kabupaten Madiun Tahun 2017",
        "<th>Tingkat kekumuhan</th><th>Legalitas lahan</th><th>Prioritas</th>",
        "Bibrik RT 09/10",
        "<td>Jiwan</td>",
        "class=\"peta-kecamatan\"",
        "<h2>Peta Kecamatan Jiwan</h2>",
        "<h2>Perbandingan 2017 dan 2018</h2>",
        "break-before:page",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    let mut wb = workbook(
        &f,
        "/api/dokumen/sk-kumuh?wilayah=35.19&tahun=2017&banding=2018&format=xlsx",
    )
    .await;
    assert_eq!(wb.sheet_names(), kumuh_io::dokumen::SHEETS_SK);
    let table = rows(&mut wb, "Lampiran SK");
    assert_eq!(table.len(), 2, "{table:?}");
    assert_eq!(table[1][4], "Jiwan");
    let luas: f64 = table[1][5].parse().unwrap();
    let compare = rows(&mut wb, "Perbandingan");
    assert_eq!(compare.len(), 5, "{compare:?}");
    // Whatever its class in 2017, the location is tidak kumuh in 2018: its hectares
    // left that class.
    let before = compare
        .iter()
        .skip(1)
        .find(|r| r[2].parse::<f64>().unwrap() > 0.0 && r[0] != "Tidak kumuh")
        .unwrap();
    assert_eq!(before[4], "0");
    assert!(
        (before[5].parse::<f64>().unwrap() - luas).abs() < 0.01,
        "{compare:?}"
    );

    // In 2018 nothing is left in a slum class, and the kecamatan has the same annex.
    let page = html(&f, "/api/dokumen/sk-kumuh?wilayah=35.19.09&tahun=2018").await;
    assert!(
        page.contains("Tidak ada lokasi dalam kelas kumuh"),
        "{page}"
    );
}

#[tokio::test]
async fn text_from_the_store_is_escaped_in_every_document() {
    let f = common::fixture().await;
    let mut k = kumuh_domain::works::contoh::bibrik_paving();
    k.nama = "<script>alert('x')</script>".into();
    f.store
        .save_kegiatan(&kumuh_store::KegiatanWrite::new(&k))
        .await
        .unwrap();
    for uri in [
        format!("/api/dokumen/profil?wilayah={BIBRIK}"),
        format!("/api/dokumen/rplp?wilayah={BIBRIK}"),
        "/api/dokumen/profil?wilayah=35.19".to_owned(),
    ] {
        let page = html(&f, &uri).await;
        assert!(!page.contains("<script"), "GET {uri}: {page}");
        assert!(
            page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            "GET {uri}: {page}"
        );
    }
    // In the workbook the name stays text, as it was written.
    let mut wb = workbook(
        &f,
        &format!("/api/dokumen/rplp?wilayah={BIBRIK}&format=xlsx"),
    )
    .await;
    let plan = wb.worksheet_range("Rencana investasi").unwrap();
    assert_eq!(
        plan.get((1, 1)),
        Some(&Data::String("<script>alert('x')</script>".into()))
    );
}

#[tokio::test]
async fn unknown_places_are_404_and_bad_parameters_400_naming_them() {
    let f = new_store().await;
    for (uri, status, named) in [
        (
            "/api/dokumen/profil?wilayah=35.19.09.2099",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/api/dokumen/sk-kumuh?wilayah=35.18",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/api/dokumen/profil?wilayah=bukan-kode",
            StatusCode::BAD_REQUEST,
            "wilayah",
        ),
        (
            "/api/dokumen/rplp?wilayah=35.19.09",
            StatusCode::BAD_REQUEST,
            "wilayah",
        ),
        (
            "/api/dokumen/sk-kumuh?wilayah=35.19.09.2014",
            StatusCode::BAD_REQUEST,
            "wilayah",
        ),
        (
            "/api/dokumen/profil?wilayah=35.19.09.2014&format=pdf",
            StatusCode::BAD_REQUEST,
            "format",
        ),
        (
            "/api/dokumen/sk-kumuh?wilayah=35.19&tahun=duaribu",
            StatusCode::BAD_REQUEST,
            "tahun",
        ),
        (
            "/api/dokumen/sk-kumuh?wilayah=35.19&banding=99",
            StatusCode::BAD_REQUEST,
            "banding",
        ),
        ("/api/dokumen/profil", StatusCode::BAD_REQUEST, "wilayah"),
    ] {
        let (got, _, _, bytes) = get(&f, uri).await;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_eq!(got, status, "GET {uri}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "GET {uri}: {message}");
    }
}
