//! The one error type of the works model.

use super::ledger::EntryId;
use super::money::{Rupiah, RupiahParseProblem};

/// Everything that can go wrong when building or changing works, segments, ledgers and
/// maintenance groups. Each variant names the thing (segment, allocation, field) it is
/// about, so a message can be shown to the person who typed the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorksError {
    /// A rupiah amount below zero was given where money is expected.
    #[error("rupiah amounts are never negative, got {value}")]
    NegativeRupiah {
        /// The value given.
        value: i64,
    },
    /// Text could not be read as a whole rupiah amount.
    #[error("cannot read `{input}` as rupiah: {problem}")]
    ParseRupiah {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        problem: RupiahParseProblem,
    },
    /// A sum or product of rupiah does not fit in 64 bits.
    #[error("{what}: the result exceeds the largest amount that can be held ({max})", max = Rupiah::MAX)]
    RupiahOverflow {
        /// What was being computed, e.g. `Rp 1 + Rp 2`.
        what: String,
    },
    /// One entry of money larger than [`super::money::MAX_ENTRY_RP`].
    #[error("{value} is more than one entry may be (at most {max})", max = Rupiah::MAX_ENTRY)]
    EntryTooLarge {
        /// The amount given.
        value: Rupiah,
    },
    /// A subtraction would leave a negative amount.
    #[error("{left} - {right} would be negative")]
    RupiahUnderflow {
        /// The amount subtracted from.
        left: Rupiah,
        /// The amount subtracted.
        right: Rupiah,
    },
    /// A volume that is negative, not a number or too large.
    #[error("invalid volume {value}: {problem}")]
    InvalidVolume {
        /// The value given.
        value: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A date is not a valid `YYYY-MM-DD` calendar date.
    #[error("cannot read `{input}` as a date (YYYY-MM-DD): {problem}")]
    ParseTanggal {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// One field of a record holds a value that is not allowed.
    #[error("{record}: field `{field}`: {message}")]
    InvalidField {
        /// The record, e.g. `segmen S1` or `kegiatan K1`.
        record: String,
        /// The field name as stored (`satuan`, `kode_desa`, `volume_rencana`).
        field: &'static str,
        /// What is wrong, in a sentence.
        message: String,
    },
    /// A status change that the life cycle of a work or segment does not allow.
    #[error("{record}: status cannot change from {from} to {to}; allowed next: {allowed}")]
    StatusTransition {
        /// The work or segment, as named in messages (kegiatan `K1`, segmen `S1`).
        record: String,
        /// Current status.
        from: String,
        /// Requested status.
        to: String,
        /// The statuses that may follow `from`, comma-separated.
        allowed: String,
    },
    /// Two segments of one work share an id.
    #[error("kegiatan `{kegiatan}` already has a segment `{segmen}`")]
    DuplicateSegmen {
        /// The work.
        kegiatan: String,
        /// The repeated segment id.
        segmen: String,
    },
    /// A segment id that the work does not have.
    #[error("kegiatan `{kegiatan}` has no segment `{segmen}`")]
    SegmenNotFound {
        /// The work.
        kegiatan: String,
        /// The missing segment id.
        segmen: String,
    },
    /// Removing something would erase money or progress history.
    #[error(
        "{record} has {entries} ledger entries; history is never erased, reverse entries instead"
    )]
    HasHistory {
        /// The record, e.g. `segmen S1`.
        record: String,
        /// How many ledger entries it holds.
        entries: usize,
    },
    /// An entry id that the ledger does not hold.
    #[error("{ledger}: there is no entry {id}")]
    EntryNotFound {
        /// The ledger, e.g. `segmen S1`.
        ledger: String,
        /// The missing id.
        id: EntryId,
    },
    /// The entry was already reversed.
    #[error("{ledger}: entry {id} was already reversed by entry {by}")]
    AlreadyReversed {
        /// The ledger.
        ledger: String,
        /// The entry asked to be reversed.
        id: EntryId,
        /// The reversal that already undid it.
        by: EntryId,
    },
    /// Reversals are final; a wrongly reversed entry is entered again instead.
    #[error(
        "{ledger}: entry {id} is itself a reversal and cannot be reversed; record the entry again"
    )]
    ReverseOfReversal {
        /// The ledger.
        ledger: String,
        /// The reversal entry.
        id: EntryId,
    },
    /// Spending must point at an allocation of the same segment.
    #[error("{ledger}: entry {id} is {kind}, not an allocation (alokasi)")]
    NotAnAllocation {
        /// The ledger.
        ledger: String,
        /// The entry pointed at.
        id: EntryId,
        /// What the entry is.
        kind: &'static str,
    },
    /// Spending was recorded against an allocation that has been reversed.
    #[error(
        "{ledger}: allocation {id} was reversed by entry {by}; spending cannot be booked on it"
    )]
    AllocationReversed {
        /// The ledger.
        ledger: String,
        /// The allocation.
        id: EntryId,
        /// The reversal.
        by: EntryId,
    },
    /// Spending beyond an allocation without an explicit override.
    #[error(
        "{ledger}: spending {requested} on allocation {alokasi} ({sumber}, {allocated}) would exceed it by {excess} (already spent {spent}); give an override with a reason to record it"
    )]
    Overspend {
        /// The ledger.
        ledger: String,
        /// The allocation's entry id.
        alokasi: EntryId,
        /// Label of the allocation's source.
        sumber: &'static str,
        /// The allocated amount.
        allocated: Rupiah,
        /// Spending already booked on it.
        spent: Rupiah,
        /// The new spending.
        requested: Rupiah,
        /// How far the total would go beyond the allocation.
        excess: Rupiah,
    },
    /// Physical progress beyond 100 % of the planned volume without an override.
    #[error(
        "{ledger}: realised volume would reach {total} of {planned} planned ({percent} %); give an override with a reason to record it"
    )]
    ProgressOver100 {
        /// The ledger.
        ledger: String,
        /// Planned volume with unit, e.g. `170 m`.
        planned: String,
        /// Realised volume including the new entry, with unit.
        total: String,
        /// The resulting progress, for display.
        percent: String,
    },
    /// An allocation still carries spending and cannot be reversed on its own.
    #[error(
        "{ledger}: allocation {id} still carries spending (entries {spending:?}); reverse the spending first"
    )]
    AllocationHasSpending {
        /// The ledger.
        ledger: String,
        /// The allocation.
        id: EntryId,
        /// The live spending entries booked on it.
        spending: Vec<EntryId>,
    },
    /// A maintenance group cannot spend or give back more than it holds.
    #[error("{ledger}: {action} of {amount} exceeds the balance of {balance}")]
    InsufficientBalance {
        /// The ledger, e.g. `kpp Paseduluran`.
        ledger: String,
        /// What was attempted.
        action: &'static str,
        /// The amount involved.
        amount: Rupiah,
        /// The balance before the attempt.
        balance: Rupiah,
    },
    /// A stored ledger breaks its own invariants (ids out of order, dangling reversal).
    #[error("{ledger}: invalid stored ledger: {message}")]
    InvalidLedger {
        /// The ledger.
        ledger: String,
        /// What is wrong.
        message: String,
    },
}

/// Result type of the works model.
pub type Result<T, E = WorksError> = std::result::Result<T, E>;

impl WorksError {
    /// Shorthand for [`WorksError::InvalidField`].
    pub(crate) fn field(
        record: impl std::fmt::Display,
        field: &'static str,
        message: impl Into<String>,
    ) -> WorksError {
        WorksError::InvalidField {
            record: record.to_string(),
            field,
            message: message.into(),
        }
    }
}
