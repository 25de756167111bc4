//! The one error type of the revolving-loan model.

use crate::works::{EntryId, Rupiah, WorksError};

/// Everything that can go wrong when building or changing KSM, their savings, loans and
/// collection records. Each variant names the record (KSM, loan, ledger) and, where it
/// is about one, the field, so a message can be shown to the person who typed the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UpkError {
    /// A money, date or ledger rule shared with the works model was broken (a negative
    /// amount, an overflow, an unknown or already reversed entry).
    #[error(transparent)]
    Works(#[from] WorksError),
    /// One field of a record holds a value that is not allowed.
    #[error("{record}: field `{field}`: {message}")]
    InvalidField {
        /// The record, e.g. `ksm `Maju``, `pinjaman `P-01``.
        record: String,
        /// The field name as stored (`pokok_rp`, `jangka_bulan`, `nik`).
        field: &'static str,
        /// What is wrong, in a sentence.
        message: String,
    },
    /// A step of the loan life cycle that does not follow from where the loan is.
    #[error("{pinjaman}: cannot {action} a loan that is {status}")]
    LifeCycle {
        /// The loan, as named in messages.
        pinjaman: String,
        /// What was attempted (`approve`, `disburse`, `record a repayment on`).
        action: &'static str,
        /// The loan's status, in Bahasa Indonesia.
        status: &'static str,
    },
    /// A repayment larger than what is still owed.
    #[error(
        "{pinjaman}: a repayment of {amount} exceeds what is still owed ({owed}: principal and service)"
    )]
    Overpayment {
        /// The loan.
        pinjaman: String,
        /// The repayment.
        amount: Rupiah,
        /// Principal and service not yet paid.
        owed: Rupiah,
    },
    /// Group savings cannot go below zero.
    #[error("{ledger}: {action} of {amount} exceeds the balance of {balance}")]
    InsufficientBalance {
        /// The ledger, e.g. `tabungan ksm `Maju``.
        ledger: String,
        /// What was attempted.
        action: &'static str,
        /// The amount involved.
        amount: Rupiah,
        /// The balance before the attempt.
        balance: Rupiah,
    },
    /// A reversal names an entry of a kind that this ledger does not allow to reverse.
    #[error("{ledger}: entry {id} is {kind} and cannot be reversed here")]
    NotReversible {
        /// The ledger.
        ledger: String,
        /// The entry.
        id: EntryId,
        /// What the entry is.
        kind: &'static str,
    },
    /// A stored record breaks its own invariants.
    #[error("{record}: invalid stored record: {message}")]
    InvalidStored {
        /// The record.
        record: String,
        /// What is wrong.
        message: String,
    },
    /// The kolektibilitas limits are not valid TOML or lack a key.
    #[error("kolektibilitas limits `{file}`: not valid TOML or a key is missing")]
    Toml {
        /// The file, or `<text>` for limits given as text.
        file: String,
        /// The parser's error, with line and column where known.
        #[source]
        source: toml::de::Error,
    },
    /// The kolektibilitas limits are read but do not make sense.
    #[error("kolektibilitas limits `{file}`: key `{key}`: {message}")]
    InvalidLimits {
        /// The file, or `<text>`.
        file: String,
        /// The key, e.g. `kelas[2].minimum`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// Result type of the revolving-loan model.
pub type Result<T, E = UpkError> = std::result::Result<T, E>;

impl UpkError {
    /// Shorthand for [`UpkError::InvalidField`].
    pub(crate) fn field(
        record: impl std::fmt::Display,
        field: &'static str,
        message: impl Into<String>,
    ) -> UpkError {
        UpkError::InvalidField {
            record: record.to_string(),
            field,
            message: message.into(),
        }
    }
}
