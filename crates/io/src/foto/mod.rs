//! Photos of works (foto dokumentasi): checking an uploaded JPEG, PNG or WebP, reading
//! its EXIF time and GPS position, and making its thumbnail.
//!
//! An upload is untrusted bytes. The type is taken from the bytes themselves and must
//! agree with the type the sender declared; the pixel size is read from the header and
//! judged before anything is decoded, and the decoder runs with limits on width, height
//! and allocation, so a small file that claims a huge picture (a decompression bomb) is
//! refused instead of filling memory. EXIF that cannot be read never refuses a photo: it
//! only leaves out the time or the position.
//!
//! Everything here is CPU work (decoding a 12-megapixel JPEG takes a good part of a
//! second): callers run it off the async workers.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

pub mod contoh;

/// The image types the atlas keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jenis {
    /// JPEG (`image/jpeg`), what cameras and phones write.
    Jpeg,
    /// PNG (`image/png`).
    Png,
    /// WebP (`image/webp`).
    Webp,
}

impl Jenis {
    /// Every type, in the order messages list them.
    pub const ALL: [Jenis; 3] = [Jenis::Jpeg, Jenis::Png, Jenis::Webp];

    /// The media type (`image/jpeg`).
    pub fn media_type(self) -> &'static str {
        match self {
            Jenis::Jpeg => "image/jpeg",
            Jenis::Png => "image/png",
            Jenis::Webp => "image/webp",
        }
    }

    /// The short name of the type, as MBTiles metadata and tile URLs spell it: `jpg`,
    /// `png`, `webp`.
    pub fn ekstensi(self) -> &'static str {
        match self {
            Jenis::Jpeg => "jpg",
            Jenis::Png => "png",
            Jenis::Webp => "webp",
        }
    }

    /// The type of a short name (`jpg`, `jpeg`, `png`, `webp`, any case); `None` for
    /// anything else.
    pub fn from_ekstensi(text: &str) -> Option<Jenis> {
        match text.trim().to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Jenis::Jpeg),
            "png" => Some(Jenis::Png),
            "webp" => Some(Jenis::Webp),
            _ => None,
        }
    }

    /// The type of a media type (`image/jpeg`, `image/jpg`, any case, parameters
    /// ignored); `None` for anything else.
    pub fn from_media_type(text: &str) -> Option<Jenis> {
        let essence = text.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Jenis::Jpeg),
            "image/png" => Some(Jenis::Png),
            "image/webp" => Some(Jenis::Webp),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Jenis::Jpeg => ImageFormat::Jpeg,
            Jenis::Png => ImageFormat::Png,
            Jenis::Webp => ImageFormat::WebP,
        }
    }
}

/// How much a photo may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batas {
    /// Largest file, bytes.
    pub max_bytes: usize,
    /// Most pixels (width × height).
    pub max_pixels: u64,
    /// Longest side, pixels.
    pub max_side: u32,
    /// Longest side of the thumbnail, pixels.
    pub sisi_kecil: u32,
}

/// 15 MiB: a phone's full-resolution JPEG fits with room to spare.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// 64 megapixels: a 48-megapixel phone photo (8064 × 6048) passes; decoding one takes
/// about 150 MB of memory for the moment it is thumbnailed.
pub const MAX_PIXELS: u64 = 64_000_000;
/// Longest side of a photo, pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Longest side of a thumbnail, pixels.
pub const SISI_KECIL: u32 = 320;

impl Default for Batas {
    fn default() -> Self {
        Batas {
            max_bytes: MAX_BYTES,
            max_pixels: MAX_PIXELS,
            max_side: MAX_SIDE,
            sisi_kecil: SISI_KECIL,
        }
    }
}

/// Why a photo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FotoError {
    /// The file is larger than the limit.
    #[error("photo too large: {bytes} bytes, at most {max} bytes ({} MB) are accepted", max / (1024 * 1024))]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The declared type is not one the atlas keeps.
    #[error(
        "unsupported type `{declared}`: send a JPEG (image/jpeg), PNG (image/png) or WebP (image/webp) photo"
    )]
    Unsupported {
        /// The declared media type.
        declared: String,
    },
    /// The bytes are no image the atlas can read.
    #[error("not an image: the file is not a JPEG, PNG or WebP picture")]
    NotAnImage,
    /// The bytes are an image of another type than the one declared.
    #[error("the file is {found}, but was sent as {declared}; send it with Content-Type {found}")]
    Mismatch {
        /// The declared media type.
        declared: &'static str,
        /// The type the bytes are.
        found: &'static str,
    },
    /// The picture has more pixels than the limit.
    #[error(
        "too many pixels: {lebar} × {tinggi}, at most {max_pixels} pixels and {max_side} on a side are accepted"
    )]
    TooManyPixels {
        /// Width, pixels.
        lebar: u32,
        /// Height, pixels.
        tinggi: u32,
        /// The limit on pixels.
        max_pixels: u64,
        /// The limit on a side.
        max_side: u32,
    },
    /// The image's data is damaged (the decoder's message).
    #[error("the {jenis} image cannot be decoded: {message}")]
    Damaged {
        /// The media type.
        jenis: &'static str,
        /// What the decoder said.
        message: String,
    },
    /// The thumbnail could not be written.
    #[error("writing the thumbnail failed: {0}")]
    Thumbnail(String),
}

/// Where a photo was taken, from its EXIF GPS tags (EPSG:4326, degrees).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posisi {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

/// What a checked photo is.
#[derive(Debug, Clone, PartialEq)]
pub struct FotoDibaca {
    /// Its type.
    pub jenis: Jenis,
    /// Width as stored, pixels.
    pub lebar: u32,
    /// Height as stored, pixels.
    pub tinggi: u32,
    /// When it was taken (EXIF `DateTimeOriginal`, with `OffsetTimeOriginal` where the
    /// camera wrote one): `2018-08-31T09:15:00` or `2018-08-31T09:15:00+07:00`.
    pub waktu_exif: Option<String>,
    /// Where it was taken (EXIF GPS).
    pub posisi: Option<Posisi>,
    /// The thumbnail: JPEG, the longest side [`Batas::sisi_kecil`], turned upright as
    /// the EXIF orientation says.
    pub kecil: Vec<u8>,
}

/// Checks an uploaded photo declared as `declared` (a media type) and makes its
/// thumbnail.
///
/// # Examples
/// ```
/// use kumuh_io::foto::{Batas, FotoError, baca};
/// let e = baca(b"hello", "image/jpeg", &Batas::default()).unwrap_err();
/// assert_eq!(e, FotoError::NotAnImage);
/// ```
pub fn baca(bytes: &[u8], declared: &str, batas: &Batas) -> Result<FotoDibaca, FotoError> {
    if bytes.len() > batas.max_bytes {
        return Err(FotoError::TooLarge {
            bytes: bytes.len(),
            max: batas.max_bytes,
        });
    }
    let declared_jenis =
        Jenis::from_media_type(declared).ok_or_else(|| FotoError::Unsupported {
            declared: declared.chars().take(100).collect(),
        })?;
    let jenis = sniff(bytes).ok_or(FotoError::NotAnImage)?;
    if jenis != declared_jenis {
        return Err(FotoError::Mismatch {
            declared: declared_jenis.media_type(),
            found: jenis.media_type(),
        });
    }
    let damaged = |e: image::ImageError| FotoError::Damaged {
        jenis: jenis.media_type(),
        message: e.to_string(),
    };
    // The header alone, read with the decoder's default limits so that the refusal can
    // name the sides the file claims.
    let (lebar, tinggi) = ImageReader::with_format(Cursor::new(bytes), jenis.format())
        .into_dimensions()
        .map_err(|e| too_many_or(e, batas, damaged))?;
    let pixels = u64::from(lebar) * u64::from(tinggi);
    if pixels > batas.max_pixels || lebar > batas.max_side || tinggi > batas.max_side {
        return Err(FotoError::TooManyPixels {
            lebar,
            tinggi,
            max_pixels: batas.max_pixels,
            max_side: batas.max_side,
        });
    }
    let mut decoder = reader(bytes, jenis, batas)
        .into_decoder()
        .map_err(|e| too_many_or(e, batas, damaged))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| too_many_or(e, batas, damaged))?;
    image.apply_orientation(orientation);
    let (waktu_exif, posisi) = exif(bytes);
    Ok(FotoDibaca {
        jenis,
        lebar,
        tinggi,
        waktu_exif,
        posisi,
        kecil: thumbnail(&image, batas.sisi_kecil)?,
    })
}

/// The type the bytes are, from their first bytes (their signature); `None` for anything
/// else.
pub fn sniff(bytes: &[u8]) -> Option<Jenis> {
    let format = image::guess_format(bytes).ok()?;
    Jenis::ALL.into_iter().find(|j| j.format() == format)
}

/// A reader of `bytes` as `jenis` with the decoder's limits set from `batas`: the sides,
/// and memory for the decoded pixels (four bytes each, RGBA at most for these types) with
/// room for the decoder's own buffers.
fn reader<'a>(bytes: &'a [u8], jenis: Jenis, batas: &Batas) -> ImageReader<Cursor<&'a [u8]>> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(batas.max_side);
    limits.max_image_height = Some(batas.max_side);
    limits.max_alloc = Some(batas.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    let mut r = ImageReader::with_format(Cursor::new(bytes), jenis.format());
    r.limits(limits);
    r
}

/// A decoder's refusal for its limits is a picture with too many pixels; anything else
/// is damage.
fn too_many_or(
    e: image::ImageError,
    batas: &Batas,
    damaged: impl Fn(image::ImageError) -> FotoError,
) -> FotoError {
    match e {
        image::ImageError::Limits(_) => FotoError::TooManyPixels {
            lebar: 0,
            tinggi: 0,
            max_pixels: batas.max_pixels,
            max_side: batas.max_side,
        },
        other => damaged(other),
    }
}

/// The JPEG thumbnail of `image`, its longest side at most `sisi` pixels.
fn thumbnail(image: &DynamicImage, sisi: u32) -> Result<Vec<u8>, FotoError> {
    let small = if image.width().max(image.height()) > sisi {
        image.thumbnail(sisi, sisi)
    } else {
        image.clone()
    };
    let rgb = small.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&rgb)
        .map_err(|e| FotoError::Thumbnail(e.to_string()))?;
    Ok(out)
}

/// The time and position EXIF gives, where it gives them readably.
fn exif(bytes: &[u8]) -> (Option<String>, Option<Posisi>) {
    let Ok(data) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return (None, None);
    };
    (waktu(&data), posisi(&data))
}

fn ascii(data: &exif::Exif, tag: exif::Tag) -> Option<Vec<u8>> {
    match &data.get_field(tag, exif::In::PRIMARY)?.value {
        exif::Value::Ascii(parts) => parts.first().cloned(),
        _ => None,
    }
}

/// `DateTimeOriginal` as RFC 3339 without a zone, or with the camera's offset.
fn waktu(data: &exif::Exif) -> Option<String> {
    let text = ascii(data, exif::Tag::DateTimeOriginal)?;
    let t = exif::DateTime::from_ascii(&text).ok()?;
    let valid = (1..=12).contains(&t.month)
        && (1..=31).contains(&t.day)
        && t.hour < 24
        && t.minute < 60
        && t.second < 61;
    if !valid {
        return None;
    }
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    );
    if let Some(offset) = ascii(data, exif::Tag::OffsetTimeOriginal)
        .and_then(|o| String::from_utf8(o).ok())
        .filter(|o| is_offset(o))
    {
        out.push_str(&offset);
    }
    Some(out)
}

/// `+07:00`, `-03:30`.
fn is_offset(o: &str) -> bool {
    let b = o.as_bytes();
    b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b':'
        && b[4..6].iter().all(u8::is_ascii_digit)
}

/// Degrees from EXIF's degrees, minutes and seconds, signed by the reference (`S`, `W`
/// negative).
fn degrees(data: &exif::Exif, tag: exif::Tag, reference: exif::Tag, negative: u8) -> Option<f64> {
    let exif::Value::Rational(dms) = &data.get_field(tag, exif::In::PRIMARY)?.value else {
        return None;
    };
    if dms.is_empty() || dms.iter().any(|r| r.denom == 0) {
        return None;
    }
    let part = |i: usize| dms.get(i).map_or(0.0, exif::Rational::to_f64);
    let value = part(0) + part(1) / 60.0 + part(2) / 3600.0;
    let sign = match ascii(data, reference)?.first() {
        Some(&c) if c.eq_ignore_ascii_case(&negative) => -1.0,
        Some(_) => 1.0,
        None => return None,
    };
    Some(sign * value)
}

fn posisi(data: &exif::Exif) -> Option<Posisi> {
    let lat = degrees(
        data,
        exif::Tag::GPSLatitude,
        exif::Tag::GPSLatitudeRef,
        b'S',
    )?;
    let lon = degrees(
        data,
        exif::Tag::GPSLongitude,
        exif::Tag::GPSLongitudeRef,
        b'W',
    )?;
    let plausible = lat.is_finite()
        && lon.is_finite()
        && lat.abs() <= 90.0
        && lon.abs() <= 180.0
        // Cameras without a fix write zeros.
        && (lat, lon) != (0.0, 0.0);
    plausible.then_some(Posisi { lon, lat })
}

#[cfg(test)]
mod tests;
