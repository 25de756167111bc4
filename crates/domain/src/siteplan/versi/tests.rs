use super::waktu::waktu_problem;
use super::*;
use crate::siteplan::{FiturId, Kategori};
use geo_types::point;

const T: &str = "2024-05-01T08:00:00+07:00";

fn siteplan() -> Siteplan {
    Siteplan::new(
        SiteplanBaru {
            id: SiteplanId::new("sp").unwrap(),
            kode_desa: Kode::parse("35.19.09.2014").unwrap(),
            judul: " Wisata ".to_owned(),
            keterangan: Some("  ".to_owned()),
            contoh: false,
        },
        vec![],
        "lkm",
        T,
        None,
    )
    .unwrap()
}

fn jamur(id: &str) -> Fitur {
    Fitur::new(
        FiturId::new(id).unwrap(),
        Kategori::BudidayaJamur,
        point!(x: 111.4942, y: -7.5751),
    )
}

#[test]
fn waktu_is_rfc3339() {
    // (input, ok)
    let cases = [
        ("2018-03-05T09:00:00+07:00", true),
        ("2018-03-05T09:00:00Z", true),
        ("2018-03-05t09:00:00.123456z", true),
        ("2024-02-29T23:59:60-00:30", true),
        ("2023-02-29T09:00:00Z", false),
        ("2100-02-29T09:00:00Z", false),
        ("2000-02-29T09:00:00Z", true),
        ("2018-04-31T09:00:00Z", false),
        ("2018-13-01T09:00:00Z", false),
        ("2018-03-05 09:00:00Z", false),
        ("2018-03-05T24:00:00Z", false),
        ("2018-03-05T09:00:00", false),
        ("2018-03-05T09:00:00+0700", false),
        ("2018-03-05T09:00:00+24:00", false),
        ("2018-03-05T09:00:00.Z", false),
        ("2018-03-05", false),
        ("", false),
        ("２０１８-03-05T09:00:00Z", false),
    ];
    for (input, ok) in cases {
        assert_eq!(
            waktu_problem(input).is_none(),
            ok,
            "{input}: {:?}",
            waktu_problem(input)
        );
    }
}

#[test]
fn new_tidies_and_checks_the_header() {
    let sp = siteplan();
    assert_eq!(sp.judul(), "Wisata");
    assert_eq!(sp.keterangan(), None);
    assert_eq!(sp.current_versi(), 1);
    assert_eq!(sp.status(), StatusSiteplan::Draf);
    let baru = |kode: &str, judul: &str| SiteplanBaru {
        id: SiteplanId::new("sp").unwrap(),
        kode_desa: Kode::parse(kode).unwrap(),
        judul: judul.to_owned(),
        keterangan: None,
        contoh: true,
    };
    // (header, oleh, waktu, expected message)
    let cases = [
        (
            baru("35.19.09", "x"),
            "lkm",
            T,
            "siteplan `sp`: field `kode_desa`: `35.19.09` is a kecamatan code; a desa code \
             has four parts, e.g. 35.19.09.2014",
        ),
        (
            baru("35.19.09.2014", " "),
            "lkm",
            T,
            "siteplan `sp`: field `judul`: the text is blank; leave it out instead",
        ),
        (
            baru("35.19.09.2014", "x"),
            "",
            T,
            "siteplan `sp`, versi 1: field `dibuat_oleh`: the text is blank; leave it out \
             instead",
        ),
        (
            baru("35.19.09.2014", "x"),
            "lkm",
            "kemarin",
            "siteplan `sp`, versi 1: field `waktu`: `kemarin` is not an RFC 3339 time such \
             as 2018-03-05T09:00:00+07:00: too short",
        ),
    ];
    for (b, oleh, waktu, expected) in cases {
        let e = Siteplan::new(b, vec![], oleh, waktu, None).unwrap_err();
        assert_eq!(e.to_string(), expected);
    }
}

#[test]
fn status_life_cycle() {
    use StatusSiteplan as S;
    // (from, to, allowed)
    let cases = [
        (S::Draf, S::Diusulkan, true),
        (S::Draf, S::Ditetapkan, false),
        (S::Diusulkan, S::Ditetapkan, true),
        (S::Diusulkan, S::Draf, true),
        (S::Ditetapkan, S::Draf, true),
        (S::Ditetapkan, S::Diusulkan, false),
    ];
    for (from, to, allowed) in cases {
        assert_eq!(from.can_become(to), allowed, "{from} -> {to}");
    }
    let mut sp = siteplan();
    let e = sp.set_status(S::Ditetapkan, "lkm", T, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "siteplan `sp`: status cannot change from draf to ditetapkan; allowed next: diusulkan"
    );
    sp.set_status(S::Diusulkan, "lkm", T, 1).unwrap();
    let e = sp.save(vec![jamur("A")], "lkm", T, None, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "siteplan `sp` is diusulkan (proposed) at version 1; set its status back to draf \
         before changing its features"
    );
    sp.set_status(S::Ditetapkan, "kades", T, 1).unwrap();
    assert!(sp.restore(1, "lkm", T, None, 1).is_err());
    sp.set_status(S::Draf, "lkm", T, 1).unwrap();
    assert_eq!(sp.save(vec![jamur("A")], "lkm", T, None, 1), Ok(2));
    // Repeating the current status records nothing.
    sp.set_status(S::Draf, "lkm", T, 2).unwrap();
    let steps: Vec<(u32, S)> = sp
        .riwayat()
        .iter()
        .map(|p| match p.perubahan {
            Perubahan::Status { ke, .. } => (p.pada_versi, ke),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        steps,
        vec![(1, S::Diusulkan), (1, S::Ditetapkan), (1, S::Draf)]
    );
    for s in S::ALL {
        assert_eq!(S::parse(s.as_str()).unwrap(), s);
        assert_eq!(S::parse(&s.label_en().to_uppercase()).unwrap(), s);
    }
    assert!(
        S::parse("final")
            .unwrap_err()
            .to_string()
            .contains("`final`")
    );
}

#[test]
fn header_changes_are_recorded() {
    let mut sp = siteplan();
    sp.set_judul("Wisata edukasi", "lkm", T, 1).unwrap();
    sp.set_judul(" Wisata edukasi ", "lkm", T, 1).unwrap();
    sp.set_keterangan(Some("Catatan".to_owned()), "lkm", T, 1)
        .unwrap();
    sp.set_contoh(true, "lkm", T, 1).unwrap();
    assert_eq!(sp.riwayat().len(), 3);
    assert_eq!(
        sp.riwayat()[0].perubahan,
        Perubahan::Judul {
            dari: "Wisata".to_owned(),
            ke: "Wisata edukasi".to_owned()
        }
    );
    let e = sp.set_judul("a\nb", "lkm", T, 1).unwrap_err();
    assert!(e.to_string().contains("field `judul`"), "{e}");
    let e = sp.set_judul("Baru", "lkm", T, 7).unwrap_err();
    assert!(matches!(
        e,
        SiteplanError::Conflict {
            expected: 7,
            current: 1,
            ..
        }
    ));
    assert_eq!(sp.judul(), "Wisata edukasi");
    let back: Siteplan = serde_json::from_str(&serde_json::to_string(&sp).unwrap()).unwrap();
    assert_eq!(back, sp);
}

#[test]
fn a_refused_change_leaves_no_trace() {
    let mut sp = siteplan();
    sp.save(vec![jamur("A")], "lkm", T, None, 1).unwrap();
    let before = sp.clone();
    // (attempt, what it should say)
    let attempts: Vec<(Result<u32>, &str)> = vec![
        (sp.clone().save(vec![], "lkm", T, None, 1), "reload"),
        (
            sp.clone()
                .save(vec![jamur("B"), jamur("B")], "lkm", T, None, 2),
            "feature 1 (`B`), field `id`: feature 0 already has this id",
        ),
        (
            sp.clone().save(vec![], "lkm", "now", None, 2),
            "field `waktu`",
        ),
        (
            sp.clone()
                .save(vec![], "lkm", T, Some("\u{0}".to_owned()), 2),
            "field `catatan`",
        ),
        (
            sp.clone().restore(3, "lkm", T, None, 2),
            "has no version 3; its versions run from 1 to 2",
        ),
        (sp.clone().restore(0, "lkm", T, None, 2), "has no version 0"),
    ];
    for (got, expected) in attempts {
        let e = got.unwrap_err();
        assert!(e.to_string().contains(expected), "{e}");
    }
    assert!(sp.save(vec![], "", T, None, 2).is_err());
    assert_eq!(sp, before);
}
