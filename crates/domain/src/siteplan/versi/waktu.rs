//! RFC 3339 times, as siteplan versions and changes record them.

/// What is wrong with an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS`, optional fraction,
/// then `Z` or `±HH:MM`), if anything. Calendar dates are checked, leap years included;
/// a leap second (`:60`) is accepted.
pub(crate) fn waktu_problem(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return Some("too short");
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let at = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return Some("expected the shape YYYY-MM-DDTHH:MM:SS");
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        num(0, 4),
        num(5, 7),
        num(8, 10),
        num(11, 13),
        num(14, 16),
        num(17, 19),
    ) else {
        return Some("expected digits in the date and time");
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Some("the month is not 01-12"),
    };
    if day == 0 || day > days {
        return Some("the day does not exist in that month");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Some("the time of day is out of range");
    }
    let mut i = 19;
    if at(i, b".") {
        i += 1;
        let start = i;
        while at(i, b"0123456789") {
            i += 1;
        }
        if i == start {
            return Some("a fraction of a second needs digits after the dot");
        }
    }
    let rest = &b[i..];
    match rest {
        [b'Z' | b'z'] => None,
        [b'+' | b'-', ..] if rest.len() == 6 && rest[3] == b':' => {
            match (num(i + 1, i + 3), num(i + 4, i + 6)) {
                (Some(h), Some(m)) if h <= 23 && m <= 59 => None,
                _ => Some("the offset is not ±HH:MM"),
            }
        }
        _ => Some("expected Z or an offset ±HH:MM at the end"),
    }
}
