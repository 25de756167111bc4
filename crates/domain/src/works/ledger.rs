//! Append-only ledgers (buku): money and progress are never edited or erased.
//!
//! A wrong entry is undone by a later [`Reversal`] that names it and says why, so the
//! history a village auditor or the programme's complaint desk sees is complete. The
//! rules about what may be appended live with the owner of the ledger (a segment's
//! funding rules in [`super::Segmen`], a maintenance group's cash rules in
//! [`super::Kpp`]); this module only keeps the ids and the reversals straight.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{Result, WorksError};
use super::tanggal::Tanggal;

/// The id of an entry, unique and increasing within one ledger, starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub u64);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// An entry that undoes an earlier one, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reversal {
    /// The entry undone.
    pub of: EntryId,
    /// Why, in the words of the person who reversed it.
    pub alasan: String,
    /// When, where known.
    pub tanggal: Option<Tanggal>,
}

impl Reversal {
    /// A reversal of entry `of` for a reason.
    pub fn new(of: EntryId, alasan: impl Into<String>) -> Reversal {
        Reversal {
            of,
            alasan: alasan.into(),
            tanggal: None,
        }
    }
}

/// What a ledger needs to know about the entries it holds.
pub trait LedgerEntry {
    /// The reversal this entry is, if it is one.
    fn as_reversal(&self) -> Option<&Reversal>;
    /// A short name of the kind of entry, for messages (`alokasi`, `iuran`).
    fn kind(&self) -> &'static str;
}

/// One recorded entry with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry<T> {
    /// The entry's id in its ledger.
    pub id: EntryId,
    /// What was recorded.
    pub isi: T,
}

/// An append-only list of entries. Stored as the plain list of entries; loading checks
/// that ids increase and that every reversal points at an earlier, not yet reversed,
/// entry that is not itself a reversal.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger<T> {
    entries: Vec<Entry<T>>,
    /// Entry id → the reversal that undid it. Derived from `entries`, never stored.
    reversed_by: BTreeMap<EntryId, EntryId>,
}

impl<T> Default for Ledger<T> {
    fn default() -> Self {
        Ledger {
            entries: Vec::new(),
            reversed_by: BTreeMap::new(),
        }
    }
}

impl<T: LedgerEntry> Ledger<T> {
    /// An empty ledger.
    pub fn new() -> Ledger<T> {
        Ledger::default()
    }

    /// Rebuilds a ledger from stored entries, checking its invariants. The message of an
    /// error says which entry is wrong; the owner adds its own name.
    pub fn from_entries(entries: Vec<Entry<T>>) -> std::result::Result<Ledger<T>, String> {
        let mut ledger = Ledger::new();
        for e in entries {
            if let Some(last) = ledger.entries.last().map(|l: &Entry<T>| l.id) {
                if e.id <= last {
                    return Err(format!(
                        "entry {} follows entry {last}; ids must increase",
                        e.id
                    ));
                }
            } else if e.id.0 == 0 {
                return Err("entry ids start at 1".to_owned());
            }
            if let Some(r) = e.isi.as_reversal() {
                ledger
                    .check_reversal(r, "stored ledger")
                    .map_err(|err| format!("entry {}: {err}", e.id))?;
                ledger.reversed_by.insert(r.of, e.id);
            }
            ledger.entries.push(e);
        }
        Ok(ledger)
    }

    /// Every entry, oldest first, reversals included.
    pub fn entries(&self) -> &[Entry<T>] {
        &self.entries
    }

    /// Number of entries, reversals included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was ever recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this id.
    pub fn get(&self, id: EntryId) -> Option<&Entry<T>> {
        self.entries
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .and_then(|i| self.entries.get(i))
    }

    /// The reversal that undid this entry, if any.
    pub fn reversed_by(&self, id: EntryId) -> Option<EntryId> {
        self.reversed_by.get(&id).copied()
    }

    /// The entries that count: neither reversals nor reversed.
    pub fn live(&self) -> impl Iterator<Item = &Entry<T>> {
        self.entries
            .iter()
            .filter(|e| e.isi.as_reversal().is_none() && !self.reversed_by.contains_key(&e.id))
    }

    /// The id the next entry will get.
    pub(crate) fn next_id(&self, label: &str) -> Result<EntryId> {
        match self.entries.last() {
            None => Ok(EntryId(1)),
            Some(e) => {
                e.id.0
                    .checked_add(1)
                    .map(EntryId)
                    .ok_or_else(|| WorksError::InvalidLedger {
                        ledger: label.to_owned(),
                        message: "entry ids are exhausted".to_owned(),
                    })
            }
        }
    }

    /// Checks that `r` may be appended: a reason is given, and the entry it undoes
    /// exists, is not a reversal and was not reversed before.
    pub(crate) fn check_reversal(&self, r: &Reversal, label: &str) -> Result<()> {
        if r.alasan.trim().is_empty() {
            return Err(WorksError::field(
                format!("{label}: reversal of entry {}", r.of),
                "alasan",
                "a reversal needs a reason",
            ));
        }
        let target = self.get(r.of).ok_or_else(|| WorksError::EntryNotFound {
            ledger: label.to_owned(),
            id: r.of,
        })?;
        if target.isi.as_reversal().is_some() {
            return Err(WorksError::ReverseOfReversal {
                ledger: label.to_owned(),
                id: r.of,
            });
        }
        if let Some(by) = self.reversed_by(r.of) {
            return Err(WorksError::AlreadyReversed {
                ledger: label.to_owned(),
                id: r.of,
                by,
            });
        }
        Ok(())
    }

    /// Appends an entry; the owner has checked its rules, and for a reversal
    /// [`Ledger::check_reversal`] has passed.
    pub(crate) fn push(&mut self, isi: T, label: &str) -> Result<EntryId> {
        let id = self.next_id(label)?;
        if let Some(r) = isi.as_reversal() {
            self.check_reversal(r, label)?;
            self.reversed_by.insert(r.of, id);
        }
        self.entries.push(Entry { id, isi });
        Ok(id)
    }
}

impl<T: Serialize> Serialize for Ledger<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.entries.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de> + LedgerEntry> Deserialize<'de> for Ledger<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let entries = Vec::<Entry<T>>::deserialize(deserializer)?;
        Ledger::from_entries(entries).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Note {
        Text(String),
        Reversal(Reversal),
    }

    impl LedgerEntry for Note {
        fn as_reversal(&self) -> Option<&Reversal> {
            match self {
                Note::Reversal(r) => Some(r),
                Note::Text(_) => None,
            }
        }
        fn kind(&self) -> &'static str {
            "note"
        }
    }

    fn text(s: &str) -> Note {
        Note::Text(s.to_owned())
    }

    #[test]
    fn reversal_keeps_the_entry_and_hides_it_from_live() {
        let mut l = Ledger::new();
        let a = l.push(text("a"), "test").unwrap();
        let b = l.push(text("b"), "test").unwrap();
        let r = l
            .push(Note::Reversal(Reversal::new(a, "typo")), "test")
            .unwrap();
        assert_eq!((a, b, r), (EntryId(1), EntryId(2), EntryId(3)));
        assert_eq!(l.len(), 3);
        assert_eq!(l.reversed_by(a), Some(r));
        let live: Vec<EntryId> = l.live().map(|e| e.id).collect();
        assert_eq!(live, vec![b]);
    }

    #[test]
    fn bad_reversals_are_refused() {
        let mut l = Ledger::new();
        let a = l.push(text("a"), "test").unwrap();
        let r = l
            .push(Note::Reversal(Reversal::new(a, "typo")), "test")
            .unwrap();
        let cases = [
            (Reversal::new(a, "again"), "already reversed"),
            (Reversal::new(r, "undo"), "itself a reversal"),
            (Reversal::new(EntryId(9), "x"), "no entry #9"),
            (Reversal::new(a, "  "), "needs a reason"),
        ];
        for (rev, expected) in cases {
            let e = l.push(Note::Reversal(rev), "test").unwrap_err();
            assert!(e.to_string().contains(expected), "{e}");
        }
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn stored_ledgers_are_checked_on_load() {
        let ok = r#"[{"id":1,"isi":{"Text":"a"}},{"id":2,"isi":{"Reversal":{"of":1,"alasan":"x","tanggal":null}}}]"#;
        let l: Ledger<Note> = serde_json::from_str(ok).unwrap();
        assert_eq!(l.reversed_by(EntryId(1)), Some(EntryId(2)));
        assert_eq!(serde_json::to_string(&l).unwrap(), ok);

        let cases = [
            (r#"[{"id":0,"isi":{"Text":"a"}}]"#, "start at 1"),
            (
                r#"[{"id":2,"isi":{"Text":"a"}},{"id":2,"isi":{"Text":"b"}}]"#,
                "must increase",
            ),
            (
                r#"[{"id":1,"isi":{"Reversal":{"of":5,"alasan":"x","tanggal":null}}}]"#,
                "no entry #5",
            ),
        ];
        for (json, expected) in cases {
            let e = serde_json::from_str::<Ledger<Note>>(json).unwrap_err();
            assert!(e.to_string().contains(expected), "{json}: {e}");
        }
    }
}
