//! The coordinate system of a foreign file, and its reprojection to EPSG:4326.
//!
//! Kumuh reads the systems Indonesian data arrives in: WGS 84 and DGN95 longitude and
//! latitude (EPSG:4326, 4755), UTM on WGS 84 north and south (EPSG:326xx, 327xx) and the
//! national TM-3 zones on DGN95 (EPSG:23830 to 23845). DGN95 is realised on ITRF with
//! the WGS 84 ellipsoid; PROJ, like EPSG, converts it to WGS 84 unchanged. A system is
//! named by an EPSG code (`--crs`, a GeoPackage's `gpkg_spatial_ref_sys`, a GeoJSON
//! `crs`) or described by WKT (a Shapefile's `.prj`, ESRI or OGC flavour); any other
//! datum or projection is refused by name rather than guessed.

use std::fmt;

use super::tm::TransverseMercator;

/// A coordinate system Kumuh can bring to EPSG:4326.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Crs {
    /// Longitude and latitude in degrees on WGS 84 or DGN95 (EPSG:4326, 4755).
    LonLat,
    /// Easting and northing in metres on a transverse Mercator projection (UTM, TM-3).
    TransverseMercator(TransverseMercator),
}

/// WGS 84's semi-major axis (m) and flattening; DGN95 uses the same ellipsoid.
const WGS84_A_M: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

impl Crs {
    /// The system of an EPSG code, if Kumuh reads it.
    ///
    /// # Examples
    /// ```
    /// use kumuh_io::foreign::Crs;
    /// assert_eq!(Crs::from_epsg(4326), Some(Crs::LonLat));
    /// assert!(Crs::from_epsg(32749).is_some()); // UTM 49S
    /// assert!(Crs::from_epsg(23835).is_some()); // TM-3 zone 49.1
    /// assert!(Crs::from_epsg(3857).is_none());
    /// ```
    pub fn from_epsg(code: u32) -> Option<Crs> {
        match code {
            4326 | 4755 => Some(Crs::LonLat),
            // UTM zones covering Indonesia and its neighbours: 46 to 54 both sides;
            // the whole series is the same formula, so every zone is accepted.
            32601..=32660 => Some(Crs::TransverseMercator(TransverseMercator::utm(
                u8::try_from(code - 32600).ok()?,
                false,
            ))),
            32701..=32760 => Some(Crs::TransverseMercator(TransverseMercator::utm(
                u8::try_from(code - 32700).ok()?,
                true,
            ))),
            // DGN95 / Indonesia TM-3 zones 46.2 (94.5° E) to 54.1 (139.5° E), 3° apart.
            23830..=23845 => Some(Crs::TransverseMercator(TransverseMercator {
                a_m: WGS84_A_M,
                f: WGS84_F,
                lon0_deg: 94.5 + 3.0 * f64::from(code - 23830),
                k0: 0.9999,
                false_easting_m: 200_000.0,
                false_northing_m: 1_500_000.0,
            })),
            _ => None,
        }
    }

    /// An EPSG code as users and files write it: `EPSG:32749`, `epsg:32749`, `32749`,
    /// `urn:ogc:def:crs:EPSG::32749`, `http://www.opengis.net/def/crs/EPSG/0/32749`, or
    /// OGC's `CRS84`.
    pub fn parse_name(name: &str) -> Result<Crs, CrsError> {
        let t = name.trim();
        if matches!(
            t.to_ascii_uppercase().as_str(),
            "CRS84" | "OGC:CRS84" | "URN:OGC:DEF:CRS:OGC:1.3:CRS84" | "URN:OGC:DEF:CRS:OGC::CRS84"
        ) || t.ends_with("/def/crs/OGC/1.3/CRS84")
        {
            return Ok(Crs::LonLat);
        }
        let upper = t.to_ascii_uppercase();
        let code = upper
            .strip_prefix("EPSG:")
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG::"))
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG:"))
            .or_else(|| upper.rsplit_once("/DEF/CRS/EPSG/").map(|(_, c)| c))
            .map(|c| c.rsplit('/').next().unwrap_or(c))
            .unwrap_or(&upper);
        let code: u32 = code.trim().parse().map_err(|_| {
            CrsError::Unreadable(format!("`{t}` is not an EPSG code such as EPSG:32749"))
        })?;
        Crs::from_epsg(code).ok_or(CrsError::Unsupported(format!("EPSG:{code}")))
    }

    /// The system a WKT text describes (WKT 1 as GDAL, QGIS and ArcGIS write `.prj`
    /// files, or WKT 2): a top-level EPSG authority wins; otherwise geographic systems
    /// on WGS 84 or GRS 1980, and transverse Mercator projections with their parameters.
    pub fn from_wkt(wkt: &str) -> Result<Crs, CrsError> {
        let root = super::wkt::parse(wkt).map_err(CrsError::Unreadable)?;
        if let Some(code) = root.epsg()
            && let Some(crs) = Crs::from_epsg(code)
        {
            return Ok(crs);
        }
        let kind = root.keyword.to_ascii_uppercase();
        let name = root.name().unwrap_or("");
        let (a_m, f) = root
            .find(&["SPHEROID", "ELLIPSOID"])
            .and_then(|s| Some((s.number(1)?, s.number(2)?)))
            .ok_or_else(|| CrsError::Unreadable(format!("`{name}` names no ellipsoid")))?;
        // WGS 84 and GRS 1980 differ by 0.1 mm in the semi-minor axis; another
        // ellipsoid (Bessel for ID74, Clarke) means a datum shift Kumuh does not apply.
        let f = if f == 0.0 { 0.0 } else { 1.0 / f };
        if (a_m - WGS84_A_M).abs() > 0.01 || (f - WGS84_F).abs() > 1e-9 {
            return Err(CrsError::Unsupported(format!(
                "`{name}` (ellipsoid a = {a_m} m, not WGS 84 or GRS 1980; a datum shift is needed)"
            )));
        }
        if let Some(towgs84) = root.find(&["TOWGS84"])
            && towgs84.numbers().iter().any(|v| *v != 0.0)
        {
            return Err(CrsError::Unsupported(format!(
                "`{name}` (a datum shift to WGS 84 is needed)"
            )));
        }
        match kind.as_str() {
            "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS" => Ok(Crs::LonLat),
            "PROJCS" | "PROJCRS" | "PROJECTEDCRS" => {
                let method = root
                    .find(&["PROJECTION", "METHOD"])
                    .and_then(|m| m.name())
                    .unwrap_or("")
                    .to_ascii_lowercase()
                    .replace([' ', '-'], "_");
                if method != "transverse_mercator" {
                    return Err(CrsError::Unsupported(format!(
                        "`{name}` (projection `{method}`; Kumuh reads transverse Mercator, e.g. UTM and TM-3)"
                    )));
                }
                let p = |names: &[&str]| root.parameter(names);
                if p(&["latitude_of_origin", "latitude of natural origin"]).unwrap_or(0.0) != 0.0 {
                    return Err(CrsError::Unsupported(format!(
                        "`{name}` (a latitude of origin other than the equator)"
                    )));
                }
                let unit = root.linear_unit().unwrap_or(1.0);
                Ok(Crs::TransverseMercator(TransverseMercator {
                    a_m,
                    f,
                    lon0_deg: p(&["central_meridian", "longitude of natural origin"])
                        .unwrap_or(0.0),
                    k0: p(&["scale_factor", "scale factor at natural origin"]).unwrap_or(1.0),
                    false_easting_m: p(&["false_easting"]).unwrap_or(0.0) * unit,
                    false_northing_m: p(&["false_northing"]).unwrap_or(0.0) * unit,
                }))
                .and_then(|crs| {
                    if unit == 1.0 {
                        Ok(crs)
                    } else {
                        Err(CrsError::Unsupported(format!(
                            "`{name}` (coordinates in units of {unit} m, not metres)"
                        )))
                    }
                })
            }
            other => Err(CrsError::Unsupported(format!("`{name}` (a {other})"))),
        }
    }

    /// Whether coordinates are already EPSG:4326 longitude and latitude.
    pub fn is_lon_lat(&self) -> bool {
        matches!(self, Crs::LonLat)
    }

    /// One position in this system to EPSG:4326 longitude and latitude (degrees).
    pub fn to_lon_lat(&self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Crs::LonLat => (x, y),
            Crs::TransverseMercator(tm) => tm.inverse(x, y),
        }
    }

    /// [`to_lon_lat`](Self::to_lon_lat) prepared once (the projection's series), for
    /// the many positions of a file.
    pub fn to_lon_lat_fn(&self) -> Box<dyn Fn(f64, f64) -> (f64, f64) + Send + Sync + '_> {
        match self {
            Crs::LonLat => Box::new(|x, y| (x, y)),
            Crs::TransverseMercator(tm) => Box::new(tm.inverter()),
        }
    }
}

/// Why a coordinate system was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrsError {
    /// The text is not a coordinate system Kumuh can read.
    Unreadable(String),
    /// A real system that Kumuh does not reproject.
    Unsupported(String),
}

impl fmt::Display for CrsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrsError::Unreadable(m) => write!(f, "unreadable coordinate system: {m}"),
            CrsError::Unsupported(m) => write!(
                f,
                "coordinate system {m} is not one Kumuh reprojects (EPSG:4326, 4755, UTM 326xx/327xx, TM-3 23830-23845); reproject first, e.g. ogr2ogr -t_srs EPSG:4326"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_codes() {
        for name in [
            "EPSG:32749",
            "epsg:32749",
            "32749",
            "urn:ogc:def:crs:EPSG::32749",
            "http://www.opengis.net/def/crs/EPSG/0/32749",
        ] {
            assert_eq!(
                Crs::parse_name(name),
                Ok(Crs::from_epsg(32749).unwrap()),
                "{name}"
            );
        }
        assert_eq!(Crs::parse_name("OGC:CRS84"), Ok(Crs::LonLat));
        assert!(matches!(
            Crs::parse_name("EPSG:3857"),
            Err(CrsError::Unsupported(_))
        ));
        assert!(matches!(
            Crs::parse_name("UTM 49S"),
            Err(CrsError::Unreadable(_))
        ));
    }

    #[test]
    fn esri_prj_of_utm_49s_without_authority() {
        let prj = r#"PROJCS["WGS_1984_UTM_Zone_49S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(Crs::from_wkt(prj), Ok(Crs::from_epsg(32749).unwrap()));
        let geog = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(Crs::from_wkt(geog), Ok(Crs::LonLat));
    }

    #[test]
    fn other_datums_and_projections_are_refused_by_name() {
        let id74 = r#"GEOGCS["ID74",DATUM["Indonesian_Datum_1974",SPHEROID["Indonesian National Spheroid",6378160,298.247]]]"#;
        let e = Crs::from_wkt(id74).unwrap_err().to_string();
        assert!(e.contains("ID74"), "{e}");
        let merc = r#"PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]],PROJECTION["Mercator_1SP"],UNIT["metre",1]]"#;
        let e = Crs::from_wkt(merc).unwrap_err().to_string();
        assert!(e.contains("mercator_1sp"), "{e}");
        assert!(Crs::from_wkt("PROJCS[").is_err());
    }
}
