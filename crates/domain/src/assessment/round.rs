//! Decimal half-up rounding of binary floating-point numbers.
//!
//! The published system shows percentages rounded half-up to two decimals (3.125 → 3.13),
//! the way a person or a spreadsheet's `ROUND` does it. Multiplying by 100 and calling
//! [`f64::round`] gets that wrong whenever the decimal number cannot be stored exactly:
//! `1.005` is stored as `1.00499999999999989…`, so the naive way gives 1.00.

/// Rounds `x` to `decimals` decimal places, halves away from zero, reading `x` as the
/// decimal number it was meant to be.
///
/// "Meant to be" means `x` printed with 15 significant digits, the most any decimal
/// fraction survives a trip through an `f64` with. Binary noise a few units in the last
/// place, as left by a division, disappears at that precision, so a value computed as
/// `2.6749999999999998` rounds like `2.675` does. Non-finite values come back unchanged;
/// negative zero comes back as zero.
///
/// # Examples
/// ```
/// use kumuh_domain::assessment::round_half_up;
/// assert_eq!(round_half_up(3.125, 2), 3.13);
/// assert_eq!(round_half_up(1.005, 2), 1.01);
/// assert_eq!(round_half_up(2.675, 2), 2.68);
/// assert_eq!(round_half_up(16.665, 2), 16.67);
/// assert_eq!(round_half_up(-2.675, 2), -2.68);
/// assert_eq!(round_half_up(100.0 / 3.0, 2), 33.33);
/// ```
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    if !x.is_finite() || x == 0.0 || decimals > 15 {
        return if x == 0.0 { 0.0 } else { x };
    }
    let factor = 10f64.powi(decimals as i32);
    let scaled = x.abs() * factor;
    // Past 2^52 an f64 holds no fraction at all, so there is nothing to round.
    if scaled >= 4_503_599_627_370_496.0 {
        return x;
    }
    let fraction = scaled - scaled.floor();
    // Only a value close to a half can be tipped the wrong way by binary noise; every
    // other value rounds correctly the cheap way, which keeps bulk scoring fast.
    let magnitude = if (fraction - 0.5).abs() > 1e-6 {
        scaled.round() / factor
    } else {
        decimal_half_up(x.abs(), decimals).unwrap_or_else(|| scaled.round() / factor)
    };
    let signed = if x < 0.0 { -magnitude } else { magnitude };
    if signed == 0.0 { 0.0 } else { signed }
}

/// Half-up rounding on the 15-significant-digit decimal text of a positive finite `x`.
fn decimal_half_up(x: f64, decimals: u32) -> Option<f64> {
    use std::fmt::Write as _;
    // `{:.14e}` prints one digit, a point, 14 digits and the exponent: `3.12500000000000e0`.
    // It is written on the stack: bulk scoring comes here for every value near a half.
    let mut text = StackText::default();
    write!(text, "{x:.14e}").ok()?;
    let text = text.as_str()?;
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let mut digits = [0u64; 15];
    let mut count = 0;
    for d in mantissa.bytes().filter(u8::is_ascii_digit) {
        *digits.get_mut(count)? = u64::from(d - b'0');
        count += 1;
    }
    let digits = &digits[..count];
    // Digit i is worth 10^(exponent - i); keep those worth at least 10^-decimals.
    let keep = exponent + decimals as i32 + 1;
    if keep < 0 {
        return Some(0.0);
    }
    let keep = usize::try_from(keep).ok()?;
    if keep >= digits.len() {
        return Some(x);
    }
    let mut units = digits[..keep].iter().fold(0u64, |n, d| n * 10 + d);
    if digits[keep] >= 5 {
        units += 1;
    }
    // `units` has at most 15 digits, so it converts to f64 exactly and the division is a
    // single correctly rounded operation: the nearest f64 to the decimal result.
    Some(units as f64 / 10f64.powi(decimals as i32))
}

/// Text written into a fixed buffer; writing more than it holds fails.
#[derive(Default)]
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl StackText {
    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64, decimals: u32, expected: f64) {
        let got = round_half_up(x, decimals);
        assert!(
            got == expected && got.to_bits() == expected.to_bits(),
            "round_half_up({x:?}, {decimals}) = {got:?}, expected {expected:?}"
        );
    }

    #[test]
    fn halves_round_up_in_decimal() {
        check(3.125, 2, 3.13);
        check(1.005, 2, 1.01);
        check(2.675, 2, 2.68);
        check(16.665, 2, 16.67);
        check(1.565, 2, 1.57);
        check(0.005, 2, 0.01);
        check(0.125, 2, 0.13);
        check(8.345, 2, 8.35);
        check(1.0049999, 2, 1.0);
        check(2.5, 0, 3.0);
    }

    #[test]
    fn results_of_divisions_round_as_their_decimal_value() {
        // 5 of 160 m: the Kebonsari record publishes 3.13 and an aspect mean of 1.57.
        check(5.0 * 100.0 / 160.0, 2, 3.13);
        check((0.0 + 3.13) / 2.0, 2, 1.57);
        check(0.02675 * 100.0, 2, 2.68);
        check(1.0 * 100.0 / 42.0, 2, 2.38);
        check(48.0 * 100.0 / 55.0, 2, 87.27);
        check(100.0 / 3.0, 2, 33.33);
        check(200.0 / 3.0, 2, 66.67);
    }

    #[test]
    fn negatives_round_away_from_zero_and_zero_has_no_sign() {
        check(-2.675, 2, -2.68);
        check(-0.001, 2, 0.0);
        check(-0.0, 2, 0.0);
        check(-20.0, 2, -20.0);
    }

    #[test]
    fn odd_values_pass_through() {
        assert!(round_half_up(f64::NAN, 2).is_nan());
        check(f64::INFINITY, 2, f64::INFINITY);
        check(1e300, 2, 1e300);
        check(123_456_789.125, 2, 123_456_789.13);
        check(0.000_000_1, 2, 0.0);
        check(42.0, 2, 42.0);
    }
}
