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

/// The published result of an empty survey of `kode_lokasi` in `tahun`, scored by the
/// default rule set: for records whose result a test does not look into beyond what it
/// sets.
pub fn hasil(kode_lokasi: &str, kode_desa: &str, tahun: u16) -> kumuh_domain::assessment::Hasil {
    use kumuh_domain::assessment::{AssessmentInput, Hasil, RuleSet, assess};
    let kode_desa = kumuh_domain::Kode::parse(kode_desa).unwrap();
    let input = AssessmentInput::new(kode_lokasi, kode_desa, tahun);
    Hasil::of(
        &assess(&RuleSet::default_rules(), &input),
        0,
        Default::default(),
    )
}
