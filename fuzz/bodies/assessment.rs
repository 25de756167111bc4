//! The assessment table readers (`kumuh_io::assessment`): any bytes as CSV or as a
//! workbook give rows (and skipped rows) or an error, never a panic.

use kumuh_domain::assessment::RuleSet;
use kumuh_io::assessment::{ReadMode, read_assessments_csv, read_assessments_workbook};

/// Reads `data` as a CSV assessment table, strictly and skipping invalid rows; answers
/// whether the strict read gave rows.
pub fn assessment_csv(data: &[u8]) -> bool {
    let rules = RuleSet::default_rules();
    let strict = read_assessments_csv(data, "fuzz.csv", &rules, ReadMode::Strict);
    let lenient = read_assessments_csv(data, "fuzz.csv", &rules, ReadMode::SkipInvalid);
    check_modes(strict, lenient)
}

/// Reads `data` as a workbook (XLSX, XLS or ODS), strictly and skipping invalid rows;
/// answers whether the strict read gave rows.
pub fn assessment_xlsx(data: &[u8]) -> bool {
    let rules = RuleSet::default_rules();
    let strict = read_assessments_workbook(data, "fuzz.xlsx", &rules, ReadMode::Strict);
    let lenient = read_assessments_workbook(data, "fuzz.xlsx", &rules, ReadMode::SkipInvalid);
    check_modes(strict, lenient)
}

/// A table the strict mode reads is read the same way when skipping: nothing skipped.
fn check_modes(
    strict: Result<kumuh_io::assessment::ReadOutcome, kumuh_io::assessment::Error>,
    lenient: Result<kumuh_io::assessment::ReadOutcome, kumuh_io::assessment::Error>,
) -> bool {
    let Ok(strict) = strict else {
        return false;
    };
    let lenient = lenient.expect("a table read strictly is also read when skipping");
    assert_eq!(strict, lenient);
    assert!(strict.skipped.is_empty());
    !strict.rows.is_empty()
}
