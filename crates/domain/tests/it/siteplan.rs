//! Village siteplans through the public API: the Bibrik seed against the shipped
//! boundary, checked storage, feature validation, limits, versions and conflicts, and a
//! property test that versions are append-only.

use geo::{Contains, Intersects};
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Polygon, line_string, point, polygon};
use kumuh_domain::Kode;
use kumuh_domain::siteplan::*;
use kumuh_domain::works::GeometryKind;
use proptest::prelude::*;
use serde_json::{Value, json};

const T: &str = "2024-05-01T08:00:00+07:00";

/// Bibrik's boundary from the shipped data.
fn bibrik() -> MultiPolygon<f64> {
    let text = include_str!("../../../../data/jiwan_desa.geojson");
    let fc: Value = serde_json::from_str(text).unwrap();
    let feature = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode"] == "35.19.09.2014")
        .expect("Bibrik is in the shipped data");
    assert_eq!(feature["geometry"]["type"], "Polygon");
    let ring = |r: &Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|c| Coord {
                x: c[0].as_f64().unwrap(),
                y: c[1].as_f64().unwrap(),
            })
            .collect()
    };
    let rings = feature["geometry"]["coordinates"].as_array().unwrap();
    MultiPolygon(vec![Polygon::new(
        ring(&rings[0]),
        rings[1..].iter().map(ring).collect(),
    )])
}

fn sp_id() -> SiteplanId {
    SiteplanId::new("sp").unwrap()
}

fn fid(s: &str) -> FiturId {
    FiturId::new(s).unwrap()
}

fn new_siteplan(fitur: Vec<Fitur>) -> Siteplan {
    Siteplan::new(
        SiteplanBaru {
            id: sp_id(),
            kode_desa: Kode::parse("35.19.09.2014").unwrap(),
            judul: "Siteplan uji".to_owned(),
            keterangan: None,
            contoh: false,
        },
        fitur,
        "lkm",
        T,
        None,
    )
    .unwrap()
}

fn jamur(id: &str, x: f64, y: f64) -> Fitur {
    Fitur::new(fid(id), Kategori::BudidayaJamur, point!(x: x, y: y))
}

#[test]
fn bibrik_seed_is_valid_and_inside_bibrik() {
    let sp = contoh_bibrik();
    assert!(sp.contoh());
    assert_eq!(sp.id().as_str(), BIBRIK_SITEPLAN_ID);
    assert_eq!(sp.kode_desa().as_str(), "35.19.09.2014");
    assert_eq!(sp.status(), StatusSiteplan::Diusulkan);
    assert_eq!(sp.current_versi(), 2);
    let desa = bibrik();
    for v in sp.versions() {
        validate_fitur(sp.id(), &v.fitur).unwrap();
        assert_eq!(outside_desa(&desa, &v.fitur), vec![], "versi {}", v.versi);
    }
    assert!(sp.outside_desa(&desa).is_empty());

    let fitur = &sp.current().fitur;
    let of = |k: Kategori| -> Vec<&Fitur> { fitur.iter().filter(|f| f.kategori == k).collect() };
    let kinds = |k: Kategori| -> Vec<GeometryKind> {
        of(k).iter().map(|f| f.jenis_geometri().unwrap()).collect()
    };
    assert_eq!(kinds(Kategori::Jalan), [GeometryKind::Garis]);
    assert_eq!(kinds(Kategori::Mural), [GeometryKind::Garis]);
    assert_eq!(kinds(Kategori::Taman), [GeometryKind::Area; 3]);
    assert_eq!(
        kinds(Kategori::KolamLele),
        [GeometryKind::Area, GeometryKind::Titik]
    );
    assert_eq!(kinds(Kategori::BudidayaJamur), [GeometryKind::Titik]);
    assert_eq!(kinds(Kategori::SentraKuliner), [GeometryKind::Area]);
    assert_eq!(kinds(Kategori::BatasKawasan), [GeometryKind::Area]);
    assert!(fitur.iter().all(|f| f.label.is_some()));
    assert_eq!(
        of(Kategori::SentraKuliner)[0].label.as_deref(),
        Some("Sentra kuliner ayam panggang")
    );

    // The road and the mural are about 170 m.
    for k in [Kategori::Jalan, Kategori::Mural] {
        let Some(Ukuran::Garis { length_m }) = of(k)[0].ukuran() else {
            panic!("{k} is a line")
        };
        assert!((length_m - 170.0).abs() < 2.0, "{k}: {length_m} m");
    }
    // Small gardens are small; the ponds are larger.
    for t in of(Kategori::Taman) {
        let Some(Ukuran::Area { area_m2, .. }) = t.ukuran() else {
            panic!()
        };
        assert!((20.0..100.0).contains(&area_m2), "{}: {area_m2} m²", t.id);
    }
    // Everything lies inside the area boundary.
    let Geometry::Polygon(batas) = &of(Kategori::BatasKawasan)[0].geometry else {
        panic!()
    };
    for f in fitur
        .iter()
        .filter(|f| f.kategori != Kategori::BatasKawasan)
    {
        assert!(
            batas.contains(&f.geometry),
            "{} lies outside the boundary",
            f.id
        );
    }
    // The road is the works seed's paving line.
    assert_eq!(
        of(Kategori::Jalan)[0].geometry,
        Geometry::LineString(LineString::from(
            kumuh_domain::works::contoh::BIBRIK_PAVING_LINE.to_vec()
        ))
    );
    // History: a sketch, the full plan, then the proposal on version 2.
    assert_eq!(sp.version(1).unwrap().fitur.len(), 3);
    assert_eq!(sp.riwayat().len(), 1);
    assert_eq!(sp.riwayat()[0].pada_versi, 2);
}

#[test]
fn stored_json_round_trips_and_is_checked() {
    let sp = contoh_bibrik();
    let json = serde_json::to_value(&sp).unwrap();
    assert_eq!(json["status"], "diusulkan");
    assert_eq!(json["versi"][1]["fitur"][0]["kategori"], "jalan");
    let back: Siteplan = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, sp);

    // (change to the stored JSON, what the error says)
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str)> = vec![
        (
            |j| j["kode_desa"] = json!("35.19.09"),
            "field `kode_desa`: `35.19.09` is a kecamatan code",
        ),
        (|j| j["judul"] = json!(""), "field `judul`"),
        (|j| j["status"] = json!("final"), "unknown status `final`"),
        (
            |j| j["versi"] = json!([]),
            "invalid stored history: there is no version",
        ),
        (
            |j| j["versi"][1]["versi"] = json!(3),
            "version at position 2 is numbered 3",
        ),
        (
            |j| j["versi"][1]["waktu"] = json!("12 Maret 2018"),
            "siteplan `contoh-35.19.09.2014-wisata`, versi 2: field `waktu`",
        ),
        (
            |j| j["versi"][0]["dibuat_oleh"] = json!(" "),
            "versi 1: field `dibuat_oleh`",
        ),
        (
            |j| j["versi"][1]["fitur"][3]["kategori"] = json!("kebun"),
            "unknown kategori `kebun`; expected one of jalan, drainase, taman, mural, \
             kolam_lele, budidaya_jamur, sentra_kuliner, fasilitas_umum, batas_kawasan, lainnya",
        ),
        (
            |j| j["versi"][1]["fitur"][3]["id"] = json!(""),
            "fitur id ``: field `id`: an id cannot be empty",
        ),
        (
            |j| j["versi"][1]["fitur"][3]["id"] = json!("J-01"),
            "siteplan `contoh-35.19.09.2014-wisata`: feature 3 (`J-01`), field `id`: feature 0 \
             already has this id",
        ),
        (
            |j| {
                // Swap two corners of the first garden: a bow-tie.
                let ring = &mut j["versi"][1]["fitur"][3]["geometry"]["Polygon"]["exterior"];
                let c1 = ring[1].clone();
                ring[1] = ring[2].clone();
                ring[2] = c1;
            },
            "feature 3 (`T-01`), field `geometry`: exterior ring crosses itself at (111.493685, \
             -7.57537)",
        ),
        (
            |j| {
                j["versi"][1]["fitur"][0]["geometry"] =
                    json!({"Point": {"x": 111.494, "y": -7.575}})
            },
            "feature 0 (`J-01`), field `geometry`: a jalan (Jalan) is drawn as a line or a \
             polygon, not a point",
        ),
        (
            |j| j["versi"][1]["dipulihkan_dari"] = json!(1),
            "version 2 is restored from version 1 but its features differ",
        ),
        (
            |j| j["versi"][0]["dipulihkan_dari"] = json!(1),
            "version 1 is restored from version 1, which is not an earlier version",
        ),
        (
            |j| j["riwayat"] = json!([]),
            "the recorded status changes end at draf, but the status is diusulkan",
        ),
        (
            |j| j["riwayat"][0]["pada_versi"] = json!(1),
            "version 2 was saved while the siteplan was diusulkan",
        ),
        (
            |j| j["riwayat"][0]["pada_versi"] = json!(5),
            "header change 0 is on version 5",
        ),
        (
            |j| j["riwayat"][0]["perubahan"]["ke"] = json!("ditetapkan"),
            "header change 0 moves the status from draf to ditetapkan",
        ),
        (
            |j| {
                j["riwayat"].as_array_mut().unwrap().push(json!({
                    "pada_versi": 2, "oleh": "x", "waktu": T,
                    "perubahan": {"field": "judul", "dari": "Lain", "ke": "Baru"}
                }))
            },
            "the recorded header changes do not end at the current header",
        ),
    ];
    for (edit, expected) in cases {
        let mut j = json.clone();
        edit(&mut j);
        let e = serde_json::from_value::<Siteplan>(j)
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "expected `{expected}` in: {e}");
    }
}

#[test]
fn drafts_name_every_problem() {
    let draft = |id: &str, kategori: &str, g: Geometry<f64>| FiturDraft {
        id: id.to_owned(),
        kategori: kategori.to_owned(),
        geometry: g,
        label: None,
        catatan: None,
    };
    let road = line_string![(x: 111.4935, y: -7.5753), (x: 111.49504, y: -7.5753)];
    let drafts = vec![
        draft("J-01", "Jalan", road.clone().into()),
        draft("  ", "kebun", point!(x: 111.494, y: -7.575).into()),
        draft("J-01", "taman", point!(x: 111.494, y: -7.575).into()),
        FiturDraft {
            label: Some("a\nb".to_owned()),
            ..draft("BK", "batas kawasan", road.into())
        },
        draft("P", "lainnya", point!(x: 300.0, y: 0.0).into()),
    ];
    let Err(SiteplanError::InvalidFitur { siteplan, issues }) = fitur_from_drafts(&sp_id(), drafts)
    else {
        panic!("the drafts have problems")
    };
    assert_eq!(siteplan, "sp");
    let got: Vec<String> = issues.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "feature 1 (`  `), field `id`: an id cannot be empty",
            "feature 1 (`  `), field `kategori`: unknown kategori `kebun`; expected one of jalan, \
             drainase, taman, mural, kolam_lele, budidaya_jamur, sentra_kuliner, \
             fasilitas_umum, batas_kawasan, lainnya",
            "feature 2 (`J-01`), field `id`: feature 0 already has this id",
            "feature 3 (`BK`), field `label`: the text must be one line without control \
             characters",
            "feature 3 (`BK`), field `geometry`: a batas_kawasan (Batas kawasan) is drawn as a \
             polygon, not a line",
            "feature 4 (`P`), field `geometry`: vertex 0: longitude 300 is outside -180..180 (is \
             the file in EPSG:4326, lon/lat order?)",
        ]
    );
    let fields: Vec<&str> = issues.iter().map(|i| i.field).collect();
    assert_eq!(
        fields,
        ["id", "kategori", "id", "label", "geometry", "geometry"]
    );
    // The structured form is what the viewer gets.
    let v = serde_json::to_value(&issues[4]).unwrap();
    assert_eq!(v["problem"]["kind"], "wrong_geometry_kind");
    assert_eq!(v["problem"]["found"], "garis");
}

#[test]
fn self_intersection_gives_the_place_as_data() {
    let bow = polygon![
        (x: 111.4940, y: -7.5760), (x: 111.4950, y: -7.5750),
        (x: 111.4950, y: -7.5760), (x: 111.4940, y: -7.5750)];
    let f = Fitur::new(fid("K-09"), Kategori::KolamLele, bow);
    let Err(SiteplanError::InvalidFitur { issues, .. }) = validate_fitur(&sp_id(), &[f]) else {
        panic!()
    };
    let FiturProblem::SelfIntersection {
        ring,
        edge_a,
        edge_b,
        at,
    } = issues[0].problem
    else {
        panic!("{:?}", issues[0])
    };
    assert_eq!(ring, Ring::Exterior);
    assert_eq!((edge_a, edge_b), ([0, 1], [2, 3]));
    assert!(
        (at[0] - 111.4945).abs() < 1e-9 && (at[1] + 7.5755).abs() < 1e-9,
        "{at:?}"
    );
    let v = serde_json::to_value(&issues[0]).unwrap();
    assert_eq!(v["problem"]["ring"], "exterior");
    assert_eq!(v["index"], 0);
    assert_eq!(v["id"], "K-09");
}

#[test]
fn limits() {
    let many: Vec<Fitur> = (0..=MAX_FITUR)
        .map(|i| jamur(&format!("P-{i}"), 111.49, -7.57))
        .collect();
    let e = validate_fitur(&sp_id(), &many).unwrap_err();
    assert_eq!(
        e.to_string(),
        "siteplan `sp`: 5001 features, at most 5000 are allowed"
    );
    validate_fitur(&sp_id(), &many[..MAX_FITUR]).unwrap();

    // A valid polygon at the vertex limit: a circle of about 100 m around the Bibrik road.
    let circle = |n: usize| -> Polygon<f64> {
        let ring: LineString<f64> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                Coord {
                    x: 111.494 + 0.0009 * a.cos(),
                    y: -7.5755 + 0.0009 * a.sin(),
                }
            })
            .collect();
        Polygon::new(ring, vec![])
    };
    let big = Fitur::new(
        fid("BK-01"),
        Kategori::BatasKawasan,
        circle(MAX_VERTICES_PER_FITUR - 1),
    );
    validate_fitur(&sp_id(), std::slice::from_ref(&big)).unwrap();
    let Some(Ukuran::Area { area_m2, .. }) = big.ukuran() else {
        panic!()
    };
    assert!(
        (area_m2 / 1e4 - std::f64::consts::PI * 0.99).abs() < 0.1,
        "{area_m2}"
    );
    let too_big = Fitur::new(
        fid("BK-02"),
        Kategori::BatasKawasan,
        circle(MAX_VERTICES_PER_FITUR),
    );
    let e = validate_fitur(&sp_id(), &[too_big]).unwrap_err();
    assert!(
        e.to_string().ends_with(
            "feature 0 (`BK-02`), field `geometry`: 50001 vertices, at most 50000 are allowed"
        ),
        "{e}"
    );

    let total: Vec<Fitur> = (0..11)
        .map(|i| {
            Fitur::new(
                fid(&format!("T-{i}")),
                Kategori::Taman,
                circle(MAX_VERTICES_PER_FITUR - 1),
            )
        })
        .collect();
    let e = validate_fitur(&sp_id(), &total).unwrap_err();
    assert_eq!(
        e.to_string(),
        "siteplan `sp`: 550000 vertices in all features, at most 500000 are allowed"
    );
}

#[test]
fn features_outside_bibrik_are_warnings() {
    let desa = bibrik();
    // From inside Bibrik across its eastern boundary (about 111.5016 at this latitude)
    // 0.002° further east.
    let road = line_string![(x: 111.4995, y: -7.5700), (x: 111.5036, y: -7.5700)];
    let far = polygon![(x: 111.60, y: -7.60), (x: 111.601, y: -7.60), (x: 111.601, y: -7.599)];
    let mut sp = new_siteplan(vec![]);
    sp.save(
        vec![
            jamur("BJ-01", 111.4942, -7.5751),
            Fitur::new(fid("J-02"), Kategori::Jalan, road),
            jamur("BJ-02", 111.40, -7.57),
            Fitur::new(fid("T-09"), Kategori::Taman, far),
        ],
        "lkm",
        T,
        Some("Jalan tembus ke desa tetangga".to_owned()),
        1,
    )
    .expect("features outside the desa are saved");
    let w = sp.outside_desa(&desa);
    let ids: Vec<(usize, &str)> = w.iter().map(|w| (w.index, w.id.as_str())).collect();
    assert_eq!(ids, [(1, "J-02"), (2, "BJ-02"), (3, "T-09")]);
    let Luar::Garis {
        outside_m,
        length_m,
    } = w[0].luar
    else {
        panic!()
    };
    assert!(
        outside_m > 100.0 && outside_m < length_m - 100.0,
        "{}",
        w[0]
    );
    assert_eq!(w[1].luar, Luar::Titik);
    let Luar::Area {
        outside_m2,
        area_m2,
    } = w[2].luar
    else {
        panic!()
    };
    assert_eq!(outside_m2, area_m2);
    assert!(
        w[2].to_string().starts_with("feature 3 (`T-09`): "),
        "{}",
        w[2]
    );
}

#[test]
fn saves_restores_and_conflicts() {
    let mut sp = new_siteplan(vec![jamur("A", 111.494, -7.575)]);
    let v2 = sp
        .save(vec![jamur("B", 111.494, -7.575)], "lkm", T, None, 1)
        .unwrap();
    let v3 = sp
        .save(vec![], "pendamping", T, Some("Kosongkan".to_owned()), v2)
        .unwrap();
    assert_eq!((v2, v3), (2, 3));
    // Two editors both on version 3: the second is refused and nothing changes.
    let v4 = sp
        .restore(1, "lkm", T, Some("Kembali ke awal".to_owned()), 3)
        .unwrap();
    let before = sp.clone();
    let e = sp.restore(2, "pendamping", T, None, 3).unwrap_err();
    assert_eq!(
        e,
        SiteplanError::Conflict {
            siteplan: "sp".to_owned(),
            expected: 3,
            current: 4
        }
    );
    assert!(e.to_string().contains("reload"), "{e}");
    assert_eq!(sp, before);
    let cur = sp.current();
    assert_eq!((cur.versi, cur.dipulihkan_dari), (v4, Some(1)));
    assert_eq!(cur.fitur, sp.version(1).unwrap().fitur);
    assert_eq!(cur.catatan.as_deref(), Some("Kembali ke awal"));
    assert_eq!(sp.version(3).unwrap().dibuat_oleh, "pendamping");
    assert!(sp.version(0).is_none() && sp.version(5).is_none());
    assert_eq!(sp.versions().len(), 4);
}

/// One attempted change; version numbers are taken modulo what exists.
#[derive(Debug, Clone)]
enum Op {
    Save {
        points: Vec<(f64, f64)>,
        duplicate: bool,
        stale: bool,
    },
    Restore {
        versi: u32,
        stale: bool,
    },
    Status {
        to: usize,
        stale: bool,
    },
}

/// A coordinate as the viewer sends it: 7 decimals (about 1 cm). serde_json reads
/// such numbers back exactly; longer ones can come back one unit in the last place off,
/// since the workspace does not enable serde_json's `float_roundtrip`.
fn coordinate() -> impl Strategy<Value = (f64, f64)> {
    (1_114_900_000i64..1_115_000_000, -75_800_000i64..-75_700_000)
        .prop_map(|(x, y)| (x as f64 / 1e7, y as f64 / 1e7))
}

fn op() -> impl Strategy<Value = Op> {
    let stale = proptest::bool::weighted(0.15);
    prop_oneof![
        4 => (
            proptest::collection::vec(coordinate(), 0..5),
            proptest::bool::weighted(0.1),
            stale,
        )
            .prop_map(|(points, duplicate, stale)| Op::Save { points, duplicate, stale }),
        2 => (0u32..12, stale).prop_map(|(versi, stale)| Op::Restore { versi, stale }),
        1 => (0..StatusSiteplan::ALL.len(), stale)
            .prop_map(|(to, stale)| Op::Status { to, stale }),
    ]
}

proptest! {
    #[test]
    fn versions_are_append_only(ops in proptest::collection::vec(op(), 0..40)) {
        let mut sp = new_siteplan(vec![]);
        let mut seen: Vec<SiteplanVersi> = sp.versions().to_vec();
        for op in &ops {
            let current = sp.current_versi();
            let expected = |stale: bool| if stale { current + 1 } else { current };
            let before = sp.clone();
            let (result, stale) = match op {
                Op::Save { points, duplicate, stale } => {
                    let mut fitur: Vec<Fitur> = points
                        .iter()
                        .enumerate()
                        .map(|(i, &(x, y))| jamur(&format!("P-{i}"), x, y))
                        .collect();
                    if *duplicate && !fitur.is_empty() {
                        fitur.push(fitur[0].clone());
                    }
                    (sp.save(fitur, "lkm", T, None, expected(*stale)).map(|_| ()), *stale)
                }
                Op::Restore { versi, stale } => (
                    sp.restore(versi % (current + 2), "lkm", T, None, expected(*stale)).map(|_| ()),
                    *stale,
                ),
                Op::Status { to, stale } => (
                    sp.set_status(StatusSiteplan::ALL[*to], "lkm", T, expected(*stale)),
                    *stale,
                ),
            };
            if stale {
                let is_conflict = matches!(result, Err(SiteplanError::Conflict { .. }));
                prop_assert!(is_conflict, "{:?}", result);
            }
            if result.is_err() {
                prop_assert_eq!(&sp, &before, "a refused change leaves no trace");
            }
            // Earlier versions never change; numbers run 1, 2, 3 … without gaps.
            prop_assert!(sp.versions().len() >= seen.len());
            prop_assert!(sp.versions().len() <= seen.len() + 1);
            prop_assert_eq!(&sp.versions()[..seen.len()], &seen[..]);
            for (i, v) in sp.versions().iter().enumerate() {
                prop_assert_eq!(v.versi as usize, i + 1);
            }
            if let Some(n) = sp.current().dipulihkan_dari {
                prop_assert!(n < sp.current_versi());
                prop_assert_eq!(&sp.version(n).unwrap().fitur, &sp.current().fitur);
            }
            if sp.versions().len() > seen.len() {
                prop_assert_eq!(before.status(), StatusSiteplan::Draf);
            }
            seen = sp.versions().to_vec();
        }
        // Whatever happened can be stored and read back.
        let back: Siteplan = serde_json::from_str(&serde_json::to_string(&sp).unwrap()).unwrap();
        prop_assert_eq!(back, sp);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,30}") {
        let _ = Kategori::parse(&s);
        let _ = StatusSiteplan::parse(&s);
        let _ = FiturId::new(s.clone());
        let _ = serde_json::from_str::<Siteplan>(&s);
    }

    #[test]
    fn any_polygon_is_judged_without_panicking(
        coords in proptest::collection::vec((-1.0..1.0f64, -1.0..1.0f64), 0..12),
    ) {
        let ring: LineString<f64> = coords.iter().map(|&(x, y)| Coord { x, y }).collect();
        let f = Fitur::new(fid("P"), Kategori::Taman, Polygon::new(ring, vec![]));
        match validate_fitur(&sp_id(), std::slice::from_ref(&f)) {
            Ok(()) => {
                let Some(Ukuran::Area { area_m2, .. }) = f.ukuran() else { unreachable!() };
                prop_assert!(area_m2 > 0.0);
            }
            Err(SiteplanError::InvalidFitur { issues, .. }) => {
                prop_assert_eq!(issues.len(), 1);
                prop_assert_eq!(issues[0].field, "geometry");
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
        let _ = outside_desa(&bibrik(), &[f]);
    }
}

#[test]
fn categories_for_the_viewer() {
    let table: Vec<Value> = Kategori::ALL
        .iter()
        .map(|k| serde_json::to_value(k.info()).unwrap())
        .collect();
    assert_eq!(table.len(), 10);
    assert_eq!(
        table[8],
        json!({
            "id": "batas_kawasan",
            "label_id": "Batas kawasan",
            "label_en": "Area boundary",
            "geometri": ["area"],
            "simbol": {"warna": "#212121", "nama": "boundary"}
        })
    );
    // The boundary of the Bibrik seed encloses its culinary centre.
    let sp = contoh_bibrik();
    let f = &sp.current().fitur;
    assert!(f[f.len() - 1].geometry.intersects(&f[f.len() - 2].geometry));
}
