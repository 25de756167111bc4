//! End to end: the real `kumuh` binary serving a fresh store over real HTTP, and the
//! viewer driven in Debian's headless Chromium (`web/e2e/viewer.mjs`, playwright-core).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/gdal.rs"]
mod gdal;
#[path = "support/postgres.rs"]
mod postgres;

/// A running `kumuh serve` on a free port, stopped (SIGTERM) when dropped.
struct Server {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
    /// The store: a GeoPackage in `dir`, or a PostGIS database's URL.
    store: PathBuf,
}

fn kumuh(store: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(args)
        .env("KUMUH_STORE", store)
        .env("RUST_LOG", "warn")
        .output()
        .expect("running kumuh");
    assert!(
        out.status.success(),
        "kumuh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Adds user `name` with `args` (`--role …`, `--desa …`) and `password`, read from
/// standard input as an administrator would type it.
fn add_user(store: &Path, name: &str, args: &[&str], password: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(["user", "add", name])
        .args(args)
        .arg("--password-stdin")
        .env("KUMUH_STORE", store)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("running kumuh");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{password}").unwrap();
    }
    assert!(child.wait().unwrap().success(), "kumuh user add {name}");
}

/// Puts one slum location in Sukolilo into the store, assessed in 2019 and 2024 (test
/// data, not a survey).
fn seed_lokasi(store: &Path, dir: &Path) {
    kumuh(store, &["init"]);
    let lokasi = dir.join("lokasi.geojson");
    std::fs::write(
        &lokasi,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"SKL-01","nama":"Sukolilo RT 24 (uji)","kode_desa":"35.19.09.2005","kawasan":"Sukolilo"},
        "geometry":{"type":"Polygon","coordinates":[[[111.475,-7.64],[111.478,-7.64],[111.478,-7.637],[111.475,-7.637],[111.475,-7.64]]]}}]}"#,
    )
    .unwrap();
    kumuh(
        store,
        &["import", lokasi.to_str().unwrap(), "--level", "lokasi"],
    );
    let jalan = dir.join("jalan.geojson");
    std::fs::write(
        &jalan,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"J-01","jenis":"jalan","kondisi":"rusak berat","contoh":true},
        "geometry":{"type":"LineString","coordinates":[[111.474,-7.6385],[111.479,-7.6385]]}}]}"#,
    )
    .unwrap();
    kumuh(
        store,
        &["import", jalan.to_str().unwrap(), "--level", "jaringan"],
    );
    let header = "kode_lokasi,nama_lokasi,kode_desa,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,panjang_jalan_ideal_m,panjang_drainase_ideal_m,v1a,v1b,v1c,v2a,v2b,v3a,v3b,v4a,v4b,v4c,v5a,v5b,v6a,v6b,v7a,v7b";
    let csv = dir.join("penilaian.csv");
    std::fs::write(
        &csv,
        format!(
            "{header}\nSKL-01,Sukolilo RT 24,35.19.09.2005,2019,11,33,168,42,400,0,0,0,0,100,300,1,0,0,0,0,7,7,42,42,33,33\n\
             SKL-01,Sukolilo RT 24,35.19.09.2005,2024,11,33,168,42,400,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        ),
    )
    .unwrap();
    kumuh(store, &["import-assessments", csv.to_str().unwrap()]);
    // RW 024 of Sukolilo and its RT 001 and 002, side by side over the location.
    let rw = dir.join("rw.geojson");
    std::fs::write(
        &rw,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"35.19.09.2005.024","nama":"RW 024 (uji)"},
        "geometry":{"type":"Polygon","coordinates":[[[111.4745,-7.6405],[111.4785,-7.6405],[111.4785,-7.6365],[111.4745,-7.6365],[111.4745,-7.6405]]]}}]}"#,
    )
    .unwrap();
    kumuh(store, &["import", rw.to_str().unwrap(), "--level", "rw"]);
    let rt = dir.join("rt.geojson");
    std::fs::write(
        &rt,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"kode":"35.19.09.2005.024.001","nama":"RT 001 (uji)"},
        "geometry":{"type":"Polygon","coordinates":[[[111.4745,-7.6405],[111.4765,-7.6405],[111.4765,-7.6365],[111.4745,-7.6365],[111.4745,-7.6405]]]}},
        {"type":"Feature","properties":{"kode":"35.19.09.2005.024.002","nama":"RT 002 (uji)"},
        "geometry":{"type":"Polygon","coordinates":[[[111.4765,-7.6405],[111.4785,-7.6405],[111.4785,-7.6365],[111.4765,-7.6365],[111.4765,-7.6405]]]}}]}"#,
    )
    .unwrap();
    kumuh(store, &["import", rt.to_str().unwrap(), "--level", "rt"]);
    // An orthophoto around the location, kept in the store as basemap `ortho`.
    ortho(store, dir, ["111.470", "-7.632", "111.483", "-7.645"]);
}

/// An orthophoto-like raster over `ullr` (west, north, east, south) of one colour
/// (120, 160, 90), cut by GDAL to an MBTiles (zoom 17 and its overviews down to 13) and
/// kept in the store as basemap `ortho`.
fn ortho(store: &Path, dir: &Path, ullr: [&str; 4]) {
    let mbtiles = gdal::orthophoto(
        dir,
        &gdal::Ortho {
            name: "ortho",
            ullr,
            pixels: 1024,
            rgb: [120, 160, 90],
            format: "PNG",
            overviews: &["2", "4", "8", "16"],
        },
    );
    kumuh(
        store,
        &[
            "basemap",
            "add",
            mbtiles.to_str().unwrap(),
            "--name",
            "ortho",
            "--title",
            "Foto udara (uji)",
        ],
    );
}

impl Server {
    fn start() -> Server {
        Self::start_with(|_, _| {})
    }

    /// Starts on a GeoPackage prepared by `setup(store_path, temp_dir)`.
    fn start_with(setup: impl FnOnce(&Path, &Path)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kumuh.gpkg");
        Self::start_on(store, dir, setup)
    }

    /// Starts on a new PostGIS database prepared by `setup(database_url, temp_dir)`;
    /// `None` when the run leaves PostGIS out (`KUMUH_TEST_POSTGRES=skip`).
    fn start_on_postgis(setup: impl FnOnce(&Path, &Path)) -> Option<Server> {
        let url = postgres::fresh_database()?;
        Some(Self::start_on(
            PathBuf::from(url),
            tempfile::tempdir().unwrap(),
            setup,
        ))
    }

    fn start_on(
        store: PathBuf,
        dir: tempfile::TempDir,
        setup: impl FnOnce(&Path, &Path),
    ) -> Server {
        setup(&store, dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_kumuh"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("KUMUH_STORE", &store)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting kumuh serve");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server {
            child,
            base,
            dir,
            store,
        }
    }

    /// The store it serves.
    fn store(&self) -> PathBuf {
        self.store.clone()
    }

    fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "kumuh did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs a browser check (`web/e2e/SCRIPT`) with `args` after the server's URL at a
/// viewport, with more environment `env`; answers its JSON summary once it passed and its
/// screenshot `tests/artifacts/SHOT` was written.
fn browser_check(
    script: &str,
    base: &str,
    args: &[&std::ffi::OsStr],
    shot: &str,
    viewport: &str,
    env: &[(&str, &str)],
) -> serde_json::Value {
    let artifacts = repo().join("tests/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join(shot);
    let _ = std::fs::remove_file(&shot);
    let out = Command::new("node")
        .arg(repo().join("web/e2e").join(script))
        .arg(base)
        .args(args)
        .arg(&shot)
        .env("VIEWPORT", viewport)
        .envs(env.iter().copied())
        .current_dir(repo().join("web"))
        .output()
        .expect("node is needed for the browser test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed at {viewport}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap()).unwrap();
    assert_eq!(summary["ok"], true, "{summary}");
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "screenshot too small"
    );
    summary
}

#[test]
fn the_server_answers_and_stops_gracefully() {
    let mut server = Server::start();
    let client = reqwest::blocking::Client::new();
    let health: serde_json::Value = client
        .get(format!("{}/api/health", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
    let page = client.get(format!("{}/", server.base)).send().unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().unwrap().contains("id=\"map\""));
    let font = client
        .get(format!(
            "{}/fonts/Noto%20Sans%20Regular/0-255.pbf",
            server.base
        ))
        .send()
        .unwrap();
    assert_eq!(font.status(), 200, "glyphs are served");
    let missing = client
        .get(format!("{}/api/nope", server.base))
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().unwrap();
    assert_eq!(body["code"], "not_found");
    let status = server.stop();
    assert!(status.success(), "{status}");
}

#[test]
fn the_viewer_shows_the_villages_in_chromium() {
    let server = Server::start_with(seed_lokasi);
    check_viewer(
        &server,
        &[
            ("1280x800", "viewer.png", ""),
            ("1280x800", "viewer-lokasi.png", "SKL-01"),
            ("390x844", "viewer-phone.png", "SKL-01"),
        ],
    );
}

/// The same viewer checks on a store in PostGIS (the location, lines, assessments, RW and
/// RT and the orthophoto all written there), at one size.
#[test]
fn the_viewer_shows_the_villages_on_postgis_in_chromium() {
    let Some(server) = Server::start_on_postgis(seed_lokasi) else {
        return;
    };
    check_viewer(&server, &[("1280x800", "viewer-postgis.png", "SKL-01")]);
}

/// Runs `viewer.mjs` at each (viewport, screenshot, location) and checks its summary.
fn check_viewer(server: &Server, runs: &[(&str, &str, &str)]) {
    for &(viewport, shot, lokasi) in runs {
        let more = if lokasi.is_empty() { "0" } else { "1" };
        let summary = browser_check(
            "viewer.mjs",
            &server.base,
            &[],
            shot,
            viewport,
            &[
                ("E2E_LOKASI", lokasi),
                ("E2E_JARINGAN", more),
                ("E2E_SEGMEN", more),
                ("E2E_TILES", "1"),
                (
                    "E2E_BLOK",
                    if lokasi.is_empty() {
                        ""
                    } else {
                        "35.19.09.2005.024"
                    },
                ),
                (
                    "E2E_PETA_DASAR",
                    if lokasi.is_empty() { "" } else { "ortho" },
                ),
            ],
        );
        // The map draws from vector tiles, and the layer panel hides and shows the desa.
        assert!(summary["tiles"]["requests"].as_u64() > Some(0), "{summary}");
        assert_eq!(summary["tiles"]["toggle"], true, "{summary}");
        // The layer panel's download: the desa as a zipped Shapefile.
        assert_eq!(summary["ekspor"]["status"], 200, "{summary}");
        assert_eq!(summary["ekspor"]["zip"], true, "{summary}");
        assert!(
            summary["ekspor"]["name"]
                .as_str()
                .is_some_and(|n| n.contains("kumuh-desa")),
            "{summary}"
        );
        if !lokasi.is_empty() {
            assert_eq!(summary["lokasi"]["kode"], lokasi, "{summary}");
            assert_eq!(summary["lokasi"]["kelas"], "tidak_kumuh", "{summary}");
            assert_eq!(summary["lokasi"]["points"], 2, "{summary}");
            assert_eq!(summary["turunan"], 4, "{summary}");
            assert_eq!(summary["jaringan"], 1, "{summary}");
            // RW and RT boundaries from their tile layers, with their own toggle.
            assert_eq!(summary["blok"]["rw"], 1, "{summary}");
            assert_eq!(summary["blok"]["rt"], 2, "{summary}");
            assert_eq!(summary["blok"]["toggle"], true, "{summary}");
            // The orthophoto kept in the store, chosen in the picker and drawn under the
            // atlas from this server's tiles, then taken away.
            let peta = &summary["petaDasar"];
            assert!(peta["tiles"].as_u64() > Some(0), "{summary}");
            assert_eq!(peta["saved"], "ortho", "{summary}");
            assert_eq!(peta["removed"], true, "{summary}");
            assert_eq!(peta["thin"], true, "{summary}");
            // The example work of a new store: its segment drawn, its panel with the
            // APBD money and the funding bar, recoloured by source.
            let segmen = &summary["segmen"];
            assert_eq!(segmen["segmen"], "S1", "{summary}");
            assert_eq!(segmen["rupiah"], "Rp 100.000.000", "{summary}");
            assert!(segmen["features"].as_u64() >= Some(1), "{summary}");
            assert!(segmen["parts"].as_u64() >= Some(1), "{summary}");
            assert_eq!(segmen["warna"], "sumber", "{summary}");
        }
    }
}

/// A new store with an LKM user of Bibrik (for the siteplan editor).
fn seed_lkm(store: &Path, _dir: &Path) {
    kumuh(store, &["init"]);
    add_user(
        store,
        "makmur",
        &["--role", "lkm", "--desa", "35.19.09.2014"],
        "kata-sandi-lkm",
    );
}

#[test]
fn an_lkm_user_uploads_a_segment_photo_in_chromium() {
    check_foto(&Server::start_with(seed_lkm));
}

/// A photo upload into PostgreSQL's `bytea`, through the same panel.
#[test]
fn an_lkm_user_uploads_a_segment_photo_on_postgis_in_chromium() {
    if let Some(server) = Server::start_on_postgis(seed_lkm) {
        check_foto(&server);
    }
}

/// Bibrik's LKM uploads a PNG as segment S1's 100 % photo through the segment panel; the
/// anonymous list shows the uploader's organisation, not the username.
fn check_foto(server: &Server) {
    let summary = browser_check(
        "viewer.mjs",
        &server.base,
        &[],
        "viewer-foto.png",
        "1280x800",
        &[
            ("E2E_SEGMEN", "1"),
            ("E2E_FOTO_USER", "makmur"),
            ("E2E_FOTO_PASSWORD", "kata-sandi-lkm"),
        ],
    );
    assert_eq!(summary["segmen"]["foto"], 0, "{summary}");
    assert_eq!(summary["segmen"]["foto_unggah"], 1, "{summary}");
    // Stored as the 100 % photo; an anonymous list shows the uploader's organisation.
    let list: serde_json::Value = reqwest::blocking::get(format!(
        "{}/api/kegiatan/contoh-35.19.09.2014-2018-paving/segmen/S1/foto",
        server.base
    ))
    .unwrap()
    .json()
    .unwrap();
    assert_eq!(list[0]["tahap"], "100", "{list}");
    assert_eq!(list[0]["pengunggah"], "lkm Bibrik", "{list}");
    assert!(!list.to_string().contains("makmur"), "{list}");
}

#[test]
fn an_lkm_user_draws_saves_and_finds_a_siteplan_polygon_in_chromium() {
    let server = Server::start_with(seed_lkm);
    check_siteplan(
        &server,
        &[
            ("1280x800", "siteplan.png"),
            ("820x1180", "siteplan-tablet.png"),
        ],
    );
}

/// The siteplan editor's versioned writes on a store in PostGIS, at one size.
#[test]
fn an_lkm_user_draws_a_siteplan_on_postgis_in_chromium() {
    let Some(server) = Server::start_on_postgis(seed_lkm) else {
        return;
    };
    check_siteplan(&server, &[("1280x800", "siteplan-postgis.png")]);
}

/// Runs `siteplan.mjs` as Bibrik's LKM at each (viewport, screenshot), then finds the
/// save in the audit log under the LKM's name.
fn check_siteplan(server: &Server, runs: &[(&str, &str)]) {
    for &(viewport, shot) in runs {
        browser_check(
            "siteplan.mjs",
            &server.base,
            &[],
            shot,
            viewport,
            &[("E2E_USER", "makmur"), ("E2E_PASSWORD", "kata-sandi-lkm")],
        );
    }
    // What the browser saved is in the store, under the LKM user's name.
    // Usernames are personal data: read as the LKM of the desa, who may see them.
    let http = reqwest::blocking::Client::new();
    let login: serde_json::Value = http
        .post(format!("{}/api/auth/login", server.base))
        .json(&serde_json::json!({"username": "makmur", "password": "kata-sandi-lkm"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let log: serde_json::Value = http
        .get(format!("{}/api/audit", server.base))
        .bearer_auth(login["token"].as_str().unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|l| l["entitas"] == "siteplan"
                && l["pengguna"] == "makmur"
                && l["aksi"] == "simpan"),
        "{log}"
    );
}

#[test]
fn the_viewer_opens_an_exported_pmtiles_file_offline_in_chromium() {
    check_offline(&Server::start_with(seed_offline), true);
}

/// The packages written from a store in PostGIS, opened the same way (on a laptop).
#[test]
fn the_viewer_opens_packages_from_postgis_offline_in_chromium() {
    if let Some(server) = Server::start_on_postgis(seed_offline) {
        check_offline(&server, false);
    }
}

/// A new store with a drone orthophoto over part of Bibrik, kept in the store.
fn seed_offline(store: &Path, dir: &Path) {
    kumuh(store, &["init"]);
    ortho(store, dir, ["111.488", "-7.570", "111.498", "-7.580"]);
}

/// Writes the atlas package and the orthophoto's package from the served store and opens
/// them offline in `offline.mjs` on a laptop, and (`phone`) the package downloaded with
/// the viewer's own link on a phone, with the orthophoto chosen: one ZIP holding both.
fn check_offline(server: &Server, phone: bool) {
    // Its tiles over Bibrik, packed for the field beside the atlas package.
    let basemap = server.dir.path().join("bibrik-ortho.pmtiles");
    kumuh(
        &server.store(),
        &[
            "basemap",
            "export",
            "ortho",
            "--wilayah",
            "35.19.09.2014",
            "--out",
            basemap.to_str().unwrap(),
        ],
    );
    // The package a field worker takes along, written from the served store.
    let archive = server.dir.path().join("jiwan.pmtiles");
    kumuh(
        &server.store(),
        &[
            "export",
            "--format",
            "pmtiles",
            "--out",
            archive.to_str().unwrap(),
        ],
    );
    // On a laptop the file from the command line; on a phone the package downloaded with
    // the viewer's own link before going offline.
    let laptop = if server.store().to_string_lossy().starts_with("postgres:") {
        "offline-postgis.png"
    } else {
        "offline.png"
    };
    let mut runs = vec![("1280x800", laptop, archive.as_os_str())];
    if phone {
        runs.push((
            "390x844",
            "offline-phone.png",
            std::ffi::OsStr::new("unduh-paket"),
        ));
    }
    for (viewport, shot, file) in runs {
        let paket = file == "unduh-paket";
        let with_basemap = if paket { "" } else { basemap.to_str().unwrap() };
        let summary = browser_check(
            "offline.mjs",
            &server.base,
            &[file],
            shot,
            viewport,
            &[("E2E_PETA_DASAR_FILE", with_basemap)],
        );
        {
            // The orthophoto drawn from its own file (or the package's) under the atlas,
            // offline.
            let peta = &summary["petaDasar"];
            assert!(
                peta["source"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("pmtiles://")),
                "{summary}"
            );
            assert_eq!(peta["below"], true, "{summary}");
            assert_eq!(peta["pixel"], true, "{summary}");
        }
        if paket {
            assert_eq!(summary["downloaded"], "kumuh-35.19.09.zip", "{summary}");
            assert!(
                summary["link"]
                    .as_str()
                    .is_some_and(|l| l.contains("Foto udara (uji)")),
                "{summary}"
            );
        }
        // Drawn from the file with the browser offline, and nothing asked of the server.
        assert_eq!(summary["desa"], 14, "{summary}");
        assert_eq!(summary["kode"], "35.19.09.2014", "{summary}");
        assert_eq!(summary["requests_offline"], 0, "{summary}");
        assert!(
            summary["refused"]
                .as_str()
                .unwrap()
                .contains("bukan-peta.pmtiles"),
            "{summary}"
        );
        assert!(summary["tiles_back"].as_u64() > Some(0), "{summary}");
    }
}

#[test]
fn an_import_while_serving_reaches_the_tiles() {
    let server = Server::start_with(|store, _| kumuh(store, &["init"]));
    let tile = format!("{}/tiles/desa/14/13266/8537.mvt", server.base);
    let etag = |url: &str| {
        let res = reqwest::blocking::get(url).unwrap();
        assert_eq!(res.status(), 200, "{url}");
        res.headers()["etag"].to_str().unwrap().to_owned()
    };
    let before = etag(&tile);
    // The command line imports a new boundary for Bibrik while the server runs.
    let file = server.dir.path().join("bibrik.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"35.19.09.2014","nama":"Bibrik"},
        "geometry":{"type":"Polygon","coordinates":[[[111.490,-7.580],[111.497,-7.580],[111.497,-7.572],[111.490,-7.572],[111.490,-7.580]]]}}]}"#,
    )
    .unwrap();
    kumuh(
        &server.store(),
        &["import", file.to_str().unwrap(), "--level", "desa"],
    );
    // The server follows the store's change feed (every 2 s by default).
    let deadline = Instant::now() + Duration::from_secs(30);
    while etag(&tile) == before {
        assert!(
            Instant::now() < deadline,
            "the tile did not change after the import"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A new store with an `upk` user of Bibrik (sri-upk), a group of Bibrik whose loan fell
/// behind (Rp 3,000,000 over 10 months at 1.5 % flat from 5 January 2025, two instalments
/// paid: eight behind once the term is over, class 4), and a group of Wayut whose loan is
/// paid well ahead (Rp 1,200,000 over 120 months, five years paid in January 2025), so
/// that from November 2025 on Bibrik's PAR is 100 % (kurang) and Wayut's 0 % (baik).
/// Written through `kumuh call` as the users who may write there.
fn seed_upk(store: &Path, dir: &Path) {
    kumuh(store, &["init"]);
    for (name, desa, password) in [
        ("sri-upk", "35.19.09.2014", "kata-sandi-upk"),
        ("wayut-upk", "35.19.09.2009", "kata-sandi-wayut"),
    ] {
        add_user(store, name, &["--role", "upk", "--desa", desa], password);
    }
    let calls = [
        (
            "sri-upk",
            "/api/ksm",
            serde_json::json!({"kode_desa": "35.19.09.2014", "id": "ksm-maju-bersama",
                "nama": "KSM Maju Bersama", "jenis": "ekonomi", "dibentuk": "2024-10-01",
                "anggota": [{"nama": "Sulastri (uji)", "jenis_kelamin": "P"},
                            {"nama": "Sarmin (uji)", "jenis_kelamin": "L"}]}),
        ),
        (
            "sri-upk",
            "/api/pinjaman",
            serde_json::json!({"ksm": "ksm-maju-bersama", "id": "P-01", "pokok_rp": 3_000_000,
                "jangka_bulan": 10, "jasa_persen_bulan": 1.5, "tanggal_cair": "2025-01-05"}),
        ),
        (
            "sri-upk",
            "/api/pinjaman/P-01/angsuran",
            serde_json::json!({"tanggal": "2025-02-05", "jumlah_rp": 345_000}),
        ),
        (
            "sri-upk",
            "/api/pinjaman/P-01/angsuran",
            serde_json::json!({"tanggal": "2025-03-05", "jumlah_rp": 345_000}),
        ),
        (
            "sri-upk",
            "/api/upk/penagihan",
            serde_json::json!({"pinjaman": "P-01", "petugas": ["Bu Sri (UPK)"],
                "tanggal": "2025-04-10", "catatan": "Kunjungan pertama"}),
        ),
        (
            "wayut-upk",
            "/api/ksm",
            serde_json::json!({"kode_desa": "35.19.09.2009", "id": "ksm-sido-rukun",
                "nama": "KSM Sido Rukun", "jenis": "lingkungan",
                "anggota": [{"nama": "Warsini (uji)", "jenis_kelamin": "P"}]}),
        ),
        (
            "wayut-upk",
            "/api/pinjaman",
            serde_json::json!({"ksm": "ksm-sido-rukun", "id": "W-01", "pokok_rp": 1_200_000,
                "jangka_bulan": 120, "jasa_persen_bulan": 1, "tanggal_cair": "2025-01-05"}),
        ),
        (
            "wayut-upk",
            "/api/pinjaman/W-01/angsuran",
            // 60 instalments of Rp 10,000 principal and Rp 12,000 service.
            serde_json::json!({"tanggal": "2025-01-10", "jumlah_rp": 1_320_000}),
        ),
    ];
    for (user, path, body) in calls {
        let file = dir.join("body.json");
        std::fs::write(&file, body.to_string()).unwrap();
        let data = format!("@{}", file.display());
        kumuh(
            store,
            &["call", "POST", path, "--as", user, "--data", data.as_str()],
        );
    }
}

#[test]
fn a_upk_user_sees_the_loan_layer_and_a_desa_loan_panel_in_chromium() {
    let server = Server::start_with(seed_upk);
    check_upk(
        &server,
        &[("1280x800", "upk.png"), ("390x844", "upk-phone.png")],
    );
}

/// The revolving loans (append-only books, kept by PostgreSQL's triggers there) on a
/// store in PostGIS, at one size.
#[test]
fn a_upk_user_sees_the_loans_on_postgis_in_chromium() {
    let Some(server) = Server::start_on_postgis(seed_upk) else {
        return;
    };
    check_upk(&server, &[("1280x800", "upk-postgis.png")]);
}

/// Runs `upk.mjs` at each (viewport, screenshot) and checks the layer, the panel, the
/// arrears and the collection plan of the seeded books.
fn check_upk(server: &Server, runs: &[(&str, &str)]) {
    for &(viewport, shot) in runs {
        let summary = browser_check("upk.mjs", &server.base, &[], shot, viewport, &[]);
        // Drawn: every desa of the kecamatan, Bibrik and Wayut in their PAR band.
        assert_eq!(summary["desa"], 14, "{summary}");
        assert_eq!(summary["bibrik"], "kurang", "{summary}");
        assert_eq!(summary["wayut"], "baik", "{summary}");
        assert_eq!(summary["legend"], 4, "{summary}");
        // Anonymous: the indicators, and a year of months in the charts.
        assert_eq!(summary["title"], "Bibrik", "{summary}");
        assert_eq!(summary["par"]["persen"], "100,00 %", "{summary}");
        assert_eq!(summary["par"]["pita"], "kurang", "{summary}");
        assert_eq!(summary["lar"]["persen"], "100,00 %", "{summary}");
        // Principal due 3,000,000, paid 600,000.
        assert_eq!(summary["rr"]["persen"], "20,00 %", "{summary}");
        assert_eq!(summary["chart"]["months"], 12, "{summary}");
        assert_eq!(summary["anonim"], "indikator", "{summary}");
        // Signed in as Bibrik's UPK: the group, the loan eight behind (class 4), its
        // arrears (8 × 300,000 principal + 8 × 45,000 service).
        let ksm = summary["ksm"].as_array().unwrap();
        assert!(ksm.iter().any(|k| k == "KSM Maju Bersama"), "{summary}");
        assert!(!ksm.iter().any(|k| k == "KSM Sido Rukun"), "{summary}");
        assert_eq!(summary["kolektibilitas"], 4, "{summary}");
        assert_eq!(
            summary["kolektibilitas_text"], "Kol. 4 diragukan",
            "{summary}"
        );
        let row = &summary["tunggakan"];
        assert_eq!(row[1], "8", "{summary}");
        assert_eq!(row[3], "Rp 2.760.000", "{summary}");
        assert_eq!(summary["tunggakan_total"], "Rp 2.760.000", "{summary}");
        assert_eq!(summary["xlsx"]["status"], 200, "{summary}");
        // The collection plan: the one planned visit, not made yet.
        let plan = summary["penagihan"].as_array().unwrap();
        assert_eq!(plan.len(), 1, "{summary}");
        let line = plan[0].as_str().unwrap();
        for part in [
            "KSM Maju Bersama",
            "Bu Sri (UPK)",
            "Kunjungan pertama",
            "belum dikunjungi",
        ] {
            assert!(line.contains(part), "{part} missing in {line}");
        }
        assert_eq!(summary["en"], "Revolving loans", "{summary}");
    }
}

/// A new store with a kabupaten user (perencana) and three surveyed slum locations of
/// Bibrik, each kumuh ringan (16 points: its 400 m of road all damaged, the rest as in the
/// server's scenario test), SKN-A of about 6.6 ha and SKN-B and SKN-C of about 5 ha, each
/// with a planned work paving its road: Rp 60, 50 and 50 million. With Rp 100 million the
/// best set is B and C (10 ha), not A, the best value for money. Test data, not a survey.
fn seed_skenario(store: &Path, dir: &Path) {
    kumuh(store, &["init"]);
    add_user(
        store,
        "perencana",
        &["--role", "kabupaten"],
        "kata-sandi-kab",
    );

    // Squares of `side_m` metres at Bibrik's latitude, side by side.
    let lat = -7.575_f64;
    let mut features = Vec::new();
    let mut rows = Vec::new();
    for (i, (kode, side_m)) in [("SKN-A", 257.0), ("SKN-B", 224.0), ("SKN-C", 224.0)]
        .into_iter()
        .enumerate()
    {
        let x0 = 111.49 + 0.004 * i as f64;
        let dlat = side_m / 110_574.0;
        let dlon = side_m / (111_320.0 * lat.to_radians().cos());
        features.push(serde_json::json!({"type": "Feature",
            "properties": {"kode": kode, "nama": format!("Lokasi {kode} (uji)"),
                           "kode_desa": "35.19.09.2014"},
            "geometry": {"type": "Polygon", "coordinates": [[[x0, lat], [x0 + dlon, lat],
                [x0 + dlon, lat + dlat], [x0, lat + dlat], [x0, lat]]]}}));
        let luas_ha = side_m * side_m / 10_000.0;
        let v1b = luas_ha * 0.3;
        rows.push(format!(
            "{kode},Lokasi {kode},35.19.09.2014,2024,{luas_ha},100,400,100,400,400,0,{v1b},0,0,400,100,0,0,0,0,100,0,0,0,0,0"
        ));
    }
    let lokasi = dir.join("lokasi.geojson");
    std::fs::write(
        &lokasi,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    kumuh(
        store,
        &["import", lokasi.to_str().unwrap(), "--level", "lokasi"],
    );
    let header = "kode_lokasi,nama_lokasi,kode_desa,tahun,luas_ha,jumlah_bangunan,jumlah_penduduk,jumlah_kk,panjang_jalan_ideal_m,panjang_drainase_ideal_m,v1a,v1b,v1c,v2a,v2b,v3a,v3b,v4a,v4b,v4c,v5a,v5b,v6a,v6b,v7a,v7b";
    let csv = dir.join("penilaian.csv");
    std::fs::write(&csv, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    kumuh(store, &["import-assessments", csv.to_str().unwrap()]);

    for (id, lokasi, biaya) in [
        ("jalan-a", "SKN-A", 60_000_000),
        ("jalan-b", "SKN-B", 50_000_000),
        ("jalan-c", "SKN-C", 50_000_000),
    ] {
        let calls = [
            (
                "/api/kegiatan".to_owned(),
                serde_json::json!({"id": id, "nama": format!("Jalan {lokasi}"),
                    "jenis": "jalan_paving", "kode_desa": "35.19.09.2014", "tahun": 2025,
                    "pelaksana": {"jenis": "lkm", "nama": "Makmur Sentosa"}}),
            ),
            (
                format!("/api/kegiatan/{id}/segmen"),
                serde_json::json!({"id": "S1", "nama": "Paving 400 m", "satuan": "m",
                    "volume_rencana": 400,
                    "geometry": {"type": "LineString",
                                 "coordinates": [[111.4935, -7.5753], [111.4972, -7.5753]]},
                    "kriteria": ["2b"], "kode_lokasi": lokasi, "perkiraan_biaya_rp": biaya}),
            ),
        ];
        for (path, body) in calls {
            let file = dir.join("body.json");
            std::fs::write(&file, body.to_string()).unwrap();
            let data = format!("@{}", file.display());
            kumuh(
                store,
                &[
                    "call",
                    "POST",
                    path.as_str(),
                    "--as",
                    "perencana",
                    "--data",
                    data.as_str(),
                ],
            );
        }
    }
}

#[test]
fn a_planner_runs_a_budget_scenario_in_chromium() {
    let server = Server::start_with(seed_skenario);
    check_skenario(
        &server,
        &[
            ("1280x800", "skenario.png"),
            ("390x844", "skenario-phone.png"),
        ],
    );
}

/// The same scenario with the locations, surveys and planned works in PostGIS.
#[test]
fn a_planner_runs_a_budget_scenario_on_postgis_in_chromium() {
    if let Some(server) = Server::start_on_postgis(seed_skenario) {
        check_skenario(&server, &[("1280x800", "skenario-postgis.png")]);
    }
}

/// Runs `skenario.mjs` at each (viewport, screenshot): the optimal set B and C, not the
/// best value for money first.
fn check_skenario(server: &Server, runs: &[(&str, &str)]) {
    for &(viewport, shot) in runs {
        let summary = browser_check("skenario.mjs", &server.base, &[], shot, viewport, &[]);
        assert_eq!(summary["button"], "Skenario", "{summary}");
        assert_eq!(summary["kicker"], "Skenario anggaran", "{summary}");
        // Formatted as typed.
        assert_eq!(summary["anggaran"], "Rp 100.000.000", "{summary}");
        // The optimal set, not the best value for money first (A, 6.6 ha).
        assert_eq!(
            summary["terpilih"],
            serde_json::json!(["jalan-b", "jalan-c"]),
            "{summary}"
        );
        assert_eq!(
            summary["biaya"], "Rp 100.000.000 dari Rp 100.000.000",
            "{summary}"
        );
        let luas = summary["luas"].as_str().unwrap();
        assert!(
            luas.starts_with("10,0") && luas.ends_with(" ha"),
            "{summary}"
        );
        assert!(
            summary["optimal"].as_str().unwrap().starts_with("ya"),
            "{summary}"
        );
        // The location by its name, with its code.
        let judul = summary["lokasi"]["judul"].as_str().unwrap_or_default();
        assert!(
            judul.ends_with("(SKN-B)") && judul.len() > "(SKN-B)".len(),
            "{summary}"
        );
        assert_eq!(summary["lokasi"]["sebelum"], "Kumuh ringan", "{summary}");
        assert_eq!(summary["lokasi"]["sesudah"], "Tidak kumuh", "{summary}");
        // Side by side: the three locations on both small maps, B in its class before
        // and after, in the map's colours.
        let berdampingan = &summary["berdampingan"];
        assert_eq!(berdampingan["sebelum"]["jumlah"], 3, "{summary}");
        assert_eq!(berdampingan["sesudah"]["jumlah"], 3, "{summary}");
        assert_eq!(
            berdampingan["sebelum"]["kelas"], "kumuh_ringan",
            "{summary}"
        );
        assert_eq!(berdampingan["sebelum"]["fill"], "#fed24c", "{summary}");
        assert_eq!(berdampingan["sesudah"]["kelas"], "tidak_kumuh", "{summary}");
        assert_eq!(berdampingan["sesudah"]["fill"], "#8fa89a", "{summary}");
        // On the map: the location drawn in its class after, then before.
        assert_eq!(
            summary["peta"]["sesudah"]["state"], "tidak_kumuh",
            "{summary}"
        );
        assert_eq!(
            summary["peta"]["sebelum"]["state"], "kumuh_ringan",
            "{summary}"
        );
        assert_eq!(summary["xlsx"]["status"], 200, "{summary}");
        assert_eq!(
            summary["xlsx"]["name"], "skenario-anggaran.xlsx",
            "{summary}"
        );
        // Per funding source: APBN may fund no location this small, so APBD kabupaten's
        // Rp 60 million buys A alone, paid by it.
        assert_eq!(
            summary["perSumber"]["anggaran"], "Rp 60.000.000",
            "{summary}"
        );
        assert_eq!(
            summary["perSumber"]["terpilih"],
            serde_json::json!(["jalan-a"]),
            "{summary}"
        );
        assert_eq!(
            summary["perSumber"]["pembayar"],
            serde_json::json!(["APBD kabupaten/kota Rp 60.000.000"]),
            "{summary}"
        );
        assert_eq!(
            summary["perSumber"]["biaya"], "Rp 60.000.000 dari Rp 260.000.000",
            "{summary}"
        );
        assert_eq!(summary["en"], "Budget scenario", "{summary}");
    }
}

#[test]
fn the_documents_print_to_a4_in_chromium() {
    check_cetak(
        &Server::start_with(|store, _| kumuh(store, &["init"])),
        "cetak.png",
    );
}

/// The documents of a new atlas in PostGIS, printed the same way.
#[test]
fn the_documents_print_to_a4_on_postgis_in_chromium() {
    if let Some(server) = Server::start_on_postgis(|store, _| kumuh(store, &["init"])) {
        check_cetak(&server, "cetak-postgis.png");
    }
}

/// Runs `cetak.mjs`: the place panel's Cetak group, then the profile, RPLP and SK annex
/// printed to A4 with their maps, and their workbooks.
fn check_cetak(server: &Server, shot: &str) {
    let summary = browser_check("cetak.mjs", &server.base, &[], shot, "1280x800", &[]);
    // The place panel's group: the profile and the RPLP of the desa and the SK annex of
    // its kabupaten, each with its XLSX.
    assert_eq!(summary["cetak"]["title"], "Cetak", "{summary}");
    assert_eq!(
        summary["cetak"]["links"],
        serde_json::json!([
            "cetak-profil",
            "cetak-profil-xlsx",
            "cetak-rplp",
            "cetak-rplp-xlsx",
            "cetak-sk-kumuh",
            "cetak-sk-kumuh-xlsx"
        ]),
        "{summary}"
    );
    // The annex is the desa's kabupaten's.
    assert_eq!(summary["cetak"]["sk"], "35.19", "{summary}");
    assert_eq!(
        summary["cetak"]["tab"], "Profil Permukiman Kumuh Desa Bibrik",
        "{summary}"
    );
    for name in ["profil", "rplp", "sk-kumuh"] {
        let doc = &summary["dokumen"][name];
        let pdf = std::path::PathBuf::from(doc["file"].as_str().unwrap());
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{name}: {}", pdf.display());
        assert!(
            doc["map"]["width"].as_u64() > Some(100),
            "{name}: {summary}"
        );
        assert!(doc["tables"].as_u64() >= Some(1), "{name}: {summary}");
    }
}

/// A new store with a kabupaten user (perencana), and beside it a zipped Shapefile in UTM
/// zone 49S made by `ogr2ogr` from the shipped Jiwan boundaries: Wayut and Bibrik under new
/// codes (35.19.09.2113 and 2114, not in the store) and new names (`… Baru`), in fields named
/// as BIG's RBI layers name them (KDEPUM, NAMOBJ), which Kumuh does not recognise.
fn seed_impor(store: &Path, dir: &Path) {
    kumuh(store, &["init"]);
    add_user(
        store,
        "perencana",
        &["--role", "kabupaten"],
        "kata-sandi-kab",
    );
    let out = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile"])
        .arg(dir.join("batas_desa_baru.shp.zip"))
        .arg(repo().join("data/jiwan_desa.geojson"))
        .args(["-t_srs", "EPSG:32749", "-nln", "batas_desa_baru"])
        .args(["-dialect", "SQLite", "-sql"])
        .arg(
            "SELECT replace(kode, '35.19.09.20', '35.19.09.21') AS KDEPUM, nama || ' Baru' AS NAMOBJ, geometry \
             FROM jiwan_desa WHERE kode IN ('35.19.09.2013', '35.19.09.2014')",
        )
        .output()
        .expect("ogr2ogr (gdal-bin) is needed for the import check");
    assert!(
        out.status.success(),
        "ogr2ogr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_import_through_the_viewer_reaches_the_map_in_chromium() {
    // A new server for each viewport: the check adds the two desa.
    for (viewport, shot) in [("1280x800", "impor.png"), ("390x844", "impor-phone.png")] {
        check_impor(&Server::start_with(seed_impor), viewport, shot);
    }
}

/// The same import written into PostGIS, at one size.
#[test]
fn an_import_through_the_viewer_reaches_postgis_in_chromium() {
    if let Some(server) = Server::start_on_postgis(seed_impor) {
        check_impor(&server, "1280x800", "impor-postgis.png");
    }
}

/// A kabupaten user imports the zipped Shapefile of `seed_impor` through "Impor data" at
/// `viewport`, and the two desa reach the store, the map and the audit log.
fn check_impor(server: &Server, viewport: &str, shot: &str) {
    let file = server.dir.path().join("batas_desa_baru.shp.zip");
    let summary = browser_check(
        "impor.mjs",
        &server.base,
        &[file.as_os_str()],
        shot,
        viewport,
        &[],
    );
    assert_eq!(summary["title"], "Impor data", "{summary}");
    // Nothing suggested for the RBI field names: the check mapped them by hand.
    assert_eq!(summary["usulan"]["kode"], "", "{summary}");
    assert_eq!(summary["usulan"]["nama"], "", "{summary}");
    assert_eq!(
        summary["peta"]["kode"],
        serde_json::json!(["35.19.09.2113", "35.19.09.2114"]),
        "{summary}"
    );
    assert!(
        summary["hasil"]
            .as_str()
            .unwrap()
            .contains("2 ditambah, 0 diperbarui dari batas_desa_baru.shp.zip"),
        "{summary}"
    );
    assert_eq!(summary["progress"], true, "{summary}");
    assert_eq!(summary["drawn"], "Bibrik Baru", "{summary}");
    // The store holds them, and its audit log names the file.
    let place =
        reqwest::blocking::get(format!("{}/api/places/35.19.09.2113", server.base)).unwrap();
    assert_eq!(place.status(), 200);
    let audit: serde_json::Value = reqwest::blocking::get(format!(
        "{}/api/audit?kunci=batas_desa_baru.shp.zip",
        server.base
    ))
    .unwrap()
    .json()
    .unwrap();
    assert_eq!(audit[0]["entitas"], "impor", "{audit}");
}
