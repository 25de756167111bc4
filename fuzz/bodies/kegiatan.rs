//! Works as JSON and their field parsers (`kumuh_domain::works`): the stored shape of a
//! work (`Kegiatan`, checked on the way in) and the text fields the works API reads
//! (`Rupiah::parse`, `Tanggal::parse`, `SumberDana`, `Volume::from_f64`). Any bytes give
//! a value or an error, never a panic.

use kumuh_domain::works::{Kegiatan, Rupiah, SumberDana, Tanggal, Volume};

/// Reads `data` as a stored work, and as each text field of a works body; answers
/// whether it was a valid work.
pub fn kegiatan(data: &[u8]) -> bool {
    let work = serde_json::from_slice::<Kegiatan>(data);
    if let Ok(k) = &work {
        // A work that was accepted is stored and read back unchanged.
        let text = serde_json::to_string(&k).expect("a work serializes");
        let again: Kegiatan = serde_json::from_str(&text).expect("a stored work reads back");
        assert_eq!(*k, again);
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(r) = Rupiah::parse(&text) {
        assert!(r.get() >= 0, "amounts are never negative: {text:?}");
    }
    if let Ok(t) = Tanggal::parse(&text) {
        assert_eq!(Tanggal::parse(&t.to_string()).ok(), Some(t), "{text:?}");
    }
    let _ = text.parse::<SumberDana>();
    for chunk in data.chunks_exact(8).take(4) {
        let bytes: [u8; 8] = chunk.try_into().expect("eight bytes");
        let _ = Volume::from_f64(f64::from_le_bytes(bytes));
    }
    work.is_ok()
}
