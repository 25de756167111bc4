//! The coordinate system of a GeoJSON file: RFC 7946 files are WGS 84 longitude/latitude
//! and carry no `crs` member; older files (GeoJSON 2008, GDAL's output) may name one.
//! Only exact names of EPSG:4326 or OGC CRS84 are accepted: a name that merely ends in
//! 4326 (`EPSG:32749 not 4326`, a typo, a projected system) would put every coordinate
//! in the wrong place, so it is refused.

use serde_json::Value;

/// The names of WGS 84 longitude/latitude that GDAL, QGIS and the specifications write.
/// EPSG:4326 is formally latitude first, but GeoJSON files that name it hold longitude
/// first, as RFC 7946 does.
const ACCEPTED: &[&str] = &[
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:EPSG:4326",
    "EPSG:4326",
    "OGC:CRS84",
    "CRS84",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
    "https://www.opengis.net/def/crs/EPSG/0/4326",
];

fn refused(what: &str) -> String {
    format!(
        "coordinates are in {what}; Kumuh reads EPSG:4326 longitude/latitude only (reproject first, e.g. with ogr2ogr -t_srs EPSG:4326)"
    )
}

/// Checks the `crs` member of a GeoJSON object (the file or one feature), if it has one.
pub(super) fn check(object: &Value) -> Result<(), String> {
    let crs = match object.get("crs") {
        None | Some(Value::Null) => return Ok(()),
        Some(crs) => crs,
    };
    let kind = crs.get("type").and_then(Value::as_str);
    let properties = crs.get("properties");
    match kind {
        Some("name") => {
            let name = properties
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .ok_or_else(|| "a named `crs` without `properties.name`".to_owned())?;
            if ACCEPTED.contains(&name.trim()) {
                Ok(())
            } else {
                Err(refused(&format!("`{name}`")))
            }
        }
        // The 2008 draft's `{"type": "EPSG", "properties": {"code": 4326}}`.
        Some("EPSG") => match properties.and_then(|p| p.get("code")) {
            Some(code) if code.as_u64() == Some(4326) || code.as_str() == Some("4326") => Ok(()),
            Some(code) => Err(refused(&format!("EPSG code {code}"))),
            None => Err("an EPSG `crs` without `properties.code`".to_owned()),
        },
        _ => Err(refused(&format!("a `crs` Kumuh cannot read ({crs})"))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn named(name: &str) -> Value {
        json!({"crs": {"type": "name", "properties": {"name": name}}})
    }

    #[test]
    fn only_exact_names_of_wgs84_longitude_latitude() {
        for name in ACCEPTED {
            assert_eq!(check(&named(name)), Ok(()), "{name}");
        }
        assert_eq!(check(&json!({})), Ok(()));
        assert_eq!(check(&json!({"crs": null})), Ok(()));
        assert_eq!(
            check(&json!({"crs": {"type": "EPSG", "properties": {"code": 4326}}})),
            Ok(())
        );
        for name in [
            "EPSG:32749 not 4326",
            "urn:ogc:def:crs:EPSG::32749",
            "EPSG:94326",
            "CRS84 UTM",
            "",
        ] {
            let message = check(&named(name)).unwrap_err();
            assert!(message.contains(&format!("`{name}`")), "{message}");
            assert!(message.contains("EPSG:4326"), "{message}");
        }
        assert!(check(&json!({"crs": {"type": "link", "properties": {"href": "x"}}})).is_err());
        assert!(check(&json!({"crs": {"type": "name"}})).is_err());
        assert!(check(&json!({"crs": {"type": "EPSG", "properties": {"code": 32749}}})).is_err());
    }
}
