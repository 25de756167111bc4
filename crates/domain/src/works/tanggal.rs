//! Calendar dates (tanggal), weekdays (hari) and date ranges (periode).
//!
//! Works only need civil dates in the proleptic Gregorian calendar: when money was
//! allocated or spent, when progress was measured, on which Friday dues were collected.
//! A small date type keeps the domain free of a date library; it is stored and
//! serialised as ISO 8601 `YYYY-MM-DD` text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::{Result, WorksError};

/// A calendar date between year 1 and 9999.
///
/// # Examples
/// ```
/// use kumuh_domain::works::{Hari, Tanggal};
/// let t = Tanggal::parse("2018-08-31").unwrap();
/// assert_eq!(t.hari(), Hari::Jumat);
/// assert_eq!(t.to_string(), "2018-08-31");
/// assert!(Tanggal::parse("2018-02-30").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tanggal {
    // Field order makes the derived ordering chronological.
    tahun: u16,
    bulan: u8,
    hari: u8,
}

impl Tanggal {
    /// A date from year, month (1-12) and day of month.
    pub fn new(tahun: u16, bulan: u8, hari: u8) -> Result<Tanggal> {
        let input = || format!("{tahun:04}-{bulan:02}-{hari:02}");
        if !(1..=9999).contains(&tahun) {
            return Err(WorksError::ParseTanggal {
                input: input(),
                problem: "the year must be between 1 and 9999",
            });
        }
        if !(1..=12).contains(&bulan) {
            return Err(WorksError::ParseTanggal {
                input: input(),
                problem: "the month must be between 1 and 12",
            });
        }
        if hari < 1 || hari > days_in_month(tahun, bulan) {
            return Err(WorksError::ParseTanggal {
                input: input(),
                problem: "the day does not exist in that month",
            });
        }
        Ok(Tanggal { tahun, bulan, hari })
    }

    /// Reads an ISO 8601 calendar date, `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Tanggal> {
        let err = |problem| WorksError::ParseTanggal {
            input: text.to_owned(),
            problem,
        };
        let s = text.trim();
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(err("expected the form YYYY-MM-DD, e.g. 2018-08-31"));
        }
        let num = |range: std::ops::Range<usize>| {
            b[range]
                .iter()
                .fold(0u16, |acc, c| acc * 10 + u16::from(c - b'0'))
        };
        let (tahun, bulan, hari) = (num(0..4), num(5..7), num(8..10));
        // Two ASCII digits always fit in a u8.
        let bulan = u8::try_from(bulan).unwrap_or(u8::MAX);
        let hari = u8::try_from(hari).unwrap_or(u8::MAX);
        Tanggal::new(tahun, bulan, hari).map_err(|e| match e {
            WorksError::ParseTanggal { problem, .. } => err(problem),
            other => other,
        })
    }

    /// The year.
    pub fn tahun(self) -> u16 {
        self.tahun
    }

    /// The month, 1-12.
    pub fn bulan(self) -> u8 {
        self.bulan
    }

    /// The day of the month, 1-31.
    pub fn tanggal(self) -> u8 {
        self.hari
    }

    /// The day of the week.
    pub fn hari(self) -> Hari {
        // 1970-01-01 was a Thursday (Kamis), index 3 counting from Monday.
        Hari::ALL[usize::try_from((self.day_number() + 3).rem_euclid(7)).unwrap_or(0)]
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil, on a calendar whose years start in March so
        // that the leap day is the last day of the year.
        let m = i64::from(self.bulan);
        let d = i64::from(self.hari);
        let y = i64::from(self.tahun) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `day_number` days after 1970-01-01, if it lies in years 1-9999.
    pub fn from_day_number(day_number: i64) -> Option<Tanggal> {
        // Outside this window the arithmetic below could overflow; the year check
        // afterwards is the real limit.
        if !(-800_000..=3_000_000).contains(&day_number) {
            return None;
        }
        let z = day_number + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Tanggal::new(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
        .ok()
    }

    /// The date `days` days later (earlier if negative), if it exists.
    pub fn plus_days(self, days: i64) -> Option<Tanggal> {
        Tanggal::from_day_number(self.day_number().checked_add(days)?)
    }
}

fn is_leap(tahun: u16) -> bool {
    (tahun.is_multiple_of(4) && !tahun.is_multiple_of(100)) || tahun.is_multiple_of(400)
}

/// Number of days in a month (1-12) of a year.
pub(crate) fn days_in_month(tahun: u16, bulan: u8) -> u8 {
    match bulan {
        2 if is_leap(tahun) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Tanggal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.tahun, self.bulan, self.hari)
    }
}

impl FromStr for Tanggal {
    type Err = WorksError;
    fn from_str(s: &str) -> Result<Tanggal> {
        Tanggal::parse(s)
    }
}

impl TryFrom<String> for Tanggal {
    type Error = WorksError;
    fn try_from(s: String) -> Result<Tanggal> {
        Tanggal::parse(&s)
    }
}

impl From<Tanggal> for String {
    fn from(t: Tanggal) -> String {
        t.to_string()
    }
}

define_code! {
    /// A day of the week; `jumat` (Friday) is the usual day for jimpitan collections.
    /// `ALL` runs Monday to Sunday.
    pub enum Hari {
        /// Monday.
        Senin = "senin",
        /// Tuesday.
        Selasa = "selasa",
        /// Wednesday.
        Rabu = "rabu",
        /// Thursday.
        Kamis = "kamis",
        /// Friday.
        Jumat = "jumat",
        /// Saturday.
        Sabtu = "sabtu",
        /// Sunday.
        Minggu = "minggu",
    }
}

impl Hari {
    /// Position in the week, Monday = 0.
    pub fn index(self) -> i64 {
        match self {
            Hari::Senin => 0,
            Hari::Selasa => 1,
            Hari::Rabu => 2,
            Hari::Kamis => 3,
            Hari::Jumat => 4,
            Hari::Sabtu => 5,
            Hari::Minggu => 6,
        }
    }

    /// The name in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            Hari::Senin => "Senin",
            Hari::Selasa => "Selasa",
            Hari::Rabu => "Rabu",
            Hari::Kamis => "Kamis",
            Hari::Jumat => "Jumat",
            Hari::Sabtu => "Sabtu",
            Hari::Minggu => "Minggu",
        }
    }
}

/// A closed range of dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodeData")]
pub struct Periode {
    mulai: Tanggal,
    selesai: Tanggal,
}

#[derive(Deserialize)]
struct PeriodeData {
    mulai: Tanggal,
    selesai: Tanggal,
}

impl TryFrom<PeriodeData> for Periode {
    type Error = WorksError;
    fn try_from(d: PeriodeData) -> Result<Periode> {
        Periode::new(d.mulai, d.selesai)
    }
}

impl Periode {
    /// The dates from `mulai` to `selesai`, both included; `selesai` must not be earlier.
    pub fn new(mulai: Tanggal, selesai: Tanggal) -> Result<Periode> {
        if selesai < mulai {
            return Err(WorksError::field(
                format!("periode {mulai}..{selesai}"),
                "selesai",
                "the end is before the start",
            ));
        }
        Ok(Periode { mulai, selesai })
    }

    /// The first day.
    pub fn mulai(self) -> Tanggal {
        self.mulai
    }

    /// The last day.
    pub fn selesai(self) -> Tanggal {
        self.selesai
    }

    /// Whether the date lies in the range.
    pub fn contains(self, t: Tanggal) -> bool {
        self.mulai <= t && t <= self.selesai
    }
}

impl fmt::Display for Periode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s.d. {}", self.mulai, self.selesai)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<(i64, Hari)>) {
        match (Tanggal::parse(text), expected) {
            (Ok(t), Some((n, hari))) => {
                assert_eq!(t.day_number(), n, "{text}");
                assert_eq!(t.hari(), hari, "{text}");
                assert_eq!(Tanggal::from_day_number(n), Some(t), "{text}");
                assert_eq!(t.to_string(), text);
            }
            (Err(_), None) => {}
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn dates_know_their_day_number_and_weekday() {
        check("1970-01-01", Some((0, Hari::Kamis)));
        check("2000-02-29", Some((11_016, Hari::Selasa)));
        check("2018-08-17", Some((17_760, Hari::Jumat)));
        check("2018-08-31", Some((17_774, Hari::Jumat)));
        check("0001-01-01", Some((-719_162, Hari::Senin)));
        check("9999-12-31", Some((2_932_896, Hari::Jumat)));
        check("1900-02-29", None);
        check("2019-02-29", None);
        check("2018-13-01", None);
        check("2018-00-10", None);
        check("2018-04-31", None);
        check("0000-01-01", None);
        check("2018-8-31", None);
        check("31-08-2018", None);
        check("2018/08/31", None);
        check("", None);
    }

    #[test]
    fn day_arithmetic_stays_in_range() {
        let t = Tanggal::parse("2018-12-28").unwrap();
        assert_eq!(t.plus_days(7).unwrap().to_string(), "2019-01-04");
        assert_eq!(t.plus_days(-365).unwrap().to_string(), "2017-12-28");
        assert!(t.plus_days(i64::MAX).is_none());
        assert!(Tanggal::from_day_number(i64::MIN).is_none());
        assert!(Tanggal::from_day_number(2_932_897).is_none());
    }

    #[test]
    fn periods_refuse_an_end_before_the_start() {
        let a = Tanggal::parse("2018-08-01").unwrap();
        let b = Tanggal::parse("2018-08-31").unwrap();
        assert!(Periode::new(a, b).unwrap().contains(b));
        let e = Periode::new(b, a).unwrap_err();
        assert!(e.to_string().contains("field `selesai`"), "{e}");
        assert!(
            serde_json::from_str::<Periode>(r#"{"mulai":"2018-08-31","selesai":"2018-08-01"}"#)
                .is_err()
        );
    }
}
