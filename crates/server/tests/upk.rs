//! The revolving-loan API over HTTP: KSM, savings, loans, repayments, reversals, the
//! indicators and the arrears list, and who may read names.

mod common;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use common::{Fixture, fixture};
use http_body_util::BodyExt;
use kumuh_domain::{Kode, Role, User};
use serde_json::{Value, json};
use tower::ServiceExt;

const BIBRIK: &str = "35.19.09.2014";
const WAYUT: &str = "35.19.09.2009";

async fn upk_token(f: &Fixture, name: &str, desa: &str) -> String {
    f.token_for_user(User {
        desa: vec![Kode::parse(desa).unwrap()],
        ..User::new(name, Role::Upk)
    })
    .await
}

async fn post(f: &Fixture, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
    f.call(Method::POST, uri, Some(token), Some(body)).await
}

/// KSM Maju of Bibrik with the worked-case loan: Rp 3,000,000 over 10 months at 1.5 %
/// a month flat, disbursed 2026-01-05, the first two instalments paid on time.
async fn worked_case(f: &Fixture, token: &str) -> Value {
    let (s, ksm) = post(
        f,
        "/api/ksm",
        token,
        json!({"kode_desa": BIBRIK, "id": "ksm-maju", "nama": "KSM Maju", "jenis": "ekonomi",
               "dibentuk": "2025-06-01",
               "anggota": [{"nama": "Sulastri", "jenis_kelamin": "P", "nik": "3519094101800001"},
                           {"nama": "Sarmin", "jenis_kelamin": "L"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{ksm}");
    assert_eq!(ksm["id"], "ksm-maju");
    let (s, p) = post(
        f,
        "/api/pinjaman",
        token,
        json!({"ksm": "ksm-maju", "id": "P-01", "pokok_rp": 3_000_000, "jangka_bulan": 10,
               "jasa_persen_bulan": 1.5, "tanggal_cair": "2026-01-05"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    for tanggal in ["2026-02-05", "2026-03-05"] {
        let (s, b) = post(
            f,
            "/api/pinjaman/P-01/angsuran",
            token,
            json!({"tanggal": tanggal, "jumlah_rp": 345_000}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    p
}

#[tokio::test]
async fn the_worked_case_stands_four_behind_in_class_3_on_10_july() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    let p = worked_case(&f, &token).await;
    assert_eq!(p["id"], "P-01");
    let jadwal = p["jadwal"].as_array().unwrap();
    assert_eq!(jadwal.len(), 10);
    assert_eq!(jadwal[0]["jatuh_tempo"], "2026-02-05");
    assert_eq!(jadwal[0]["pokok_rp"], 300_000);
    assert_eq!(jadwal[0]["jasa_rp"], 45_000);

    let (s, p) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-07-10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["angsuran_tertunggak"], 4);
    assert_eq!(p["sisa_pokok_rp"], 2_400_000);
    assert_eq!(p["tunggakan_pokok_rp"], 1_200_000);
    assert_eq!(p["tunggakan_jasa_rp"], 180_000);
    assert_eq!(p["hari_tunggak"], 96);
    assert_eq!(p["kolektibilitas"], 3);
    assert_eq!(p["versi"], 3);

    // A reversal of the second instalment puts it back in arrears.
    let (s, b) = post(
        &f,
        "/api/pinjaman/P-01/batal",
        &token,
        json!({"alasan": "cek kosong"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, p) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-07-10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(p["angsuran_tertunggak"], 5);
    assert_eq!(p["sisa_pokok_rp"], 2_700_000);

    // Overpaying is refused, naming what is still owed.
    let (s, b) = post(
        &f,
        "/api/pinjaman/P-01/angsuran",
        &token,
        json!({"tanggal": "2026-07-11", "jumlah_rp": 9_000_000}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().contains("exceeds"), "{b}");

    let (s, b) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-13-01",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
}

#[tokio::test]
async fn ksm_change_and_savings_are_kept_with_versions() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let (s, b) = post(
        &f,
        "/api/ksm/ksm-maju/tabungan",
        &token,
        json!({"tanggal": "2026-01-10", "jumlah_rp": 150_000}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["saldo_tabungan_rp"], 150_000);
    let (s, b) = post(
        &f,
        "/api/ksm/ksm-maju/tabungan",
        &token,
        json!({"jenis": "penarikan", "tanggal": "2026-01-11", "jumlah_rp": 200_000,
               "alasan": "modal"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().contains("balance"), "{b}");

    let (s, b) = f
        .call(
            Method::PATCH,
            "/api/ksm/ksm-maju",
            Some(&token),
            Some(json!({"versi": 1, "nama": "KSM Maju Jaya",
                        "anggota_keluar": [{"no": 2, "tanggal": "2026-04-01"}]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["versi"], 2);
    assert_eq!(b["ksm"]["nama"], "KSM Maju Jaya");
    assert_eq!(b["nik"]["1"], "3519094101800001");
    // The same change on the old version is refused.
    let (s, b) = f
        .call(
            Method::PATCH,
            "/api/ksm/ksm-maju",
            Some(&token),
            Some(json!({"versi": 1, "nama": "KSM Lain"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let (s, b) = post(
        &f,
        "/api/ksm",
        &token,
        json!({"kode_desa": BIBRIK, "nama": "KSM X", "jenis": "ekonomi",
               "anggota": [{"nama": "A", "jenis_kelamin": "X"}]}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["message"].as_str().unwrap().starts_with("anggota[0]"),
        "{b}"
    );
}

#[tokio::test]
async fn only_the_desa_upk_writes_and_only_permitted_users_read_names() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let wayut = upk_token(&f, "upk-wayut", WAYUT).await;
    let lkm = f.token_for_lkm("lkm-bibrik", &[BIBRIK]).await;
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let kab = f.token_for("bappeda", Role::Kabupaten).await;

    // Writes: the upk of another desa, the lkm and the viewer are refused.
    for t in [&wayut, &lkm, &viewer, &kab] {
        let (s, b) = post(
            &f,
            "/api/pinjaman/P-01/angsuran",
            t,
            json!({"tanggal": "2026-04-05", "jumlah_rp": 345_000}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    }
    let (s, _) = f
        .call(
            Method::POST,
            "/api/ksm",
            None,
            Some(json!({"kode_desa": BIBRIK, "nama": "KSM Y", "jenis": "ekonomi"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Reads of details: the lkm and kabupaten may, the upk of another desa may not.
    for (t, want) in [
        (Some(&lkm), StatusCode::OK),
        (Some(&kab), StatusCode::OK),
        (Some(&wayut), StatusCode::FORBIDDEN),
        (Some(&viewer), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let (s, _) = f
            .call(
                Method::GET,
                "/api/ksm/ksm-maju",
                t.map(String::as_str),
                None,
            )
            .await;
        assert_eq!(s, want, "{t:?}");
    }

    // No UPK GET answers a member's or borrower's name or NIK to anonymous or viewer
    // callers; they get totals per desa.
    let names = ["KSM Maju", "Sulastri", "Sarmin", "3519094101800001"];
    let gets = [
        "/api/ksm",
        "/api/ksm?wilayah=35.19.09",
        "/api/ksm/ksm-maju",
        "/api/pinjaman/P-01",
        "/api/pinjaman/P-01?per=2026-07-10",
        "/api/upk/kinerja?per=2026-07-10",
        "/api/upk/kinerja?wilayah=35.19.09.2014&per=2026-07-10",
        "/api/upk/tunggakan?per=2026-07-10",
        "/api/upk/tunggakan?wilayah=35.19.09.2014&per=2026-07-10&format=csv",
    ];
    for uri in gets {
        for t in [None, Some(viewer.as_str())] {
            let (_, body) = f.call(Method::GET, uri, t, None).await;
            let text = body.to_string();
            for n in names {
                assert!(!text.contains(n), "{uri} as {t:?} shows {n}: {text}");
            }
        }
    }
    let (s, list) = f.get("/api/ksm").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["ksm"], json!([]));
    assert_eq!(list["per_desa"][0]["kode_desa"], BIBRIK);
    assert_eq!(list["per_desa"][0]["jumlah_ksm"], 1);
    assert_eq!(list["per_desa"][0]["jumlah_anggota"], 2);
    // The lkm of the desa sees the group by name.
    let (_, list) = f.call(Method::GET, "/api/ksm", Some(&lkm), None).await;
    assert_eq!(list["ksm"][0]["nama"], "KSM Maju");
}

#[tokio::test]
async fn indicators_follow_the_worked_example_and_have_bands() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let (s, k) = f
        .get("/api/upk/kinerja?wilayah=35.19.09&per=2026-07-10")
        .await;
    assert_eq!(s, StatusCode::OK, "{k}");
    let total = &k["total"];
    assert_eq!(total["kode"], "35.19.09");
    assert_eq!(total["lar_persen"]["persen"], 100.0);
    assert_eq!(total["lar_persen"]["pita"], "kurang");
    assert_eq!(total["par_persen"]["persen"], 100.0);
    // Principal paid on what fell due: 600,000 of 1,800,000.
    assert_eq!(total["rr_persen"]["pembilang"], 600_000);
    assert_eq!(total["rr_persen"]["penyebut"], 1_800_000);
    assert_eq!(total["rr_persen"]["persen"], 33.33);
    assert_eq!(total["rr_persen"]["pita"], "kurang");
    assert_eq!(k["per_desa"][0]["kode"], BIBRIK);
    // Before the first due date nothing is behind: LAR 0 %, baik.
    let (_, k) = f.get("/api/upk/kinerja?per=2026-01-31").await;
    assert_eq!(k["total"]["lar_persen"]["persen"], 0.0);
    assert_eq!(k["total"]["lar_persen"]["pita"], "baik");
    assert_eq!(k["total"]["rr_persen"]["persen"], Value::Null);
}

async fn raw(f: &Fixture, uri: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = kumuh_server::app(f.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, bytes)
}

#[tokio::test]
async fn the_arrears_list_comes_as_json_csv_and_an_xlsx_that_opens_with_its_totals() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let lkm = f.token_for_lkm("lkm-bibrik", &[BIBRIK]).await;

    let (s, t) = f
        .call(
            Method::GET,
            "/api/upk/tunggakan?wilayah=35.19.09.2014&per=2026-07-10",
            Some(&lkm),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["daftar"]["baris"][0]["pinjaman"], "P-01");
    assert_eq!(t["daftar"]["total_tunggakan_pokok_rp"], 1_200_000);
    assert_eq!(t["nama_ksm"]["ksm-maju"], "KSM Maju");

    let (s, ct, csv) = raw(&f, "/api/upk/tunggakan?per=2026-07-10&format=csv", &token).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[1],
        "35.19.09.2014,ksm-maju,KSM Maju,P-01,2400000,1200000,180000,4,96,3,ya,"
    );

    let (s, _, xlsx) = raw(&f, "/api/upk/tunggakan?per=2026-07-10&format=xlsx", &token).await;
    assert_eq!(s, StatusCode::OK);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Daftar Tunggakan").unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("Daftar Tunggakan per 2026-07-10".into()))
    );
    assert_eq!(
        range.get_value((2, 2)),
        Some(&Data::String("KSM Maju".into()))
    );
    assert_eq!(range.get_value((3, 0)), Some(&Data::String("TOTAL".into())));
    assert_eq!(range.get_value((3, 5)), Some(&Data::Float(1_200_000.0)));
    assert_eq!(range.get_value((3, 6)), Some(&Data::Float(180_000.0)));

    let (s, _, _) = raw(&f, "/api/upk/tunggakan?format=pdf", &token).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// The audit lines of a key as `(aksi, pengguna)`, oldest first.
async fn audit_of(f: &Fixture, kunci: &str) -> Vec<(String, String)> {
    let mut lines = f
        .store
        .audit(&kumuh_store::AuditQuery {
            kunci: Some(kunci.to_owned()),
            sebelum_id: None,
            limit: 1000,
        })
        .await
        .unwrap();
    lines.sort_by_key(|l| l.id);
    lines.into_iter().map(|l| (l.aksi, l.pengguna)).collect()
}

/// POSTs `body` to `uri` as nobody, as the upk of another desa (`t.1`), and as the
/// desa's upk (`t.0`) with `bad` (a body missing or spoiling `field`): 401, 403 and a
/// 422 naming `field`.
async fn refused(
    f: &Fixture,
    t: &(String, String),
    uri: &str,
    body: Value,
    bad: Value,
    field: &str,
) {
    let (s, b) = f.call(Method::POST, uri, None, Some(body.clone())).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "POST {uri} anonymous: {b}");
    let (s, b) = post(f, uri, &t.1, body).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "POST {uri} as upk of Wayut: {b}");
    let (s, b) = post(f, uri, &t.0, bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "POST {uri}: {b}");
    assert!(
        b["message"].as_str().unwrap_or("").contains(field),
        "POST {uri}: the message names `{field}`: {b}"
    );
}

#[tokio::test]
async fn an_application_is_decided_disbursed_and_written_off_by_the_desa_upk() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let t = (token.clone(), upk_token(&f, "upk-wayut", WAYUT).await);
    let apply = |id: &str| {
        json!({"ksm": "ksm-maju", "id": id, "pokok_rp": 2_000_000, "jangka_bulan": 10,
               "jasa_persen_bulan": 1.5, "tanggal_pengajuan": "2026-03-01"})
    };
    let (s, p) = post(&f, "/api/pinjaman", &token, apply("P-02")).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["status"], "diajukan");
    assert_eq!(p["jadwal"], json!([]));

    let uri = "/api/pinjaman/P-02/keputusan";
    refused(
        &f,
        &t,
        uri,
        json!({"setuju": true, "tanggal": "2026-03-03"}),
        json!({"setuju": true}),
        "tanggal",
    )
    .await;
    let (s, b) = post(
        &f,
        uri,
        &token,
        json!({"setuju": false, "tanggal": "2026-03-03"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().contains("alasan"), "{b}");
    let (s, b) = post(
        &f,
        uri,
        &token,
        json!({"setuju": true, "tanggal": "2026-02-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("before the application"),
        "{b}"
    );
    let (s, p) = post(
        &f,
        uri,
        &token,
        json!({"setuju": true, "tanggal": "2026-03-03"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "disetujui");
    assert_eq!(p["pinjaman"]["keputusan"]["oleh"], "upk-bibrik");
    assert_eq!(p["versi"], 2);
    // A decision is made once.
    let (s, b) = post(
        &f,
        uri,
        &token,
        json!({"setuju": true, "tanggal": "2026-03-04"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

    let uri = "/api/pinjaman/P-02/cair";
    refused(
        &f,
        &t,
        uri,
        json!({"tanggal_cair": "2026-03-05"}),
        json!({"tanggal_cair": "2026-03-02"}),
        "tanggal_cair",
    )
    .await;
    let (s, p) = post(&f, uri, &token, json!({"tanggal_cair": "2026-03-05"})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "berjalan");
    assert_eq!(p["jadwal"].as_array().unwrap().len(), 10);
    assert_eq!(p["jadwal"][0]["jatuh_tempo"], "2026-04-05");

    let uri = "/api/pinjaman/P-02/hapus-buku";
    refused(
        &f,
        &t,
        uri,
        json!({"tanggal": "2026-12-31", "alasan": "peminjam meninggal dunia"}),
        json!({"tanggal": "2026-12-31", "alasan": " "}),
        "alasan",
    )
    .await;
    let (s, p) = post(
        &f,
        uri,
        &token,
        json!({"tanggal": "2026-12-31", "alasan": "peminjam meninggal dunia"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "dihapus_buku");
    let entries = p["pinjaman"]["buku"]["entries"].as_array().cloned();
    let text = p["pinjaman"]["buku"].to_string();
    assert!(
        text.contains("\"disetujui_oleh\":\"upk-bibrik\""),
        "{text} {entries:?}"
    );
    // Written off once.
    let (s, _) = post(
        &f,
        uri,
        &token,
        json!({"tanggal": "2027-01-02", "alasan": "lagi"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // A refusal needs its reason and leaves the loan refused.
    post(&f, "/api/pinjaman", &token, apply("P-03")).await;
    let (s, p) = post(
        &f,
        "/api/pinjaman/P-03/keputusan",
        &token,
        json!({"setuju": false, "tanggal": "2026-03-03", "alasan": "tunggakan P-01 belum lunas"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "ditolak");
    let (s, _) = post(
        &f,
        "/api/pinjaman/P-03/cair",
        &token,
        json!({"tanggal_cair": "2026-03-05"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let who = |l: &[(String, String)]| {
        l.iter()
            .map(|(a, u)| format!("{a} {u}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        who(&audit_of(&f, "P-02").await),
        [
            "buat upk-bibrik",
            "setujui upk-bibrik",
            "cair upk-bibrik",
            "hapus_buku upk-bibrik"
        ]
    );
    assert_eq!(
        who(&audit_of(&f, "P-03").await),
        ["buat upk-bibrik", "tolak upk-bibrik"]
    );
}

#[tokio::test]
async fn causes_of_arrears_show_in_the_standing_and_every_form_of_the_arrears_list() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let t = (token.clone(), upk_token(&f, "upk-wayut", WAYUT).await);
    let uri = "/api/pinjaman/P-01/penyebab";
    refused(
        &f,
        &t,
        uri,
        json!({"tanggal": "2026-06-01", "penyebab": "usaha_gagal"}),
        json!({"tanggal": "2026-06-01", "penyebab": "malas"}),
        "penyebab",
    )
    .await;
    let (s, b) = post(
        &f,
        uri,
        &token,
        json!({"tanggal": "2026-06-01", "penyebab": "lainnya"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["message"].as_str().unwrap().contains("keterangan"), "{b}");
    let (s, p) = post(
        &f,
        uri,
        &token,
        json!({"tanggal": "2026-06-01", "penyebab": "usaha_gagal",
               "keterangan": "warung tutup sejak Mei"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["penyebab"], json!(["usaha_gagal"]));

    let (_, p) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-07-10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(p["penyebab"], json!(["usaha_gagal"]));
    assert_eq!(
        p["pinjaman"]["penyebab_tunggakan"][0]["keterangan"],
        "warung tutup sejak Mei"
    );
    // Before it was noted, the standing has no cause.
    let (_, p) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-05-10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(p["penyebab"], json!([]));

    let (_, t) = f
        .call(
            Method::GET,
            "/api/upk/tunggakan?per=2026-07-10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(t["daftar"]["baris"][0]["penyebab"], json!(["usaha_gagal"]));
    let (_, _, csv) = raw(&f, "/api/upk/tunggakan?per=2026-07-10&format=csv", &token).await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",hari_tunggak,kolektibilitas,menunggak,penyebab"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "35.19.09.2014,ksm-maju,KSM Maju,P-01,2400000,1200000,180000,4,96,3,ya,usaha_gagal"
    );
    let (_, _, xlsx) = raw(&f, "/api/upk/tunggakan?per=2026-07-10&format=xlsx", &token).await;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range("Daftar Tunggakan").unwrap();
    let row: Vec<String> = (0..12)
        .map(|c| {
            range
                .get_value((2, c))
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert!(row.contains(&"usaha_gagal".to_owned()), "{row:?}");
    let header: Vec<String> = (0..12)
        .map(|c| {
            range
                .get_value((1, c))
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert!(
        header.iter().any(|h| h.contains("hari_tunggak")),
        "{header:?}"
    );

    let aksi: Vec<String> = audit_of(&f, "P-01")
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        aksi.last().map(String::as_str),
        Some("penyebab"),
        "{aksi:?}"
    );
}

#[tokio::test]
async fn collection_plan_lines_carry_their_visit_results_and_names_stay_private() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let t = (token.clone(), upk_token(&f, "upk-wayut", WAYUT).await);
    let plan = json!({"pinjaman": "P-01", "petugas": ["Bu Sri (UPK)", "Pak Kades"],
                      "tanggal": "2026-07-14", "bersama_pemerintah_desa": true,
                      "catatan": "RKTL langkah 1"});
    refused(
        &f,
        &t,
        "/api/upk/penagihan",
        plan.clone(),
        json!({"pinjaman": "P-01", "petugas": [" "], "tanggal": "2026-07-14"}),
        "petugas",
    )
    .await;
    let (s, line) = post(&f, "/api/upk/penagihan", &token, plan.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{line}");
    let id = line["id"].as_i64().unwrap();
    assert_eq!(line["pinjaman"], "P-01");
    assert_eq!(line["ksm"], "KSM Maju");
    assert_eq!(line["petugas"], json!(["Bu Sri (UPK)", "Pak Kades"]));
    assert_eq!(line["tanggal_rencana"], "2026-07-14");
    assert_eq!(line["catatan"], "RKTL langkah 1");
    assert_eq!(line["hasil"], Value::Null);

    let hasil = format!("/api/upk/penagihan/{id}/hasil");
    refused(
        &f,
        &t,
        &hasil,
        json!({"tanggal": "2026-07-14", "hasil": "janji_bayar", "janji_tanggal": "2026-07-31"}),
        json!({"tanggal": "2026-07-14", "hasil": "janji_bayar"}),
        "janji_tanggal",
    )
    .await;
    let (s, line) = post(
        &f,
        &hasil,
        &token,
        json!({"tanggal": "2026-07-14", "hasil": "janji_bayar", "janji_tanggal": "2026-07-31",
               "catatan": "bayar setelah panen"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{line}");
    assert_eq!(
        line["hasil"],
        json!({"tanggal": "2026-07-14", "hasil": "janji_bayar", "catatan": "bayar setelah panen",
               "petugas": ["Bu Sri (UPK)", "Pak Kades"], "jumlah_rp": null,
               "janji_tanggal": "2026-07-31"})
    );
    let (s, b) = post(
        &f,
        &hasil,
        &token,
        json!({"tanggal": "2026-07-15", "hasil": "menolak"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "a plan line has one result: {b}");
    let (s, _) = post(
        &f,
        "/api/upk/penagihan/999/hasil",
        &token,
        json!({"tanggal": "2026-07-15", "hasil": "menolak"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A visit that collects money records it on the loan, in the same write.
    let (_, second) = post(
        &f,
        "/api/upk/penagihan",
        &token,
        json!({"pinjaman": "P-01", "petugas": ["Bu Sri (UPK)"], "tanggal": "2026-08-03"}),
    )
    .await;
    let (s, line) = post(
        &f,
        &format!("/api/upk/penagihan/{}/hasil", second["id"]),
        &token,
        json!({"tanggal": "2026-08-03", "hasil": "membayar", "jumlah_rp": 345_000}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{line}");
    let (_, p) = f
        .call(
            Method::GET,
            "/api/pinjaman/P-01?per=2026-08-03",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(p["posisi"]["dibayar_pokok_rp"], 900_000, "{p}");
    assert!(
        p["pinjaman"]["buku"]
            .to_string()
            .contains("\"sumber\":\"penagihan\""),
        "{p}"
    );

    // The list, for the viewer's panel: every plan line with its result.
    let (s, list) = f
        .call(
            Method::GET,
            &format!("/api/upk/penagihan?wilayah={BIBRIK}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for key in [
        "id",
        "pinjaman",
        "ksm",
        "petugas",
        "tanggal_rencana",
        "catatan",
        "hasil",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }
    assert_eq!(rows[0]["hasil"]["hasil"], "janji_bayar");
    assert_eq!(rows[1]["hasil"]["jumlah_rp"], 345_000);
    let (_, july) = f
        .call(
            Method::GET,
            "/api/upk/penagihan?wilayah=35.19.09&bulan=2026-07",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(july.as_array().unwrap().len(), 1, "{july}");
    let (s, _) = f
        .call(
            Method::GET,
            "/api/upk/penagihan?bulan=2026-7",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Who may read names: the lkm of the desa yes; nobody, a viewer, another desa's upk no.
    let lkm = f.token_for_lkm("lkm-bibrik", &[BIBRIK]).await;
    let viewer = f.token_for("tamu", Role::Viewer).await;
    let wayut = t.1.clone();
    for (t, want) in [
        (Some(lkm.as_str()), StatusCode::OK),
        (None, StatusCode::UNAUTHORIZED),
        (Some(viewer.as_str()), StatusCode::FORBIDDEN),
        (Some(wayut.as_str()), StatusCode::FORBIDDEN),
    ] {
        for uri in [
            format!("/api/upk/penagihan?wilayah={BIBRIK}"),
            "/api/upk/penagihan".to_owned(),
        ] {
            let (s, body) = f.call(Method::GET, &uri, t, None).await;
            assert_eq!(s, want, "{uri} as {t:?}: {body}");
            if want != StatusCode::OK {
                assert!(!body.to_string().contains("Bu Sri"), "{body}");
            }
        }
    }
    let aksi: Vec<String> = audit_of(&f, "P-01")
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let tail: Vec<&str> = aksi
        .iter()
        .rev()
        .take(5)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        ["rencana", "hasil", "rencana", "hasil", "angsuran"],
        "{aksi:?}"
    );
}

#[tokio::test]
async fn an_instalment_covered_from_savings_comes_out_of_the_savings_in_the_same_write() {
    let f = fixture().await;
    let token = upk_token(&f, "upk-bibrik", BIBRIK).await;
    worked_case(&f, &token).await;
    let t = (token.clone(), upk_token(&f, "upk-wayut", WAYUT).await);
    let (s, k) = post(
        &f,
        "/api/ksm/ksm-maju/tabungan",
        &token,
        json!({"jenis": "setoran", "tanggal": "2026-03-10", "jumlah_rp": 200_000}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{k}");
    let uri = "/api/pinjaman/P-01/angsuran";
    let cover = |jumlah: i64| {
        json!({"tanggal": "2026-04-05", "jumlah_rp": jumlah, "sumber": "tabungan_tanggung_renteng",
               "alasan": "Sarmin sakit, disepakati rapat KSM"})
    };
    refused(
        &f,
        &t,
        uri,
        cover(150_000),
        json!({"tanggal": "2026-04-05", "jumlah_rp": 150_000, "sumber": "tabungan_tanggung_renteng"}),
        "alasan",
    )
    .await;
    // More than the savings hold: refused, naming the amount, and neither book changes.
    let (s, b) = post(&f, uri, &token, cover(345_000)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let message = b["message"].as_str().unwrap();
    assert!(
        message.contains("jumlah_rp") && message.contains("Rp 200.000"),
        "{b}"
    );
    let (_, p) = f
        .call(Method::GET, "/api/pinjaman/P-01", Some(&token), None)
        .await;
    assert_eq!(p["versi"], 3);
    let (_, k) = f
        .call(Method::GET, "/api/ksm/ksm-maju", Some(&token), None)
        .await;
    assert_eq!(k["saldo_tabungan_rp"], 200_000);
    assert_eq!(k["versi_tabungan"], 1);

    let (s, p) = post(&f, uri, &token, cover(150_000)).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["versi"], 4);
    assert!(
        p["pinjaman"]["buku"]
            .to_string()
            .contains("\"sumber\":\"tabungan_tanggung_renteng\""),
        "{p}"
    );
    let (_, k) = f
        .call(Method::GET, "/api/ksm/ksm-maju", Some(&token), None)
        .await;
    assert_eq!(k["saldo_tabungan_rp"], 50_000);
    let buku = k["tabungan"]["buku"].to_string();
    assert!(
        buku.contains("\"jenis\":\"tutup_angsuran\"") && buku.contains("\"pinjaman\":\"P-01\""),
        "{buku}"
    );
    assert!(buku.contains("Sarmin sakit"), "{buku}");
    assert_eq!(
        audit_of(&f, "ksm-maju")
            .await
            .last()
            .map(|(a, _)| a.as_str()),
        Some("tutup_angsuran")
    );
    assert_eq!(
        audit_of(&f, "P-01").await.last().map(|(a, _)| a.as_str()),
        Some("angsuran")
    );
}
