//! `kumuh check`, `kumuh backup` and `kumuh restore` on real files, the warnings an open
//! gives, and the shared export without secrets.

use std::path::{Path, PathBuf};

use crate::common;
use common::{fails, kumuh, ok, sqlite3};

/// A new seeded store in `dir`.
fn init(dir: &Path, name: &str) -> PathBuf {
    let store = dir.join(name);
    ok(&kumuh(&store, &["init"]));
    store
}

/// Overwrites the b-tree header of the `desa` table's root page with garbage.
fn corrupt(path: &Path) {
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

#[test]
fn check_passes_a_good_store_and_names_the_damage_in_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = init(dir.path(), "kumuh.gpkg");
    if common::on_postgis() {
        // The database's own tools look after a PostGIS store; Kumuh says which.
        for command in ["check", "backup", "restore"] {
            let args: &[&str] = match command {
                "check" => &["check"],
                "backup" => &["backup", "--out", "x.gpkg"],
                _ => &["restore", "x.gpkg"],
            };
            let err = fails(&kumuh(&store, args));
            assert!(
                err.contains("works on a GeoPackage file") && err.contains("pg_dump"),
                "{command}: {err}"
            );
        }
        return;
    }
    let out = ok(&kumuh(&store, &["check"]));
    assert!(
        out.contains("kumuh.gpkg: ok (Kumuh schema version"),
        "{out}"
    );

    corrupt(&store);
    let out = kumuh(&store, &["check"]);
    let err = fails(&out);
    assert!(err.contains("kumuh.gpkg"), "{err}");
    assert!(err.contains("problem(s) found"), "{err}");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("integrity: "), "{listed}");

    // Every other command refuses the damaged store, naming it.
    let err = fails(&kumuh(&store, &["export", "--format", "geojson"]));
    assert!(err.contains("kumuh.gpkg: the store is damaged"), "{err}");
}

#[test]
fn a_backup_taken_while_another_connection_writes_passes_the_check() {
    if common::geopackage_only("kumuh backup copies a GeoPackage file") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = init(dir.path(), "kumuh.gpkg");
    let before: u64 = sqlite3(&store, "SELECT count(*) FROM kumuh_audit")
        .parse()
        .unwrap();

    // Another connection keeps appending to the audit log (a table without R-tree
    // triggers, so the sqlite3 command can write it) while the backup runs.
    let writer_store = store.clone();
    let writer = std::thread::spawn(move || {
        let mut sql = String::new();
        for i in 0..300 {
            sql.push_str(&format!(
                "INSERT INTO kumuh_audit (pengguna, entitas, kunci, aksi) VALUES ('uji', 'uji', 'k{i}', 'uji');"
            ));
        }
        for _ in 0..10 {
            sqlite3(
                &writer_store,
                &format!("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE; {sql} COMMIT;"),
            );
        }
    });
    let backup = dir.path().join("backup.gpkg");
    let out = ok(&kumuh(
        &store,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    writer.join().unwrap();
    assert!(out.contains("wrote"), "{out}");
    let checked = ok(&kumuh(&store, &["check", backup.to_str().unwrap()]));
    assert!(checked.contains(": ok"), "{checked}");
    let n: u64 = sqlite3(&backup, "SELECT count(*) FROM kumuh_audit")
        .parse()
        .unwrap();
    // A whole number of the writer's transactions: none is torn by the copy.
    assert!(
        n >= before && (n - before).is_multiple_of(300),
        "{before} then {n}"
    );
    assert_eq!(sqlite3(&backup, "SELECT count(*) FROM desa"), "14");

    // An existing file is replaced only with --force.
    let err = fails(&kumuh(
        &store,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    assert!(err.contains("already exists"), "{err}");
    ok(&kumuh(
        &store,
        &["backup", "--out", backup.to_str().unwrap(), "--force"],
    ));
    assert_eq!(
        sqlite3(&backup, "SELECT count(*) FROM kumuh_audit"),
        (before + 3000).to_string()
    );
}

#[test]
fn restore_refuses_a_corrupt_file_and_puts_a_good_backup_in_place() {
    if common::geopackage_only("kumuh restore puts a GeoPackage file in place") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = init(dir.path(), "kumuh.gpkg");
    let backup = dir.path().join("backup.gpkg");
    ok(&kumuh(
        &store,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    // The store moves on after the backup.
    sqlite3(
        &store,
        "DELETE FROM kumuh_tokens; INSERT INTO kumuh_audit (pengguna, entitas, kunci, aksi) VALUES ('uji', 'uji', 'setelah', 'uji');",
    );
    let after_backup = std::fs::read(&store).unwrap();

    let bad = dir.path().join("bad.gpkg");
    std::fs::copy(&backup, &bad).unwrap();
    corrupt(&bad);
    let err = fails(&kumuh(
        &store,
        &["restore", bad.to_str().unwrap(), "--force"],
    ));
    assert!(err.contains("bad.gpkg"), "{err}");
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&store).unwrap(), after_backup);

    let err = fails(&kumuh(&store, &["restore", backup.to_str().unwrap()]));
    assert!(err.contains("--force"), "{err}");

    let out = ok(&kumuh(
        &store,
        &["restore", backup.to_str().unwrap(), "--force"],
    ));
    assert!(out.contains("must be restarted"), "{out}");
    assert!(out.contains("kumuh.gpkg.before-restore"), "{out}");
    let kept = dir.path().join("kumuh.gpkg.before-restore");
    assert_eq!(
        sqlite3(
            &kept,
            "SELECT count(*) FROM kumuh_audit WHERE kunci = 'setelah'"
        ),
        "1"
    );
    assert_eq!(
        sqlite3(
            &store,
            "SELECT count(*) FROM kumuh_audit WHERE kunci = 'setelah'"
        ),
        "0"
    );
    ok(&kumuh(&store, &["check"]));
}

#[test]
fn an_empty_store_file_is_seeded_with_a_warning() {
    if common::geopackage_only("an empty file where a GeoPackage is named") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    std::fs::write(&store, b"").unwrap();
    let out = kumuh(&store, &["init"]);
    ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("WARN"), "{err}");
    assert!(err.contains("the file was empty (0 bytes)"), "{err}");
}

#[test]
fn the_gpkg_export_holds_no_password_hash_or_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = init(dir.path(), "kumuh.gpkg");
    let out = ok(&kumuh(&store, &["user", "add", "ana", "--role", "admin"]));
    assert!(out.contains("password (shown once)"), "{out}");
    let hash = sqlite3(
        &store,
        "SELECT password_hash FROM kumuh_users WHERE username = 'ana'",
    );
    assert!(hash.starts_with("$argon2"), "{hash}");
    sqlite3(
        &store,
        "INSERT INTO kumuh_tokens (token_hash, username, expires_unix) VALUES ('TOKENHASHabc123', 'ana', 9999999999);",
    );

    let copy = dir.path().join("copy.gpkg");
    ok(&kumuh(
        &store,
        &[
            "export",
            "--format",
            "gpkg",
            "--out",
            copy.to_str().unwrap(),
        ],
    ));
    assert_eq!(sqlite3(&copy, "SELECT count(*) FROM kumuh_tokens"), "0");
    assert_eq!(
        sqlite3(
            &copy,
            "SELECT username || '|' || password_hash FROM kumuh_users"
        ),
        "ana|"
    );
    let bytes = std::fs::read(&copy).unwrap();
    for secret in [hash.as_bytes(), b"TOKENHASHabc123".as_slice()] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret));
    }
}
