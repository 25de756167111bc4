//! Builds the viewer (`web/`, MapLibre GL JS through npm and Vite) into `web/dist` when
//! it is missing or older than its sources, so that `cargo run` alone gives a working
//! map. The binary embeds `web/dist` (see `src/assets.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    let mut t = meta.modified().ok()?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).ok()?.flatten() {
            if let Some(m) = newest(&entry.path()) {
                t = t.max(m);
            }
        }
    }
    Some(t)
}

fn npm(web: &Path, args: &[&str]) {
    let status = Command::new("npm").args(args).current_dir(web).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm {}` in {} failed ({s}); the viewer could not be built",
            args.join(" "),
            web.display()
        ),
        Err(e) => panic!(
            "could not run npm ({e}); install Node.js 20+ and npm to build the viewer in {}",
            web.display()
        ),
    }
}

/// The viewer's sources: what `npm run build` reads. `public/fonts` is left out: the
/// build writes it (`scripts/build-glyphs.mjs`), and a source the build itself writes
/// would make every build stale again (so public/ is watched file by file, not as a
/// directory: a file added there is seen once a watched source changes).
fn sources(web: &Path) -> Vec<PathBuf> {
    let mut sources: Vec<PathBuf> = [
        "src",
        "scripts",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.js",
    ]
    .iter()
    .map(|s| web.join(s))
    .collect();
    if let Ok(entries) = std::fs::read_dir(web.join("public")) {
        sources.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().is_none_or(|n| n != "fonts")),
        );
    }
    sources.sort();
    sources
}

fn main() {
    let web: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let sources = sources(&web);
    for s in &sources {
        println!("cargo:rerun-if-changed={}", s.display());
    }
    let index = web.join("dist/index.html");
    println!("cargo:rerun-if-changed={}", index.display());
    println!("cargo:rerun-if-env-changed=KUMUH_SKIP_WEB_BUILD");
    if std::env::var_os("KUMUH_SKIP_WEB_BUILD").is_some() {
        std::fs::create_dir_all(web.join("dist")).ok();
        return;
    }
    let built = newest(&index);
    let source_time = sources.iter().filter_map(|s| newest(s)).max();
    if built.is_some() && built >= source_time {
        return;
    }
    let lock = newest(&web.join("package-lock.json"));
    let installed = newest(&web.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < lock {
        npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(&web, &["run", "build"]);
    // Cargo reruns this script when a watched file is newer than the script's last run,
    // and the build just wrote `dist/index.html`: stamp it with the time of the sources
    // it was built from, so the next build is fresh, and a newer source still rebuilds.
    if let Some(t) = source_time {
        let stamped = std::fs::File::options()
            .write(true)
            .open(&index)
            .and_then(|f| f.set_modified(t));
        if let Err(e) = stamped {
            println!(
                "cargo:warning=could not set the time of {}: {e}",
                index.display()
            );
        }
    }
}
