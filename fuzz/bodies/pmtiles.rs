//! The PMTiles reader (`kumuh_tiles::pmtiles`): any bytes give an archive whose header,
//! metadata, directory and tiles can be read (each answer Ok or an error), or an error,
//! never a panic.

use kumuh_tiles::TileId;
use kumuh_tiles::pmtiles::PmTilesReader;

/// Opens `data` as an archive and reads everything it points at; answers whether it
/// held a tile.
pub fn pmtiles(data: &[u8]) -> bool {
    let Ok(reader) = PmTilesReader::new(data) else {
        return false;
    };
    let _ = reader.header();
    let _ = reader.metadata();
    // Every tile the root directory names (bounded: a hostile directory may name
    // millions), and a few fixed ones at both ends of the id range.
    let named = reader
        .root_entries()
        .iter()
        .take(64)
        .filter_map(|e| TileId::from_hilbert_id(e.tile_id))
        .collect::<Vec<_>>();
    let fixed = [(0, 0, 0), (1, 1, 0), (14, 13_265, 8_542), (22, 0, 0)]
        .into_iter()
        .filter_map(|(z, x, y)| TileId::new(z, x, y).ok());
    let mut found = false;
    for tile in named.into_iter().chain(fixed) {
        if let Ok(Some(bytes)) = reader.tile(tile) {
            assert!(
                bytes.len() <= data.len(),
                "a tile cannot outgrow its archive"
            );
            found = true;
        }
    }
    found
}
