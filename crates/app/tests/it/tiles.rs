//! Tile indexes kept in a real GeoPackage store: a start reads them instead of building
//! the layers, and what changed while no server ran (a renamed desa, a bulk import, a
//! feed pruned past them) is in its tiles; kept indexes of another build, or altered,
//! are built again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use geo_types::polygon;
use kumuh_app::Atlas;
use kumuh_app::tiles::{LAYERS, Tiles};
use kumuh_domain::{Kode, Place};
use kumuh_store::{GpkgStore, OpenMode, Store};
use kumuh_tiles::TileId;

const BIBRIK: &str = "35.19.09.2014";

/// A store seeded as `kumuh init` seeds it: Jiwan's desa, the Bibrik location, work
/// (segments) and siteplan.
async fn seeded(dir: &Path) -> (PathBuf, Arc<dyn Store>) {
    let path = dir.join("kumuh.gpkg");
    let (store, _) = GpkgStore::open(&path, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    kumuh_app::seed::seed(
        &Atlas::new(Arc::clone(&store)),
        &kumuh_io::seed::jiwan().unwrap(),
    )
    .await
    .unwrap();
    (path, store)
}

/// Tiles from z6 to z16 around Jiwan and Bibrik's segments, which every layer draws on.
fn sample() -> Vec<TileId> {
    let mut tiles = Vec::new();
    for z in [6, 9, 11, 12, 13, 14, 15, 16] {
        for (lon, lat) in [(111.4935, -7.5753), (111.47, -7.60), (111.52, -7.56)] {
            tiles.push(TileId::covering_lonlat(lon, lat, z).unwrap());
        }
    }
    tiles
}

/// Every layer's bytes of every sample tile.
fn drawn(tiles: &Tiles) -> Vec<(&'static str, TileId, Vec<u8>)> {
    let mut out = Vec::new();
    for def in LAYERS {
        for t in sample() {
            let tile = tiles.tile(def.id, t).unwrap();
            out.push((def.id, t, tiles_gunzip(&tile.gzip)));
        }
    }
    out
}

fn tiles_gunzip(gzip: &[u8]) -> Vec<u8> {
    if gzip.is_empty() {
        return Vec::new();
    }
    kumuh_app::tiles::gunzip(gzip)
}

/// The layers built from the store's features alone, as a reference.
async fn built(store: &dyn Store) -> Vec<(&'static str, TileId, Vec<u8>)> {
    let fresh = Tiles::empty(0).unwrap();
    fresh.reload(store).await.unwrap();
    assert!(!fresh.read_from_kept());
    drawn(&fresh)
}

/// Runs `sql` with the `sqlite3` command, as another process would; answers its output.
fn sql(path: &Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .output()
        .expect("the sqlite3 command (Debian package sqlite3)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Renames Bibrik and moves nothing else, from another process with no server.
async fn rename_bibrik(path: &Path, nama: &str) {
    let (other, _) = GpkgStore::open(path, OpenMode::MustExist).await.unwrap();
    let mut bibrik = other
        .place(&Kode::parse(BIBRIK).unwrap())
        .await
        .unwrap()
        .unwrap();
    bibrik.nama = nama.into();
    other.upsert_places(&[bibrik]).await.unwrap();
    other.close().await;
}

fn shows(drawn: &[(&'static str, TileId, Vec<u8>)], text: &str) -> bool {
    drawn.iter().any(|(layer, _, bytes)| {
        *layer == "desa" && bytes.windows(text.len()).any(|w| w == text.as_bytes())
    })
}

#[tokio::test]
async fn a_start_reads_the_kept_indexes_and_takes_in_what_changed_while_no_server_ran() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = seeded(dir.path()).await;

    // The first start builds the layers and keeps them, at the feed's position.
    let first = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(!first.read_from_kept());
    let latest = store.changes_since(0, 0).await.unwrap().latest;
    let kept = store.tile_indexes().await.unwrap();
    assert_eq!(kept.len(), LAYERS.len());
    assert!(kept.iter().all(|k| k.perubahan == latest), "{kept:?}");
    let before = drawn(&first);
    assert!(before.iter().filter(|(_, _, b)| !b.is_empty()).count() > 40);
    drop(first);

    // The next start reads them, and draws the same tiles.
    let second = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(second.read_from_kept());
    assert_eq!(second.feed_position(), latest);
    assert_eq!(drawn(&second), before);
    // A rebuild at the position already kept (each server on a database rebuilds after
    // a bulk import) leaves the kept indexes as they are.
    let written = "SELECT group_concat(dibuat) FROM kumuh_indeks_ubin;";
    let when = sql(&path, written);
    second.reload(store.as_ref()).await.unwrap();
    assert_eq!(sql(&path, written), when);
    drop(second);

    // Bibrik renamed while no server ran: the start reads the kept indexes, then the
    // feed's change, and draws what a build from the features draws.
    rename_bibrik(&path, "Bibrik Kidul").await;
    let third = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(third.read_from_kept());
    let after = drawn(&third);
    assert!(shows(&after, "Bibrik Kidul") && !shows(&before, "Bibrik Kidul"));
    assert_eq!(after, built(store.as_ref()).await);
    // A work's segments are known again by work: removing the work removes them.
    let segmen = |t: &Tiles| {
        sample()
            .iter()
            .filter(|&&tile| !t.tile("segmen", tile).unwrap().gzip.is_empty())
            .count()
    };
    assert!(segmen(&third) > 0);
    sql(&path, "DELETE FROM kegiatan;");
    third.sync(store.as_ref()).await.unwrap();
    assert_eq!(segmen(&third), 0);
}

#[tokio::test]
async fn a_bulk_import_or_a_pruned_feed_while_no_server_ran_builds_the_layers_again() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = seeded(dir.path()).await;
    drop(Tiles::load(store.as_ref(), 0).await.unwrap());

    // An import of 2,500 desa (one whole-layer entry in the feed) from another process.
    let grid: Vec<Place> = (0..2_500)
        .map(|i| {
            let (lon, lat) = (112.0 + f64::from(i % 50) * 0.01, -7.5 + f64::from(i / 50) * 0.01);
            Place {
                kode: Kode::parse(&format!("35.19.19.{}", 2001 + i)).unwrap(),
                kode_bps: None,
                nama: format!("Grid {i}"),
                nama_alt: vec![],
                geometry: Some(geo_types::MultiPolygon(vec![polygon![
                    (x: lon, y: lat), (x: lon + 0.005, y: lat), (x: lon + 0.005, y: lat + 0.005), (x: lon, y: lat + 0.005)
                ]])),
                attributes: Default::default(),
            }
        })
        .collect();
    let (other, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    other
        .import_audited(kumuh_store::ImportWrite::Places(&grid), &[])
        .await
        .unwrap();
    other.close().await;
    let tiles = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(!tiles.read_from_kept(), "rebuilt for the bulk import");
    let first = TileId::covering_lonlat(112.0025, -7.4975, 14).unwrap();
    let tile = kumuh_app::tiles::gunzip(&tiles.tile("desa", first).unwrap().gzip);
    assert!(tile.windows(6).any(|w| w == b"Grid 0"));
    // And kept again, at the import's position.
    let latest = store.changes_since(0, 0).await.unwrap().latest;
    assert!(
        store
            .tile_indexes()
            .await
            .unwrap()
            .iter()
            .all(|k| k.perubahan == latest)
    );
    drop(tiles);
    assert!(
        Tiles::load(store.as_ref(), 0)
            .await
            .unwrap()
            .read_from_kept()
    );

    // 105,000 changes written straight into the feed: the oldest after the kept
    // position are pruned, so the feed cannot say what changed; Bibrik was renamed
    // among them.
    rename_bibrik(&path, "Bibrik Wetan").await;
    sql(
        &path,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 105000)
         INSERT INTO kumuh_perubahan (lapisan, kunci) SELECT 'rw', 'x' || i FROM n;",
    );
    let tiles = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(!tiles.read_from_kept());
    assert!(shows(&drawn(&tiles), "Bibrik Wetan"));
}

#[tokio::test]
async fn kept_indexes_of_another_build_or_altered_are_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = seeded(dir.path()).await;
    let reference = drawn(&Tiles::load(store.as_ref(), 0).await.unwrap());

    // Another build's (or release's) indexes.
    sql(
        &path,
        "UPDATE kumuh_indeks_ubin SET versi = '0.0.1+0000000000000000';",
    );
    let tiles = Tiles::load(store.as_ref(), 0).await.unwrap();
    assert!(!tiles.read_from_kept());
    assert_eq!(drawn(&tiles), reference);
    assert!(
        store
            .tile_indexes()
            .await
            .unwrap()
            .iter()
            .all(|k| k.versi != "0.0.1+0000000000000000"),
        "kept again by this build"
    );

    // One byte of the desa layer altered, then the desa layer cut short, then a layer
    // missing: each is built again, and draws the same.
    for alter in [
        "UPDATE kumuh_indeks_ubin SET data = substr(data, 1, 100) || x'5A' || substr(data, 102) WHERE lapisan = 'desa';",
        "UPDATE kumuh_indeks_ubin SET data = substr(data, 1, length(data) / 2) WHERE lapisan = 'desa';",
        "DELETE FROM kumuh_indeks_ubin WHERE lapisan = 'label';",
        "UPDATE kumuh_indeks_ubin SET perubahan = perubahan + 1 WHERE lapisan = 'lokasi';",
    ] {
        assert!(
            Tiles::load(store.as_ref(), 0)
                .await
                .unwrap()
                .read_from_kept()
        );
        sql(&path, alter);
        let tiles = Tiles::load(store.as_ref(), 0).await.unwrap();
        assert!(!tiles.read_from_kept(), "{alter}");
        assert_eq!(drawn(&tiles), reference, "{alter}");
    }

    // A read-only store: the layers are built, nothing is kept, nothing fails.
    sql(&path, "DELETE FROM kumuh_indeks_ubin;");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let (read_only, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    let tiles = Tiles::load(&read_only, 0).await.unwrap();
    assert_eq!(drawn(&tiles), reference);
    assert!(store.tile_indexes().await.unwrap().is_empty());
}
