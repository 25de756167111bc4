//! PMTiles archives written and read back.

use crate::common;

use kumuh_tiles::pmtiles::{PmTilesOptions, PmTilesReader, PmTilesWriter, VectorLayer};
use kumuh_tiles::{IndexOptions, TileId, TileIndex};

#[test]
fn jiwan_pyramid_round_trips_through_leaf_directories() {
    let (index, _) = TileIndex::build("desa", IndexOptions::default(), common::jiwan()).unwrap();
    let bbox = index.bbox_lonlat().unwrap();
    let tiles: Vec<(TileId, Vec<u8>)> = (0..=17)
        .flat_map(|z| TileId::covering(bbox, z).unwrap())
        .map(|t| (t, index.tile(t)))
        .filter(|(_, b)| !b.is_empty())
        .collect();
    assert!(tiles.len() > 300, "{}", tiles.len());

    let options = PmTilesOptions {
        vector_layers: vec![VectorLayer {
            id: "desa".into(),
            fields: [("nama".to_string(), "String".to_string())].into(),
            minzoom: 0,
            maxzoom: 16,
            description: None,
        }],
        metadata: [("name".to_string(), "Jiwan".to_string())].into(),
        // Force leaf directories with a few hundred tiles.
        max_root_entries: 40,
        ..PmTilesOptions::default()
    };
    let mut writer = PmTilesWriter::new(options);
    // Any order will do.
    for (t, b) in tiles.iter().rev() {
        writer.add_tile(*t, b.clone()).unwrap();
    }
    let mut archive = Vec::new();
    let summary = writer.finish(&mut archive).unwrap();
    assert!(summary.leaf_directories > 1, "{summary:?}");
    assert_eq!(summary.addressed_tiles, tiles.len() as u64);

    let reader = PmTilesReader::new(&archive).unwrap();
    assert!(reader.root_entries().len() <= 40);
    assert!(reader.root_entries().iter().all(|e| e.run_length == 0));
    let h = reader.header();
    // Below z3 Kecamatan Jiwan is smaller than a pixel and its tiles are empty.
    let min_zoom = tiles.iter().map(|(t, _)| t.z()).min().unwrap();
    assert_eq!(h.zooms, (min_zoom, 17));
    assert!(h.clustered);
    assert!(h.bounds_lonlat[0] <= bbox.min().x && h.bounds_lonlat[2] >= bbox.max().x);
    for (t, b) in &tiles {
        assert_eq!(reader.tile(*t).unwrap(), Some(&b[..]), "{t}");
    }
    assert_eq!(reader.tile(TileId::new(16, 0, 0).unwrap()).unwrap(), None);
    let meta: serde_json::Value = serde_json::from_str(&reader.metadata().unwrap()).unwrap();
    assert_eq!(meta["name"], "Jiwan");
    assert_eq!(meta["vector_layers"][0]["id"], "desa");
    assert_eq!(meta["vector_layers"][0]["fields"]["nama"], "String");
}

#[test]
fn many_tiles_dedup_and_spill_into_leaves_by_size() {
    // 30,000 tiles at z12: every third one shares content with its neighbours, so runs
    // and deduplication both occur; the root cannot hold them in 16 KiB.
    let mut writer = PmTilesWriter::new(PmTilesOptions::default());
    let mut expected = Vec::new();
    for i in 0..30_000u32 {
        let tile = TileId::new(12, i % 4096, i / 4096).unwrap();
        let data = if i % 3 == 0 {
            b"shared".to_vec()
        } else {
            format!("tile {i}").into_bytes()
        };
        writer.add_tile(tile, data.clone()).unwrap();
        expected.push((tile, data));
    }
    let mut archive = Vec::new();
    let summary = writer.finish(&mut archive).unwrap();
    assert!(summary.leaf_directories >= 1, "{summary:?}");
    assert_eq!(summary.tile_contents, 20_000 + 1);
    let reader = PmTilesReader::new(&archive).unwrap();
    assert!(reader.header().root.1 as usize + 127 <= 16_384);
    assert_eq!(reader.header().counts.0, 30_000);
    for (t, d) in expected.iter().step_by(97).chain(expected.last()) {
        assert_eq!(reader.tile(*t).unwrap(), Some(&d[..]), "{t}");
    }
}

#[test]
fn uncompressed_directories_round_trip() {
    let options = PmTilesOptions {
        internal_compression: kumuh_tiles::pmtiles::Compression::None,
        ..PmTilesOptions::default()
    };
    let mut writer = PmTilesWriter::new(options);
    let t = TileId::new(3, 5, 2).unwrap();
    writer.add_tile(t, vec![1, 2, 3]).unwrap();
    let mut archive = Vec::new();
    writer.finish(&mut archive).unwrap();
    let reader = PmTilesReader::new(&archive).unwrap();
    assert_eq!(reader.tile(t).unwrap(), Some(&[1u8, 2, 3][..]));
    assert!(reader.metadata().unwrap().starts_with('{'));
}
