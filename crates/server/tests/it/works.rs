//! Works and co-funding through the HTTP API, on a real GeoPackage store: the Bibrik
//! paving rebuilt end to end, bad input, stale versions, concurrent writers, roles, the
//! audit log and the effect of a finished segment on the slum score.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{Method, StatusCode};
use kumuh_domain::assessment::AssessmentInput;
use kumuh_domain::{Kode, Role};
use serde_json::{Value, json};

use crate::common;
use common::{Fixture, fixture};

const BIBRIK: &str = "35.19.09.2014";
const WAYUT: &str = "35.19.09.2009";
const WORK: &str = "bibrik-paving-2018";

/// A client that counts its successful writes, to check the audit log against.
struct Client<'a> {
    f: &'a Fixture,
    token: String,
    writes: Arc<AtomicUsize>,
}

impl Client<'_> {
    async fn send(&self, method: Method, uri: &str, body: Value) -> (StatusCode, Value) {
        self.send_if(method, uri, None, body).await
    }

    async fn send_if(
        &self,
        method: Method,
        uri: &str,
        version: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        let headers: Vec<(&str, &str)> = version.map(|v| ("if-match", v)).into_iter().collect();
        let (s, _, b) = self
            .f
            .call_full(method, uri, Some(&self.token), &headers, Some(body))
            .await;
        if s.is_success() {
            self.writes.fetch_add(1, Ordering::SeqCst);
        }
        (s, b)
    }

    async fn ok(&self, method: Method, uri: &str, body: Value) -> Value {
        let (s, b) = self.send(method, uri, body).await;
        assert!(s.is_success(), "{uri}: {s} {b}");
        b
    }
}

fn line(points: &[(f64, f64)]) -> Value {
    let coords: Vec<[f64; 2]> = points.iter().map(|(x, y)| [*x, *y]).collect();
    json!({"type": "LineString", "coordinates": coords})
}

fn paving_line() -> Value {
    line(&[(111.4935, -7.5753), (111.49504, -7.5753)])
}

/// A slum location in Bibrik around the paving, with a 2017 survey: 330.8 m of 400 m
/// of road damaged (2b = 82.7 %, score 5), 16 points in all: kumuh ringan, one point
/// above tidak kumuh.
async fn seed_lokasi(f: &Fixture) {
    let geometry = geo_types::MultiPolygon(vec![geo_types::Polygon::new(
        geo_types::LineString::from(vec![
            (111.492, -7.577),
            (111.497, -7.577),
            (111.497, -7.573),
            (111.492, -7.573),
        ]),
        vec![],
    )]);
    f.store
        .upsert_lokasi(&[kumuh_domain::LokasiKumuh {
            kode: "BBR-01".into(),
            nama: "Bibrik RT 09/10".into(),
            kode_desa: Kode::parse(BIBRIK).unwrap(),
            kawasan: None,
            rt: vec![],
            sk: None,
            geometry,
            attributes: Default::default(),
        }])
        .await
        .unwrap();
    let mut input = AssessmentInput::new("BBR-01", Kode::parse(BIBRIK).unwrap(), 2017);
    input.nama_lokasi = "Bibrik RT 09/10".into();
    input.luas_ha = 3.0;
    input.jumlah_bangunan = 120;
    input.jumlah_kk = 130;
    input.jumlah_penduduk = 450;
    input.panjang_jalan_ideal_m = 400.0;
    input.panjang_drainase_ideal_m = 400.0;
    // 16 points, kumuh ringan: 1a 3, 1c 3, 2a 1, 2b 5, 3a 3, 3b 1.
    for (k, v) in [
        ("1a", 90.0),
        ("1b", 0.0),
        ("1c", 90.0),
        ("2a", 100.0),
        ("2b", 330.8),
        ("3a", 80.0),
        ("3b", 40.0),
        ("4a", 0.0),
        ("4b", 0.0),
        ("4c", 0.0),
        ("5a", 0.0),
        ("5b", 0.0),
        ("6a", 0.0),
        ("6b", 0.0),
        ("7a", 0.0),
        ("7b", 0.0),
    ] {
        input.volumes.insert(k.into(), v);
    }
    f.store
        .upsert_assessments(&[common::survey_record(input)])
        .await
        .unwrap();
}

async fn admin(f: &Fixture) -> Client<'_> {
    Client {
        f,
        token: f.token_for("ana", Role::Admin).await,
        writes: Arc::new(AtomicUsize::new(0)),
    }
}

async fn create_bibrik(c: &Client<'_>) {
    c.ok(
        Method::POST,
        "/api/kegiatan",
        json!({
            "id": WORK, "nama": "Jalan paving kawasan budidaya lele RT 09/10",
            "jenis": "jalan_paving", "kode_desa": BIBRIK, "tahun": 2018,
            "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}, "contoh": true
        }),
    )
    .await;
}

/// Adds segment S1, the 170 m paving in BBR-01, to the work at `base`.
async fn add_paving(c: &Client<'_>, base: &str) -> Value {
    c.ok(
        Method::POST,
        &format!("{base}/segmen"),
        json!({
            "id": "S1", "nama": "Paving 170 m RT 09/10", "geometry": paving_line(),
            "satuan": "m", "volume_rencana": 170, "kriteria": ["2b"],
            "kode_lokasi": "BBR-01", "kondisi_sebelum": "buruk"
        }),
    )
    .await
}

/// Takes the segment at `seg` through its stages to `selesai` on 2018-08-31.
async fn finish(c: &Client<'_>, seg: &str) -> Value {
    for status in ["persiapan", "pelaksanaan"] {
        c.ok(Method::PATCH, seg, json!({"status": status})).await;
    }
    c.ok(
        Method::PATCH,
        seg,
        json!({"status": "selesai", "tanggal_selesai": "2018-08-31"}),
    )
    .await
}

#[tokio::test]
async fn the_bibrik_paving_rebuilt_through_the_api() {
    let f = fixture().await;
    seed_lokasi(&f).await;
    let c = admin(&f).await;
    create_bibrik(&c).await;
    let base = format!("/api/kegiatan/{WORK}");

    let b = add_paving(&c, &base).await;
    assert_eq!(b["peringatan"], json!([]), "the line lies inside Bibrik");
    let terukur = b["ringkasan"]["segmen"][0]["terukur"]["panjang_m"].as_f64();
    assert!(
        terukur.is_some_and(|m| (m - 170.0).abs() < 1.0),
        "{}",
        b["ringkasan"]["segmen"][0]
    );
    let seg = format!("{base}/segmen/S1");
    let b = c
        .ok(
            Method::POST,
            &format!("{seg}/alokasi"),
            json!({
                "sumber": "apbd_kabupaten", "tahun_anggaran": 2018, "jumlah": 100_000_000,
                "dokumen": {"jenis": "dpa", "nomor": null}, "uraian": "APBD Kabupaten Madiun 2018"
            }),
        )
        .await;
    let apbd_entry = b["kegiatan"]["segmen"][0]["buku"][0]["id"].clone();
    for uraian in ["Rabat beton tepi jalan", "Taman kecil"] {
        c.ok(
            Method::POST,
            &format!("{seg}/alokasi"),
            json!({"sumber": "swadaya", "tahun_anggaran": 2018, "jumlah": null,
                   "bentuk": "tenaga_dan_material", "uraian": uraian}),
        )
        .await;
    }
    c.ok(
        Method::POST,
        &format!("{seg}/realisasi"),
        json!({"alokasi": apbd_entry, "jumlah": 100_000_000, "tanggal": "2018-08-31"}),
    )
    .await;
    c.ok(
        Method::POST,
        &format!("{seg}/progres"),
        json!({"volume": 170, "tanggal": "2018-08-31"}),
    )
    .await;
    c.ok(
        Method::POST,
        &format!("{base}/segmen"),
        json!({"id": "S2", "nama": "Lanjutan jalan poros (Dana Desa)", "satuan": "m",
               "geometry": line(&[(111.49504, -7.5753), (111.49604, -7.5753)])}),
    )
    .await;
    c.ok(
        Method::POST,
        &format!("{base}/segmen/S2/alokasi"),
        json!({"sumber": "Dana Desa", "jumlah": null, "dokumen": {"jenis": "apbdes"}}),
    )
    .await;

    // Finishing the paving re-scores its slum location.
    let (_, before) = f.get("/api/ringkasan?wilayah=35.19.09").await;
    let b = finish(&c, &seg).await;
    let e = &b["evaluasi"][0];
    assert_eq!(e["kode_lokasi"], "BBR-01", "{b}");
    assert_eq!(e["dampak"][0]["kriteria"], "2b");
    assert_eq!(e["dampak"][0]["volume_sebelum"], 330.8);
    assert_eq!(e["dampak"][0]["pengurangan"], 170.0);
    assert!(
        e["sesudah"]["total"].as_u64() < e["sebelum"]["total"].as_u64(),
        "{e}"
    );
    assert_eq!(b["kegiatan"]["segmen"][0]["kondisi_sesudah"], "baik");
    let (_, history) = f.get("/api/penilaian?lokasi=BBR-01").await;
    let history = history["penilaian"].as_array().unwrap();
    assert_eq!(
        history.len(),
        2,
        "the survey and the evaluation: {history:?}"
    );
    assert_eq!(
        history[1]["result"]["criteria"]["2b"]["volume"]
            .as_f64()
            .map(|v| (v * 10.0).round() / 10.0),
        Some(160.8)
    );
    assert_eq!(e["sebelum"]["kelas"], "kumuh_ringan");
    assert_eq!(e["sesudah"]["kelas"], "tidak_kumuh");
    assert_eq!(e["sesudah"]["total"], 12, "2b drops from 5 to 1");
    let (_, after) = f.get("/api/ringkasan?wilayah=35.19.09").await;
    assert_eq!(before["hektar_per_kelas"], json!({"kumuh_ringan": 3.0}));
    assert_eq!(after["hektar_per_kelas"], json!({"tidak_kumuh": 3.0}));
    assert_eq!(after["luas_keluar_kumuh_ha"], 3.0);
    let (_, layer) = f.get("/api/lokasi?desa=35.19.09.2014").await;
    assert_eq!(layer["features"][0]["properties"]["kelas"], "tidak_kumuh");

    // Maintenance: 30 households at Rp 5.000 every Friday.
    let b = c
        .ok(
            Method::PUT,
            &format!("{base}/kpp"),
            json!({"nama": "Paseduluran Jalan Poros RT 09/10", "anggota": 30, "contoh": true,
                   "aturan_iuran": {"per_kk": 5000, "jadwal": {"mingguan": {"hari": "jumat"}}}}),
        )
        .await;
    assert_eq!(
        b["kegiatan"]["kpp"]["anggota"].as_array().unwrap().len(),
        30
    );
    let b = c
        .ok(
            Method::POST,
            &format!("{base}/kpp/iuran"),
            json!({"tanggal": "2018-09-07", "jumlah": 150_000, "jumlah_kk": 30}),
        )
        .await;
    assert_eq!(b["saldo_kpp_rp"], 150_000);

    // The report row the district asks for.
    let (s, csv) = f.get("/api/laporan/pendanaan?format=csv").await;
    assert_eq!(s, StatusCode::OK);
    let csv = csv.as_str().unwrap().to_owned();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("kode_desa,desa,kegiatan,segmen,sumber,tahun,alokasi_rp,realisasi_rp")
    );
    let apbd: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains(",apbd_kabupaten,2018,"))
        .collect();
    assert_eq!(
        apbd,
        [
            "35.19.09.2014,Bibrik,Jalan paving kawasan budidaya lele RT 09/10,Paving 170 m RT 09/10,apbd_kabupaten,2018,100000000,100000000"
        ]
    );
    assert!(
        csv.contains(",dana_desa,,,0"),
        "Dana Desa, year and amount unknown: {csv}"
    );
    let (_, report) = f.get("/api/laporan/pendanaan").await;
    assert_eq!(report["total"]["alokasi"]["diketahui_rp"], 100_000_000);
    assert_eq!(report["total"]["alokasi"]["tidak_diketahui"], 3);
    let (s, _, xlsx) = f
        .call_full(
            Method::GET,
            "/api/laporan/pendanaan?format=xlsx",
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(xlsx.as_str().is_some_and(|t| t.starts_with("PK")));

    // The map layer.
    let (_, layer) = f.get("/api/segmen?wilayah=35.19.09").await;
    let props: Vec<&Value> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .collect();
    assert_eq!(props.len(), 2);
    assert_eq!(props[0]["sumber_utama"], "apbd_kabupaten");
    assert_eq!(props[0]["status"], "selesai");
    assert_eq!(props[1]["sumber_utama"], "dana_desa");

    // Every change is in the audit log, with who made it.
    // Usernames are personal data: read as a user who may see them.
    let (_, log) = f
        .call(
            Method::GET,
            &format!("/api/audit?kunci={WORK}&limit=1000"),
            Some(&c.token),
            None,
        )
        .await;
    let log = log.as_array().unwrap();
    // The evaluation is logged under its location; every request made here under the work.
    assert_eq!(log.len(), c.writes.load(Ordering::SeqCst), "{log:?}");
    assert!(log.iter().all(|l| l["pengguna"] == "ana"));
    let (_, eval_log) = f.get("/api/audit?kunci=BBR-01").await;
    assert_eq!(eval_log[0]["aksi"], "evaluasi");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let f = fixture().await;
    let c = admin(&f).await;
    create_bibrik(&c).await;
    let base = format!("/api/kegiatan/{WORK}");
    c.ok(
        Method::POST,
        &format!("{base}/segmen"),
        json!({"id": "S1", "nama": "Paving", "geometry": paving_line(), "satuan": "m",
               "volume_rencana": 170}),
    )
    .await;
    let seg = format!("{base}/segmen/S1");
    let check = |uri: String, body: Value, status: StatusCode, needle: &'static str| {
        let c = &c;
        async move {
            let (s, b) = c.send(Method::POST, &uri, body).await;
            assert_eq!(s, status, "{uri}: {b}");
            let m = b["message"].as_str().unwrap_or_default();
            assert!(m.contains(needle), "{needle:?} not in {m:?}");
        }
    };
    let un = StatusCode::UNPROCESSABLE_ENTITY;
    let alokasi = format!("{seg}/alokasi");
    check(
        alokasi.clone(),
        json!({"sumber": "apbx", "jumlah": 5}),
        un,
        "sumber: unknown funding source `apbx`",
    )
    .await;
    check(
        alokasi.clone(),
        json!({"sumber": "apbn", "jumlah": 1000.5}),
        un,
        "jumlah: 1000.5 has decimals",
    )
    .await;
    check(
        alokasi.clone(),
        json!({"sumber": "apbn", "jumlah": -5}),
        un,
        "jumlah:",
    )
    .await;
    check(
        alokasi.clone(),
        json!({"sumber": "apbn", "jumlah": 18_446_744_073_709_551_615u64}),
        un,
        "jumlah: 18446744073709551615 is beyond",
    )
    .await;
    check(
        alokasi.clone(),
        json!({"sumber": "apbn"}),
        un,
        "jumlah: is required",
    )
    .await;
    check(
        alokasi.clone(),
        json!({"sumber": "apbn", "jumlah": 5, "jumlha": 6}),
        un,
        "unknown field jumlha",
    )
    .await;
    check(
        "/api/kegiatan".into(),
        json!({"nama": "X", "jenis": "drainase", "kode_desa": "35.19.09.2099", "tahun": 2020,
               "pelaksana": {"jenis": "ksm", "nama": "Maju"}}),
        un,
        "kode_desa: no desa 35.19.09.2099",
    )
    .await;
    check(
        "/api/kegiatan".into(),
        json!({"nama": "X", "jenis": "jembatan", "kode_desa": BIBRIK, "tahun": 2020,
               "pelaksana": {"jenis": "ksm", "nama": "Maju"}}),
        un,
        "jenis: unknown variant `jembatan`",
    )
    .await;
    let square = json!({"type": "Polygon", "coordinates": [[[111.49, -7.57], [111.491, -7.57],
        [111.491, -7.571], [111.49, -7.571], [111.49, -7.57]]]});
    check(
        format!("{base}/segmen"),
        json!({"nama": "Taman", "geometry": square, "satuan": "m", "volume_rencana": 10}),
        un,
        "satuan",
    )
    .await;
    check(
        format!("{seg}/progres"),
        json!({"volume": 200, "tanggal": "2018-08-31"}),
        un,
        "200 m of 170 m planned (117,65 %); give an override",
    )
    .await;
    let (s, b) = c
        .send(
            Method::POST,
            &format!("{seg}/progres"),
            json!({"volume": 200, "tanggal": "2018-08-31",
                   "izin_lebih": {"alasan": "jalan diperpanjang sampai masjid"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["kegiatan"]["segmen"][0]["buku"][0]["isi"]["izin_lebih"]["oleh"],
        "ana"
    );
    let b = c
        .ok(
            Method::POST,
            &alokasi,
            json!({"sumber": "apbn", "jumlah": 1000}),
        )
        .await;
    let entry = b["kegiatan"]["segmen"][0]["buku"][1]["id"].clone();
    check(
        format!("{seg}/realisasi"),
        json!({"alokasi": entry, "jumlah": 2000, "tanggal": "2019-01-02"}),
        un,
        "override",
    )
    .await;
    // Outside Bibrik: accepted with a warning.
    let (s, b) = c
        .send(
            Method::POST,
            &format!("{base}/segmen"),
            json!({"nama": "Jauh", "satuan": "m",
                   "geometry": line(&[(111.40, -7.60), (111.401, -7.60)])}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        b["peringatan"][0]
            .as_str()
            .unwrap()
            .contains("not wholly inside desa Bibrik"),
        "{b}"
    );
    let (s, _) = c
        .send(
            Method::POST,
            "/api/kegiatan/nope/segmen/S1/alokasi",
            json!({"sumber": "apbn", "jumlah": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_version_gets_409_and_concurrent_writers_lose_nothing() {
    let f = fixture().await;
    let c = admin(&f).await;
    create_bibrik(&c).await;
    let base = format!("/api/kegiatan/{WORK}");
    c.ok(
        Method::POST,
        &format!("{base}/segmen"),
        json!({"id": "S1", "nama": "Paving", "geometry": paving_line(), "satuan": "m"}),
    )
    .await;
    let (_, headers, _) = f.call_full(Method::GET, &base, None, &[], None).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, "\"2\"");

    // Two edits made on the same version: the first wins, the second is told.
    let (s, _) = c
        .send_if(Method::PATCH, &base, Some(&etag), json!({"nama": "A"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = c
        .send_if(Method::PATCH, &base, Some(&etag), json!({"nama": "B"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(b["code"], "stale_version");
    assert!(b["message"].as_str().unwrap().contains("version 3"), "{b}");

    // Concurrent allocations without If-Match: every one lands.
    let n = 16;
    let app = f.state.clone();
    let mut tasks = Vec::new();
    for i in 0..n {
        let state = app.clone();
        let token = c.token.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post(format!("/api/kegiatan/{WORK}/segmen/S1/alokasi"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"sumber": "csr", "tahun_anggaran": 2020, "jumlah": 1000 + i})
                        .to_string(),
                ))
                .unwrap();
            kumuh_server::app(state)
                .oneshot(req)
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    let (_, b) = f.get(&base).await;
    let csr = &b["ringkasan"]["per_sumber"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sumber"] == "csr")
        .unwrap()["alokasi"]["diketahui_rp"];
    let expected: u64 = (0..n).map(|i| 1000 + i).sum();
    assert_eq!(csr.as_u64(), Some(expected));
    assert_eq!(b["versi"], 3 + n);

    // Concurrent edits all naming the same version: exactly one wins.
    let (_, headers, _) = f.call_full(Method::GET, &base, None, &[], None).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let state = app.clone();
        let token = c.token.clone();
        let etag = etag.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post(format!("/api/kegiatan/{WORK}/segmen/S1/alokasi"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .header("if-match", etag)
                .body(axum::body::Body::from(
                    json!({"sumber": "apbn", "jumlah": 10 + i}).to_string(),
                ))
                .unwrap();
            kumuh_server::app(state)
                .oneshot(req)
                .await
                .unwrap()
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    // Usernames are personal data: read as a user who may see them.
    let (_, log) = f
        .call(
            Method::GET,
            &format!("/api/audit?kunci={WORK}&limit=1000"),
            Some(&c.token),
            None,
        )
        .await;
    // create, segment, rename, 16 allocations, the one winner.
    assert_eq!(log.as_array().unwrap().len(), 1 + 1 + 1 + n as usize + 1);
}

#[tokio::test]
async fn roles_decide_who_writes_which_desa() {
    let f = fixture().await;
    let admin = admin(&f).await;
    create_bibrik(&admin).await;
    admin
        .ok(
            Method::POST,
            "/api/kegiatan",
            json!({"id": "wayut-drainase", "nama": "Drainase Wayut", "jenis": "drainase",
                   "kode_desa": WAYUT, "tahun": 2020, "pelaksana": {"jenis": "ksm", "nama": "Maju"}}),
        )
        .await;
    let lkm = f.token_for_lkm("makmur", &[BIBRIK]).await;
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let kab = f.token_for("bappeda", Role::Kabupaten).await;
    let alloc = json!({"sumber": "swadaya", "jumlah": null});
    let patch = json!({"keterangan": "catatan"});
    let cases: Vec<(Option<&str>, Method, String, Value, StatusCode)> = vec![
        (
            None,
            Method::PATCH,
            format!("/api/kegiatan/{WORK}"),
            patch.clone(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            Some(&viewer),
            Method::PATCH,
            format!("/api/kegiatan/{WORK}"),
            patch.clone(),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(&lkm),
            Method::PATCH,
            format!("/api/kegiatan/{WORK}"),
            patch.clone(),
            StatusCode::OK,
        ),
        (
            Some(&lkm),
            Method::PATCH,
            "/api/kegiatan/wayut-drainase".into(),
            patch.clone(),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(&kab),
            Method::PATCH,
            "/api/kegiatan/wayut-drainase".into(),
            patch.clone(),
            StatusCode::OK,
        ),
        (
            Some(&lkm),
            Method::POST,
            "/api/kegiatan".into(),
            json!({"nama": "X", "jenis": "drainase", "kode_desa": WAYUT, "tahun": 2020,
                "pelaksana": {"jenis": "ksm", "nama": "Maju"}}),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(&lkm),
            Method::PUT,
            "/api/kegiatan/wayut-drainase/kpp".into(),
            json!({"nama": "K", "aturan_iuran": {"per_kk": 1000, "jadwal": {"bulanan": {"tanggal": 1}}}}),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(&lkm),
            Method::PATCH,
            format!("/api/kegiatan/{WORK}"),
            json!({"kode_desa": WAYUT}),
            StatusCode::FORBIDDEN,
        ),
        (
            None,
            Method::POST,
            format!("/api/kegiatan/{WORK}/segmen/S1/alokasi"),
            alloc.clone(),
            StatusCode::UNAUTHORIZED,
        ),
    ];
    for (token, method, uri, body, expected) in cases {
        let (s, b) = f.call(method.clone(), &uri, token, Some(body)).await;
        assert_eq!(s, expected, "{method} {uri}: {b}");
    }
    let (_, log) = f
        .call(
            Method::GET,
            "/api/audit?kunci=wayut-drainase",
            Some(&kab),
            None,
        )
        .await;
    assert_eq!(log[0]["pengguna"], "bappeda");
}

#[tokio::test]
async fn finishing_a_road_rebuilds_the_mapped_lines_it_runs_along() {
    use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};
    let f = fixture().await;
    seed_lokasi(&f).await;
    // The paving runs from 111.4935 to 111.49504 along -7.5753 (170 m).
    let beside = |kode: &str, jenis, from: f64, to: f64, dy: f64| {
        Ruas::new(
            kode,
            jenis,
            KondisiRuas::RusakBerat,
            geo_types::LineString::from(vec![(from, -7.5753 + dy), (to, -7.5753 + dy)]),
        )
    };
    f.store
        .upsert_jaringan(&[
            // The same road mapped 2 m beside the work's line.
            beside(
                "J-SAMA",
                JenisJaringan::Jalan,
                111.4935,
                111.49504,
                0.000018,
            ),
            // A longer road the work covers for about a third.
            beside(
                "J-PANJANG",
                JenisJaringan::Jalan,
                111.4935,
                111.4981,
                -0.00003,
            ),
            // The drain alongside: a road work leaves it as it is.
            beside(
                "D-SAMA",
                JenisJaringan::Drainase,
                111.4935,
                111.49504,
                0.00003,
            ),
            // A road elsewhere in the desa.
            beside("J-JAUH", JenisJaringan::Jalan, 111.4935, 111.49504, 0.002),
        ])
        .await
        .unwrap();
    let c = admin(&f).await;
    create_bibrik(&c).await;
    let base = format!("/api/kegiatan/{WORK}");
    add_paving(&c, &base).await;
    let seg = format!("{base}/segmen/S1");
    let b = finish(&c, &seg).await;
    let e = &b["evaluasi"][0];
    let rebuilt = e["jaringan"].as_array().unwrap();
    assert_eq!(rebuilt.len(), 1, "{e}");
    assert_eq!(rebuilt[0]["kode"], "J-SAMA");
    assert_eq!(rebuilt[0]["sebelum"], "rusak_berat");
    assert_eq!(rebuilt[0]["sesudah"], "baik");
    assert!(rebuilt[0]["bagian_persen"].as_f64() > Some(99.0), "{e}");
    let notes = e["catatan"].to_string();
    assert!(notes.contains("J-PANJANG"), "{notes}");

    // The map's lines: only the road the work rebuilt is good now.
    let (_, lines) = f.get("/api/jaringan").await;
    let kondisi = |kode: &str| {
        lines["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["properties"]["kode"] == kode)
            .map(|l| l["properties"]["kondisi"].clone())
            .unwrap()
    };
    assert_eq!(kondisi("J-SAMA"), "baik");
    assert_eq!(kondisi("J-PANJANG"), "rusak_berat");
    assert_eq!(kondisi("D-SAMA"), "rusak_berat");
    assert_eq!(kondisi("J-JAUH"), "rusak_berat");

    // The change is in the audit log under the line, with who made it.
    let (_, log) = f
        .call(Method::GET, "/api/audit?kunci=J-SAMA", Some(&c.token), None)
        .await;
    assert_eq!(log[0]["entitas"], "jaringan", "{log}");
    assert_eq!(log[0]["aksi"], "kondisi");
    assert_eq!(log[0]["pengguna"], "ana");
    assert_eq!(log[0]["sesudah"]["segmen"], "S1");
}
