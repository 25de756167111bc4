//! What the store tests share.

use std::path::Path;

/// Runs `sql` on the store file with the `sqlite3` command: another process reading or
/// writing, as QGIS or a DBA would. Answers its output, trimmed.
pub fn sqlite3(path: &Path, sql: &str) -> String {
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
