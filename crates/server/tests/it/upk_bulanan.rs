//! The UPK's indicators month by month over HTTP (`GET /api/upk/kinerja/bulanan`): the
//! worked-case loan of `docs/upk.md` seen at each month end, for anyone.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Fixture, fixture};
use kumuh_domain::{Kode, Role, User};
use serde_json::{Value, json};

const BIBRIK: &str = "35.19.09.2014";
const WAYUT: &str = "35.19.09.2009";

/// KSM Maju of Bibrik with the worked-case loan: Rp 3,000,000 over 10 months at 1.5 %
/// a month flat, disbursed 2026-01-05, the first two instalments paid on time and none
/// after.
async fn worked_case(f: &Fixture) {
    let token = f
        .token_for_user(User {
            desa: vec![Kode::parse(BIBRIK).unwrap()],
            ..User::new("upk-bibrik", Role::Upk)
        })
        .await;
    let calls = [
        (
            "/api/ksm",
            json!({"kode_desa": BIBRIK, "id": "ksm-maju", "nama": "KSM Maju", "jenis": "ekonomi",
                   "anggota": [{"nama": "Sulastri", "jenis_kelamin": "P"}]}),
            StatusCode::CREATED,
        ),
        (
            "/api/pinjaman",
            json!({"ksm": "ksm-maju", "id": "P-01", "pokok_rp": 3_000_000, "jangka_bulan": 10,
                   "jasa_persen_bulan": 1.5, "tanggal_cair": "2026-01-05"}),
            StatusCode::CREATED,
        ),
        (
            "/api/pinjaman/P-01/angsuran",
            json!({"tanggal": "2026-02-05", "jumlah_rp": 345_000}),
            StatusCode::OK,
        ),
        (
            "/api/pinjaman/P-01/angsuran",
            json!({"tanggal": "2026-03-05", "jumlah_rp": 345_000}),
            StatusCode::OK,
        ),
    ];
    for (uri, body, status) in calls {
        let (s, b) = f.call(Method::POST, uri, Some(&token), Some(body)).await;
        assert_eq!(s, status, "{uri}: {b}");
    }
}

/// One field of every month: `persen` of the indicator `name`.
fn persen(series: &Value, name: &str) -> Vec<Value> {
    series
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[name]["persen"].clone())
        .collect()
}

#[tokio::test]
async fn the_worked_case_month_by_month_falls_behind_from_april_and_into_arrears_in_june() {
    let f = fixture().await;
    worked_case(&f).await;
    // Anonymous: these are totals.
    let (s, series) = f
        .get(&format!(
            "/api/upk/kinerja/bulanan?wilayah={BIBRIK}&sampai=2026-07&bulan=7"
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{series}");
    let months: Vec<&str> = series
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["bulan"].as_str().unwrap())
        .collect();
    assert_eq!(
        months,
        [
            "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"
        ]
    );
    assert_eq!(series[1]["per"], "2026-02-28");
    assert_eq!(series[6]["per"], "2026-07-31");
    // One or two instalments behind is class 2, still performing; the third (5 June)
    // makes it class 3 and the whole outstanding principal at risk.
    assert_eq!(
        persen(&series, "par_persen"),
        [0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 100.0].map(|v| json!(v))
    );
    assert_eq!(series[4]["par_persen"]["pita"], "baik");
    assert_eq!(series[5]["par_persen"]["pita"], "kurang");
    assert_eq!(series[5]["par_persen"]["pembilang"], 2_400_000);
    assert_eq!(
        persen(&series, "lar_persen"),
        [0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 100.0].map(|v| json!(v))
    );
    // Nothing due in January: no repayment rate yet. Then 600,000 paid of 300,000 more
    // principal due every month.
    assert_eq!(
        persen(&series, "rr_persen"),
        [
            Value::Null,
            json!(100.0),
            json!(100.0),
            json!(66.67),
            json!(50.0),
            json!(40.0),
            json!(33.33)
        ]
    );
    assert_eq!(series[3]["rr_persen"]["pita"], "kurang");
    assert_eq!(series[6]["rr_persen"]["penyebut"], 1_800_000);
    assert!(
        series
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["pinjaman_aktif"] == 1),
        "{series}"
    );
    // The last month is the indicator of /api/upk/kinerja on that month's last day.
    let (s, kinerja) = f
        .get(&format!("/api/upk/kinerja?wilayah={BIBRIK}&per=2026-07-31"))
        .await;
    assert_eq!(s, StatusCode::OK, "{kinerja}");
    for name in ["lar_persen", "par_persen", "rr_persen"] {
        assert_eq!(series[6][name], kinerja["total"][name], "{name}");
    }
    // The kecamatan holds the same loan; a desa without loans has no values.
    let (_, kecamatan) = f
        .get("/api/upk/kinerja/bulanan?wilayah=35.19.09&sampai=2026-07&bulan=7")
        .await;
    assert_eq!(kecamatan, series);
    let (s, wayut) = f
        .get(&format!(
            "/api/upk/kinerja/bulanan?wilayah={WAYUT}&sampai=2026-07&bulan=2"
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{wayut}");
    assert_eq!(wayut.as_array().unwrap().len(), 2);
    assert_eq!(wayut[1]["par_persen"]["persen"], Value::Null);
    assert_eq!(wayut[1]["par_persen"]["penyebut"], 0);
    assert_eq!(wayut[1]["pinjaman_aktif"], 0);
}

#[tokio::test]
async fn twelve_months_up_to_this_month_by_default_and_never_a_month_to_come() {
    let f = fixture().await;
    worked_case(&f).await;
    let (s, series) = f.get("/api/upk/kinerja/bulanan").await;
    assert_eq!(s, StatusCode::OK, "{series}");
    let list = series.as_array().unwrap();
    assert_eq!(list.len(), 12, "{series}");
    // Consecutive months, oldest first, each standing on a later day than the one before.
    for pair in list.windows(2) {
        assert!(
            pair[0]["per"].as_str() < pair[1]["per"].as_str(),
            "{series}"
        );
        assert!(
            pair[0]["bulan"].as_str() < pair[1]["bulan"].as_str(),
            "{series}"
        );
    }
    let (_, far) = f
        .get("/api/upk/kinerja/bulanan?sampai=9999-12&bulan=3")
        .await;
    assert_eq!(far, json!([]), "months to come are left out");
}

#[tokio::test]
async fn a_bad_month_or_too_many_months_is_a_400_naming_the_parameter() {
    let f = fixture().await;
    for (query, field) in [
        ("sampai=2026-7", "sampai"),
        ("sampai=2026-07-01", "sampai"),
        ("sampai=2026-13", "sampai"),
        ("bulan=37", "bulan"),
        ("bulan=0", "bulan"),
        ("wilayah=35.xx", "wilayah"),
    ] {
        let (s, b) = f.get(&format!("/api/upk/kinerja/bulanan?{query}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {b}");
        assert!(
            b["message"].as_str().unwrap().contains(field),
            "{query}: {b}"
        );
    }
    let (s, b) = f.get("/api/upk/kinerja/bulanan?bulan=36").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b.as_array().unwrap().len(), 36);
}
