//! GeoPackage geometry blobs (GeoPackage 1.3, clause 2.1.3): a small header with the
//! SRS id and an optional envelope, followed by standard WKB.
//!
//! Blobs are written with a little-endian header and an XY envelope, as GDAL does, so
//! that the R-tree functions can read the bounds without decoding the geometry. Blobs
//! written by other tools may carry no envelope; [`envelope`] then decodes the WKB.

use geo::BoundingRect;
use geo_types::Geometry;
use geozero::{CoordDimensions, ToGeo, ToWkb};

/// The SRS every atlas geometry is in: EPSG:4326, longitude/latitude on WGS 84.
pub const SRS_ID: i32 = 4326;

/// An XY bounding box, in the order the R-tree stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope {
    /// Smallest x (longitude).
    pub min_x: f64,
    /// Largest x.
    pub max_x: f64,
    /// Smallest y (latitude).
    pub min_y: f64,
    /// Largest y.
    pub max_y: f64,
}

/// Why a blob is not a GeoPackage geometry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BlobError {
    /// Shorter than the header it announces.
    #[error("geometry blob is truncated ({len} bytes)")]
    Truncated {
        /// Length of the blob.
        len: usize,
    },
    /// Does not start with `GP`.
    #[error("geometry blob does not start with the GeoPackage magic `GP`")]
    BadMagic,
    /// The envelope indicator is not 0..=4.
    #[error("geometry blob has an invalid envelope indicator {0}")]
    BadEnvelope(u8),
    /// The WKB after the header could not be decoded.
    #[error("geometry blob holds invalid WKB: {0}")]
    Wkb(String),
}

const FLAG_LITTLE_ENDIAN: u8 = 0b0000_0001;
const FLAG_EMPTY: u8 = 0b0001_0000;
const ENVELOPE_XY: u8 = 1;

/// Encodes a geometry as a GeoPackage blob in EPSG:4326 with an XY envelope.
pub fn encode(geometry: &Geometry<f64>) -> Result<Vec<u8>, BlobError> {
    let wkb = geometry
        .to_wkb(CoordDimensions::xy())
        .map_err(|e| BlobError::Wkb(e.to_string()))?;
    let rect = geometry.bounding_rect();
    let mut out = Vec::with_capacity(8 + 32 + wkb.len());
    out.extend_from_slice(b"GP");
    out.push(0); // version 1 of the blob format
    match rect {
        Some(r) => {
            out.push(FLAG_LITTLE_ENDIAN | (ENVELOPE_XY << 1));
            out.extend_from_slice(&SRS_ID.to_le_bytes());
            for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        None => {
            out.push(FLAG_LITTLE_ENDIAN | FLAG_EMPTY);
            out.extend_from_slice(&SRS_ID.to_le_bytes());
        }
    }
    out.extend_from_slice(&wkb);
    Ok(out)
}

struct Header {
    little_endian: bool,
    empty: bool,
    envelope_len: usize,
    envelope_kind: u8,
}

fn header(blob: &[u8]) -> Result<Header, BlobError> {
    if blob.len() < 8 {
        return Err(BlobError::Truncated { len: blob.len() });
    }
    if &blob[0..2] != b"GP" {
        return Err(BlobError::BadMagic);
    }
    let flags = blob[3];
    let envelope_kind = (flags >> 1) & 0b111;
    let envelope_len = match envelope_kind {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(BlobError::BadEnvelope(other)),
    };
    if blob.len() < 8 + envelope_len {
        return Err(BlobError::Truncated { len: blob.len() });
    }
    Ok(Header {
        little_endian: flags & FLAG_LITTLE_ENDIAN != 0,
        empty: flags & FLAG_EMPTY != 0,
        envelope_len,
        envelope_kind,
    })
}

/// Whether the blob says its geometry is empty (the header's empty flag).
pub fn is_empty(blob: &[u8]) -> Result<bool, BlobError> {
    Ok(header(blob)?.empty)
}

/// The XY bounds of the geometry in a blob: from the header's envelope when it has one,
/// otherwise computed from the WKB. `None` for an empty geometry.
pub fn envelope(blob: &[u8]) -> Result<Option<Envelope>, BlobError> {
    let h = header(blob)?;
    if h.empty {
        return Ok(None);
    }
    if h.envelope_kind == 0 {
        return Ok(decode(blob)?.bounding_rect().map(|r| Envelope {
            min_x: r.min().x,
            max_x: r.max().x,
            min_y: r.min().y,
            max_y: r.max().y,
        }));
    }
    let read = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&blob[8 + 8 * i..16 + 8 * i]);
        if h.little_endian {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        }
    };
    Ok(Some(Envelope {
        min_x: read(0),
        max_x: read(1),
        min_y: read(2),
        max_y: read(3),
    }))
}

/// Decodes a GeoPackage blob into a geometry (through geozero's GeoPackage reader).
pub fn decode(blob: &[u8]) -> Result<Geometry<f64>, BlobError> {
    let h = header(blob)?;
    if h.empty && blob.len() == 8 + h.envelope_len {
        return Ok(Geometry::GeometryCollection(Default::default()));
    }
    geozero::wkb::GpkgWkb(blob.to_vec())
        .to_geo()
        .map_err(|e| BlobError::Wkb(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{MultiPolygon, Point, polygon};

    fn square() -> Geometry<f64> {
        Geometry::MultiPolygon(MultiPolygon(vec![polygon![
            (x: 111.45, y: -7.66), (x: 111.52, y: -7.66), (x: 111.52, y: -7.56), (x: 111.45, y: -7.56)
        ]]))
    }

    #[test]
    fn round_trips_through_geozero() {
        let g = square();
        let blob = encode(&g).unwrap();
        assert_eq!(&blob[0..2], b"GP");
        assert_eq!(
            i32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]),
            4326
        );
        assert_eq!(decode(&blob).unwrap(), g);
    }

    #[test]
    fn envelope_comes_from_the_header() {
        let e = envelope(&encode(&square()).unwrap()).unwrap().unwrap();
        assert_eq!(
            e,
            Envelope {
                min_x: 111.45,
                max_x: 111.52,
                min_y: -7.66,
                max_y: -7.56
            }
        );
    }

    #[test]
    fn envelope_is_computed_when_the_header_has_none() {
        // A point blob as some tools write it: header without envelope, then WKB.
        let wkb = Geometry::Point(Point::new(111.5, -7.6))
            .to_wkb(CoordDimensions::xy())
            .unwrap();
        let mut blob = vec![b'G', b'P', 0, FLAG_LITTLE_ENDIAN];
        blob.extend_from_slice(&SRS_ID.to_le_bytes());
        blob.extend_from_slice(&wkb);
        let e = envelope(&blob).unwrap().unwrap();
        assert_eq!((e.min_x, e.max_y), (111.5, -7.6));
        assert!(!is_empty(&blob).unwrap());
    }

    #[test]
    fn big_endian_envelopes_are_read() {
        let mut blob = vec![b'G', b'P', 0, ENVELOPE_XY << 1];
        blob.extend_from_slice(&SRS_ID.to_be_bytes());
        for v in [1.0f64, 2.0, 3.0, 4.0] {
            blob.extend_from_slice(&v.to_be_bytes());
        }
        let e = envelope(&blob).unwrap().unwrap();
        assert_eq!((e.min_x, e.max_x, e.min_y, e.max_y), (1.0, 2.0, 3.0, 4.0));
    }

    #[test]
    fn broken_blobs_are_errors_not_panics() {
        assert_eq!(envelope(b"GP"), Err(BlobError::Truncated { len: 2 }));
        assert_eq!(envelope(b"XX\0\0\0\0\0\0"), Err(BlobError::BadMagic));
        assert_eq!(
            envelope(&[b'G', b'P', 0, 0b1110, 0, 0, 0, 0]),
            Err(BlobError::BadEnvelope(7))
        );
        assert_eq!(
            envelope(&[b'G', b'P', 0, 0b0011, 0, 0, 0, 0, 1]),
            Err(BlobError::Truncated { len: 9 })
        );
        assert!(decode(&[b'G', b'P', 0, 1, 0, 0, 0, 0, 9, 9]).is_err());
    }

    #[test]
    fn empty_flag_is_reported() {
        let blob = [
            b'G',
            b'P',
            0,
            FLAG_LITTLE_ENDIAN | FLAG_EMPTY,
            0xE6,
            0x10,
            0,
            0,
        ];
        assert!(is_empty(&blob).unwrap());
        assert_eq!(envelope(&blob).unwrap(), None);
    }
}
