//! Feature categories (kategori) of a siteplan, with their labels, the geometry each
//! allows and a hint for drawing it.

use serde::Serialize;

use super::error::{Result, SiteplanError};
use crate::works::GeometryKind;

define_code! {
    /// What a feature of a siteplan is.
    ///
    /// | id | Bahasa Indonesia | English | geometry | colour | symbol |
    /// |---|---|---|---|---|---|
    /// | `jalan` | Jalan | Road | line, polygon | `#6d4c41` | `road` |
    /// | `drainase` | Drainase | Drainage | line, polygon | `#1e88e5` | `water` |
    /// | `taman` | Taman | Garden | any | `#43a047` | `garden` |
    /// | `mural` | Mural | Mural | line, polygon | `#d81b60` | `art-gallery` |
    /// | `kolam_lele` | Kolam lele | Catfish pond | any | `#00897b` | `aquarium` |
    /// | `budidaya_jamur` | Budidaya jamur | Mushroom cultivation | any | `#8e24aa` | `farm` |
    /// | `sentra_kuliner` | Sentra kuliner | Culinary centre | any | `#f4511e` | `restaurant` |
    /// | `fasilitas_umum` | Fasilitas umum | Public facility | any | `#546e7a` | `town-hall` |
    /// | `batas_kawasan` | Batas kawasan | Area boundary | polygon | `#212121` | `boundary` |
    /// | `lainnya` | Lainnya | Other | any | `#757575` | `marker` |
    ///
    /// A road, drain or mural runs along something, so it is drawn as a line (its axis) or
    /// a polygon (its footprint), never as a point. An area boundary encloses, so it is a
    /// polygon. Everything else may be a spot (point), a route (line) or a plot (polygon).
    ///
    /// The symbol names are [Maki](https://github.com/mapbox/maki) icon names where one fits
    /// (`boundary` is not one: the viewer draws the boundary as a dashed outline); the viewer
    /// may use them or only the colour.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::siteplan::Kategori;
    /// use kumuh_domain::works::GeometryKind;
    /// let k: Kategori = "Kolam lele".parse().unwrap();
    /// assert_eq!(k, Kategori::KolamLele);
    /// assert_eq!(k.label_en(), "Catfish pond");
    /// assert!(!Kategori::BatasKawasan.allows(GeometryKind::Garis));
    /// let e = "kebun".parse::<Kategori>().unwrap_err();
    /// assert!(e.to_string().contains("jalan, drainase, taman"), "{e}");
    /// ```
    pub enum Kategori {
        /// Jalan: a road or footpath, new or improved (e.g. paving).
        Jalan = "jalan",
        /// Drainase: a drain or channel.
        Drainase = "drainase",
        /// Taman: a garden or small green space.
        Taman = "taman",
        /// Mural: a painted wall (the Bibrik 3D mural runs about 170 m along the road).
        Mural = "mural",
        /// Kolam lele: catfish ponds, the catfish-farming area.
        KolamLele = "kolam_lele",
        /// Budidaya jamur: mushroom cultivation, e.g. an education spot.
        BudidayaJamur = "budidaya_jamur",
        /// Sentra kuliner: a culinary centre, e.g. grilled chicken (ayam panggang) stalls.
        SentraKuliner = "sentra_kuliner",
        /// Fasilitas umum: a public facility (prayer room, toilet, meeting hall, parking).
        FasilitasUmum = "fasilitas_umum",
        /// Batas kawasan: the boundary of the planned area.
        BatasKawasan = "batas_kawasan",
        /// Lainnya: anything else; the label says what.
        Lainnya = "lainnya",
    }
    from_str: Kategori::parse => SiteplanError;
    try_from: Kategori::parse => SiteplanError;
}

const LINE_OR_AREA: &[GeometryKind] = &[GeometryKind::Garis, GeometryKind::Area];
const AREA: &[GeometryKind] = &[GeometryKind::Area];
const ANY: &[GeometryKind] = &[GeometryKind::Titik, GeometryKind::Garis, GeometryKind::Area];

impl Kategori {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Kategori::Jalan => "Jalan",
            Kategori::Drainase => "Drainase",
            Kategori::Taman => "Taman",
            Kategori::Mural => "Mural",
            Kategori::KolamLele => "Kolam lele",
            Kategori::BudidayaJamur => "Budidaya jamur",
            Kategori::SentraKuliner => "Sentra kuliner",
            Kategori::FasilitasUmum => "Fasilitas umum",
            Kategori::BatasKawasan => "Batas kawasan",
            Kategori::Lainnya => "Lainnya",
        }
    }

    /// A label for people, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Kategori::Jalan => "Road",
            Kategori::Drainase => "Drainage",
            Kategori::Taman => "Garden",
            Kategori::Mural => "Mural",
            Kategori::KolamLele => "Catfish pond",
            Kategori::BudidayaJamur => "Mushroom cultivation",
            Kategori::SentraKuliner => "Culinary centre",
            Kategori::FasilitasUmum => "Public facility",
            Kategori::BatasKawasan => "Area boundary",
            Kategori::Lainnya => "Other",
        }
    }

    /// The geometry kinds a feature of this category may have (see the type's table).
    pub fn geometri(self) -> &'static [GeometryKind] {
        match self {
            Kategori::Jalan | Kategori::Drainase | Kategori::Mural => LINE_OR_AREA,
            Kategori::BatasKawasan => AREA,
            Kategori::Taman
            | Kategori::KolamLele
            | Kategori::BudidayaJamur
            | Kategori::SentraKuliner
            | Kategori::FasilitasUmum
            | Kategori::Lainnya => ANY,
        }
    }

    /// Whether a feature of this category may have a geometry of this kind.
    pub fn allows(self, kind: GeometryKind) -> bool {
        self.geometri().contains(&kind)
    }

    /// The map symbol hint: colour and symbol name.
    pub fn simbol(self) -> Simbol {
        let (warna, nama) = match self {
            Kategori::Jalan => ("#6d4c41", "road"),
            Kategori::Drainase => ("#1e88e5", "water"),
            Kategori::Taman => ("#43a047", "garden"),
            Kategori::Mural => ("#d81b60", "art-gallery"),
            Kategori::KolamLele => ("#00897b", "aquarium"),
            Kategori::BudidayaJamur => ("#8e24aa", "farm"),
            Kategori::SentraKuliner => ("#f4511e", "restaurant"),
            Kategori::FasilitasUmum => ("#546e7a", "town-hall"),
            Kategori::BatasKawasan => ("#212121", "boundary"),
            Kategori::Lainnya => ("#757575", "marker"),
        };
        Simbol { warna, nama }
    }

    /// Everything the viewer needs about the category, for a legend or a picker.
    pub fn info(self) -> KategoriInfo {
        KategoriInfo {
            id: self.as_str(),
            label_id: self.label_id(),
            label_en: self.label_en(),
            geometri: self.geometri(),
            simbol: self.simbol(),
        }
    }

    /// Reads a category from its id, its Indonesian label or its English label. Case,
    /// spaces, `_` and `-` do not matter: `kolam_lele`, `Kolam lele` and `catfish-pond`
    /// all read as [`Kategori::KolamLele`].
    pub fn parse(text: &str) -> Result<Kategori> {
        let wanted = normalise(text);
        Kategori::ALL
            .into_iter()
            .find(|k| {
                [k.as_str(), k.label_id(), k.label_en()]
                    .iter()
                    .any(|name| normalise(name) == wanted)
            })
            .ok_or_else(|| SiteplanError::UnknownKategori {
                value: text.to_owned(),
            })
    }

    /// Every id, comma-separated, for messages.
    pub(crate) fn ids_joined() -> String {
        Kategori::CODES.join(", ")
    }
}

/// Lower-cases and trims text and treats `_`, `-` and runs of spaces alike.
fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the viewer may draw a category: a colour and a symbol name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Simbol {
    /// Colour as `#rrggbb`.
    pub warna: &'static str,
    /// Symbol (icon) name, a Maki icon name where one fits.
    pub nama: &'static str,
}

/// A category with its labels, allowed geometry kinds and symbol, as the viewer's legend
/// and feature picker need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KategoriInfo {
    /// The stable id.
    pub id: &'static str,
    /// Label in Bahasa Indonesia.
    pub label_id: &'static str,
    /// Label in English.
    pub label_en: &'static str,
    /// The geometry kinds allowed.
    pub geometri: &'static [GeometryKind],
    /// The map symbol hint.
    pub simbol: Simbol,
}

/// How a geometry kind is named in messages: `point`, `line`, `polygon`.
pub(crate) fn kind_name(kind: GeometryKind) -> &'static str {
    match kind {
        GeometryKind::Titik => "point",
        GeometryKind::Garis => "line",
        GeometryKind::Area => "polygon",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_labels_and_serde_agree() {
        for k in Kategori::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
            for text in [k.as_str(), k.label_id(), k.label_en()] {
                assert_eq!(Kategori::parse(text).unwrap(), k, "{text}");
                assert_eq!(Kategori::parse(&text.to_uppercase()).unwrap(), k, "{text}");
            }
            let c = k.simbol().warna;
            assert!(
                c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()),
                "{k}: {c}"
            );
            assert!(!k.geometri().is_empty());
        }
    }

    #[test]
    fn parse_is_forgiving_about_spelling_only() {
        // (input, expected id or None)
        let cases = [
            ("kolam_lele", Some("kolam_lele")),
            ("  Kolam  Lele ", Some("kolam_lele")),
            ("catfish-pond", Some("kolam_lele")),
            ("SENTRA_KULINER", Some("sentra_kuliner")),
            ("culinary centre", Some("sentra_kuliner")),
            ("batas-kawasan", Some("batas_kawasan")),
            ("other", Some("lainnya")),
            ("kolamlele", None),
            ("", None),
            ("jalanan", None),
        ];
        for (input, expected) in cases {
            let got = Kategori::parse(input).ok().map(Kategori::as_str);
            assert_eq!(got, expected, "{input:?}");
        }
        let e = serde_json::from_str::<Kategori>("\"kebun\"").unwrap_err();
        assert!(e.to_string().contains("unknown kategori `kebun`"), "{e}");
    }

    #[test]
    fn geometry_rules() {
        use GeometryKind::{Area, Garis, Titik};
        // (kategori, titik, garis, area)
        let cases = [
            (Kategori::Jalan, false, true, true),
            (Kategori::Drainase, false, true, true),
            (Kategori::Mural, false, true, true),
            (Kategori::BatasKawasan, false, false, true),
            (Kategori::Taman, true, true, true),
            (Kategori::KolamLele, true, true, true),
            (Kategori::BudidayaJamur, true, true, true),
            (Kategori::SentraKuliner, true, true, true),
            (Kategori::FasilitasUmum, true, true, true),
            (Kategori::Lainnya, true, true, true),
        ];
        assert_eq!(cases.len(), Kategori::ALL.len());
        for (k, titik, garis, area) in cases {
            assert_eq!(
                [k.allows(Titik), k.allows(Garis), k.allows(Area)],
                [titik, garis, area],
                "{k}"
            );
        }
    }
}
