//! Money: whole rupiah, known or not yet known.
//!
//! Indonesian budgets are in whole rupiah (the sen went out of use long ago), so money is
//! an `i64` count of rupiah and never a float: a float would drift when thousands of
//! allocations are summed, and a report must add up to the rupiah.
//!
//! # Reading amounts from text
//!
//! The Indonesian convention is used: `.` groups thousands and `,` is the decimal mark.
//! [`Rupiah::parse`] accepts
//! - plain digits: `100000000`;
//! - dot-grouped digits, but only in strict groups of three: `100.000.000`, `1.500`
//!   (one thousand five hundred, as an Indonesian reader means it);
//! - an optional `Rp`, `Rp.` or `IDR` prefix and surrounding spaces;
//! - the whole-rupiah endings `,-`, `,0` and `,00` (`Rp 100.000,-`).
//!
//! It refuses, naming the problem: decimals (`1.5`, `1,5`, `100.25`), a comma followed by
//! exactly three digits (`1,000` is one thousand in English but one in Indonesian, so it
//! is ambiguous), badly grouped dots (`1.0000.000`), signs (`-5`), scientific notation
//! from spreadsheets (`1e9`), other characters, and values beyond `i64::MAX`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{Result, WorksError};

/// The largest single entry of money (an allocation, a spending, a due, a maintenance
/// group's spending): Rp 10,000,000,000,000, ten trillion rupiah, more than a province's
/// yearly budget. A cap per entry keeps every total of a district's entries far below
/// `i64::MAX` (nearly a million entries at the cap would still fit), so one mistyped
/// amount cannot make every report fail.
pub const MAX_ENTRY_RP: i64 = 10_000_000_000_000;

/// A whole, non-negative amount of rupiah.
///
/// # Examples
/// ```
/// use kumuh_domain::works::Rupiah;
/// let apbd = Rupiah::parse("Rp 100.000.000").unwrap();
/// assert_eq!(apbd.get(), 100_000_000);
/// assert_eq!(apbd.to_string(), "Rp 100.000.000");
/// assert!(Rupiah::new(-5).is_err());
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Rupiah(i64);

impl Rupiah {
    /// Nothing.
    pub const ZERO: Rupiah = Rupiah(0);
    /// The largest amount that can be held, about 9.2 × 10¹⁸ rupiah.
    pub const MAX: Rupiah = Rupiah(i64::MAX);
    /// The largest single entry, [`MAX_ENTRY_RP`].
    pub const MAX_ENTRY: Rupiah = Rupiah(MAX_ENTRY_RP);

    /// An amount of rupiah; negative values are refused.
    pub fn new(value: i64) -> Result<Rupiah> {
        if value < 0 {
            Err(WorksError::NegativeRupiah { value })
        } else {
            Ok(Rupiah(value))
        }
    }

    /// An amount that cannot fail, for constants and seeds (up to about Rp 4.29 billion).
    pub const fn from_u32(value: u32) -> Rupiah {
        Rupiah(value as i64)
    }

    /// The amount, refused where it is larger than one entry may be ([`MAX_ENTRY_RP`]).
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::works::{MAX_ENTRY_RP, Rupiah};
    /// assert!(Rupiah::new(MAX_ENTRY_RP).unwrap().entry().is_ok());
    /// assert!(Rupiah::MAX.entry().is_err());
    /// ```
    pub fn entry(self) -> Result<Rupiah> {
        if self.0 > MAX_ENTRY_RP {
            Err(WorksError::EntryTooLarge { value: self })
        } else {
            Ok(self)
        }
    }

    /// The number of rupiah.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The sum, or an error if it does not fit.
    pub fn checked_add(self, other: Rupiah) -> Result<Rupiah> {
        self.0
            .checked_add(other.0)
            .map(Rupiah)
            .ok_or_else(|| WorksError::RupiahOverflow {
                what: format!("{self} + {other}"),
            })
    }

    /// The difference, or an error if it would be negative.
    pub fn checked_sub(self, other: Rupiah) -> Result<Rupiah> {
        if other.0 > self.0 {
            Err(WorksError::RupiahUnderflow {
                left: self,
                right: other,
            })
        } else {
            Ok(Rupiah(self.0 - other.0))
        }
    }

    /// The difference, or zero where `other` is larger: what is left of a budget.
    pub fn saturating_sub(self, other: Rupiah) -> Rupiah {
        Rupiah(self.0.saturating_sub(other.0).max(0))
    }

    /// The amount times a count (households, weeks), or an error if it does not fit.
    pub fn checked_mul(self, count: u64) -> Result<Rupiah> {
        i64::try_from(count)
            .ok()
            .and_then(|n| self.0.checked_mul(n))
            .map(Rupiah)
            .ok_or_else(|| WorksError::RupiahOverflow {
                what: format!("{self} × {count}"),
            })
    }

    /// The sum of many amounts, or an error if it does not fit.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Rupiah>) -> Result<Rupiah> {
        amounts
            .into_iter()
            .try_fold(Rupiah::ZERO, |acc, a| acc.checked_add(a))
    }

    /// Reads an amount written in Indonesian style; see the [module docs](self) for what
    /// is accepted.
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::works::Rupiah;
    /// assert_eq!(Rupiah::parse("100000000").unwrap().get(), 100_000_000);
    /// assert_eq!(Rupiah::parse("Rp 5.000,-").unwrap().get(), 5_000);
    /// let e = Rupiah::parse("1.5").unwrap_err();
    /// assert!(e.to_string().contains("decimal"), "{e}");
    /// ```
    pub fn parse(text: &str) -> Result<Rupiah> {
        parse_rupiah(text).map_err(|problem| WorksError::ParseRupiah {
            input: text.to_owned(),
            problem,
        })
    }
}

/// Why a text is not a whole rupiah amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RupiahParseProblem {
    /// No digits at all.
    #[error("there is no number")]
    Empty,
    /// A minus sign: money amounts are never negative (a refund is a reversal entry).
    #[error("amounts cannot be negative; to undo money, record a reversal")]
    Negative,
    /// Digits after a decimal mark.
    #[error(
        "decimals are not allowed, amounts are whole rupiah (use `.` only to group thousands, e.g. 100.000.000)"
    )]
    Decimal,
    /// Scientific notation such as `1e9`, typical of spreadsheet exports.
    #[error("scientific notation (like 1e9) is not allowed; write all the digits")]
    Exponent,
    /// Dots that do not group digits by three.
    #[error("`.` groups thousands and must be followed by exactly three digits each time")]
    Grouping,
    /// A comma that is not a whole-rupiah ending: `1,000` means one thousand in English
    /// and one in Indonesian.
    #[error(
        "`,` is the decimal mark in Indonesian and `1,000` style grouping is ambiguous; write 1.000 or 1000"
    )]
    Comma,
    /// A character that has no place in an amount.
    #[error("unexpected character `{0}`")]
    InvalidChar(char),
    /// More than `i64::MAX` rupiah.
    #[error("the amount is larger than the largest that can be held (9.223.372.036.854.775.807)")]
    OutOfRange,
}

fn parse_rupiah(text: &str) -> Result<Rupiah, RupiahParseProblem> {
    use RupiahParseProblem as P;
    let s = text.trim();
    if s.starts_with(['-', '\u{2212}']) {
        return Err(P::Negative);
    }
    let s = strip_currency(s).trim();
    if s.starts_with(['-', '\u{2212}']) {
        return Err(P::Negative);
    }
    // `,-` is how Indonesian price tags say "whole rupiah"; it carries no value.
    let s = s.strip_suffix(",-").unwrap_or(s);
    if s.contains(['e', 'E']) {
        return Err(P::Exponent);
    }
    if let Some(c) = s
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != '.' && *c != ',')
    {
        return Err(P::InvalidChar(c));
    }
    let int_part = match s.split_once(',') {
        None => s,
        Some((int_part, frac)) => {
            if frac.contains(',') || frac.is_empty() || frac.len() == 3 {
                return Err(P::Comma);
            }
            if frac.contains('.') {
                return Err(P::Decimal);
            }
            if !(frac.len() <= 2 && frac.bytes().all(|b| b == b'0')) {
                return Err(P::Decimal);
            }
            int_part
        }
    };
    if int_part.contains('.') {
        let groups: Vec<&str> = int_part.split('.').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !(first_ok && rest_ok) {
            return if groups.len() == 2 && !groups[0].is_empty() && !groups[1].is_empty() {
                Err(P::Decimal)
            } else {
                Err(P::Grouping)
            };
        }
    }
    let mut value: i64 = 0;
    let mut any = false;
    for b in int_part.bytes().filter(u8::is_ascii_digit) {
        any = true;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(P::OutOfRange)?;
    }
    if any {
        Ok(Rupiah(value))
    } else {
        Err(P::Empty)
    }
}

fn strip_currency(s: &str) -> &str {
    for prefix in ["rp.", "rp", "idr"] {
        if let Some(head) = s.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return &s[prefix.len()..];
        }
    }
    s
}

/// Writes digits with `.` between groups of three, the Indonesian way.
pub(crate) fn group_thousands(digits: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            f.write_str(".")?;
        }
        write!(f, "{c}")?;
    }
    Ok(())
}

impl fmt::Display for Rupiah {
    /// `Rp 100.000.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Rp ")?;
        group_thousands(&self.0.to_string(), f)
    }
}

impl FromStr for Rupiah {
    type Err = WorksError;
    fn from_str(s: &str) -> Result<Rupiah> {
        Rupiah::parse(s)
    }
}

impl TryFrom<i64> for Rupiah {
    type Error = WorksError;
    fn try_from(value: i64) -> Result<Rupiah> {
        Rupiah::new(value)
    }
}

impl From<Rupiah> for i64 {
    fn from(r: Rupiah) -> i64 {
        r.0
    }
}

/// An amount of money that may not be known yet.
///
/// `Unknown` is not zero: in the Bibrik case the community's in-kind contribution and the
/// village's Dana Desa continuation certainly cost something, but nobody wrote the figure
/// down. Sums keep the two apart (see [`AmountSum`]). Stored as a nullable integer.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{Amount, AmountSum, Rupiah};
/// let parts = [Amount::Known(Rupiah::from_u32(100_000_000)), Amount::Unknown];
/// let sum = AmountSum::of(parts).unwrap();
/// assert_eq!(sum.diketahui_rp.get(), 100_000_000);
/// assert_eq!(sum.tidak_diketahui, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Option<Rupiah>", into = "Option<Rupiah>")]
pub enum Amount {
    /// A known amount.
    Known(Rupiah),
    /// The amount exists but is not known.
    Unknown,
}

impl Amount {
    /// The amount, if known.
    pub fn known(self) -> Option<Rupiah> {
        match self {
            Amount::Known(r) => Some(r),
            Amount::Unknown => None,
        }
    }

    /// Whether the amount is not known.
    pub fn is_unknown(self) -> bool {
        matches!(self, Amount::Unknown)
    }
}

impl From<Rupiah> for Amount {
    fn from(r: Rupiah) -> Amount {
        Amount::Known(r)
    }
}

impl From<Option<Rupiah>> for Amount {
    fn from(r: Option<Rupiah>) -> Amount {
        r.map_or(Amount::Unknown, Amount::Known)
    }
}

impl From<Amount> for Option<Rupiah> {
    fn from(a: Amount) -> Option<Rupiah> {
        a.known()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Known(r) => r.fmt(f),
            Amount::Unknown => f.write_str("tidak diketahui"),
        }
    }
}

/// The sum of several [`Amount`]s: the total of the known parts and how many parts are
/// unknown. A sum with unknown parts is a lower bound, never a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AmountSum {
    /// Total of the known parts, in rupiah.
    pub diketahui_rp: Rupiah,
    /// How many parts have an unknown amount.
    pub tidak_diketahui: u64,
}

impl AmountSum {
    /// Sums amounts; fails only if the known total does not fit.
    pub fn of(amounts: impl IntoIterator<Item = Amount>) -> Result<AmountSum> {
        let mut sum = AmountSum::default();
        for a in amounts {
            sum.add(a)?;
        }
        Ok(sum)
    }

    /// Adds one amount.
    pub fn add(&mut self, amount: Amount) -> Result<()> {
        match amount {
            Amount::Known(r) => self.diketahui_rp = self.diketahui_rp.checked_add(r)?,
            // A count of parts held in memory cannot reach u64::MAX.
            Amount::Unknown => self.tidak_diketahui = self.tidak_diketahui.saturating_add(1),
        }
        Ok(())
    }

    /// Adds another sum.
    pub fn plus(self, other: AmountSum) -> Result<AmountSum> {
        Ok(AmountSum {
            diketahui_rp: self.diketahui_rp.checked_add(other.diketahui_rp)?,
            tidak_diketahui: self.tidak_diketahui.saturating_add(other.tidak_diketahui),
        })
    }

    /// Whether every part is known, so that the known total is the whole total.
    pub fn is_complete(&self) -> bool {
        self.tidak_diketahui == 0
    }
}

impl fmt::Display for AmountSum {
    /// `Rp 100.000.000`, or `Rp 100.000.000 + 2 nilai tidak diketahui`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diketahui_rp.fmt(f)?;
        if self.tidak_diketahui > 0 {
            write!(f, " + {} nilai tidak diketahui", self.tidak_diketahui)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: std::result::Result<i64, RupiahParseProblem>) {
        let got = parse_rupiah(input).map(Rupiah::get);
        assert_eq!(got, expected, "input `{input}`");
    }

    #[test]
    fn parses_whole_rupiah_in_indonesian_style() {
        use RupiahParseProblem as P;
        check("100000000", Ok(100_000_000));
        check("100.000.000", Ok(100_000_000));
        check("Rp 100.000.000", Ok(100_000_000));
        check("Rp100.000.000", Ok(100_000_000));
        check("rp. 5.000", Ok(5_000));
        check("IDR 5000", Ok(5_000));
        check("  5.000,-  ", Ok(5_000));
        check("5.000,00", Ok(5_000));
        check("5.000,0", Ok(5_000));
        check("1.500", Ok(1_500));
        check("0", Ok(0));
        check("9223372036854775807", Ok(i64::MAX));
        check("9.223.372.036.854.775.807", Ok(i64::MAX));

        check("", Err(P::Empty));
        check("Rp", Err(P::Empty));
        check(",00", Err(P::Empty));
        check("1.5", Err(P::Decimal));
        check("1.50", Err(P::Decimal));
        check("100.25", Err(P::Decimal));
        check("1.5000", Err(P::Decimal));
        check("1,5", Err(P::Decimal));
        check("1.000,50", Err(P::Decimal));
        check("-5", Err(P::Negative));
        check("Rp -5", Err(P::Negative));
        check("\u{2212}5", Err(P::Negative));
        check("1e9", Err(P::Exponent));
        check("1E+09", Err(P::Exponent));
        check("1,000", Err(P::Comma));
        check("100,000,000", Err(P::Comma));
        check("100,", Err(P::Comma));
        check("1.0000.000", Err(P::Grouping));
        check("1.000.00", Err(P::Grouping));
        check(".500", Err(P::Grouping));
        check("500.", Err(P::Grouping));
        check("1 000", Err(P::InvalidChar(' ')));
        check("+5", Err(P::InvalidChar('+')));
        check("lima ribu", Err(P::InvalidChar('l')));
        check("9223372036854775808", Err(P::OutOfRange));
        check("99.999.999.999.999.999.999", Err(P::OutOfRange));
    }

    #[test]
    fn parse_errors_quote_the_input_and_name_the_problem() {
        let e = Rupiah::parse("1.5").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read `1.5` as rupiah: decimals are not allowed, amounts are whole rupiah \
             (use `.` only to group thousands, e.g. 100.000.000)"
        );
        let e = Rupiah::parse("-1").unwrap_err();
        assert!(e.to_string().contains("cannot be negative"), "{e}");
        let e = Rupiah::parse("99999999999999999999").unwrap_err();
        assert!(e.to_string().contains("larger than the largest"), "{e}");
    }

    #[test]
    fn displays_with_dots_between_thousands() {
        let cases = [
            (0, "Rp 0"),
            (5, "Rp 5"),
            (999, "Rp 999"),
            (1_000, "Rp 1.000"),
            (588_235, "Rp 588.235"),
            (100_000_000, "Rp 100.000.000"),
            (i64::MAX, "Rp 9.223.372.036.854.775.807"),
        ];
        for (value, text) in cases {
            let r = Rupiah::new(value).unwrap();
            assert_eq!(r.to_string(), text);
            assert_eq!(Rupiah::parse(text).unwrap(), r);
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Rupiah::from_u32(5_000);
        let b = Rupiah::from_u32(7_000);
        assert_eq!(a.checked_add(b).unwrap().get(), 12_000);
        assert_eq!(b.checked_sub(a).unwrap().get(), 2_000);
        assert!(matches!(
            a.checked_sub(b),
            Err(WorksError::RupiahUnderflow { .. })
        ));
        assert_eq!(a.saturating_sub(b), Rupiah::ZERO);
        assert!(Rupiah::MAX.checked_add(Rupiah::from_u32(1)).is_err());
        assert!(Rupiah::MAX.checked_mul(2).is_err());
        assert!(a.checked_mul(u64::MAX).is_err());
        assert_eq!(a.checked_mul(30).unwrap().get(), 150_000);
        assert_eq!(
            Rupiah::new(-1),
            Err(WorksError::NegativeRupiah { value: -1 })
        );
    }

    #[test]
    fn amounts_serialise_as_nullable_integers() {
        let known = Amount::Known(Rupiah::from_u32(5));
        assert_eq!(serde_json::to_string(&known).unwrap(), "5");
        assert_eq!(serde_json::to_string(&Amount::Unknown).unwrap(), "null");
        let back: Amount = serde_json::from_str("null").unwrap();
        assert_eq!(back, Amount::Unknown);
        assert!(serde_json::from_str::<Amount>("-5").is_err());
        assert!(serde_json::from_str::<Rupiah>("1.5").is_err());
    }

    #[test]
    fn sums_keep_unknown_parts_apart() {
        let sum = AmountSum::of([
            Amount::Known(Rupiah::from_u32(100)),
            Amount::Unknown,
            Amount::Known(Rupiah::ZERO),
            Amount::Unknown,
        ])
        .unwrap();
        assert_eq!(sum.diketahui_rp.get(), 100);
        assert_eq!(sum.tidak_diketahui, 2);
        assert!(!sum.is_complete());
        assert_eq!(sum.to_string(), "Rp 100 + 2 nilai tidak diketahui");
        assert!(AmountSum::of([Amount::Known(Rupiah::MAX), Amount::Known(Rupiah::MAX)]).is_err());
    }
}
