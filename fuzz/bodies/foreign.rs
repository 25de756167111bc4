//! Readers of other GIS tools' files (`kumuh_io::foreign`): any bytes give a layer or
//! an error naming the file, never a panic.

use kumuh_io::foreign::{Mapping, read_flatgeobuf, read_kml, read_shapefile};

/// A Shapefile packed as one input: a little-endian u32 length, that many bytes of
/// `.shp`, then the `.dbf`. Answers whether some feature was read.
pub fn shapefile(data: &[u8]) -> bool {
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        return false;
    };
    let len = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (shp, dbf) = rest.split_at(len);
    let dbf = (!dbf.is_empty()).then_some(dbf);
    match read_shapefile("fuzz.shp", shp, dbf, None, None) {
        Ok(layer) => {
            let _ = layer.to_geojson("fuzz.shp", None, &Mapping::default(), &|_| {});
            !layer.features.is_empty()
        }
        Err(_) => false,
    }
}

/// KML text (UTF-8, lossily). Answers whether some placemark was read.
pub fn kml(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    match read_kml("fuzz.kml", &text) {
        Ok(layer) => {
            let _ = layer.to_geojson("fuzz.kml", None, &Mapping::default(), &|_| {});
            !layer.features.is_empty()
        }
        Err(_) => false,
    }
}

/// A FlatGeobuf file. Answers whether some feature was read. The reader guards the
/// crate it uses with `catch_unwind`; a panic it caught is a finding too, so it fails
/// here (on stable, where no panic hook aborts).
pub fn flatgeobuf(data: &[u8]) -> bool {
    match read_flatgeobuf("fuzz.fgb", data) {
        Ok(layer) => {
            let _ = layer.to_geojson("fuzz.fgb", None, &Mapping::default(), &|_| {});
            !layer.features.is_empty()
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.contains("points beyond the file"),
                "the FlatGeobuf crate panicked on this input: {message}"
            );
            false
        }
    }
}
