use geo_types::{line_string, point, polygon};

use super::*;

fn feature(id: u64, geometry: Geometry<f64>) -> Feature {
    Feature {
        id,
        geometry,
        properties: vec![("n".to_string(), Value::from(id))],
    }
}

fn square(id: u64, lon: f64, lat: f64, size: f64) -> Feature {
    feature(
        id,
        Geometry::Polygon(polygon![
            (x: lon, y: lat), (x: lon + size, y: lat), (x: lon + size, y: lat + size), (x: lon, y: lat + size),
        ]),
    )
}

#[test]
fn options_are_checked() {
    let bad = |f: fn(&mut IndexOptions)| {
        let mut o = IndexOptions::default();
        f(&mut o);
        TileIndex::new("t", o).is_err()
    };
    assert!(!bad(|_| {}));
    assert!(bad(|o| o.extent = 0));
    assert!(bad(|o| o.levels = vec![8, 6]));
    assert!(bad(|o| o.levels = vec![20]));
    assert!(bad(|o| o.grid_units = vec![]));
    assert!(bad(|o| o.grid_units = vec![0]));
    assert!(bad(|o| o.buffer_units = 5000));
}

#[test]
fn grid_units_by_zoom() {
    let o = IndexOptions::default();
    let steps: Vec<u32> = (0..=22).map(|z| o.grid_units_at(z)).collect();
    assert_eq!(steps[..13], [8, 8, 8, 8, 8, 8, 8, 8, 4, 2, 2, 1, 1]);
    assert_eq!(steps[22], 1);
}

#[test]
fn upsert_and_remove_report_boxes() {
    let (mut index, issues) = TileIndex::build(
        "t",
        IndexOptions::default(),
        [square(1, 111.0, -7.0, 0.01), square(2, 111.02, -7.0, 0.01)],
    )
    .unwrap();
    assert!(issues.is_empty());
    assert_eq!(index.len(), 2);

    let change = index.upsert(square(1, 112.0, -7.0, 0.01));
    assert_eq!(change.affected_lonlat.len(), 2);
    assert_eq!(change.affected_lonlat[0].min().x, 111.0);
    assert_eq!(change.affected_lonlat[1].min().x, 112.0);
    let t_old = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
    let t_new = TileId::covering_lonlat(112.005, -6.995, 14).unwrap();
    assert!(index.tile(t_old).is_empty());
    assert!(!index.tile(t_new).is_empty());

    let bbox = index.remove(1).unwrap();
    assert_eq!(bbox.min().x, 112.0);
    assert!(index.remove(1).is_none());
    assert!(index.tile(t_new).is_empty());
    assert_eq!(index.len(), 1);

    // A new feature takes the freed slot; an invalid replacement removes the old one.
    index.upsert(square(3, 113.0, -7.0, 0.01));
    assert_eq!(index.len(), 2);
    let bad = feature(3, Geometry::Point(point!(x: f64::NAN, y: 0.0)));
    let change = index.upsert(bad);
    assert!(change.issues[0].skipped);
    assert!(!index.contains(3));
    assert_eq!(change.affected_lonlat.len(), 1);
}

#[test]
fn an_identical_upsert_changes_nothing() {
    let (mut index, _) =
        TileIndex::build("t", IndexOptions::default(), [square(1, 111.0, -7.0, 0.01)]).unwrap();
    let tile = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
    let before = index.tile(tile);
    let change = index.upsert(square(1, 111.0, -7.0, 0.01));
    assert!(change.affected_lonlat.is_empty());
    assert_eq!(index.tile(tile), before);

    // A changed property, or a coordinate moved by the smallest step, is a change.
    let mut renamed = square(1, 111.0, -7.0, 0.01);
    renamed
        .properties
        .push(("nama".into(), Value::String("Bibrik".into())));
    assert_eq!(index.upsert(renamed).affected_lonlat.len(), 2);
    let nudged = square(1, f64::from_bits(111.0f64.to_bits() + 1), -7.0, 0.01);
    assert_eq!(index.upsert(nudged).affected_lonlat.len(), 2);
}

#[test]
fn duplicate_ids_are_reported_and_replaced() {
    let (index, issues) = TileIndex::build(
        "t",
        IndexOptions::default(),
        [square(1, 111.0, -7.0, 0.01), square(1, 112.0, -7.0, 0.01)],
    )
    .unwrap();
    assert_eq!(issues[0].kind, IssueKind::DuplicateId);
    assert_eq!(index.len(), 1);
    assert_eq!(index.bbox_lonlat().unwrap().min().x, 112.0);
    let t_old = TileId::covering_lonlat(111.005, -6.995, 14).unwrap();
    assert!(index.tile(t_old).is_empty());
}

#[test]
fn affected_tiles_include_the_buffer() {
    let index = TileIndex::new("t", IndexOptions::default()).unwrap();
    // A box just east of a tile edge also stales the tile west of it.
    let tile = TileId::covering_lonlat(111.5, -7.5, 10).unwrap();
    let east = tile.bounds_lonlat().max().x;
    let bbox = Rect::new(
        geo_types::coord! { x: east + 1e-6, y: -7.5 },
        geo_types::coord! { x: east + 2e-6, y: -7.5 },
    );
    let tiles: Vec<_> = index.affected_tiles(bbox, 10..=10).collect();
    assert!(tiles.contains(&tile), "{tiles:?}");
    assert!(tiles.len() >= 2);
    let nan = Rect::new(
        geo_types::coord! { x: f64::NAN, y: 0.0 },
        geo_types::coord! { x: 0.0, y: 0.0 },
    );
    assert_eq!(index.affected_tiles(nan, 0..=22).count(), 0);
    // Zooms beyond 22 are ignored.
    assert!(index.affected_tiles(bbox, 20..=30).count() > 0);
}

#[test]
fn lines_and_points_are_encoded() {
    let (index, issues) = TileIndex::build(
        "t",
        IndexOptions::default(),
        [
            feature(
                1,
                Geometry::LineString(
                    line_string![(x: 111.0, y: -7.0), (x: 111.5, y: -7.2), (x: 112.0, y: -7.0)],
                ),
            ),
            feature(2, Geometry::Point(point!(x: 111.5, y: -7.2))),
        ],
    )
    .unwrap();
    assert!(issues.is_empty());
    for z in [0, 6, 9, 12, 15] {
        let t = TileId::covering_lonlat(111.5, -7.2, z).unwrap();
        let (bytes, stats) = index.tile_with_stats(t);
        assert!(!bytes.is_empty());
        assert_eq!(stats.features, 2, "z{z}");
    }
}

#[test]
fn properties_can_wait_for_a_zoom() {
    let options = IndexOptions {
        properties_min_zoom: 10,
        ..IndexOptions::default()
    };
    let (index, _) = TileIndex::build("t", options, [square(1, 111.0, -7.0, 0.05)]).unwrap();
    let low = index.tile(TileId::covering_lonlat(111.02, -6.98, 8).unwrap());
    let high = index.tile(TileId::covering_lonlat(111.02, -6.98, 10).unwrap());
    let has_key = |t: &[u8]| t.windows(3).any(|w| w == [0x1a, 1, b'n']);
    assert!(!has_key(&low));
    assert!(has_key(&high));
}

#[test]
fn huge_and_tiny_geometry_do_not_panic() {
    let (index, issues) = TileIndex::build(
        "t",
        IndexOptions::default(),
        [
            feature(1, Geometry::Polygon(polygon![
                (x: -180.0, y: -90.0), (x: 180.0, y: -90.0), (x: 180.0, y: 90.0), (x: -180.0, y: 90.0),
            ])),
            square(2, 111.0, -7.0, 1e-12),
            feature(3, Geometry::Polygon(polygon![(x: 0.0, y: 0.0), (x: 1e-300, y: 0.0), (x: 0.0, y: 1e-300)])),
        ],
    )
    .unwrap();
    // The whole world is fine; the two specks vanish in the world grid.
    assert!(issues.iter().all(|i| i.feature_id != 1), "{issues:?}");
    assert_eq!(issues.len(), 2, "{issues:?}");
    for z in 0..=22 {
        let t = TileId::covering_lonlat(111.0, -7.0, z).unwrap();
        let (_, stats) = index.tile_with_stats(t);
        assert!(stats.features >= 1, "z{z}");
    }
}

#[test]
fn values_of_a_property_by_feature() {
    let (index, _) = TileIndex::build(
        "t",
        IndexOptions::default(),
        [square(1, 111.0, -7.0, 0.01), square(2, 111.02, -7.0, 0.01)],
    )
    .unwrap();
    assert_eq!(
        index.values_of("n"),
        [(1, &Value::UInt(1)), (2, &Value::UInt(2))]
    );
    assert!(index.values_of("nama").is_empty());
}
