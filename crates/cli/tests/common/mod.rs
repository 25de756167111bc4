//! Running the `kumuh` binary and `sqlite3` from tests, shared by the CLI tests and the
//! end-to-end crash test. Each test crate uses only some of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `kumuh ARGS` on `store`, with nothing on standard input.
pub fn kumuh(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(args)
        .env("KUMUH_STORE", store)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("running kumuh")
}

/// Runs `kumuh ARGS` on `store` with `input` on standard input.
pub fn kumuh_stdin(store: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kumuh"))
        .args(args)
        .env("KUMUH_STORE", store)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running kumuh");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The standard output of a command that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "kumuh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A failed command exits 2 with exactly one `error:` line naming the problem.
pub fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    err
}

/// Runs `sql` on the store file with the `sqlite3` command (another process); answers
/// its output, trimmed.
pub fn sqlite3(path: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3")
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
