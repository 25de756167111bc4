//! Text for printed pages: HTML escaping, rupiah with dots between thousands, hectares
//! with a decimal comma, and sums whose unknown parts are said as such.

use kumuh_domain::works::{AmountSum, TotalSum};

/// Text from the store, safe inside HTML elements and quoted attributes.
///
/// # Examples
/// ```
/// assert_eq!(kumuh_io::dokumen::teks::esc("<b>\"&\"</b>"), "&lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;");
/// ```
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `Rp 100.000.000`: whole rupiah with dots between thousands.
///
/// # Examples
/// ```
/// assert_eq!(kumuh_io::dokumen::teks::rupiah(100_000_000), "Rp 100.000.000");
/// ```
pub fn rupiah(rp: i128) -> String {
    let digits = rp.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{}Rp {grouped}", if rp < 0 { "-" } else { "" })
}

/// A sum of allocations: the known part in rupiah, and the parts of unknown amount
/// said as such, never counted as zero.
pub fn known_and_unknown(known: i128, unknown: u64) -> String {
    match (known, unknown) {
        (_, 0) => rupiah(known),
        (0, _) => "tidak diketahui".to_owned(),
        _ => format!("{} + {unknown} alokasi tidak diketahui", rupiah(known)),
    }
}

/// [`known_and_unknown`] of a report total.
pub fn total_sum(s: &TotalSum) -> String {
    known_and_unknown(s.diketahui_rp.get(), s.tidak_diketahui)
}

/// [`known_and_unknown`] of a sum of stored amounts.
pub fn amount_sum(s: &AmountSum) -> String {
    known_and_unknown(i128::from(s.diketahui_rp.get()), s.tidak_diketahui)
}

/// Hectares with two decimals and a decimal comma, as Indonesian tables write them.
///
/// # Examples
/// ```
/// assert_eq!(kumuh_io::dokumen::teks::hektar(10.2), "10,20");
/// ```
pub fn hektar(ha: f64) -> String {
    // `+ 0.0` turns -0.0 into 0.0, which would otherwise print as "-0,00".
    format!("{:.2}", ha + 0.0).replace('.', ",")
}

/// A length for a scale bar: metres below a kilometre, kilometres above.
pub fn jarak(m: f64) -> String {
    if m >= 1000.0 {
        let km = m / 1000.0;
        if km.fract() == 0.0 {
            format!("{km:.0} km")
        } else {
            format!("{km:.1} km").replace('.', ",")
        }
    } else {
        format!("{m:.0} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        for (rp, text) in [
            (0, "Rp 0"),
            (5_000, "Rp 5.000"),
            (100_000_000, "Rp 100.000.000"),
            (1_234_567, "Rp 1.234.567"),
            (-150_000, "-Rp 150.000"),
        ] {
            assert_eq!(rupiah(rp), text);
        }
    }

    #[test]
    fn unknown_amounts_are_never_zero() {
        assert_eq!(known_and_unknown(0, 2), "tidak diketahui");
        assert_eq!(known_and_unknown(0, 0), "Rp 0");
        assert_eq!(
            known_and_unknown(100_000_000, 1),
            "Rp 100.000.000 + 1 alokasi tidak diketahui"
        );
    }

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        assert_eq!(
            esc("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn hectares_and_distances_read_the_indonesian_way() {
        assert_eq!(hektar(-0.0), "0,00");
        assert_eq!(hektar(3.456), "3,46");
        assert_eq!(jarak(200.0), "200 m");
        assert_eq!(jarak(1000.0), "1 km");
        assert_eq!(jarak(2500.0), "2,5 km");
    }
}
