//! The photo reader (`kumuh_io::foto::baca`): any bytes, declared as any of the three
//! types, give a checked photo with a JPEG thumbnail within the pixel limit, or an error,
//! never a panic.
//!
//! Seeds (`fuzz/seeds/foto/`): `exif.jpg` is `foto::contoh::jpeg(16, 12, …)` with EXIF
//! time 2018:08:31 09:15:00 and GPS 111.4936 E, 7.5753 S; `plain.png` is
//! `foto::contoh::png(8, 8)`.

use kumuh_io::foto::{Batas, baca};

/// A smaller pixel limit than the server's, so that a mutated header claiming a large
/// picture is refused instead of slowing the fuzzer down.
const BATAS: Batas = Batas {
    max_bytes: 1 << 20,
    max_pixels: 1 << 20,
    max_side: 4096,
    sisi_kecil: 64,
};

/// Reads `data` as each type the atlas keeps; answers whether one accepted it.
pub fn foto(data: &[u8]) -> bool {
    let mut accepted = false;
    for declared in ["image/jpeg", "image/png", "image/webp"] {
        if let Ok(read) = baca(data, declared, &BATAS) {
            assert!(u64::from(read.lebar) * u64::from(read.tinggi) <= BATAS.max_pixels);
            assert!(
                read.kecil.starts_with(&[0xFF, 0xD8]),
                "the thumbnail is a JPEG"
            );
            accepted = true;
        }
    }
    accepted
}
