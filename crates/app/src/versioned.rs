//! The one optimistic-concurrency rule of versioned records (works and siteplans): a
//! change names the version it was read at, and lands only if the record is still there.

use crate::{AppError, Result};

/// Checks that a change read at version `expected` (when the caller named one) is made
/// on the stored version `current`; otherwise [`AppError::Stale`] naming `what` (e.g.
/// `kegiatan K1`) and both versions, so the caller can reload.
pub fn check(what: impl FnOnce() -> String, expected: Option<i64>, current: i64) -> Result<()> {
    match expected {
        Some(v) if v != current => Err(AppError::Stale {
            what: what(),
            expected: v,
            current,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_named_older_version_is_stale() {
        assert!(check(|| "siteplan SP1".into(), None, 4).is_ok());
        assert!(check(|| "siteplan SP1".into(), Some(4), 4).is_ok());
        let e = check(|| "siteplan SP1".into(), Some(3), 4).unwrap_err();
        assert!(matches!(
            e,
            AppError::Stale {
                expected: 3,
                current: 4,
                ..
            }
        ));
        assert!(e.to_string().starts_with("siteplan SP1 was changed"), "{e}");
    }
}
