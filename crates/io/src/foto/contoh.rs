//! Example photos made in memory: small JPEGs with the EXIF a phone writes (time taken
//! and GPS position), and PNGs, so that tests of every layer upload real pictures without
//! committed binary files.
//!
//! The EXIF block is built by hand as the standard lays it out (an `APP1` segment with
//! `Exif\0\0` and a big-endian TIFF structure: IFD0 pointing to the Exif IFD, which holds
//! `DateTimeOriginal`, and to the GPS IFD, which holds latitude and longitude as degrees,
//! minutes and seconds) and put right after the JPEG's start-of-image marker.

use image::{ImageEncoder, RgbImage};

use super::Posisi;

/// What the example photo's EXIF says.
#[derive(Debug, Clone, PartialEq)]
pub struct ContohExif {
    /// EXIF `DateTimeOriginal`, as cameras write it: `2018:08:31 09:15:00`.
    pub waktu: String,
    /// The GPS position.
    pub posisi: Posisi,
}

/// A picture of `lebar` × `tinggi` pixels in a gradient, so it is no blank page.
fn picture(lebar: u32, tinggi: u32) -> RgbImage {
    RgbImage::from_fn(lebar, tinggi, |x, y| {
        let r = (x * 255 / lebar.max(1)) as u8;
        let g = (y * 255 / tinggi.max(1)) as u8;
        image::Rgb([r, g, 128])
    })
}

/// A JPEG of `lebar` × `tinggi` pixels, with `exif` in an `APP1` segment when given.
///
/// # Examples
/// ```
/// use kumuh_io::foto::{Batas, Posisi, baca, contoh};
/// let exif = contoh::ContohExif {
///     waktu: "2018:08:31 09:15:00".into(),
///     posisi: Posisi { lon: 111.49, lat: -7.58 },
/// };
/// let read = baca(&contoh::jpeg(40, 30, Some(&exif)), "image/jpeg", &Batas::default()).unwrap();
/// assert_eq!(read.waktu_exif.as_deref(), Some("2018-08-31T09:15:00"));
/// ```
pub fn jpeg(lebar: u32, tinggi: u32, exif: Option<&ContohExif>) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&picture(lebar, tinggi))
        .unwrap_or_else(|e| unreachable!("encoding an in-memory picture: {e}"));
    if let Some(exif) = exif {
        let segment = app1(exif);
        out.splice(2..2, segment);
    }
    out
}

/// A PNG of `lebar` × `tinggi` pixels.
pub fn png(lebar: u32, tinggi: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            picture(lebar, tinggi).as_raw(),
            lebar,
            tinggi,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap_or_else(|e| unreachable!("encoding an in-memory picture: {e}"));
    out
}

/// One IFD entry: tag, type, count, and the value (inline when it fits in four bytes)
/// or its offset.
fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
    out.extend(tag.to_be_bytes());
    out.extend(kind.to_be_bytes());
    out.extend(count.to_be_bytes());
    out.extend(value);
}

const ASCII: u16 = 2;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

/// Degrees as three rationals: degrees, minutes, and seconds in thousandths.
fn dms(value: f64) -> Vec<u8> {
    let v = value.abs();
    let d = v.trunc();
    let m = ((v - d) * 60.0).trunc();
    let s = ((v - d) * 60.0 - m) * 60.0;
    let mut out = Vec::new();
    for (num, den) in [
        (d as u32, 1u32),
        (m as u32, 1),
        ((s * 1000.0).round() as u32, 1000),
    ] {
        out.extend(num.to_be_bytes());
        out.extend(den.to_be_bytes());
    }
    out
}

/// The `APP1` segment: marker, length, `Exif\0\0`, and the TIFF structure.
fn app1(exif: &ContohExif) -> Vec<u8> {
    // Offsets from the start of the TIFF header: IFD0 (2 entries) at 8, the Exif IFD
    // (1 entry) at 38, the GPS IFD (4 entries) at 56, then the values: the time at 110,
    // latitude at 130, longitude at 154.
    const EXIF_IFD: u32 = 38;
    const GPS_IFD: u32 = 56;
    const TIME: u32 = 110;
    const LAT: u32 = 130;
    const LON: u32 = 154;
    let mut time: Vec<u8> = exif.waktu.bytes().take(19).collect();
    time.resize(20, 0);
    let lat_ref = if exif.posisi.lat < 0.0 { b'S' } else { b'N' };
    let lon_ref = if exif.posisi.lon < 0.0 { b'W' } else { b'E' };

    let mut tiff = b"MM\x00\x2a".to_vec();
    tiff.extend(8u32.to_be_bytes());
    tiff.extend(2u16.to_be_bytes());
    entry(&mut tiff, 0x8769, LONG, 1, EXIF_IFD.to_be_bytes());
    entry(&mut tiff, 0x8825, LONG, 1, GPS_IFD.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(1u16.to_be_bytes());
    entry(&mut tiff, 0x9003, ASCII, 20, TIME.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(4u16.to_be_bytes());
    entry(&mut tiff, 0x0001, ASCII, 2, [lat_ref, 0, 0, 0]);
    entry(&mut tiff, 0x0002, RATIONAL, 3, LAT.to_be_bytes());
    entry(&mut tiff, 0x0003, ASCII, 2, [lon_ref, 0, 0, 0]);
    entry(&mut tiff, 0x0004, RATIONAL, 3, LON.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    debug_assert_eq!(tiff.len(), TIME as usize);
    tiff.extend(time);
    tiff.extend(dms(exif.posisi.lat));
    tiff.extend(dms(exif.posisi.lon));

    let mut out = vec![0xFF, 0xE1];
    let length = u16::try_from(2 + 6 + tiff.len()).unwrap_or(u16::MAX);
    out.extend(length.to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out
}
