//! GeoJSON import (`kumuh_io::geojson`): any bytes, read as every kind of layer, give
//! the parsed features or a list of problems, never a panic.

use kumuh_domain::Level;
use kumuh_io::geojson::{ImportKind, parse, parse_skipping};

/// Parses `data` (UTF-8, lossily) as places of every level, slum locations and lines;
/// answers whether some kind read it without problems.
pub fn geojson_import(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let kinds = Level::ALL
        .into_iter()
        .map(ImportKind::Places)
        .chain([ImportKind::Lokasi, ImportKind::Jaringan]);
    let mut accepted = false;
    for kind in kinds {
        let strict = parse("fuzz.geojson", &text, kind);
        let skipping = parse_skipping("fuzz.geojson", &text, kind);
        // The strict reader accepts exactly the files the lenient one reads without
        // leaving anything out.
        assert_eq!(
            strict.is_ok(),
            matches!(&skipping, Ok((_, problems)) if problems.is_empty()),
            "parse and parse_skipping disagree on {kind:?}"
        );
        accepted |= strict.is_ok();
    }
    accepted
}
