//! Neighbours that share a border keep sharing it in every tile: after projection,
//! clipping and snapping, the vertices each polygon has on the shared border are exactly
//! the same. A crack would show as a vertex on the border that only one side has.

use crate::common;

use std::collections::BTreeSet;

use common::mvt;
use geo_types::{Coord, Geometry, LineString, Polygon};
use kumuh_tiles::projection::lonlat_to_unit;
use kumuh_tiles::{Feature, IndexOptions, TileId, TileIndex};

fn polygon(id: u64, ring: Vec<Coord<f64>>) -> Feature {
    Feature {
        id,
        geometry: Geometry::Polygon(Polygon::new(LineString::new(ring), vec![])),
        properties: vec![],
    }
}

/// Two polygons on either side of `border` (a line running roughly south to north):
/// one closed through points far to the west, the other far to the east.
fn neighbours(border: &[Coord<f64>], reach_deg: f64) -> [Feature; 2] {
    let (first, last) = (border[0], border[border.len() - 1]);
    let mut west = border.to_vec();
    west.extend([
        Coord {
            x: last.x - reach_deg,
            y: last.y,
        },
        Coord {
            x: first.x - reach_deg,
            y: first.y,
        },
        first,
    ]);
    let mut east: Vec<_> = border.iter().rev().copied().collect();
    east.extend([
        Coord {
            x: first.x + reach_deg,
            y: first.y,
        },
        Coord {
            x: last.x + reach_deg,
            y: last.y,
        },
        last,
    ]);
    [polygon(1, west), polygon(2, east)]
}

/// Distance in tile units from `p` to the border polyline at this tile.
fn distance_to(border: &[Coord<f64>], tile: TileId, extent: f64, p: [f64; 2]) -> f64 {
    let n = f64::from(1u32 << tile.z());
    let to_tile = |c: &Coord<f64>| {
        let (x, y) = lonlat_to_unit(c.x, c.y);
        [
            (x * n - f64::from(tile.x())) * extent,
            (y * n - f64::from(tile.y())) * extent,
        ]
    };
    let pts: Vec<[f64; 2]> = border.iter().map(to_tile).collect();
    pts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len2 = dx * dx + dy * dy;
            let t = if len2 == 0.0 {
                0.0
            } else {
                (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
            };
            let (cx, cy) = (a[0] + t * dx, a[1] + t * dy);
            ((p[0] - cx).powi(2) + (p[1] - cy).powi(2)).sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Checks every tile that the border crosses, at zooms 4 to 18.
fn check(border: &[Coord<f64>], reach_deg: f64) {
    let (index, issues) = TileIndex::build(
        "desa",
        IndexOptions::default(),
        neighbours(border, reach_deg),
    )
    .unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    let mut tiles_checked = 0;
    let mut shared_vertices = 0;
    for z in 4..=18u8 {
        let mut tiles = BTreeSet::new();
        for w in border.windows(2) {
            for f in 0..=8 {
                let t = f64::from(f) / 8.0;
                let (lon, lat) = (
                    w[0].x + t * (w[1].x - w[0].x),
                    w[0].y + t * (w[1].y - w[0].y),
                );
                tiles.insert(TileId::covering_lonlat(lon, lat, z).unwrap());
            }
        }
        for tile in tiles {
            let layers = mvt::decode(&index.tile(tile)).unwrap();
            let layer = &layers[0];
            let unit = 4096.0 / layer.extent as f64;
            // A snapped vertex lies within half a step (diagonally) of the border.
            let near = 0.75 * unit + 1e-9;
            // Corners of the clip square belong to whichever polygon covers them; one
            // may lie near the border without being on it.
            let (lo, hi) = ((-64.0 / unit) as i64, ((4096.0 + 64.0) / unit) as i64);
            let corner = |p: &[i64; 2]| (p[0] == lo || p[0] == hi) && (p[1] == lo || p[1] == hi);
            let on_border = |id: u64| -> BTreeSet<[i64; 2]> {
                layer
                    .features
                    .iter()
                    .filter(|f| f.id == Some(id))
                    .flat_map(|f| f.parts.iter().flatten())
                    .filter(|p| !corner(p))
                    .filter(|p| {
                        let q = [p[0] as f64 * unit, p[1] as f64 * unit];
                        distance_to(border, tile, 4096.0, q) <= near
                    })
                    .copied()
                    .collect()
            };
            let (west, east) = (on_border(1), on_border(2));
            assert_eq!(
                west, east,
                "tile {tile}: the border differs between neighbours"
            );
            tiles_checked += 1;
            shared_vertices += west.len();
        }
    }
    assert!(
        tiles_checked > 20 && shared_vertices > 40,
        "{tiles_checked} {shared_vertices}"
    );
}

#[test]
fn squares_sharing_a_straight_edge() {
    check(
        &[
            Coord {
                x: 111.4731,
                y: -7.6317,
            },
            Coord {
                x: 111.4731,
                y: -7.5912,
            },
        ],
        0.5,
    );
}

#[test]
fn triangles_sharing_a_diagonal() {
    check(
        &[
            Coord {
                x: 111.4613,
                y: -7.6519,
            },
            Coord {
                x: 111.5127,
                y: -7.5733,
            },
        ],
        0.5,
    );
}

#[test]
fn polygons_sharing_a_winding_border_of_many_vertices() {
    // A deterministic wiggle of 300 vertices with awkward coordinates.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 10_000) as f64 / 10_000.0 - 0.5
    };
    let border: Vec<Coord<f64>> = (0..300)
        .map(|i| {
            let t = f64::from(i) / 299.0;
            Coord {
                x: 111.47 + 0.02 * t + 0.0008 * next(),
                y: -7.66 + 0.09 * t + 0.0002 * next(),
            }
        })
        .collect();
    check(&border, 0.5);
}
