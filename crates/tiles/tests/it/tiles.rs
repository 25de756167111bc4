//! Tiles from the index, decoded by an independent strict decoder.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use common::mvt::{self, Val, area2};
use geo_types::{Geometry, LineString, Polygon, line_string, point, polygon};
use kumuh_tiles::{Feature, IndexOptions, IssueKind, TileId, TileIndex, Value, encode_layers};

fn index(features: Vec<Feature>) -> TileIndex {
    let (index, issues) = TileIndex::build("desa", IndexOptions::default(), features).unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    index
}

fn tiles_over(index: &TileIndex, zooms: std::ops::RangeInclusive<u8>) -> Vec<TileId> {
    let bbox = index.bbox_lonlat().unwrap();
    zooms
        .flat_map(|z| TileId::covering(bbox, z).unwrap())
        .collect()
}

#[test]
fn jiwan_tiles_are_valid_mvt_with_properties() {
    let desa = common::jiwan();
    let names: BTreeMap<u64, String> = desa
        .iter()
        .map(|f| {
            let nama = f.properties.iter().find(|(k, _)| k == "nama").unwrap();
            let Value::String(n) = &nama.1 else { panic!() };
            (f.id, n.clone())
        })
        .collect();
    let index = index(desa);
    assert_eq!(index.len(), 14);

    for z in 0..=16u8 {
        let mut seen = BTreeSet::new();
        for tile in tiles_over(&index, z..=z) {
            let bytes = index.tile(tile);
            let layers = mvt::decode(&bytes).unwrap_or_else(|e| panic!("{tile}: {e}"));
            if bytes.is_empty() {
                continue;
            }
            assert_eq!(layers.len(), 1);
            let layer = &layers[0];
            assert_eq!(layer.name, "desa");
            let step = IndexOptions::default().grid_units_at(z);
            assert_eq!(layer.extent, u64::from(4096 / step), "{tile}");
            // Keys and values are stored once per layer.
            assert_eq!(
                layer.keys.iter().collect::<HashSet<_>>().len(),
                layer.keys.len()
            );
            let mut ids = HashSet::new();
            for f in &layer.features {
                assert_eq!(f.kind, 3);
                let id = f.id.expect("feature id");
                assert!(ids.insert(id), "{tile}: id {id} twice");
                seen.insert(id);
                let prop = |k: &str| f.properties.iter().find(|(key, _)| key == k).map(|p| &p.1);
                assert_eq!(prop("nama"), Some(&Val::Str(names[&id].clone())));
                assert!(matches!(prop("luas_km2"), Some(Val::Double(a)) if *a > 0.1));
                assert!(matches!(prop("kode_bps_inferred"), Some(Val::Bool(_))));
            }
        }
        // Every desa is at least a pixel from z8 on; before, the smallest may vanish.
        if z >= 8 {
            assert_eq!(seen.len(), 14, "z{z}: {seen:?}");
        }
    }
}

#[test]
fn holes_wind_the_other_way() {
    let outer = LineString::from(vec![
        (111.0, -7.0),
        (111.2, -7.0),
        (111.2, -7.2),
        (111.0, -7.2),
        (111.0, -7.0),
    ]);
    let hole = LineString::from(vec![
        (111.05, -7.05),
        (111.05, -7.15),
        (111.15, -7.15),
        (111.15, -7.05),
        (111.05, -7.05),
    ]);
    // The input winds the exterior clockwise and the hole counter-clockwise in lon/lat,
    // the opposite of what MVT wants after the flip of the y axis.
    let f = Feature {
        id: 1,
        geometry: Geometry::Polygon(Polygon::new(outer, vec![hole])),
        properties: vec![],
    };
    let index = index(vec![f]);
    for z in [6, 9, 12] {
        let tile = TileId::covering_lonlat(111.1, -7.1, z).unwrap();
        let layers = mvt::decode(&index.tile(tile)).unwrap();
        let rings = &layers[0].features[0].parts;
        assert_eq!(rings.len(), 2, "z{z}");
        assert!(area2(&rings[0]) > 0);
        assert!(area2(&rings[1]) < 0);
    }
}

#[test]
fn lines_and_points_decode() {
    let features = vec![
        Feature {
            id: 7,
            geometry: Geometry::LineString(line_string![
                (x: 111.40, y: -7.60), (x: 111.45, y: -7.62), (x: 111.50, y: -7.60), (x: 111.55, y: -7.63)
            ]),
            properties: vec![("jenis".into(), Value::from("jalan"))],
        },
        Feature {
            id: 8,
            geometry: Geometry::MultiPoint(
                vec![point!(x: 111.45, y: -7.62), point!(x: 111.5, y: -7.6)].into(),
            ),
            properties: vec![("n".into(), Value::from(-3))],
        },
    ];
    let index = index(features);
    for tile in tiles_over(&index, 10..=15) {
        for layer in mvt::decode(&index.tile(tile)).unwrap() {
            for f in &layer.features {
                match f.id {
                    Some(7) => assert_eq!(f.kind, 2),
                    Some(8) => {
                        assert_eq!(f.kind, 1);
                        assert_eq!(f.properties, [("n".to_string(), Val::Int(-3))]);
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
    }
}

#[test]
fn layers_combine_and_empty_tiles_are_empty() {
    let desa = index(common::jiwan());
    let points: Vec<Feature> = common::jiwan()
        .into_iter()
        .map(|f| Feature {
            geometry: Geometry::Point(geo::Centroid::centroid(&f.geometry).unwrap()),
            ..f
        })
        .collect();
    let (titik, _) = TileIndex::build("titik", IndexOptions::default(), points).unwrap();
    let tile = TileId::covering_lonlat(111.48, -7.61, 11).unwrap();
    let layers = mvt::decode(&encode_layers([&desa, &titik], tile)).unwrap();
    let names: Vec<_> = layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["desa", "titik"]);

    let far = TileId::covering_lonlat(0.0, 0.0, 11).unwrap();
    assert!(desa.tile(far).is_empty());
    assert!(encode_layers([&desa, &titik], far).is_empty());
}

#[test]
fn size_limit_drops_properties_then_coarsens() {
    let options = IndexOptions {
        max_tile_bytes: 1500,
        ..IndexOptions::default()
    };
    let (index, _) = TileIndex::build("desa", options, common::jiwan()).unwrap();
    let tile = TileId::covering_lonlat(111.48, -7.61, 12).unwrap();
    let (bytes, stats) = index.tile_with_stats(tile);
    assert!(stats.properties_dropped);
    assert!(stats.grid_units > 1, "{stats:?}");
    let layers = mvt::decode(&bytes).unwrap();
    assert!(layers[0].features.iter().all(|f| f.properties.is_empty()));
    assert_eq!(u64::from(4096 / stats.grid_units), layers[0].extent);
}

#[test]
fn bad_input_is_reported_and_never_panics() {
    let ring = |pts: &[(f64, f64)]| LineString::from(pts.to_vec());
    let features = vec![
        Feature {
            id: 1,
            geometry: Geometry::Polygon(
                polygon![(x: 111.0, y: -7.0), (x: f64::NAN, y: -7.0), (x: 111.1, y: -7.1)],
            ),
            properties: vec![],
        },
        Feature {
            id: 2,
            geometry: Geometry::Polygon(Polygon::new(LineString::new(vec![]), vec![])),
            properties: vec![],
        },
        Feature {
            id: 3,
            // A figure of eight: the ring touches itself at (111.1, -7.1).
            geometry: Geometry::Polygon(Polygon::new(
                ring(&[
                    (111.0, -7.0),
                    (111.2, -7.0),
                    (111.1, -7.1),
                    (111.2, -7.2),
                    (111.0, -7.2),
                    (111.1, -7.1),
                    (111.0, -7.0),
                ]),
                vec![],
            )),
            properties: vec![],
        },
        Feature {
            id: 4,
            geometry: Geometry::Point(point!(x: 1e308, y: -7.0)),
            properties: vec![],
        },
        Feature {
            id: 5,
            geometry: Geometry::LineString(
                line_string![(x: 111.0, y: -7.0), (x: f64::INFINITY, y: -7.0)],
            ),
            properties: vec![],
        },
        Feature {
            id: 6,
            // A hole with a single repeated point and an exterior that is fine.
            geometry: Geometry::Polygon(Polygon::new(
                ring(&[(111.3, -7.0), (111.4, -7.0), (111.4, -7.1), (111.3, -7.0)]),
                vec![ring(&[(111.35, -7.05), (111.35, -7.05), (111.35, -7.05)])],
            )),
            properties: vec![],
        },
    ];
    let (index, issues) = TileIndex::build("t", IndexOptions::default(), features).unwrap();
    let by_id = |id| issues.iter().filter(move |i| i.feature_id == id);
    assert!(
        by_id(1).all(|i| i.skipped && matches!(i.kind, IssueKind::BadCoordinate { vertex: 1, .. }))
    );
    assert!(by_id(2).any(|i| i.skipped && i.kind == IssueKind::Empty));
    assert!(by_id(3).any(|i| !i.skipped && matches!(i.kind, IssueKind::Invalid { .. })));
    assert!(by_id(4).any(|i| i.skipped));
    assert!(by_id(5).any(|i| i.skipped));
    assert!(by_id(6).any(|i| !i.skipped && i.kind == IssueKind::TooFewPoints { part: 0, ring: 1 }));
    for issue in &issues {
        assert!(
            issue
                .to_string()
                .starts_with(&format!("feature {}", issue.feature_id))
        );
    }
    assert_eq!(index.len(), 2);
    for tile in tiles_over(&index, 0..=18) {
        mvt::decode(&index.tile(tile)).unwrap_or_else(|e| panic!("{tile}: {e}"));
    }
}

/// After an upsert, every tile whose bytes changed is among the affected tiles, so a
/// cache that drops exactly those never serves a stale tile.
#[test]
fn affected_tiles_cover_every_changed_tile() {
    let mut index = index(common::jiwan());
    let tiles = tiles_over(&index, 8..=15);
    let before: Vec<Vec<u8>> = tiles.iter().map(|&t| index.tile(t)).collect();

    let mut moved = common::jiwan().remove(3);
    moved.geometry = match moved.geometry {
        Geometry::Polygon(p) => Geometry::Polygon(geo::Translate::translate(&p, 0.004, -0.002)),
        Geometry::MultiPolygon(p) => {
            Geometry::MultiPolygon(geo::Translate::translate(&p, 0.004, -0.002))
        }
        other => other,
    };
    let change = index.upsert(moved);
    assert!(change.issues.is_empty());
    let stale: HashSet<TileId> = change
        .affected_lonlat
        .iter()
        .flat_map(|b| index.affected_tiles(*b, 8..=15))
        .collect();
    let mut changed = 0;
    for (tile, old) in tiles.iter().zip(&before) {
        if index.tile(*tile) != *old {
            changed += 1;
            assert!(stale.contains(tile), "{tile} changed but is not listed");
        }
    }
    assert!(changed > 0);
    // And not everything is listed: the list is about the moved desa.
    assert!(stale.len() < tiles.len());

    let bbox = index.remove(common::jiwan()[5].id).unwrap();
    let gone: HashSet<TileId> = index.affected_tiles(bbox, 12..=12).collect();
    let after_remove: Vec<TileId> = tiles_over(&index, 12..=12);
    assert!(after_remove.iter().any(|t| gone.contains(t)));
}
