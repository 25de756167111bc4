//! The `kumuh` binary on a PostGIS store: `init`, `serve` (one server and two on one
//! database), `migrate` between a GeoPackage file and the database in both directions,
//! and `export --format gpkg`. Each test makes a new database on the server
//! `KUMUH_TEST_POSTGRES` names (`scripts/with-postgres.sh` starts one); without one it
//! fails saying how to get one (`KUMUH_TEST_POSTGRES=skip` leaves these tests out).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "it/common/mod.rs"]
mod common;
use common::{fails, kumuh, kumuh_stdin, ok, sqlite3};
#[path = "../../../tests/support/gdal.rs"]
mod gdal;
use common::postgres::fresh_database;

/// A running `kumuh serve` on a free port, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(store: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kumuh"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("KUMUH_STORE", store)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting kumuh serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Signs `ana` in at `server` and answers the bearer token.
fn sign_in(server: &Server) -> String {
    let res = client()
        .post(format!("{}/api/auth/login", server.base))
        .json(&json!({"username": "ana", "password": "rahasia-123"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn get(url: &str) -> (u16, Value, String) {
    let res = client().get(url).send().unwrap();
    let status = res.status().as_u16();
    let etag = res
        .headers()
        .get("etag")
        .map(|e| e.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = res.bytes().unwrap();
    (
        status,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
        etag,
    )
}

const BIBRIK: &str = "35.19.09.2014";
/// The z14 tile over Bibrik.
const TILE: &str = "14/13266/8537.mvt";

#[test]
fn two_servers_on_one_database_serve_each_others_writes() {
    let Some(url) = fresh_database() else {
        return;
    };
    let store = Path::new(&url);
    let created = ok(&kumuh(store, &["init"]));
    assert!(created.contains("created the store in"), "{created}");
    assert!(fails(&kumuh(store, &["init"])).contains("already holds a Kumuh store"));
    ok(&kumuh_stdin(
        store,
        &["user", "add", "ana", "--password-stdin"],
        "rahasia-123\n",
    ));
    let a = Server::start(&url);
    let b = Server::start(&url);

    // Sign in at A, write a work, read it back from A and from B.
    let token = sign_in(&a);
    let res = client()
        .post(format!("{}/api/kegiatan", a.base))
        .bearer_auth(&token)
        .json(&json!({
            "id": "PG-1", "nama": "Jalan paving RT 09", "jenis": "jalan_paving",
            "kode_desa": BIBRIK, "tahun": 2019,
            "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}
        }))
        .send()
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().unwrap());
    for server in [&a, &b] {
        let (status, body, _) = get(&format!("{}/api/kegiatan/PG-1", server.base));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["kegiatan"]["nama"], "Jalan paving RT 09", "{body}");
    }
    // The seeded atlas answers in tiles from both.
    let tile = |s: &Server| get(&format!("{}/tiles/desa/{TILE}", s.base));
    let (status, _, before) = tile(&b);
    assert_eq!(status, 200);
    assert_eq!(tile(&a).0, 200);

    // A new boundary for Bibrik through A reaches B's answers and B's tiles.
    let res = client()
        .put(format!("{}/api/places/{BIBRIK}", a.base))
        .bearer_auth(&token)
        .json(&json!({
            "nama": "Bibrik Baru",
            "geometry": {"type": "Polygon", "coordinates": [[
                [111.490, -7.580], [111.497, -7.580], [111.497, -7.572], [111.490, -7.572],
                [111.490, -7.580]]]}
        }))
        .send()
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().unwrap());
    let edited = Instant::now();
    let (_, place, _) = get(&format!("{}/api/places/{BIBRIK}", b.base));
    assert_eq!(place["properties"]["nama"], "Bibrik Baru", "{place}");
    while tile(&b).2 == before {
        // The servers follow the change feed every 2 s; allow for a loaded machine.
        assert!(
            edited.elapsed() < Duration::from_secs(10),
            "B's tile did not change after the edit through A"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "an edit through one server reached the other's tiles in {} ms",
        edited.elapsed().as_millis()
    );

    // Failed sign-ins count across servers: five wrong guesses at A slow down the sixth
    // at B, which has seen none of them itself.
    let login = |s: &Server, password: &str| {
        client()
            .post(format!("{}/api/auth/login", s.base))
            .json(&json!({"username": "ana", "password": password}))
            .send()
            .unwrap()
    };
    for _ in 0..5 {
        assert_eq!(login(&a, "salah").status(), 401);
    }
    let res = login(&b, "salah");
    assert_eq!(res.status(), 429, "{}", res.text().unwrap());
    assert!(res.headers().contains_key("retry-after"));
}

#[test]
fn an_atlas_migrates_between_a_file_and_postgis_and_exports_as_a_geopackage() {
    let Some(url) = fresh_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("asal.gpkg");
    ok(&kumuh(&file, &["init"]));
    ok(&kumuh_stdin(
        &file,
        &["user", "add", "ana", "--password-stdin"],
        "rahasia-123\n",
    ));
    // A drone orthophoto kept in the file, which must travel with the atlas.
    let mbtiles = gdal::orthophoto(
        dir.path(),
        &gdal::Ortho {
            name: "ortho",
            ullr: ["111.60", "-7.62", "111.63", "-7.65"],
            pixels: 512,
            rgb: [90, 140, 70],
            format: "PNG",
            overviews: &["2", "4"],
        },
    );
    ok(&kumuh(
        &file,
        &[
            "basemap",
            "add",
            mbtiles.to_str().unwrap(),
            "--name",
            "ortho",
        ],
    ));
    let basemaps = |store: &Path| ok(&kumuh(store, &["basemap", "list"]));
    assert!(basemaps(&file).contains("ortho\tortho\tberkas\tzoom 13-15\t22 tiles"));
    let desa = |store: &Path| ok(&kumuh(store, &["export", "--format", "geojson"]));
    let before = desa(&file);

    // File to database.
    // `migrate` names both stores itself; --store is not used.
    let unused = dir.path().join("tidak-dipakai.gpkg");
    let none = unused.as_path();
    let migrate = |from: &str, to: &str, force: bool| {
        let mut args = vec!["migrate", "--from", from, "--to", to];
        if force {
            args.push("--force");
        }
        kumuh(none, &args)
    };
    let copied = ok(&migrate(file.to_str().unwrap(), &url, false));
    assert!(copied.contains("and 1 basemap(s)"), "{copied}");
    assert_eq!(desa(Path::new(&url)), before);
    assert_eq!(basemaps(Path::new(&url)), basemaps(&file));
    // The user came along, password and all: ana signs in at a server on the database.
    let server = Server::start(&url);
    sign_in(&server);
    drop(server);
    // A second copy into a store that holds an atlas is refused, unless --force.
    let refused = fails(&migrate(file.to_str().unwrap(), &url, false));
    assert!(refused.contains("already holds an atlas"), "{refused}");
    ok(&migrate(file.to_str().unwrap(), &url, true));

    // Database back to a new file, and the database exported as a GeoPackage.
    let back = dir.path().join("kembali.gpkg");
    ok(&migrate(&url, back.to_str().unwrap(), false));
    assert_eq!(desa(&back), before);
    assert_eq!(basemaps(&back), basemaps(&file));
    // Tile for tile.
    let tiles = "SELECT group_concat(z || '/' || x || '/' || y || ':' || hex(data), ',')
                 FROM (SELECT * FROM peta_dasar_ubin ORDER BY z, x, y)";
    assert_eq!(sqlite3(&back, tiles), sqlite3(&file, tiles));
    let export = dir.path().join("ekspor.gpkg");
    ok(&kumuh(
        Path::new(&url),
        &[
            "export",
            "--format",
            "gpkg",
            "--out",
            export.to_str().unwrap(),
        ],
    ));
    assert_eq!(desa(&export), before);
    assert_eq!(sqlite3(&export, tiles), sqlite3(&file, tiles));
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(&export)
        .output()
        .expect("ogrinfo (Debian package gdal-bin)");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("desa (Multi Polygon)"));
}
