//! The HTTP API through `app(state)` and `tower::ServiceExt::oneshot`, on a real
//! GeoPackage store in a temporary directory.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use kumuh_domain::{Level, Role};
use kumuh_server::Config;
use serde_json::{Value, json};

use crate::common;
use common::fixture;

fn square(lon: f64, lat: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]]})
}

#[tokio::test]
async fn health_and_config() {
    let f = fixture().await;
    let (s, b) = f.get("/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["status"], "ok");
    let backend = if common::on_postgis() {
        "postgis"
    } else {
        "geopackage"
    };
    assert_eq!(b["store"], backend);
    let (s, b) = f.get("/api/config").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["title"], "Kecamatan Jiwan");
    assert_eq!(b["home"]["kode"], "35.19.09");
    assert!(b["basemap_style_url"].is_null());
    let bounds: Vec<f64> = serde_json::from_value(b["bounds"].clone()).unwrap();
    assert!(
        (bounds[0] - 111.4507).abs() < 0.001 && (bounds[3] + 7.5652).abs() < 0.001,
        "{bounds:?}"
    );
    // The tile layers as their TileJSON documents give them, so the viewer needs none.
    let tiles = b["tiles"].as_array().unwrap();
    let desa = tiles.iter().find(|t| t["id"] == "desa").unwrap();
    assert_eq!(desa["tiles"], "tiles/desa/{z}/{x}/{y}.mvt");
    let (s, tilejson) = f.get("/tiles/desa").await;
    assert_eq!(s, StatusCode::OK);
    for key in ["minzoom", "maxzoom", "bounds"] {
        assert_eq!(desa[key], tilejson[key], "{key}");
    }
    let ids: Vec<&str> = tiles.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in [
        "kabupaten",
        "kecamatan",
        "desa",
        "rw",
        "rt",
        "lokasi",
        "jaringan",
        "segmen",
        "label",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[tokio::test]
async fn lists_the_fourteen_desa_of_jiwan() {
    let f = fixture().await;
    let (s, b) = f.get("/api/places?level=desa&parent=35.19.09").await;
    assert_eq!(s, StatusCode::OK);
    let places = b["places"].as_array().unwrap();
    assert_eq!(places.len(), 14);
    assert_eq!(places[13]["nama"], "Bibrik");
    assert_eq!(places[13]["kode_bps"], "3519150014");
    let (_, b) = f.get("/api/places?level=kecamatan").await;
    assert_eq!(b["places"].as_array().unwrap().len(), 7);
    let (_, b) = f.get("/api/places?level=desa&parent=35.20.04").await;
    assert!(b["places"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn geojson_is_rfc7946() {
    let f = fixture().await;
    let (s, b) = f
        .get("/api/places/geojson?level=desa&parent=35.19.09")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["type"], "FeatureCollection");
    let features = b["features"].as_array().unwrap();
    assert_eq!(features.len(), 14);
    let sukolilo = features
        .iter()
        .find(|f| f["properties"]["nama"] == "Sukolilo")
        .unwrap();
    assert_eq!(sukolilo["id"], "35.19.09.2005");
    assert_eq!(sukolilo["geometry"]["type"], "MultiPolygon");
    assert_eq!(
        sukolilo["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let (s, b) = f.get("/api/places/35.19.09.2014").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["type"], "Feature");
    assert_eq!(b["properties"]["nama"], "Bibrik");
    let area = b["properties"]["area_ha"].as_f64().unwrap();
    assert!((area - 325.3).abs() < 1.0, "{area}");

    let (s, b) = f.get("/api/places/labels?level=desa&parent=35.19.09").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["features"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn search_ignores_case_and_spaces() {
    let f = fixture().await;
    for q in ["klagen%20serut", "KLAGENSERUT", "klagen-serut"] {
        let (s, b) = f.get(&format!("/api/search?q={q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(b["results"][0]["nama"], "Klagenserut", "{q}: {b}");
    }
    let (_, b) = f.get("/api/search?q=kincang%20wetan").await;
    assert_eq!(b["results"][0]["kode"], "35.19.09.2006");
    let (_, b) = f.get("/api/search?q=jiwan").await;
    let levels: Vec<&str> = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["kecamatan", "desa"]);
}

#[tokio::test]
async fn malformed_requests_get_json_4xx() {
    let f = fixture().await;
    for (uri, status, code) in [
        ("/api/places", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/api/places?level=dusun",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places?level=desa&parent=35.x",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places?level=desa&bbox=1,2,3",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places?level=desa&bbox=200,0,201,1",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places/geojson?level=desa&bbox=a,b,c,d",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places/not-a-code",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/places/35.19.09.9999",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/api/search", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/api/search?q=a&limit=0",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/search?q=a&limit=x",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        ("/api/nothing-here", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/lokasi?desa=zz",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let (s, b) = f.get(uri).await;
        assert_eq!(s, status, "{uri}: {b}");
        assert_eq!(b["code"], code, "{uri}: {b}");
        assert!(
            b["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{uri}: {b}"
        );
    }
    let token = f.token_for("ana", Role::Admin).await;
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&token),
            Some(json!({"nama": 5})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["code"], "bad_request");
    let bow = json!({"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]});
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&token),
            Some(json!({"nama": "Bibrik", "geometry": bow})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("geometry: polygon 0, exterior ring"),
        "{b}"
    );
}

#[tokio::test]
async fn an_oversized_body_is_a_json_413() {
    let mut f = fixture().await;
    f.state.config = Arc::new(Config {
        max_body_bytes: 1024,
        ..Config::default()
    });
    let token = f.token_for("ana", Role::Admin).await;
    let big = json!({"nama": "x".repeat(4096), "geometry": square(111.49, -7.58)});
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&token),
            Some(big),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    assert_eq!(b["code"], "payload_too_large");
}

#[tokio::test]
async fn writes_need_a_signed_in_admin() {
    let f = fixture().await;
    let body = json!({"nama": "Bibrik", "geometry": square(111.49, -7.58)});
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            None,
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (s, _) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some("forged"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = f
        .call(Method::DELETE, "/api/places/35.19.09.2014", None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let viewer = f.token_for("vera", Role::Viewer).await;
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&viewer),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "{b}"
    );
    let (s, _) = f
        .call(
            Method::DELETE,
            "/api/places/35.19.09.2014",
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = f
        .call(Method::GET, "/api/auth/me", Some(&viewer), None)
        .await;
    assert_eq!((s, b["role"].as_str()), (StatusCode::OK, Some("viewer")));

    let (s, b) = f
        .call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": "vera", "password": "wrong"})),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (s, _) = f
        .call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": "nobody", "password": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Nothing was written by the refused requests.
    let (_, b) = f.get("/api/places/35.19.09.2014").await;
    assert_eq!(b["geometry"]["type"], "Polygon");
    assert!(b["geometry"]["coordinates"][0].as_array().unwrap().len() > 5);
}

#[tokio::test]
async fn an_edit_through_the_api_keeps_the_rtree_right() {
    let f = fixture().await;
    // The R-tree is the GeoPackage's own index; PostGIS's GiST index is PostgreSQL's.
    let Some(gpkg) = f.gpkg.clone() else {
        return;
    };
    let admin = f.token_for("ana", Role::Admin).await;
    // Far from Jiwan, in an empty part of the map.
    let away = [111.90, -7.90, 111.95, -7.85];
    let bibrik_box = [111.484, -7.587, 111.504, -7.565];
    assert!(
        gpkg.rtree_codes(Level::Desa, bibrik_box)
            .await
            .unwrap()
            .contains(&"35.19.09.2014".to_owned())
    );
    assert!(
        gpkg.rtree_codes(Level::Desa, away)
            .await
            .unwrap()
            .is_empty()
    );

    let body =
        json!({"nama": "Bibrik", "nama_alt": ["Bibrick"], "geometry": square(111.91, -7.89)});
    let (s, b) = f
        .call(
            Method::PUT,
            "/api/places/35.19.09.2014",
            Some(&admin),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        gpkg.rtree_codes(Level::Desa, away).await.unwrap(),
        ["35.19.09.2014"]
    );
    assert!(
        !gpkg
            .rtree_codes(Level::Desa, bibrik_box)
            .await
            .unwrap()
            .contains(&"35.19.09.2014".to_owned())
    );
    let (_, b) = f
        .get("/api/places?level=desa&bbox=111.90,-7.90,111.95,-7.85")
        .await;
    assert_eq!(b["places"][0]["kode"], "35.19.09.2014");
    // The source attributes survived the edit and the new spelling is searchable.
    let place = f
        .store
        .place(&kumuh_domain::Kode::parse("35.19.09.2014").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(place.attributes.contains_key("luas_km2"));
    let (_, b) = f.get("/api/search?q=bibrick").await;
    assert_eq!(b["results"][0]["kode"], "35.19.09.2014");

    let (s, _) = f
        .call(
            Method::DELETE,
            "/api/places/35.19.09.2014",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        gpkg.rtree_codes(Level::Desa, away)
            .await
            .unwrap()
            .is_empty()
    );
    let (s, _) = f
        .call(
            Method::DELETE,
            "/api/places/35.19.09.2014",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let f = fixture().await;
    let (s, doc) = f.get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/config", "get"),
        ("/api/auth/login", "post"),
        ("/api/auth/me", "get"),
        ("/api/auth/logout", "post"),
        ("/api/places", "get"),
        ("/api/places/geojson", "get"),
        ("/api/places/labels", "get"),
        ("/api/places/{kode}", "get"),
        ("/api/places/{kode}", "put"),
        ("/api/places/{kode}", "delete"),
        ("/api/search", "get"),
        ("/api/lokasi", "get"),
        ("/api/penilaian", "get"),
        ("/api/ringkasan", "get"),
        ("/api/jaringan", "get"),
        ("/api/lokasi/{kode}/turunan", "get"),
        ("/api/kegiatan", "get"),
        ("/api/kegiatan", "post"),
        ("/api/kegiatan/{id}", "get"),
        ("/api/kegiatan/{id}", "patch"),
        ("/api/kegiatan/{id}/segmen", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}", "patch"),
        ("/api/kegiatan/{id}/segmen/{segmen}/alokasi", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}/realisasi", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}/progres", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}/batal", "post"),
        ("/api/kegiatan/{id}/kpp", "put"),
        ("/api/kegiatan/{id}/kpp/iuran", "post"),
        ("/api/kegiatan/{id}/kpp/belanja", "post"),
        ("/api/kegiatan/{id}/kpp/batal", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}/foto", "post"),
        ("/api/kegiatan/{id}/segmen/{segmen}/foto", "get"),
        ("/api/foto/{id}", "get"),
        ("/api/foto/{id}", "delete"),
        ("/api/foto/{id}/kecil", "get"),
        ("/api/segmen", "get"),
        ("/api/audit", "get"),
        ("/api/laporan/pendanaan", "get"),
        ("/api/siteplan", "get"),
        ("/api/siteplan", "post"),
        ("/api/siteplan-kategori", "get"),
        ("/api/siteplan/{id}", "get"),
        ("/api/siteplan/{id}", "patch"),
        ("/api/siteplan/{id}/fitur", "put"),
        ("/api/siteplan/{id}/pulihkan", "post"),
        ("/api/siteplan/{id}/geojson", "get"),
        ("/api/siteplan/{id}/gpkg", "get"),
        ("/tiles", "get"),
        ("/tiles/{layer}", "get"),
        ("/tiles/{layer}/{z}/{x}/{y}", "get"),
        ("/api/peta-luring", "get"),
        ("/api/ekspor", "get"),
        ("/api/impor/pratinjau", "post"),
        ("/api/impor", "post"),
        ("/api/skenario", "post"),
        ("/api/ksm", "get"),
        ("/api/ksm", "post"),
        ("/api/ksm/{id}", "get"),
        ("/api/ksm/{id}", "patch"),
        ("/api/ksm/{id}/tabungan", "post"),
        ("/api/pinjaman", "post"),
        ("/api/pinjaman/{id}", "get"),
        ("/api/pinjaman/{id}/angsuran", "post"),
        ("/api/pinjaman/{id}/batal", "post"),
        ("/api/upk/kinerja", "get"),
        ("/api/upk/tunggakan", "get"),
        ("/api/pinjaman/{id}/keputusan", "post"),
        ("/api/pinjaman/{id}/cair", "post"),
        ("/api/pinjaman/{id}/hapus-buku", "post"),
        ("/api/pinjaman/{id}/penyebab", "post"),
        ("/api/upk/penagihan", "get"),
        ("/api/upk/penagihan", "post"),
        ("/api/upk/penagihan/{id}/hasil", "post"),
        ("/api/upk/kinerja/bulanan", "get"),
        ("/publik/desa/{kode}", "get"),
        ("/publik/kecamatan/{kode}", "get"),
        ("/publik/kabupaten/{kode}", "get"),
        ("/api/dokumen/profil", "get"),
        ("/api/dokumen/rplp", "get"),
        ("/api/dokumen/sk-kumuh", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    assert_eq!(paths.len(), 73);
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn assessments_by_location_and_summaries_by_area() {
    let f = fixture().await;
    let rec =
        |kode: &str, desa: &str, tahun: u16, class: &str, priority: Option<&str>, luas_ha: f64| {
            kumuh_store::AssessmentRecord {
                kode_lokasi: kode.into(),
                nama_lokasi: kode.into(),
                kode_desa: kumuh_domain::Kode::parse(desa).unwrap(),
                tahun,
                rule_set_id: "permen-pupr-14-2018".into(),
                rule_set_version: "2018.1".into(),
                luas_ha,
                total: 24,
                class: class.parse().unwrap(),
                priority: priority.map(Into::into),
                masukan: None,
                result: {
                    use kumuh_domain::assessment::{AssessmentInput, Hasil, HasilKriteria};
                    let kode_desa = kumuh_domain::Kode::parse(desa).unwrap();
                    let input = AssessmentInput::new(kode, kode_desa, tahun);
                    let rules = kumuh_domain::assessment::RuleSet::default_rules();
                    let mut result = Hasil::of(&rules.assess(&input), 0, Default::default());
                    let volume = None;
                    let (percent, score) = (75.0, 3);
                    let k = HasilKriteria {
                        volume,
                        percent,
                        score,
                    };
                    result.criteria.insert("2b".into(), k);
                    result
                },
                dasar: kumuh_domain::assessment::Dasar::Survei,
                tanggal: None,
            }
        };
    f.store
        .upsert_assessments(&[
            rec(
                "SKL-01",
                "35.19.09.2005",
                2019,
                "kumuh_ringan",
                Some("C2"),
                10.2,
            ),
            rec("SKL-01", "35.19.09.2005", 2024, "tidak_kumuh", None, 10.2),
            rec(
                "BBR-01",
                "35.19.09.2014",
                2024,
                "kumuh_sedang",
                Some("B1"),
                3.0,
            ),
        ])
        .await
        .unwrap();
    let (s, b) = f.get("/api/penilaian?lokasi=SKL-01").await;
    assert_eq!(s, StatusCode::OK);
    let years: Vec<u64> = b["penilaian"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["tahun"].as_u64().unwrap())
        .collect();
    assert_eq!(years, [2019, 2024]);
    assert_eq!(b["penilaian"][0]["result"]["criteria"]["2b"]["score"], 3);
    // The class and priority under the glossary's names, and the earlier ones kept.
    for p in b["penilaian"].as_array().unwrap() {
        assert!(p["kelas"].is_string(), "{p}");
        assert_eq!(p["kelas"], p["class"]);
        assert_eq!(p["prioritas"], p["priority"]);
    }
    let kelas: Vec<&str> = b["penilaian"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["kelas"].as_str())
        .collect();
    assert_eq!(kelas.len(), 2);
    assert!(
        kelas
            .iter()
            .all(|k| ["kumuh_berat", "kumuh_sedang", "kumuh_ringan", "tidak_kumuh"].contains(k)),
        "{kelas:?}"
    );

    let (s, b) = f.get("/api/ringkasan?wilayah=35.19.09").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["lokasi"], 2);
    assert_eq!(b["hektar_per_kelas"]["kumuh_sedang"], 3.0);
    assert_eq!(b["hektar_per_kelas"]["tidak_kumuh"], 10.2);
    assert_eq!(b["luas_kumuh_ha"], 3.0);
    assert_eq!(b["lokasi_per_prioritas"]["B1"], 1);
    let (_, b) = f.get("/api/ringkasan?wilayah=35.19.09&tahun=2019").await;
    assert_eq!(b["luas_kumuh_ha"], 10.2);
    let (s, b) = f.get("/api/ringkasan").await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let (s, _) = f.get("/api/penilaian?wilayah=x").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // The slum-location layer carries the latest class for the map.
    let lokasi = kumuh_domain::LokasiKumuh {
        kode: "SKL-01".into(),
        nama: "Sukolilo RT 24".into(),
        kode_desa: kumuh_domain::Kode::parse("35.19.09.2005").unwrap(),
        kawasan: Some("Sukolilo".into()),
        rt: vec![],
        sk: None,
        geometry: geo_types::MultiPolygon(vec![geo_types::Polygon::new(
            geo_types::LineString::from(vec![
                (111.475, -7.64),
                (111.478, -7.64),
                (111.478, -7.637),
                (111.475, -7.637),
            ]),
            vec![],
        )]),
        attributes: Default::default(),
    };
    f.store.upsert_lokasi(&[lokasi]).await.unwrap();
    let (_, b) = f.get("/api/lokasi?desa=35.19.09.2005").await;
    assert_eq!(b["features"][0]["properties"]["kelas"], "tidak_kumuh");
    assert_eq!(b["features"][0]["properties"]["tahun"], 2024);
}

#[tokio::test]
async fn the_map_gives_road_and_drain_volumes_beside_the_survey() {
    let f = fixture().await;
    let square = geo_types::MultiPolygon(vec![geo_types::Polygon::new(
        geo_types::LineString::from(vec![
            (111.475, -7.64),
            (111.478, -7.64),
            (111.478, -7.637),
            (111.475, -7.637),
        ]),
        vec![],
    )]);
    f.store
        .upsert_lokasi(&[kumuh_domain::LokasiKumuh {
            kode: "SKL-01".into(),
            nama: "Sukolilo RT 24".into(),
            kode_desa: kumuh_domain::Kode::parse("35.19.09.2005").unwrap(),
            kawasan: None,
            rt: vec![],
            sk: None,
            geometry: square,
            attributes: Default::default(),
        }])
        .await
        .unwrap();
    let line = |kode: &str, jenis, kondisi, lat: f64| kumuh_domain::jaringan::Ruas {
        kode: kode.into(),
        jenis,
        kondisi,
        geometry: geo_types::MultiLineString(vec![geo_types::LineString::from(vec![
            (111.474, lat),
            (111.479, lat),
        ])]),
        contoh: false,
    };
    use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas};
    f.store
        .upsert_jaringan(&[
            line(
                "J-01",
                JenisJaringan::Jalan,
                KondisiRuas::RusakRingan,
                -7.6385,
            ),
            line("D-01", JenisJaringan::Drainase, KondisiRuas::Baik, -7.6380),
            line("J-99", JenisJaringan::Jalan, KondisiRuas::RusakBerat, -7.60),
        ])
        .await
        .unwrap();
    let (s, b) = f.get("/api/jaringan?bbox=111.47,-7.65,111.48,-7.63").await;
    assert_eq!(s, StatusCode::OK);
    let kodes: Vec<&str> = b["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(kodes, ["D-01", "J-01"]);

    let (s, b) = f.get("/api/lokasi/SKL-01/turunan").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let k = |code: &str| {
        b["kriteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kriteria"] == code)
            .unwrap()
            .clone()
    };
    let road = k("2b")["peta_m"].as_f64().unwrap();
    assert!((road - 330.8).abs() < 2.0, "{road}");
    assert_eq!(k("4c")["peta_m"], 0.0);
    assert!(k("2a")["peta_m"].is_null(), "coverage was not mapped");
    assert!(k("2b")["survei_m"].is_null(), "nothing surveyed yet");
    let (s, b) = f.get("/api/lokasi/NOPE/turunan").await;
    assert_eq!(
        (s, b["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}
