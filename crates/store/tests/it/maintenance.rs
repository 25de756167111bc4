//! Damaged, read-only and empty store files; the full check, backups, restores, and the
//! shared copy without secrets; against real files in a temporary directory.

use std::path::{Path, PathBuf};

use geo_types::{MultiPolygon, polygon};
use kumuh_domain::{Kode, Level, Place, Role, User};

use crate::common;
use common::sqlite3;
use kumuh_store::{
    GpkgStore, OpenMode, OpenWarning, PlaceQuery, Store, StoreError, check_file, restore_file,
};

fn place(kode: &str, nama: &str, lon: f64) -> Place {
    Place {
        kode: Kode::parse(kode).unwrap(),
        kode_bps: None,
        nama: nama.to_owned(),
        nama_alt: vec![],
        geometry: Some(MultiPolygon(vec![polygon![
            (x: lon, y: -7.6), (x: lon + 0.01, y: -7.6), (x: lon + 0.01, y: -7.59), (x: lon, y: -7.59)
        ]])),
        attributes: Default::default(),
    }
}

/// A closed store at `dir/name` holding `n` desa.
async fn store_with(dir: &Path, name: &str, n: usize) -> PathBuf {
    let path = dir.join(name);
    let (store, _) = GpkgStore::open(&path, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    let places: Vec<Place> = (0..n)
        .map(|i| {
            place(
                &format!("35.19.09.{}", 2001 + i),
                &format!("Desa {i}"),
                111.0 + i as f64 * 0.02,
            )
        })
        .collect();
    store.upsert_places(&places).await.unwrap();
    store.close().await;
    path
}

async fn desa_count(path: &Path) -> usize {
    let (store, _) = GpkgStore::open(path, OpenMode::MustExist).await.unwrap();
    let n = store
        .list_places(&PlaceQuery::level(Level::Desa))
        .await
        .unwrap()
        .len();
    store.close().await;
    n
}

/// Overwrites the b-tree header of the `desa` table's root page with garbage.
fn corrupt_desa_page(path: &Path) {
    let root: u64 = sqlite3(
        path,
        "SELECT rootpage FROM sqlite_master WHERE name = 'desa'",
    )
    .parse()
    .unwrap();
    let page_size: u64 = sqlite3(path, "PRAGMA page_size").parse().unwrap();
    let mut bytes = std::fs::read(path).unwrap();
    let start = usize::try_from((root - 1) * page_size).unwrap();
    bytes[start..start + 12].fill(0xFF);
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn a_store_with_a_corrupt_page_is_refused_naming_the_file_and_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with(dir.path(), "t.gpkg", 3).await;
    corrupt_desa_page(&path);
    let before = std::fs::read(&path).unwrap();

    let e = GpkgStore::open(&path, OpenMode::MustExist)
        .await
        .unwrap_err();
    match &e {
        StoreError::Damaged { path: p, found } => {
            assert_eq!(p, &path);
            assert!(!found.is_empty());
        }
        other => panic!("expected a damaged store, got {other:?}"),
    }
    let message = e.to_string();
    assert!(message.contains("t.gpkg"), "{message}");
    assert!(message.contains("damaged"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "file was modified");

    let report = check_file(&path).await.unwrap();
    assert!(!report.is_ok());
    assert!(
        report.problems.iter().any(|p| p.starts_with("integrity: ")),
        "{:?}",
        report.problems
    );
}

#[tokio::test]
async fn a_read_only_store_serves_reads_and_refuses_every_write() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = store_with(dir.path(), "t.gpkg", 2).await;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();

    let (store, created) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    assert!(!created);
    assert!(store.is_read_only());
    assert_eq!(
        store.warnings(),
        [OpenWarning::ReadOnly { path: path.clone() }]
    );
    assert!(store.warnings()[0].to_string().contains("read-only"));
    assert_eq!(
        store
            .list_places(&PlaceQuery::level(Level::Desa))
            .await
            .unwrap()
            .len(),
        2
    );

    let user = User {
        username: "ana".into(),
        role: Role::Admin,
        desa: vec![],
    };
    let kode = Kode::parse("35.19.09.2001").unwrap();
    let refusals = [
        store
            .upsert_places(&[place("35.19.09.2009", "Baru", 111.5)])
            .await
            .map(|_| ()),
        store
            .save_place(&place("35.19.09.2009", "Baru", 111.5), "ana")
            .await
            .map(|_| ()),
        store.delete_place_as(&kode, "ana").await.map(|_| ()),
        store.add_user(&user, "hash").await,
        store.add_token("ana", "t", 1).await,
        store.upsert_lokasi(&[]).await.map(|_| ()),
    ];
    for r in refusals {
        match r {
            Err(StoreError::ReadOnly { path: p, action }) => {
                assert_eq!(p, path);
                assert!(!action.is_empty());
            }
            other => panic!("expected ReadOnly, got {other:?}"),
        }
    }
    store.close().await;
    assert_eq!(std::fs::read(&path).unwrap(), before, "file was modified");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[tokio::test]
async fn an_empty_file_is_seeded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    std::fs::write(&path, b"").unwrap();
    let e = GpkgStore::open(&path, OpenMode::MustExist)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Missing { .. }), "{e}");

    let (store, created) = GpkgStore::open(&path, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(
        store.warnings(),
        [OpenWarning::SeededEmptyFile { path: path.clone() }]
    );
    assert!(store.warnings()[0].to_string().contains("0 bytes"));
    store.close().await;

    // A file that did not exist is created without a word.
    let (fresh, created) = GpkgStore::open(&dir.path().join("new.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(created);
    assert!(fresh.warnings().is_empty());
}

/// Damages a copy of a good store with `sql` (foreign keys off) and checks that the full
/// check names the damage with `expected`.
async fn check(dir: &Path, good: &Path, name: &str, sql: &str, expected: &str) {
    let path = dir.join(name);
    std::fs::copy(good, &path).unwrap();
    sqlite3(&path, &format!("PRAGMA foreign_keys = OFF; {sql}"));
    let report = check_file(&path).await.unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains(expected)),
        "{sql}: expected a problem with {expected:?}, found {:?}",
        report.problems
    );
}

#[tokio::test]
async fn the_full_check_names_each_kind_of_damage() {
    let dir = tempfile::tempdir().unwrap();
    let good = store_with(dir.path(), "good.gpkg", 2).await;
    let report = check_file(&good).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.schema_version, Some(10));

    check(
        dir.path(),
        &good,
        "ghost.gpkg",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('ghost', 'features', 'ghost');",
        "gpkg_contents lists features table ghost",
    )
    .await;
    check(
        dir.path(),
        &good,
        "fk.gpkg",
        "INSERT INTO kumuh_tokens (token_hash, username, expires_unix) VALUES ('h', 'nobody', 0);",
        "foreign key: kumuh_tokens row",
    )
    .await;
    check(
        dir.path(),
        &good,
        "srs.gpkg",
        "UPDATE gpkg_spatial_ref_sys SET organization_coordsys_id = 3857 WHERE srs_id = 4326;",
        "not EPSG:4326",
    )
    .await;
    check(
        dir.path(),
        &good,
        "nosrs.gpkg",
        "DELETE FROM gpkg_spatial_ref_sys WHERE srs_id = 4326;",
        "no srs_id 4326",
    )
    .await;
    check(
        dir.path(),
        &good,
        "future.gpkg",
        "INSERT INTO kumuh_migrations (version, name) VALUES (99, 'future');",
        "schema version 99 is newer",
    )
    .await;
    check(
        dir.path(),
        &good,
        "foreign.gpkg",
        "DROP TABLE kumuh_migrations;",
        "missing table kumuh_migrations",
    )
    .await;
    check(
        dir.path(),
        &good,
        "nocontents.gpkg",
        "DROP TABLE gpkg_geometry_columns;",
        "missing table gpkg_geometry_columns",
    )
    .await;

    let e = check_file(&dir.path().join("none.gpkg")).await.unwrap_err();
    assert!(matches!(e, StoreError::Missing { .. }), "{e}");
}

#[tokio::test]
async fn a_backup_taken_while_another_connection_writes_is_whole_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with(dir.path(), "t.gpkg", 1).await;
    let (store, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    // Another opener of the same file (as a second process would be) keeps writing.
    let (other, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    let writer = tokio::spawn(async move {
        for i in 0..60 {
            other
                .upsert_places(&[place(
                    &format!("35.19.09.{}", 3000 + i),
                    &format!("Baru {i}"),
                    112.0,
                )])
                .await
                .unwrap();
        }
        other.close().await;
    });
    let out = dir.path().join("backup.gpkg");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    store.backup(&out, false).await.unwrap();
    writer.await.unwrap();

    let report = check_file(&out).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let n = desa_count(&out).await;
    assert!((1..=61).contains(&n), "{n}");
    // The backup keeps everything, the R-tree included: it agrees with the table.
    let rtree = sqlite3(&out, "SELECT count(*) FROM rtree_desa_geom");
    assert_eq!(rtree, n.to_string());
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An existing file is replaced only when asked.
    let e = store.backup(&out, false).await.unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(desa_count(&out).await, n);
    store.backup(&out, true).await.unwrap();
    assert_eq!(desa_count(&out).await, 61);
    store.close().await;
}

#[tokio::test]
async fn restore_puts_a_good_store_in_place_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "kumuh.gpkg", 5).await;
    let backup = store_with(dir.path(), "backup.gpkg", 2).await;

    let report = restore_file(&store, &backup).await.unwrap();
    let kept = dir.path().join("kumuh.gpkg.before-restore");
    assert_eq!(report.previous.as_deref(), Some(kept.as_path()));
    assert_eq!(report.schema_version, 10);
    assert_eq!(desa_count(&store).await, 2);
    assert_eq!(desa_count(&kept).await, 5);
    assert_eq!(desa_count(&backup).await, 2, "the source is left as it was");

    // Into an empty place: nothing to keep.
    let fresh = dir.path().join("fresh.gpkg");
    let report = restore_file(&fresh, &backup).await.unwrap();
    assert_eq!(report.previous, None);
    assert_eq!(desa_count(&fresh).await, 2);
}

#[tokio::test]
async fn restore_refuses_a_damaged_foreign_or_newer_file_and_leaves_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "kumuh.gpkg", 3).await;
    let before = std::fs::read(&store).unwrap();

    let corrupt = store_with(dir.path(), "corrupt.gpkg", 3).await;
    corrupt_desa_page(&corrupt);
    let e = restore_file(&store, &corrupt).await.unwrap_err();
    assert!(matches!(e, StoreError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("corrupt.gpkg"), "{e}");

    let newer = store_with(dir.path(), "newer.gpkg", 1).await;
    sqlite3(
        &newer,
        "INSERT INTO kumuh_migrations (version, name) VALUES (99, 'future');",
    );
    let e = restore_file(&store, &newer).await.unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e}"
    );

    let foreign = store_with(dir.path(), "foreign.gpkg", 1).await;
    sqlite3(&foreign, "DROP TABLE kumuh_migrations;");
    let e = restore_file(&store, &foreign).await.unwrap_err();
    assert!(matches!(e, StoreError::NotAKumuhStore { .. }), "{e}");

    let text = dir.path().join("notes.gpkg");
    std::fs::write(&text, "not a database").unwrap();
    let e = restore_file(&store, &text).await.unwrap_err();
    assert!(matches!(e, StoreError::NotAGeoPackage { .. }), "{e}");

    assert_eq!(std::fs::read(&store).unwrap(), before);
    assert!(!dir.path().join("kumuh.gpkg.before-restore").exists());
}

#[tokio::test]
async fn the_shared_copy_leaves_out_tokens_and_password_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with(dir.path(), "t.gpkg", 1).await;
    let (store, _) = GpkgStore::open(&path, OpenMode::MustExist).await.unwrap();
    let user = User {
        username: "ana".into(),
        role: Role::Admin,
        desa: vec![],
    };
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$SECRETSALTSECRETSALT$SECRETHASHSECRETHASH";
    store.add_user(&user, hash).await.unwrap();
    store
        .add_token("ana", "TOKENHASH0123456789abcdef", i64::MAX)
        .await
        .unwrap();

    let out = dir.path().join("shared.gpkg");
    store.export_copy(&out).await.unwrap();
    let tokens = sqlite3(&out, "SELECT count(*) FROM kumuh_tokens");
    assert_eq!(tokens, "0");
    let users = sqlite3(
        &out,
        "SELECT username || ':' || role || ':' || password_hash FROM kumuh_users",
    );
    assert_eq!(users, "ana:admin:");
    // Not even in free pages.
    let bytes = std::fs::read(&out).unwrap();
    for secret in [b"SECRETHASH".as_slice(), b"TOKENHASH0123456789abcdef"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{} is in the copy",
            String::from_utf8_lossy(secret)
        );
    }
    // The copy is a store like any other, and the original keeps its secrets.
    assert_eq!(desa_count(&out).await, 1);
    assert_eq!(
        store
            .credentials("ana")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        hash
    );
    assert!(
        store
            .user_for_token("TOKENHASH0123456789abcdef", 0)
            .await
            .unwrap()
            .is_some()
    );
    // A backup, by contrast, keeps everything.
    let full = dir.path().join("full.gpkg");
    store.backup(&full, false).await.unwrap();
    assert_eq!(sqlite3(&full, "SELECT count(*) FROM kumuh_tokens"), "1");
    store.close().await;
}
