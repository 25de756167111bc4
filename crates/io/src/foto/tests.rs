use super::contoh::{self, ContohExif};
use super::*;

fn bibrik() -> ContohExif {
    ContohExif {
        waktu: "2018:08:31 09:15:00".into(),
        posisi: Posisi {
            lon: 111.4902,
            lat: -7.5801,
        },
    }
}

fn check(bytes: &[u8], declared: &str) -> Result<FotoDibaca, FotoError> {
    baca(bytes, declared, &Batas::default())
}

/// CRC-32 of PNG chunks (ISO 3309), for hand-built headers.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `lebar` × `tinggi` pixels, with a few bytes of data: what a
/// decompression bomb looks like before it is decoded.
fn png_claiming(lebar: u32, tinggi: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(lebar.to_be_bytes());
    ihdr.extend(tinggi.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    out.extend(8u32.to_be_bytes());
    out.extend(idat);
    out.extend(crc32(idat).to_be_bytes());
    out
}

#[test]
fn exif_time_and_gps_position_are_read() {
    let read = check(&contoh::jpeg(64, 48, Some(&bibrik())), "image/jpeg").unwrap();
    assert_eq!(read.jenis, Jenis::Jpeg);
    assert_eq!((read.lebar, read.tinggi), (64, 48));
    assert_eq!(read.waktu_exif.as_deref(), Some("2018-08-31T09:15:00"));
    let p = read.posisi.unwrap();
    assert!((p.lat - -7.5801).abs() < 1e-6, "{p:?}");
    assert!((p.lon - 111.4902).abs() < 1e-6, "{p:?}");
}

#[test]
fn a_photo_without_exif_has_no_time_or_position() {
    let read = check(&contoh::jpeg(10, 10, None), "image/jpeg").unwrap();
    assert_eq!((read.waktu_exif, read.posisi), (None, None));
    let read = check(&contoh::png(10, 10), "image/png").unwrap();
    assert_eq!(read.jenis, Jenis::Png);
}

#[test]
fn the_thumbnail_is_a_jpeg_with_its_longest_side_at_most_320() {
    let read = check(&contoh::png(800, 400), "image/png").unwrap();
    assert!(read.kecil.starts_with(&[0xFF, 0xD8]));
    let (w, h) = image::load_from_memory(&read.kecil)
        .unwrap()
        .to_rgb8()
        .dimensions();
    assert_eq!((w, h), (320, 160));
    // A picture smaller than a thumbnail keeps its size.
    let read = check(&contoh::jpeg(30, 20, None), "image/jpeg").unwrap();
    let small = image::load_from_memory(&read.kecil).unwrap();
    assert_eq!((small.width(), small.height()), (30, 20));
}

#[test]
fn bad_files_are_refused_naming_the_problem() {
    let png = contoh::png(8, 8);
    assert_eq!(
        check(&png, "image/jpeg").unwrap_err(),
        FotoError::Mismatch {
            declared: "image/jpeg",
            found: "image/png"
        }
    );
    assert_eq!(
        check(b"\x00\x01 random bytes, no picture", "image/png").unwrap_err(),
        FotoError::NotAnImage
    );
    let e = check(&png, "image/gif").unwrap_err();
    assert!(matches!(e, FotoError::Unsupported { .. }), "{e}");
    assert!(e.to_string().contains("image/gif"), "{e}");
    let e = baca(
        &png,
        "image/png",
        &Batas {
            max_bytes: 10,
            ..Batas::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e,
        FotoError::TooLarge {
            bytes: png.len(),
            max: 10
        }
    );
    let half = &png[..png.len() / 2];
    let e = check(half, "image/png").unwrap_err();
    assert!(matches!(e, FotoError::Damaged { .. }), "{e}");
}

#[test]
fn a_picture_claiming_too_many_pixels_is_refused_before_it_is_decoded() {
    let e = check(&png_claiming(50_000, 50_000), "image/png").unwrap_err();
    assert_eq!(
        e,
        FotoError::TooManyPixels {
            lebar: 50_000,
            tinggi: 50_000,
            max_pixels: MAX_PIXELS,
            max_side: MAX_SIDE
        }
    );
    // Within the sides but over the pixel count.
    let e = check(&png_claiming(10_000, 9_000), "image/png").unwrap_err();
    assert!(
        matches!(e, FotoError::TooManyPixels { lebar: 10_000, .. }),
        "{e}"
    );
}

#[test]
fn media_types_are_read_loosely_and_written_exactly() {
    assert_eq!(Jenis::from_media_type("IMAGE/JPG; q=1"), Some(Jenis::Jpeg));
    assert_eq!(Jenis::from_media_type("image/webp"), Some(Jenis::Webp));
    assert_eq!(Jenis::from_media_type("image/heic"), None);
    assert_eq!(Jenis::Png.media_type(), "image/png");
}

#[test]
fn offsets_and_implausible_positions() {
    assert!(is_offset("+07:00"));
    assert!(!is_offset("07:00"));
    let zero = ContohExif {
        posisi: Posisi { lon: 0.0, lat: 0.0 },
        ..bibrik()
    };
    let read = check(&contoh::jpeg(8, 8, Some(&zero)), "image/jpeg").unwrap();
    assert_eq!(read.posisi, None);
    assert!(read.waktu_exif.is_some());
}
