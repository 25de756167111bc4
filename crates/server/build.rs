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

fn main() {
    let web: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let sources = [
        "src",
        "public",
        "scripts",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.js",
    ];
    for s in sources {
        println!("cargo:rerun-if-changed={}", web.join(s).display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        web.join("dist/index.html").display()
    );
    println!("cargo:rerun-if-env-changed=KUMUH_SKIP_WEB_BUILD");
    if std::env::var_os("KUMUH_SKIP_WEB_BUILD").is_some() {
        std::fs::create_dir_all(web.join("dist")).ok();
        return;
    }
    let built = newest(&web.join("dist/index.html"));
    let source_time = sources.iter().filter_map(|s| newest(&web.join(s))).max();
    if built.is_some() && built >= source_time {
        return;
    }
    let lock = newest(&web.join("package-lock.json"));
    let installed = newest(&web.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < lock {
        npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(&web, &["run", "build"]);
}
