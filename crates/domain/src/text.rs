//! Limits on text a person types: how long a name or a note may be, and which characters
//! it may hold.
//!
//! Every text field a client sends is bounded, so that one request cannot store
//! megabytes that every later read (the audit log, a work's detail) must carry again.

/// How long a kind of text may be, in characters (Unicode scalar values, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLimit {
    /// A name, title, code or label: at most [`MAX_NAME_CHARS`].
    Name,
    /// A note, reason or description (`keterangan`, `alasan`, `catatan`): at most
    /// [`MAX_NOTE_CHARS`].
    Note,
}

/// The longest name or title, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest note, reason or description, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// Field names that hold notes rather than names.
const NOTE_FIELDS: [&str; 6] = [
    "keterangan",
    "alasan",
    "catatan",
    "deskripsi",
    "uraian",
    "description",
];

impl TextLimit {
    /// The most characters this kind of text may hold.
    pub const fn max_chars(self) -> usize {
        match self {
            TextLimit::Name => MAX_NAME_CHARS,
            TextLimit::Note => MAX_NOTE_CHARS,
        }
    }

    /// The limit for a field by its name: notes by the names notes have, everything
    /// else as a name.
    pub fn for_field(field: &str) -> TextLimit {
        if NOTE_FIELDS.contains(&field) {
            TextLimit::Note
        } else {
            TextLimit::Name
        }
    }
}

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextProblem {
    /// Longer than its limit.
    #[error("is {chars} characters long; at most {max} are allowed")]
    TooLong {
        /// Characters given.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// Holds a control character other than tab and line breaks.
    #[error(
        "holds the control character U+{code:04X} at character {position}; only tab and line breaks are allowed"
    )]
    Control {
        /// The character's code point.
        code: u32,
        /// Its position, counted in characters from 1.
        position: usize,
    },
}

/// Checks a text against its limit and refuses control characters other than tab, line
/// feed and carriage return.
///
/// # Examples
/// ```
/// use kumuh_domain::text::{TextLimit, check_text};
/// assert!(check_text("Jalan paving RT 01", TextLimit::Name).is_ok());
/// assert!(check_text(&"x".repeat(201), TextLimit::Name).is_err());
/// assert!(check_text("a\u{0}b", TextLimit::Note).is_err());
/// assert!(check_text("baris 1\nbaris 2\tx", TextLimit::Note).is_ok());
/// ```
pub fn check_text(text: &str, limit: TextLimit) -> Result<(), TextProblem> {
    let max = limit.max_chars();
    // The first character past the limit stops the walk for control characters.
    for (i, c) in text.chars().enumerate() {
        let chars = i + 1;
        if chars > max {
            return Err(TextProblem::TooLong {
                chars: text.chars().count(),
                max,
            });
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return Err(TextProblem::Control {
                code: u32::from(c),
                position: chars,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, limit: TextLimit, expected: Option<&str>) {
        let got = check_text(text, limit).err().map(|e| e.to_string());
        match (got, expected) {
            (None, None) => {}
            (Some(m), Some(want)) => assert!(m.contains(want), "{m} lacks {want}"),
            (got, want) => panic!("{text:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn names_and_notes_have_their_limits() {
        check(&"a".repeat(200), TextLimit::Name, None);
        check(&"a".repeat(201), TextLimit::Name, Some("201 characters"));
        check(&"é".repeat(200), TextLimit::Name, None);
        check(&"a".repeat(10_000), TextLimit::Note, None);
        check(&"a".repeat(10_001), TextLimit::Note, Some("at most 10000"));
    }

    #[test]
    fn control_characters_are_refused_but_tab_and_newlines_kept() {
        check("a\u{0}", TextLimit::Name, Some("U+0000 at character 2"));
        check("\u{1b}[31m", TextLimit::Note, Some("U+001B"));
        check("a\tb\r\nc", TextLimit::Note, None);
    }

    #[test]
    fn fields_are_notes_by_name() {
        assert_eq!(TextLimit::for_field("keterangan"), TextLimit::Note);
        assert_eq!(TextLimit::for_field("alasan"), TextLimit::Note);
        assert_eq!(TextLimit::for_field("nama"), TextLimit::Name);
    }
}
