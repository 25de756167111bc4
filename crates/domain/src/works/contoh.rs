//! Illustrative seed data (contoh): field cases written down as data, marked `contoh`
//! so that they are never mistaken for surveyed records.

use geo_types::{Geometry, LineString, MultiPolygon, Polygon};

use super::dana::{Alokasi, Bentuk, Dokumen, JenisDokumen, Progres, Realisasi, SumberDana};
use super::error::Result;
use super::kegiatan::{
    JenisKegiatan, JenisPelaksana, Kegiatan, KegiatanId, Pelaksana, StatusKegiatan,
};
use super::kpp::{Anggota, AturanIuran, Jadwal, Kpp};
use super::money::{Amount, Rupiah};
use super::segmen::{KodeKriteria, KondisiSegmen, Satuan, Segmen, SegmenId, Volume};
use super::tanggal::{Hari, Tanggal};
use crate::assessment::AssessmentInput;
use crate::{Kode, LokasiKumuh};

/// Kemendagri code of Desa Bibrik, Kecamatan Jiwan.
pub const BIBRIK_KODE: &str = "35.19.09.2014";

/// The illustrative line of the 170 m paving road (lon, lat): two points inside Bibrik's
/// boundary, about 170 m apart on the WGS84 ellipsoid. The real alignment in RT 09/10 is
/// not mapped yet.
pub const BIBRIK_PAVING_LINE: [(f64, f64); 2] = [(111.4935, -7.5753), (111.49504, -7.5753)];

/// The code of the illustrative slum location around the paving (Bibrik RT 09/10).
/// Prefixed like the work's id, so that no surveyed location of an import can take it.
pub const BIBRIK_LOKASI_KODE: &str = "contoh-35.19.09.2014-K01";

/// The day the paving is taken as finished (it stands for "August 2018").
pub const BIBRIK_PAVING_SELESAI: &str = "2018-08-31";

/// How far the location reaches beyond the paving line's bounds, in degrees (about 55 m
/// at Bibrik's latitude): enough for the houses on both sides of the road.
const LOKASI_MARGIN_DEG: f64 = 0.0005;

/// The illustrative line of the Dana Desa continuation, from the end of the paving on.
/// Its length is not known; this line is only a placeholder.
pub const BIBRIK_LANJUTAN_LINE: [(f64, f64); 2] = [(111.49504, -7.5753), (111.49604, -7.5753)];

/// The Bibrik paving road of 2018 as data.
///
/// In RT 09 and 10 of Desa Bibrik a 170 m paving road through the catfish-farming area
/// was built in August 2018 with APBD Kabupaten Madiun 2018, Rp 100.000.000, entrusted
/// to LKM Makmur Sentosa (about Rp 588.235 per metre). The community added concrete
/// edging along both sides and small gardens (swadaya, in kind); the village government
/// continued the road with Dana Desa. Those amounts were not recorded and are
/// [`Amount::Unknown`]. About 30 households formed the maintenance group "Paseduluran
/// Jalan Poros RT 09/10", which collects Rp 5.000 per house every Friday (jimpitan).
///
/// Everything is marked `contoh`: the geometry is a plausible placeholder, the spending
/// and progress dates (end of August 2018) stand for "August 2018", and the full
/// spending of the APBD allocation is assumed from the account of a finished road.
///
/// # Examples
/// ```
/// use kumuh_domain::works::contoh;
/// let k = contoh::bibrik_paving();
/// let s = k.summary().unwrap();
/// assert_eq!(s.segmen[0].biaya_per_satuan.unwrap().rp.get(), 588_235);
/// ```
pub fn bibrik_paving() -> Kegiatan {
    build_bibrik_paving().expect("the Bibrik seed is valid data; tests/it/works.rs checks it")
}

fn line(points: [(f64, f64); 2]) -> Geometry<f64> {
    Geometry::LineString(LineString::from(points.to_vec()))
}

/// Moves a segment through its life cycle to `selesai`: both parts of the road exist.
fn finish(segmen: &mut Segmen) -> Result<()> {
    for status in [
        StatusKegiatan::Persiapan,
        StatusKegiatan::Pelaksanaan,
        StatusKegiatan::Selesai,
    ] {
        segmen.set_status(status)?;
    }
    Ok(())
}

fn build_bibrik_paving() -> Result<Kegiatan> {
    let kode = Kode::parse(BIBRIK_KODE).map_err(|e| {
        super::error::WorksError::field("contoh bibrik", "kode_desa", e.to_string())
    })?;
    let mut k = Kegiatan::new(
        KegiatanId::new("contoh-35.19.09.2014-2018-paving")?,
        "Jalan paving kawasan budidaya lele RT 09/10",
        JenisKegiatan::JalanPaving,
        kode,
        2018,
        Pelaksana::new(JenisPelaksana::Lkm, "Makmur Sentosa"),
    )?;
    k.contoh = true;
    k.keterangan = Some(
        "Jalan poros menuju siteplan destinasi wisata edukasi dan kuliner: budidaya lele, \
         budidaya jamur dan sentra ayam panggang, dengan taman dan mural di sepanjang jalan. \
         Contoh: geometri dan tanggal ilustratif."
            .to_owned(),
    );
    let agustus = Tanggal::parse(BIBRIK_PAVING_SELESAI)?;
    let jalan = KodeKriteria::parse("2b")?;

    let mut paving = Segmen::new(
        SegmenId::new("S1")?,
        "Paving 170 m RT 09/10",
        line(BIBRIK_PAVING_LINE),
        Some(Volume::whole(170)),
        Satuan::M,
    )?;
    paving.kondisi_sesudah = Some(KondisiSegmen::Baik);
    paving.kriteria = vec![jalan.clone()];
    // Only the paving is linked: the continuation's length and year are unknown, so
    // it could not change the location's survey.
    paving.kode_lokasi = Some(BIBRIK_LOKASI_KODE.to_owned());
    let apbd = paving.allocate(Alokasi {
        dokumen: Some(Dokumen {
            jenis: JenisDokumen::Dpa,
            nomor: None,
        }),
        uraian: Some(
            "APBD Kabupaten Madiun 2018, dipercayakan kepada LKM Makmur Sentosa".to_owned(),
        ),
        ..Alokasi::tunai(
            SumberDana::ApbdKabupaten,
            Some(2018),
            Amount::Known(Rupiah::from_u32(100_000_000)),
        )
    })?;
    for uraian in [
        "Rabat beton di tepi kanan dan kiri jalan",
        "Taman kecil di sepanjang jalan",
    ] {
        paving.allocate(Alokasi {
            bentuk: Bentuk::TenagaDanMaterial,
            uraian: Some(uraian.to_owned()),
            ..Alokasi::tunai(SumberDana::Swadaya, Some(2018), Amount::Unknown)
        })?;
    }
    paving.record_realisasi(Realisasi {
        uraian: Some(
            "Pembangunan paving, Agustus 2018 (contoh: dianggap terserap penuh)".to_owned(),
        ),
        ..Realisasi::new(apbd, Rupiah::from_u32(100_000_000), agustus)
    })?;
    paving.record_progres(Progres {
        uraian: Some("Selesai Agustus 2018".to_owned()),
        ..Progres::new(Volume::whole(170), agustus)
    })?;
    finish(&mut paving)?;
    k.add_segmen(paving)?;

    let mut lanjutan = Segmen::new(
        SegmenId::new("S2")?,
        "Lanjutan jalan poros (Dana Desa)",
        line(BIBRIK_LANJUTAN_LINE),
        None,
        Satuan::M,
    )?;
    lanjutan.pelaksana = Some(Pelaksana::new(JenisPelaksana::PemerintahDesa, "Bibrik"));
    lanjutan.kriteria = vec![jalan];
    lanjutan.keterangan =
        Some("Panjang dan tahun belum diketahui; garis hanya ilustrasi.".to_owned());
    lanjutan.allocate(Alokasi {
        dokumen: Some(Dokumen {
            jenis: JenisDokumen::Apbdes,
            nomor: None,
        }),
        uraian: Some("Lanjutan jalan oleh Pemerintah Desa Bibrik".to_owned()),
        ..Alokasi::tunai(SumberDana::DanaDesa, None, Amount::Unknown)
    })?;
    finish(&mut lanjutan)?;
    k.add_segmen(lanjutan)?;

    let mut kpp = Kpp::new(
        "Paseduluran Jalan Poros RT 09/10",
        AturanIuran {
            per_kk: Rupiah::from_u32(5_000),
            jadwal: Jadwal::Mingguan { hari: Hari::Jumat },
        },
    )?;
    kpp.anggota = vec![Anggota::default(); 30];
    kpp.contoh = true;
    kpp.keterangan = Some(
        "Jimpitan setiap Jumat untuk perawatan paving dan mural 3D sepanjang sekitar 170 m"
            .to_owned(),
    );
    k.kpp = Some(kpp);

    for status in [
        StatusKegiatan::Persiapan,
        StatusKegiatan::Pelaksanaan,
        StatusKegiatan::Selesai,
        StatusKegiatan::Pemeliharaan,
    ] {
        k.set_status(status)?;
    }
    Ok(k)
}

/// The illustrative slum location Bibrik RT 09/10 around the paving: the bounds of the
/// paving line widened by about 55 m on every side (a rectangle of about 3 ha), marked
/// `contoh` in its attributes. The real delineation of RT 09/10 is not mapped yet.
///
/// # Examples
/// ```
/// use kumuh_domain::works::contoh;
/// let l = contoh::bibrik_lokasi();
/// assert!((2.5..4.0).contains(&l.area_ha()), "{}", l.area_ha());
/// assert_eq!(l.attributes["contoh"], true);
/// ```
pub fn bibrik_lokasi() -> LokasiKumuh {
    let (mut min_lon, mut min_lat) = (f64::INFINITY, f64::INFINITY);
    let (mut max_lon, mut max_lat) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (lon, lat) in BIBRIK_PAVING_LINE {
        min_lon = min_lon.min(lon);
        min_lat = min_lat.min(lat);
        max_lon = max_lon.max(lon);
        max_lat = max_lat.max(lat);
    }
    let m = LOKASI_MARGIN_DEG;
    let (w, s, e, n) = (min_lon - m, min_lat - m, max_lon + m, max_lat + m);
    // Counter-clockwise, as RFC 7946 wants an exterior ring.
    let ring = LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]);
    let mut attributes = serde_json::Map::new();
    attributes.insert("contoh".into(), serde_json::Value::Bool(true));
    attributes.insert(
        "keterangan".into(),
        serde_json::Value::String(
            "Contoh: batas ilustratif di sekitar jalan paving RT 09/10, belum dipetakan.".into(),
        ),
    );
    LokasiKumuh {
        kode: BIBRIK_LOKASI_KODE.to_owned(),
        nama: "Bibrik RT 09/10".to_owned(),
        kode_desa: bibrik_kode(),
        kawasan: None,
        rt: vec![],
        sk: None,
        geometry: MultiPolygon(vec![Polygon::new(ring, vec![])]),
        attributes,
    }
}

/// The illustrative 2017 survey of Bibrik RT 09/10, before the paving: 330.8 m of the
/// 400 m of neighbourhood road the location needs are damaged (criterion 2b, 82.7 %)
/// and a quarter of it lacks any road (2a), beside irregular, dense buildings and poor
/// water supply. The default rule set scores it 16, kumuh ringan; the paving's 170 m
/// leave 160.8 m damaged (40.2 %) and bring it below the slum threshold.
///
/// The area is the location's own geodesic area, in hectares to two decimals.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::{RuleSet, SlumClass};
/// use kumuh_domain::works::contoh;
/// let a = RuleSet::default_rules().assess(&contoh::bibrik_survei_2017());
/// assert_eq!(a.class, SlumClass::KumuhRingan);
/// ```
pub fn bibrik_survei_2017() -> AssessmentInput {
    let lokasi = bibrik_lokasi();
    let mut input = AssessmentInput::new(BIBRIK_LOKASI_KODE, bibrik_kode(), 2017);
    input.nama_lokasi = lokasi.nama.clone();
    input.luas_ha = (lokasi.area_ha() * 100.0).round() / 100.0;
    input.jumlah_bangunan = 120;
    input.jumlah_kk = 130;
    input.jumlah_penduduk = 450;
    input.panjang_jalan_ideal_m = 400.0;
    input.panjang_drainase_ideal_m = 400.0;
    for (kode, volume) in [
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
        input.volumes.insert(kode.to_owned(), volume);
    }
    input
}

fn bibrik_kode() -> Kode {
    Kode::parse(BIBRIK_KODE).expect("BIBRIK_KODE is a valid desa code; tests/it/works.rs checks it")
}
