//! Illustrative siteplan (contoh): the Bibrik tourism siteplan written down as data,
//! marked `contoh` so that it is never mistaken for a surveyed plan.

use geo_types::{Coord, LineString, Point, Polygon};

use super::SiteplanId;
use super::error::{Result, SiteplanError};
use super::fitur::{Fitur, FiturId};
use super::kategori::Kategori;
use super::versi::{Siteplan, SiteplanBaru, StatusSiteplan};
use crate::Kode;
use crate::works::contoh::{BIBRIK_KODE, BIBRIK_PAVING_LINE};

/// The id of the illustrative Bibrik siteplan.
pub const BIBRIK_SITEPLAN_ID: &str = "contoh-35.19.09.2014-wisata";

/// The user the illustrative versions are saved by.
const OLEH: &str = "contoh-lkm-makmur-sentosa";

/// The Bibrik tourism siteplan as data.
///
/// LKM Makmur Sentosa of Desa Bibrik (35.19.09.2014, Kecamatan Jiwan) planned an
/// education and culinary destination along the paving road through the catfish-farming
/// area of RT 09/10: the road itself (about 170 m, the same line as the works seed
/// [`crate::works::contoh::bibrik_paving`]), a 3D mural of about 170 m along it, three
/// small gardens, the catfish ponds with a catfish education spot, a mushroom
/// cultivation education spot and a grilled-chicken (ayam panggang) culinary centre,
/// inside one area boundary.
///
/// Version 1 is a first sketch (road, ponds, boundary); version 2 adds the rest; the
/// plan was then proposed (diusulkan). Everything is marked `contoh`: the geometry is a
/// plausible placeholder inside Bibrik's boundary, the dates and the user are
/// illustrative.
///
/// # Examples
/// ```
/// use kumuh_domain::siteplan::{contoh_bibrik, StatusSiteplan};
/// let sp = contoh_bibrik();
/// assert!(sp.contoh());
/// assert_eq!(sp.status(), StatusSiteplan::Diusulkan);
/// assert_eq!(sp.current().fitur.len(), 10);
/// ```
pub fn contoh_bibrik() -> Siteplan {
    build().expect("the Bibrik siteplan seed is valid data; tests/it/siteplan.rs checks it")
}

fn id(s: &str) -> Result<FiturId> {
    FiturId::new(s)
}

fn line(points: &[(f64, f64)]) -> LineString<f64> {
    points.iter().map(|&(x, y)| Coord { x, y }).collect()
}

/// A rectangle from its west, south, east and north edges (degrees).
fn rect(west: f64, south: f64, east: f64, north: f64) -> Polygon<f64> {
    Polygon::new(
        line(&[
            (west, south),
            (east, south),
            (east, north),
            (west, north),
            (west, south),
        ]),
        vec![],
    )
}

fn build() -> Result<Siteplan> {
    let kode = Kode::parse(BIBRIK_KODE)
        .map_err(|e| SiteplanError::field("contoh bibrik", "kode_desa", e.to_string()))?;

    let jalan = Fitur::new(id("J-01")?, Kategori::Jalan, line(&BIBRIK_PAVING_LINE))
        .with_label("Jalan paving 170 m")
        .with_catatan(
            "Jalan poros melewati kawasan budidaya lele RT 09/10, dengan rabat beton di tepi \
             kanan dan kiri.",
        );
    let kolam = Fitur::new(
        id("K-01")?,
        Kategori::KolamLele,
        Polygon::new(
            line(&[
                (111.4936, -7.57546),
                (111.4949, -7.57546),
                (111.4949, -7.57598),
                (111.4942, -7.57605),
                (111.4936, -7.57598),
                (111.4936, -7.57546),
            ]),
            vec![],
        ),
    )
    .with_label("Kawasan budidaya lele")
    .with_catatan("Kolam lele milik warga di selatan jalan poros.");
    let batas = Fitur::new(
        id("BK-01")?,
        Kategori::BatasKawasan,
        rect(111.49335, -7.57615, 111.4952, -7.5749),
    )
    .with_label("Kawasan wisata edukasi dan kuliner");

    let mut rest = vec![
        Fitur::new(
            id("M-01")?,
            Kategori::Mural,
            line(&[(111.4935, -7.57527), (111.49504, -7.57527)]),
        )
        .with_label("Mural 3D")
        .with_catatan("Mural tiga dimensi sepanjang kurang lebih 170 m di tepi utara jalan."),
    ];
    for (n, west) in [(1, 111.49365), (2, 111.4942), (3, 111.49475)] {
        rest.push(
            Fitur::new(
                id(&format!("T-0{n}"))?,
                Kategori::Taman,
                rect(west, -7.5754, west + 0.00007, -7.57534),
            )
            .with_label(format!("Taman kecil {n}")),
        );
    }
    rest.push(
        Fitur::new(
            id("K-02")?,
            Kategori::KolamLele,
            Point::new(111.4944, -7.5756),
        )
        .with_label("Edukasi budidaya lele"),
    );
    rest.push(
        Fitur::new(
            id("BJ-01")?,
            Kategori::BudidayaJamur,
            Point::new(111.49415, -7.57512),
        )
        .with_label("Edukasi budidaya jamur")
        .with_catatan("Rumah jamur tiram; pengunjung belajar menanam dan memanen."),
    );
    rest.push(
        Fitur::new(
            id("SK-01")?,
            Kategori::SentraKuliner,
            rect(111.4947, -7.5752, 111.495, -7.57505),
        )
        .with_label("Sentra kuliner ayam panggang"),
    );

    let mut sp = Siteplan::new(
        SiteplanBaru {
            id: SiteplanId::new(BIBRIK_SITEPLAN_ID)?,
            kode_desa: kode,
            judul: "Siteplan destinasi wisata edukasi dan kuliner RT 09/10".to_owned(),
            keterangan: Some(
                "Wisata edukasi budidaya lele dan jamur serta sentra kuliner ayam panggang di \
                 sepanjang jalan paving, dengan taman kecil dan mural 3D. Contoh: geometri, \
                 tanggal dan pengguna ilustratif."
                    .to_owned(),
            ),
            contoh: true,
        },
        vec![jalan.clone(), kolam.clone(), batas.clone()],
        OLEH,
        "2018-03-05T09:00:00+07:00",
        Some("Sketsa awal: jalan poros, kawasan kolam lele dan batas kawasan".to_owned()),
    )?;
    let mut fitur = vec![jalan, kolam];
    fitur.append(&mut rest);
    fitur.push(batas);
    let v2 = sp.save(
        fitur,
        OLEH,
        "2018-03-12T20:00:00+07:00",
        Some(
            "Hasil rembug warga RT 09/10: mural, taman, titik edukasi dan sentra kuliner"
                .to_owned(),
        ),
        1,
    )?;
    sp.set_status(
        StatusSiteplan::Diusulkan,
        OLEH,
        "2018-03-15T10:00:00+07:00",
        v2,
    )?;
    Ok(sp)
}
