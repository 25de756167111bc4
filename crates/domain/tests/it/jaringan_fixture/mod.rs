//! What the tests of mapped road and drain lines share: a location of about
//! 100 m × 100 m near Jiwan, and lines of roads and drains drawn across it.
#![allow(dead_code)]

use geo_types::{LineString, MultiLineString, MultiPolygon, Polygon, polygon};
use kumuh_domain::jaringan::{JenisJaringan, KondisiRuas, Ruas};

// The location: a square of about 100 m × 100 m near Jiwan (0.0009° ≈ 100 m).
pub const W: f64 = 111.49;
pub const E: f64 = 111.4909;
pub const S: f64 = -7.65;
pub const N: f64 = -7.6491;
/// A latitude through the middle of the square.
pub const MID_LAT: f64 = -7.64955;
/// A longitude through the square, off its middle.
pub const MID_LON: f64 = 111.4903;

pub fn square(w: f64, s: f64, e: f64, n: f64) -> Polygon<f64> {
    polygon![(x: w, y: s), (x: e, y: s), (x: e, y: n), (x: w, y: n)]
}

pub fn location() -> MultiPolygon<f64> {
    MultiPolygon(vec![square(W, S, E, N)])
}

pub fn line(points: &[(f64, f64)]) -> MultiLineString<f64> {
    MultiLineString(vec![LineString::from(points.to_vec())])
}

pub fn ruas(kode: &str, jenis: JenisJaringan, kondisi: KondisiRuas, points: &[(f64, f64)]) -> Ruas {
    Ruas::new(kode, jenis, kondisi, line(points))
}

pub fn jalan(kode: &str, kondisi: KondisiRuas, points: &[(f64, f64)]) -> Ruas {
    ruas(kode, JenisJaringan::Jalan, kondisi, points)
}

pub fn drainase(kode: &str, kondisi: KondisiRuas, points: &[(f64, f64)]) -> Ruas {
    ruas(kode, JenisJaringan::Drainase, kondisi, points)
}
