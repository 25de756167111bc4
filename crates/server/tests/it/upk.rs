//! The revolving-loan API over HTTP: KSM, savings, loans, repayments, reversals, the
//! indicators and the arrears list, and who may read names.

use crate::common;

use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::fixture;
use common::upk::{BIBRIK, WAYUT, post, raw, upk_token, worked_case};
use kumuh_domain::Role;
use serde_json::{Value, json};

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
