//! What only the PostGIS backend has: typed geometry columns with GiST indexes, the
//! refusal of databases it must not touch, the privilege it needs for the extension,
//! and the sign-in failures shared by every server. Each test uses a new database on
//! the server `KUMUH_TEST_POSTGRES` names and passes with a notice without one.

use kumuh_store::LoginFailureLog;
use kumuh_store::{OpenMode, PgStore, Store, StoreError};

use crate::backend;
use backend::{Backend, database_name, fresh_database};

/// `psql -c sql` on `url`: its output, trimmed, or its error output.
fn psql(url: &str, sql: &str) -> Result<String, String> {
    let out = std::process::Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("the psql command (Debian package postgresql-client)");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[tokio::test]
async fn a_new_database_gets_typed_layers_with_gist_indexes() {
    let Some(t) = Backend::Postgis.open().await else {
        return;
    };
    let info = t.info().await.unwrap();
    assert_eq!((info.backend, info.schema_version), ("postgis", 5));
    let columns = psql(
        &t.location,
        "SELECT f_table_name || ' ' || type || ' ' || srid FROM geometry_columns
         ORDER BY f_table_name",
    )
    .unwrap();
    let expected = [
        "desa MULTIPOLYGON 4326",
        "jaringan MULTILINESTRING 4326",
        "kabupaten MULTIPOLYGON 4326",
        "kecamatan MULTIPOLYGON 4326",
        "kegiatan_segmen GEOMETRY 4326",
        "lokasi_kumuh MULTIPOLYGON 4326",
        "provinsi MULTIPOLYGON 4326",
        "rt MULTIPOLYGON 4326",
        "rw MULTIPOLYGON 4326",
        "siteplan_fitur GEOMETRY 4326",
    ];
    assert_eq!(columns.lines().collect::<Vec<_>>(), expected);
    let gist: u32 = psql(
        &t.location,
        "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist (geom)%'",
    )
    .unwrap()
    .parse()
    .unwrap();
    assert_eq!(gist as usize, expected.len());
    let money = psql(
        &t.location,
        "SELECT data_type FROM information_schema.columns
         WHERE table_name = 'kegiatan_segmen' AND column_name IN ('alokasi_rp', 'realisasi_rp')",
    )
    .unwrap();
    assert_eq!(money, "bigint\nbigint");
    let upk_money = psql(
        &t.location,
        "SELECT table_name || '.' || column_name || ' ' || data_type
         FROM information_schema.columns
         WHERE table_name LIKE 'upk%' AND column_name LIKE '%_rp' ORDER BY table_name",
    )
    .unwrap();
    assert_eq!(
        upk_money,
        "upk_buku.jumlah_rp bigint\nupk_pinjaman.pokok_rp bigint\nupk_tabungan.saldo_rp bigint"
    );

    // Opening again finds the store and creates nothing.
    let (again, created) = PgStore::open(&t.location, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again.info().await.unwrap().schema_version, 5);
}

#[tokio::test]
async fn a_database_from_a_newer_kumuh_is_refused_and_left_untouched() {
    let Some(t) = Backend::Postgis.open().await else {
        return;
    };
    psql(
        &t.location,
        "INSERT INTO kumuh_migrations (version, name) VALUES (99, 'from the future')",
    )
    .unwrap();
    let before = psql(&t.location, "SELECT count(*) FROM pg_tables").unwrap();
    match PgStore::open(&t.location, OpenMode::CreateIfMissing).await {
        Err(StoreError::NewerDatabaseSchema { found, known, .. }) => {
            assert_eq!((found, known), (99, 5));
        }
        other => panic!("expected a newer schema, got {other:?}"),
    }
    assert_eq!(
        psql(&t.location, "SELECT count(*) FROM pg_tables").unwrap(),
        before
    );
    assert_eq!(
        psql(&t.location, "SELECT max(version) FROM kumuh_migrations").unwrap(),
        "99"
    );
}

#[tokio::test]
async fn a_database_holding_other_tables_is_refused_and_left_untouched() {
    let Some(url) = fresh_database().await else {
        return;
    };
    psql(&url, "CREATE TABLE pelanggan (id int)").unwrap();
    let e = PgStore::open(&url, OpenMode::CreateIfMissing)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::NotAKumuhDatabase { tables, .. } if tables == "pelanggan"),
        "{e}"
    );
    assert_eq!(
        psql(
            &url,
            "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"
        )
        .unwrap(),
        "pelanggan"
    );
    assert_eq!(
        psql(
            &url,
            "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"
        )
        .unwrap(),
        "0"
    );
}

#[tokio::test]
async fn a_role_that_may_not_create_postgis_is_told_which_privilege_it_lacks() {
    let Some(url) = fresh_database().await else {
        return;
    };
    let role = database_name("peran");
    psql(&url, &format!("CREATE ROLE {role} LOGIN")).unwrap();
    // The same URL as that role.
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    let as_role = format!("{scheme}://{role}@{host}");
    let e = PgStore::open(&as_role, OpenMode::CreateIfMissing)
        .await
        .unwrap_err();
    match &e {
        StoreError::MissingPrivilege { privilege, .. } => {
            assert!(privilege.contains("CREATE EXTENSION postgis"), "{e}");
        }
        other => panic!("expected a missing privilege, got {other:?}"),
    }
    assert!(e.to_string().contains("permission denied"), "{e}");
    // Nothing was created.
    assert_eq!(
        psql(
            &url,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        )
        .unwrap(),
        "0"
    );

    // Once an administrator has created the extension, the role may make its store
    // (given CREATE on the schema).
    psql(
        &url,
        &format!("CREATE EXTENSION postgis; GRANT CREATE ON SCHEMA public TO {role}"),
    )
    .unwrap();
    let (store, created) = PgStore::open(&as_role, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(store.info().await.unwrap().schema_version, 5);
}

#[tokio::test]
async fn sign_in_failures_are_counted_in_the_database_across_stores() {
    let Some(t) = Backend::Postgis.open().await else {
        return;
    };
    let (a, _) = PgStore::open(&t.location, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    let (b, _) = PgStore::open(&t.location, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    let now = 1_000_000;
    assert_eq!(a.record_login_failure("ana", now, 60).await.unwrap(), 1);
    assert_eq!(b.record_login_failure("ana", now + 1, 60).await.unwrap(), 2);
    assert_eq!(
        a.login_failures("ana", now + 2, 60).await.unwrap(),
        Some((2, now + 1))
    );
    assert_eq!(b.login_failures("budi", now + 2, 60).await.unwrap(), None);
    // The window passes without a failure: the count starts again.
    assert_eq!(a.login_failures("ana", now + 61, 60).await.unwrap(), None);
    assert_eq!(
        a.record_login_failure("ana", now + 61, 60).await.unwrap(),
        1
    );
    b.clear_login_failures("ana").await.unwrap();
    assert_eq!(a.login_failures("ana", now + 62, 60).await.unwrap(), None);
}

#[tokio::test]
async fn an_empty_database_is_left_alone_when_a_store_must_exist() {
    let Some(url) = fresh_database().await else {
        return;
    };
    let e = PgStore::open(&url, OpenMode::MustExist).await.unwrap_err();
    assert!(matches!(e, StoreError::Missing { .. }), "{e}");
    assert!(!e.to_string().contains("password"), "{e}");
    assert_eq!(
        psql(
            &url,
            "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"
        )
        .unwrap(),
        "0"
    );
}

/// A small atlas with something of every kind: places, a location with assessments, a
/// user, a work changed once (version 2) and the audit lines of it all.
async fn fill(store: &dyn Store) {
    use geo_types::{MultiPolygon, polygon};
    use kumuh_domain::works::contoh;
    use kumuh_domain::{Kode, Place, Role, User};
    let desa = Place {
        kode: Kode::parse("35.19.09.2014").unwrap(),
        kode_bps: Some("3519150014".into()),
        nama: "Bibrik".into(),
        nama_alt: vec!["Bibrik Lor".into()],
        geometry: Some(MultiPolygon(vec![polygon![
            (x: 111.49, y: -7.58), (x: 111.5, y: -7.58), (x: 111.5, y: -7.57), (x: 111.49, y: -7.57)
        ]])),
        attributes: Default::default(),
    };
    store.save_place(&desa, "ana").await.unwrap();
    store
        .add_user(&User::new("ana", Role::Admin), "$argon2id$hash")
        .await
        .unwrap();
    let k = contoh::bibrik_paving();
    let write = |versi, nama: &str| {
        let mut k = k.clone();
        k.nama = nama.into();
        (k, versi)
    };
    for (k, versi) in [write(None, "Paving"), write(Some(1), "Paving RT 09")] {
        store
            .save_kegiatan(&kumuh_store::KegiatanWrite {
                kegiatan: &k,
                versi,
                audit: vec![kumuh_store::NewAudit {
                    pengguna: "ana".into(),
                    entitas: "kegiatan".into(),
                    kunci: k.id().to_string(),
                    aksi: "ubah".into(),
                    sebelum: None,
                    sesudah: Some(serde_json::json!({"nama": k.nama})),
                }],
                penilaian: vec![],
                kondisi_jaringan: vec![],
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_whole_atlas_copies_between_backends_in_either_direction() {
    use kumuh_store::{AtlasCopy, GpkgStore};
    let Some(url) = fresh_database().await else {
        return;
    };
    let (pg, _) = PgStore::open(&url, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    fill(&pg).await;
    let atlas = AtlasCopy::read(&pg, true).await.unwrap();
    assert_eq!(atlas.kegiatan[0].versi, 2);
    assert_eq!(atlas.audit.len(), 3);

    // PostGIS to a new GeoPackage: the same atlas reads back, versions and log included.
    let dir = tempfile::tempdir().unwrap();
    let (gpkg, _) = GpkgStore::open(&dir.path().join("a.gpkg"), OpenMode::CreateIfMissing)
        .await
        .unwrap();
    gpkg.load_atlas(&atlas, false).await.unwrap();
    assert_eq!(AtlasCopy::read(&gpkg, true).await.unwrap(), atlas);
    // A second copy is refused unless it replaces what is there.
    let e = gpkg.load_atlas(&atlas, false).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e}");
    gpkg.load_atlas(&atlas, true).await.unwrap();
    assert_eq!(AtlasCopy::read(&gpkg, true).await.unwrap(), atlas);

    // And back into a new database, where new audit lines follow the copied ones.
    let Some(url2) = fresh_database().await else {
        return;
    };
    let (pg2, _) = PgStore::open(&url2, OpenMode::CreateIfMissing)
        .await
        .unwrap();
    pg2.load_atlas(&AtlasCopy::read(&gpkg, true).await.unwrap(), false)
        .await
        .unwrap();
    assert_eq!(AtlasCopy::read(&pg2, true).await.unwrap(), atlas);
    let last = atlas.audit.last().unwrap().id;
    let desa = pg2
        .place(&kumuh_domain::Kode::parse("35.19.09.2014").unwrap())
        .await
        .unwrap()
        .unwrap();
    pg2.save_place(&desa, "budi").await.unwrap();
    let newest = pg2
        .audit(&kumuh_store::AuditQuery {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(newest[0].id, last + 1);
    // The work is changed on the version it was copied at.
    let stored = pg2
        .kegiatan(atlas.kegiatan[0].kegiatan.id().as_str())
        .await
        .unwrap();
    assert_eq!(stored.map(|k| k.versi), Some(2));
}

#[tokio::test]
async fn a_postgis_store_exports_a_geopackage_without_secrets() {
    let Some(t) = Backend::Postgis.open().await else {
        return;
    };
    fill(&*t).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.gpkg");
    t.export_copy(&out).await.unwrap();
    let (copy, created) = kumuh_store::GpkgStore::open(&out, OpenMode::MustExist)
        .await
        .unwrap();
    assert!(!created);
    let c = copy.credentials("ana").await.unwrap().unwrap();
    assert_eq!(c.password_hash, "");
    assert_eq!(
        copy.list_kegiatan(&Default::default()).await.unwrap().len(),
        1
    );
    assert_eq!(
        copy.place(&kumuh_domain::Kode::parse("35.19.09.2014").unwrap())
            .await
            .unwrap(),
        t.place(&kumuh_domain::Kode::parse("35.19.09.2014").unwrap())
            .await
            .unwrap()
    );
    // An existing file is never written over.
    assert!(t.export_copy(&out).await.is_err());
}
