//! The UPK's arrears workflow over HTTP: a loan application decided, disbursed and
//! written off; causes of arrears; the collection plan with its visits; an instalment
//! covered from the group's savings. Each write is refused to anonymous callers and to
//! another desa's upk, answers 422 naming the field, and leaves its audit line.

use crate::common;

use axum::http::{Method, StatusCode};
use calamine::{Reader, Xlsx};
use common::fixture;
use common::upk::{BIBRIK, WAYUT, audit_of, post, raw, refused, upk_token, worked_case};
use kumuh_domain::Role;
use serde_json::{Value, json};
use std::io::Cursor;

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
