//! Crash safety end to end: the real `kumuh serve` takes concurrent writes (places
//! created, allocations added to the example work) and is killed with SIGKILL while
//! they are in flight. After a restart every write it acknowledged is there, and the
//! GeoPackage passes SQLite's `PRAGMA integrity_check`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../crates/cli/tests/it/common/mod.rs"]
mod common;
use common::{kumuh_stdin, ok, sqlite3};

/// Concurrent writers; even ones create places, odd ones add allocations.
const WRITERS: usize = 16;
/// Writes per writer at most: enough that the kill, not the end of the work, stops them.
const WRITES_EACH: usize = 99;
/// The kill comes once this many writes were acknowledged (or after `KILL_AFTER`).
const ACKED_BEFORE_KILL: usize = 60;
const KILL_AFTER: Duration = Duration::from_secs(4);
/// The example work seeded by `kumuh init` and its first segment.
const KEGIATAN: &str = "contoh-35.19.09.2014-2018-paving";
const SEGMEN: &str = "S1";
const PASSWORD: &str = "kata-sandi-uji-crash";

/// A write the server answered 200 to.
#[derive(Debug, Clone)]
enum Acked {
    Place { kode: String, nama: String },
    Alokasi { uraian: String },
}

/// Runs `kumuh ARGS` on `store` with `stdin` as its input; it must succeed.
fn kumuh(store: &Path, args: &[&str], stdin: &str) {
    ok(&kumuh_stdin(store, args, stdin));
}

/// Starts `kumuh serve` on a free port; answers the process and its base URL.
fn serve(store: &Path) -> (Child, String) {
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
    (child, base)
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn login(base: &str) -> String {
    let res = client()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    body["token"].as_str().unwrap().to_owned()
}

fn integrity_check(store: &Path) {
    assert_eq!(sqlite3(store, "PRAGMA integrity_check;"), "ok");
}

/// A small square around a point, as a GeoJSON Polygon.
fn square(lon: f64, lat: f64) -> Value {
    let d = 0.001;
    json!({"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]
    ]]})
}

/// One writer's loop: writes until the server stops answering. Answers the writes it
/// made that were acknowledged; a refusal other than a lost race fails the test.
fn writer(base: &str, token: &str, w: usize, acked: &AtomicUsize) -> Vec<Acked> {
    let http = client();
    let mut mine = Vec::new();
    for i in 0..WRITES_EACH {
        let (request, write) = if w.is_multiple_of(2) {
            // Desa codes of a kecamatan the seed does not have, one per write.
            let kode = format!("35.19.99.{}", 1000 + w * 100 + i);
            let nama = format!("Uji crash {w}-{i}");
            let body = json!({"nama": nama, "geometry": square(111.4 + w as f64 * 0.01, -7.6 + i as f64 * 0.002)});
            (
                http.put(format!("{base}/api/places/{kode}")).json(&body),
                Acked::Place { kode, nama },
            )
        } else {
            let uraian = format!("uji-crash-{w}-{i}");
            let body = json!({"sumber": "swadaya", "jumlah": 1000 + i, "uraian": uraian});
            (
                http.post(format!(
                    "{base}/api/kegiatan/{KEGIATAN}/segmen/{SEGMEN}/alokasi"
                ))
                .json(&body),
                Acked::Alokasi { uraian },
            )
        };
        let Ok(res) = request.bearer_auth(token).send() else {
            // The server is gone: what it answered before is what must survive.
            break;
        };
        match res.status().as_u16() {
            200 => {
                mine.push(write);
                acked.fetch_add(1, Ordering::SeqCst);
            }
            // Retries of a busy work can run out; the write was not acknowledged.
            409 => {}
            status => {
                // A response cut by the kill is not an acknowledgement either.
                let Ok(text) = res.text() else { break };
                panic!("writer {w}, write {i}: {status} {text}");
            }
        }
    }
    mine
}

#[test]
fn acknowledged_writes_survive_a_sigkill_and_the_file_stays_sound() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kumuh.gpkg");
    kumuh(&store, &["init"], "");
    kumuh(
        &store,
        &[
            "user",
            "add",
            "admin",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );

    let (mut server, base) = serve(&store);
    let token = login(&base);
    let acked_count = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (base, token) = (base.clone(), token.clone());
            let (count, acked) = (acked_count.clone(), acked.clone());
            std::thread::spawn(move || {
                let mine = writer(&base, &token, w, &count);
                acked.lock().unwrap().extend(mine);
            })
        })
        .collect();
    let start = Instant::now();
    while acked_count.load(Ordering::SeqCst) < ACKED_BEFORE_KILL && start.elapsed() < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(10));
    }
    // `Child::kill` is SIGKILL on Unix: no shutdown code runs.
    server.kill().unwrap();
    server.wait().unwrap();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= ACKED_BEFORE_KILL,
        "only {} writes were acknowledged in {KILL_AFTER:?}",
        acked.len()
    );
    assert!(
        acked.len() < WRITERS * WRITES_EACH,
        "the writers finished before the kill"
    );
    integrity_check(&store);

    let (mut server, base) = serve(&store);
    let http = client();
    let work: Value = http
        .get(format!("{base}/api/kegiatan/{KEGIATAN}"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let work_text = work.to_string();
    let mut missing = Vec::new();
    for write in &acked {
        match write {
            Acked::Place { kode, nama } => {
                let res = http
                    .get(format!("{base}/api/places/{kode}"))
                    .send()
                    .unwrap();
                let found = res.status() == 200
                    && res.json::<Value>().unwrap()["properties"]["nama"] == nama.as_str();
                if !found {
                    missing.push(format!("place {kode}"));
                }
            }
            Acked::Alokasi { uraian } => {
                if !work_text.contains(&format!("\"{uraian}\"")) {
                    missing.push(format!("allocation {uraian}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are lost: {missing:?}",
        missing.len(),
        acked.len()
    );
    server.kill().unwrap();
    server.wait().unwrap();
    integrity_check(&store);
}
