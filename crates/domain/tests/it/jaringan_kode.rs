//! Reading mapped road and drain lines' codes: conditions, kinds and sources, in
//! Indonesian and English, and their serde spelling.

use kumuh_domain::jaringan::Sumber::{Peta, Survei};
use kumuh_domain::jaringan::*;

use crate::jaringan_fixture;
use jaringan_fixture::*;

fn check_kondisi(text: &str, want: Option<KondisiRuas>) {
    match (KondisiRuas::parse(text), want) {
        (Ok(got), Some(want)) => assert_eq!(got, want, "{text:?}"),
        (Err(e), None) => {
            let message = e.to_string();
            assert!(message.contains(&format!("`{text}`")), "{message}");
            assert!(message.contains("rusak ringan"), "{message}");
        }
        (got, want) => panic!("{text:?}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn conditions_read_in_indonesian_and_english() {
    use KondisiRuas::*;
    let cases: &[(&str, Option<KondisiRuas>)] = &[
        ("baik", Some(Baik)),
        ("Baik", Some(Baik)),
        ("good", Some(Baik)),
        (" GOOD ", Some(Baik)),
        ("sedang", Some(Sedang)),
        ("fair", Some(Sedang)),
        ("rusak ringan", Some(RusakRingan)),
        ("rusak_ringan", Some(RusakRingan)),
        ("Rusak-Ringan", Some(RusakRingan)),
        ("minor damage", Some(RusakRingan)),
        ("minor_damage", Some(RusakRingan)),
        ("rusak berat", Some(RusakBerat)),
        ("rusak_berat", Some(RusakBerat)),
        ("rusak", Some(RusakBerat)),
        ("poor", Some(RusakBerat)),
        ("bad", Some(RusakBerat)),
        ("tidak ada", Some(TidakAda)),
        ("tidak_ada", Some(TidakAda)),
        ("none", Some(TidakAda)),
        ("missing", Some(TidakAda)),
        ("", None),
        ("rusak sedang", None),
        ("tidak", None),
        ("hancur", None),
        ("baik sekali", None),
    ];
    for (text, want) in cases {
        check_kondisi(text, *want);
    }
}

#[test]
fn only_minor_and_heavy_damage_count_as_rusak() {
    let rusak: Vec<KondisiRuas> = KondisiRuas::ALL
        .into_iter()
        .filter(|k| k.is_rusak())
        .collect();
    assert_eq!(rusak, [KondisiRuas::RusakRingan, KondisiRuas::RusakBerat]);
    let ada: Vec<KondisiRuas> = KondisiRuas::ALL.into_iter().filter(|k| !k.ada()).collect();
    assert_eq!(ada, [KondisiRuas::TidakAda]);
}

#[test]
fn kinds_and_sources_read_and_name_bad_values() {
    let jenis: &[(&str, Option<JenisJaringan>)] = &[
        ("jalan", Some(JenisJaringan::Jalan)),
        ("Jalan Lingkungan", Some(JenisJaringan::Jalan)),
        ("road", Some(JenisJaringan::Jalan)),
        ("drainase", Some(JenisJaringan::Drainase)),
        ("saluran", Some(JenisJaringan::Drainase)),
        ("drain", Some(JenisJaringan::Drainase)),
        ("sungai", None),
    ];
    for (text, want) in jenis {
        match JenisJaringan::parse(text) {
            Ok(got) => assert_eq!(Some(got), *want, "{text}"),
            Err(e) => {
                assert_eq!(*want, None, "{text}: {e}");
                assert!(e.to_string().contains(&format!("`{text}`")), "{e}");
            }
        }
    }
    let sumber: &[(&str, Option<Sumber>)] = &[
        ("survei", Some(Survei)),
        ("Survey", Some(Survei)),
        ("peta", Some(Peta)),
        ("MAP", Some(Peta)),
        ("citra", None),
    ];
    for (text, want) in sumber {
        match text.parse::<Sumber>() {
            Ok(got) => assert_eq!(Some(got), *want, "{text}"),
            Err(e) => {
                assert_eq!(*want, None, "{text}: {e}");
                assert!(e.to_string().contains(&format!("`{text}`")), "{e}");
            }
        }
    }
}

#[test]
fn serde_writes_ids_and_reads_any_accepted_spelling() {
    assert_eq!(
        serde_json::to_string(&KondisiRuas::RusakRingan).unwrap(),
        "\"rusak_ringan\""
    );
    let k: KondisiRuas = serde_json::from_str("\"minor damage\"").unwrap();
    assert_eq!(k, KondisiRuas::RusakRingan);
    let err = serde_json::from_str::<KondisiRuas>("\"hancur\"").unwrap_err();
    assert!(err.to_string().contains("`hancur`"), "{err}");
    let r = jalan(
        "J1",
        KondisiRuas::TidakAda,
        &[(111.4901, MID_LAT), (111.4908, MID_LAT)],
    );
    let back: Ruas = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    let s: Sumber = serde_json::from_str("\"map\"").unwrap();
    assert_eq!(s, Peta);
}
