//! Personal data (who wrote a record, the names and RT of a maintenance group's
//! households) reaches only callers signed in for the record's desa, the kabupaten and
//! admins. Every GET path of the OpenAPI document is walked (the public HTML pages under
//! `/publik` among them), so a new endpoint is covered as soon as it is registered.

use std::collections::BTreeMap;
use std::io::Read;

use axum::http::Method;
use kumuh_domain::Role;
use serde_json::{Value, json};

use crate::common;
use common::{Fixture, fixture_with_bibrik_work};

const BIBRIK: &str = "35.19.09.2014";
const WORK: &str = "contoh-35.19.09.2014-2018-paving";
const SITEPLAN: &str = "SP-PRIBADI";
const KSM: &str = "ksm-pribadi";
const PINJAMAN: &str = "P-PRIBADI";

/// The writer's username and the household's name and RT: none of them occurs in the
/// seed, so finding one in an answer means it leaked.
const WRITER: &str = "sutrisnowidodo";
const MEMBER: &str = "Sumarniyatun Wijayakusuma";
const MEMBER_RT: &str = "Blok Kenanga Tujuhpuluhtujuh";
/// The UPK's writer, a KSM member who borrows, and her NIK.
const UPK_WRITER: &str = "bendaharaupkrahasia";
const BORROWER: &str = "Warsiniyem Kartosumarto";
const NIK: &str = "3519094101800077";
/// Who visits the borrowing group on the collection plan.
const VISITOR: &str = "Petugas Tagih Sukmawatiningsih";
const SEEDED: [&str; 7] = [
    WRITER, MEMBER, MEMBER_RT, UPK_WRITER, BORROWER, NIK, VISITOR,
];

/// A real server with a work, an override, a maintenance group and a siteplan written
/// by an `lkm` user of Bibrik.
async fn seeded() -> (Fixture, String, String) {
    let f = fixture_with_bibrik_work().await;
    let lkm = f.token_for_lkm(WRITER, &[BIBRIK]).await;
    let work = format!("/api/kegiatan/{WORK}");
    let writes = [
        (
            Method::PATCH,
            work.clone(),
            json!({"keterangan": "diperiksa warga"}),
        ),
        (
            Method::POST,
            format!("{work}/segmen/S1/progres"),
            json!({"volume": 200, "tanggal": "2018-08-31",
                   "izin_lebih": {"alasan": "jalan diperpanjang sampai masjid"}}),
        ),
        (
            Method::PUT,
            format!("{work}/kpp"),
            json!({"nama": "Paseduluran Jalan Poros",
                   "anggota": [{"nama": MEMBER, "rt": MEMBER_RT}],
                   "aturan_iuran": {"per_kk": 5000, "jadwal": {"mingguan": {"hari": "jumat"}}}}),
        ),
        (
            Method::POST,
            "/api/siteplan".to_owned(),
            json!({"id": SITEPLAN, "kode_desa": BIBRIK, "judul": "Rencana tapak",
                   "fitur": {"type": "FeatureCollection", "features": [
                       {"type": "Feature", "properties": {"id": "T1", "kategori": "taman", "label": "T1"},
                        "geometry": {"type": "Polygon", "coordinates": [[[111.49, -7.58], [111.4902, -7.58],
                            [111.4902, -7.5798], [111.49, -7.5798], [111.49, -7.58]]]}}]}}),
        ),
    ];
    for (method, uri, body) in writes {
        let (s, b) = f.call(method.clone(), &uri, Some(&lkm), Some(body)).await;
        assert!(s.is_success(), "{method} {uri}: {s} {b}");
    }
    // A photo of the segment (photo 1 of the store), uploaded by the same writer.
    let photo = kumuh_io::foto::contoh::png(16, 16);
    let (s, _, b) = f
        .call_bytes(
            Method::POST,
            &format!("{work}/segmen/S1/foto?tahap=50"),
            Some(&lkm),
            &[],
            Some(("image/png", photo)),
        )
        .await;
    assert!(
        s.is_success(),
        "photo upload: {s} {}",
        String::from_utf8_lossy(&b)
    );
    // A KSM with a borrowing member and her NIK, and a loan, written by the UPK.
    let upk = f
        .token_for_user(kumuh_domain::User {
            desa: vec![kumuh_domain::Kode::parse(BIBRIK).unwrap()],
            ..kumuh_domain::User::new(UPK_WRITER, Role::Upk)
        })
        .await;
    for (uri, body) in [
        (
            "/api/ksm",
            json!({"kode_desa": BIBRIK, "id": KSM, "nama": "KSM Pribadi", "jenis": "ekonomi",
                   "dibentuk": "2025-06-01",
                   "anggota": [{"nama": BORROWER, "jenis_kelamin": "P", "nik": NIK}]}),
        ),
        (
            "/api/pinjaman",
            json!({"ksm": KSM, "id": PINJAMAN, "pokok_rp": 3_000_000, "jangka_bulan": 10,
                   "jasa_persen_bulan": 1.5, "tanggal_cair": "2026-01-05"}),
        ),
        (
            "/api/upk/penagihan",
            json!({"pinjaman": PINJAMAN, "petugas": [VISITOR], "tanggal": "2026-07-14"}),
        ),
    ] {
        let (s, b) = f.call(Method::POST, uri, Some(&upk), Some(body)).await;
        assert!(s.is_success(), "POST {uri}: {s} {b}");
    }
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let base = f.serve().await;
    (f, base, viewer)
}

/// A value for a parameter of a GET path, or the reason it cannot be filled.
fn fill(path: &str, name: &str, layers: &[String], lokasi: &str) -> Result<Vec<String>, String> {
    let one = |s: &str| Ok(vec![s.to_owned()]);
    // Bibrik at zoom 14.
    let (z, x, y) = (14u32, 13_265u32, 8_537u32);
    match name {
        "id" if path.starts_with("/api/kegiatan/") => one(WORK),
        "id" if path.starts_with("/api/siteplan/") => one(SITEPLAN),
        "id" if path.starts_with("/api/ksm/") => one(KSM),
        "id" if path.starts_with("/api/pinjaman/") => one(PINJAMAN),
        "id" if path.starts_with("/api/foto/") => one("1"),
        "segmen" => one("S1"),
        // Basemaps carry imagery only; a tile of one that is not there is a 404.
        "nama" if path.starts_with("/api/peta-dasar/") => one("drone"),
        "per" => one("2026-07-10"),
        "bulan" => one("2026-07"),
        "kode" if path.starts_with("/api/lokasi/") => one(lokasi),
        "kode" if path.starts_with("/publik/kecamatan/") => one("35.19.09"),
        "kode" if path.starts_with("/publik/kabupaten/") => one("35.19"),
        // The SK annex is made for a kabupaten or kecamatan.
        "wilayah" if path == "/api/dokumen/sk-kumuh" => one("35.19"),
        "kode" | "wilayah" | "desa" | "parent" => one(BIBRIK),
        "layer" => Ok(layers.to_vec()),
        "z" => Ok(vec![z.to_string()]),
        "x" => Ok(vec![x.to_string()]),
        "y" => Ok(vec![y.to_string()]),
        "level" => one("desa"),
        "q" => one("Bibrik"),
        "bbox" => one("111.48,-7.59,111.50,-7.57"),
        "tahun" => one("2018"),
        "banding" => one("2017"),
        "limit" => one("100"),
        "versi" => one("1"),
        "kunci" => one(WORK),
        // Of the export's layers, the work segments are built from the records that hold
        // writers and households; CSV carries every field as text.
        "lapisan" => one("segmen"),
        "format" if path == "/api/ekspor" => one("csv"),
        // The printed documents as HTML, whose text the walk can read.
        "format" if path.starts_with("/api/dokumen/") => one("html"),
        _ => Err(format!(
            "cannot fill parameter `{name}` of GET {path}: give it a value in fill() of \
             crates/server/tests/it/privacy.rs"
        )),
    }
}

/// Every GET URL of the OpenAPI document, with path parameters and required query
/// parameters filled; optional query parameters are filled too where `fill` knows them,
/// and also left out, so both answers are checked.
fn get_urls(doc: &Value, layers: &[String], lokasi: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else { continue };
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let mut filled = vec![path.clone()];
        let mut queries: Vec<(String, String)> = Vec::new();
        let mut optional: Vec<(String, String)> = Vec::new();
        for p in &params {
            let name = p["name"].as_str().expect("parameter name");
            let required = p["required"].as_bool().unwrap_or(false);
            match (p["in"].as_str(), fill(path, name, layers, lokasi)) {
                (Some("path"), Ok(values)) => {
                    filled = filled
                        .iter()
                        .flat_map(|u| {
                            values
                                .iter()
                                .map(move |v| u.replace(&format!("{{{name}}}"), v))
                        })
                        .collect();
                }
                (Some("query"), Ok(values)) if required => {
                    queries.push((name.to_owned(), values[0].clone()));
                }
                (Some("query"), Ok(values)) => optional.push((name.to_owned(), values[0].clone())),
                (Some("query"), Err(_)) if !required => {}
                (_, Err(message)) => panic!("{message}"),
                (place, _) => panic!("parameter `{name}` of GET {path} is in {place:?}"),
            }
        }
        for u in filled {
            let query = |extra: &[(String, String)]| {
                let all: Vec<String> = queries
                    .iter()
                    .chain(extra)
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if all.is_empty() {
                    u.clone()
                } else {
                    format!("{u}?{}", all.join("&"))
                }
            };
            urls.push(query(&[]));
            if !optional.is_empty() {
                urls.push(query(&optional));
            }
        }
    }
    urls
}

/// The body as text, unpacked when it is gzipped (tiles are stored that way).
async fn body_text(res: reqwest::Response) -> String {
    let bytes = res.bytes().await.unwrap().to_vec();
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        bytes
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn fetch(
    http: &reqwest::Client,
    base: &str,
    url: &str,
    token: Option<&str>,
) -> (u16, String) {
    let mut req = http.get(format!("{base}{url}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, body_text(res).await)
}

#[tokio::test]
async fn no_get_path_shows_personal_data_to_anonymous_callers_or_viewers() {
    let (_f, base, viewer) = seeded().await;
    let http = reqwest::Client::new();
    let doc: Value = http
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let catalog: Value =
        serde_json::from_str(&fetch(&http, &base, "/tiles", None).await.1).unwrap();
    let layers: Vec<String> = catalog["layers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert!(!layers.is_empty(), "tile layers: {catalog}");
    let lokasi: Value =
        serde_json::from_str(&fetch(&http, &base, "/api/lokasi", None).await.1).unwrap();
    let lokasi = lokasi["features"][0]["properties"]["kode"]
        .as_str()
        .unwrap_or(BIBRIK)
        .to_owned();

    let urls = get_urls(&doc, &layers, &lokasi);
    let mut answered: BTreeMap<String, u16> = BTreeMap::new();
    for url in &urls {
        for (who, token) in [("anonymous", None), ("viewer", Some(viewer.as_str()))] {
            let (status, text) = fetch(&http, &base, url, token).await;
            assert!(status < 500, "GET {url} as {who}: {status} {text}");
            for name in SEEDED {
                assert!(
                    !text.contains(name),
                    "GET {url} as {who} shows `{name}`: {}",
                    &text[..text.len().min(2000)]
                );
            }
            answered.insert(format!("{url} as {who}"), status);
        }
    }
    // The walk reached the records that hold personal data, not just their 404s.
    for url in [
        format!("/api/kegiatan/{WORK}"),
        format!("/api/kegiatan/{WORK}/segmen/S1/foto"),
        "/api/foto/1/kecil".to_owned(),
        "/api/audit".to_owned(),
        format!("/api/siteplan/{SITEPLAN}"),
        format!("/api/siteplan/{SITEPLAN}/gpkg"),
        "/api/ksm".to_owned(),
        "/api/upk/kinerja".to_owned(),
        format!("/publik/desa/{BIBRIK}"),
        "/publik/kecamatan/35.19.09".to_owned(),
        "/publik/kabupaten/35.19".to_owned(),
        format!("/api/dokumen/profil?wilayah={BIBRIK}"),
        format!("/api/dokumen/rplp?wilayah={BIBRIK}"),
        "/api/dokumen/sk-kumuh?wilayah=35.19".to_owned(),
    ] {
        assert_eq!(
            answered.get(&format!("{url} as anonymous")),
            Some(&200),
            "{answered:?}"
        );
    }

    // In their place: the role and organisation, and households without name and RT.
    let (_, audit) = fetch(&http, &base, "/api/audit", None).await;
    let audit: Value = serde_json::from_str(&audit).unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["pengguna"] == "lkm Bibrik"),
        "{audit}"
    );
    let (_, work) = fetch(&http, &base, &format!("/api/kegiatan/{WORK}"), None).await;
    let work: Value = serde_json::from_str(&work).unwrap();
    assert_eq!(
        work["kegiatan"]["kpp"]["anggota"],
        json!([{"nama": null, "rt": null, "bergabung": null, "keluar": null}])
    );
    let entries = work["kegiatan"]["segmen"][0]["buku"].as_array().unwrap();
    let approved = entries
        .iter()
        .find_map(|e| e["isi"]["izin_lebih"]["oleh"].as_str());
    assert_eq!(approved, Some("lkm Bibrik"), "{entries:?}");
    let (_, sp) = fetch(&http, &base, &format!("/api/siteplan/{SITEPLAN}"), None).await;
    let sp: Value = serde_json::from_str(&sp).unwrap();
    assert_eq!(sp["riwayat"][0]["dibuat_oleh"], "lkm Bibrik");
}

#[tokio::test]
async fn the_lkm_of_the_desa_and_the_admin_see_personal_data() {
    let (f, base, _) = seeded().await;
    let lkm = f.token_for_lkm("pengurus-lkm", &[BIBRIK]).await;
    let other_lkm = f.token_for_lkm("lkm-wayut", &["35.19.09.2013"]).await;
    let kab = f.token_for("bappeda", Role::Kabupaten).await;
    let admin = f.token_for("ana", Role::Admin).await;
    let http = reqwest::Client::new();
    let urls = [
        (
            format!("/api/kegiatan/{WORK}"),
            &[WRITER, MEMBER, MEMBER_RT][..],
        ),
        ("/api/audit".to_owned(), &[WRITER][..]),
        (format!("/api/siteplan/{SITEPLAN}"), &[WRITER][..]),
        (format!("/api/siteplan/{SITEPLAN}/gpkg"), &[WRITER][..]),
        (
            format!("/api/upk/penagihan?wilayah={BIBRIK}"),
            &[VISITOR][..],
        ),
    ];
    for (url, names) in &urls {
        for (who, token) in [
            ("lkm of Bibrik", &lkm),
            ("kabupaten", &kab),
            ("admin", &admin),
        ] {
            let (status, text) = fetch(&http, &base, url, Some(token)).await;
            assert_eq!(status, 200, "GET {url} as {who}: {text}");
            for name in *names {
                assert!(text.contains(name), "GET {url} as {who} lacks `{name}`");
            }
        }
        let (_, text) = fetch(&http, &base, url, Some(&other_lkm)).await;
        for name in SEEDED {
            assert!(
                !text.contains(name),
                "GET {url} as the lkm of Wayut shows `{name}`"
            );
        }
    }
}
