//! Text that crosses into or out of files: cells written to CSV are defused against
//! formula injection, and text read from input files is refused when it carries control
//! characters.

use std::borrow::Cow;

/// A text cell as it is safe to write into a CSV file that someone will open in a
/// spreadsheet.
///
/// Excel, LibreOffice and Google Sheets evaluate a CSV cell that starts with `=`, `+`,
/// `-` or `@` (and, in some versions, a tab or carriage return) as a formula, so a
/// location named `=HYPERLINK(...)` in a survey table would run when the exported report
/// is opened. Following OWASP's advice ("CSV Injection"), such a cell gets a leading
/// single quote, which the spreadsheet shows as text. A plain number such as `-12` or
/// `-3.5` is left alone, so negative amounts stay numbers.
///
/// Every CSV writer in this crate passes its text cells through this function.
///
/// # Examples
/// ```
/// use kumuh_io::text::csv_text;
/// assert_eq!(csv_text("=1+1"), "'=1+1");
/// assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(csv_text("-3.5"), "-3.5");
/// assert_eq!(csv_text("-"), "'-");
/// assert_eq!(csv_text("Wungu RT 003"), "Wungu RT 003");
/// ```
pub fn csv_text(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(text) => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// `-12`, `-3.5`, `7`: an optional minus, digits, and at most one decimal point between
/// digits. Nothing a spreadsheet could read as a formula.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The first control character in a text read from a file, if any.
///
/// Tabs and line breaks are ordinary in a cell or a name; every other C0 control (NUL,
/// the escape character …), DEL and the C1 controls are not text anybody typed, and
/// would corrupt the reports and GIS files the text is written to again.
///
/// # Examples
/// ```
/// use kumuh_io::text::control_character;
/// assert_eq!(control_character("Wungu\nRT 003"), None);
/// assert_eq!(control_character("Wungu\u{0}"), Some('\u{0}'));
/// ```
pub fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// A control character as a user can look it up: `U+0000`.
pub(crate) fn describe_control(c: char) -> String {
    format!(
        "contains the control character U+{:04X}; remove it",
        u32::from(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(csv_text(input), expected, "{input:?}");
    }

    #[test]
    fn formula_starts_are_quoted_and_numbers_kept() {
        check(
            "=HYPERLINK(\"http://x\",\"klik\")",
            "'=HYPERLINK(\"http://x\",\"klik\")",
        );
        check("+62 812", "'+62 812");
        check("-1+1", "'-1+1");
        check("@cmd", "'@cmd");
        check("\t=1", "'\t=1");
        check("\r=1", "'\r=1");
        check("-100000000", "-100000000");
        check("-0.5", "-0.5");
        check("-.5", "'-.5");
        check("-5.", "'-5.");
        check("--5", "'--5");
        check("", "");
        check("35.19.09.2014", "35.19.09.2014");
        check("a=b", "a=b");
    }

    #[test]
    fn control_characters_but_not_tabs_or_line_breaks() {
        assert_eq!(control_character("a\tb\r\nc"), None);
        assert_eq!(control_character("a\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(control_character("\u{7f}"), Some('\u{7f}'));
        assert_eq!(control_character("x\u{85}"), Some('\u{85}'));
        assert_eq!(
            describe_control('\u{0}'),
            "contains the control character U+0000; remove it"
        );
    }
}
