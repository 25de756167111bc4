//! Stacked bar charts as inline SVG, for print: hectares by class per year, money by
//! source per year. No script, no fonts beyond the page's.

use std::fmt::Write as _;

use super::teks::esc;

/// One series of a stacked chart: its label, its colour and a value per category.
#[derive(Debug, Clone)]
pub struct Seri {
    /// Shown in the legend.
    pub label: String,
    /// A CSS colour.
    pub warna: &'static str,
    /// One value per category, in the chart's unit; negatives are drawn as zero.
    pub nilai: Vec<f64>,
}

const W: f64 = 520.0;
const H: f64 = 220.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 40.0;

/// A tick step of 1, 2 or 5 × 10ⁿ that gives about four gridlines up to `max`.
fn step(max: f64) -> f64 {
    let raw = max / 4.0;
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

/// A stacked bar chart (class `grafik`): one bar per category (a year), one stacked
/// part per series, a y axis in `satuan` with `fmt` writing its ticks, and a legend.
///
/// # Examples
/// ```
/// use kumuh_io::dokumen::grafik::{Seri, batang};
/// let s = batang("Luas", &["2017".into(), "2018".into()],
///     &[Seri { label: "Kumuh ringan".into(), warna: "#fdbb84", nilai: vec![3.0, 0.0] }],
///     "ha", &|v| format!("{v}"));
/// assert_eq!(s.matches("<rect class=\"bar\"").count(), 1);
/// ```
pub fn batang(
    judul: &str,
    kategori: &[String],
    seri: &[Seri],
    satuan: &str,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let legend_rows = seri.len().div_ceil(3);
    #[allow(clippy::cast_precision_loss)]
    let total_h = H + 14.0 * legend_rows as f64;
    let mut out = format!(
        "<svg class=\"grafik\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {total_h}\" \
         role=\"img\"><title>{}</title>",
        esc(judul)
    );
    let totals: Vec<f64> = (0..kategori.len())
        .map(|i| {
            seri.iter()
                .map(|s| s.nilai.get(i).copied().unwrap_or(0.0).max(0.0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().fold(0.0_f64, f64::max);
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - 10.0;
    if kategori.is_empty() || !(max.is_finite() && max > 0.0) {
        let _ = write!(
            out,
            "<text x=\"{LEFT}\" y=\"{:.0}\" font-size=\"11\">Tidak ada nilai untuk digambar</text></svg>",
            H / 2.0
        );
        return out;
    }
    let st = step(max);
    let top = (max / st).ceil() * st;
    let y_of = |v: f64| TOP + plot_h - v / top * plot_h;
    let mut tick = 0.0;
    while tick <= top + st / 2.0 {
        let y = y_of(tick);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"end\">{}</text>",
            LEFT + plot_w,
            LEFT - 4.0,
            y + 3.0,
            esc(&fmt(tick))
        );
        tick += st;
    }
    let _ = write!(
        out,
        "<text x=\"4\" y=\"{:.1}\" font-size=\"9\">{}</text>",
        TOP + 8.0,
        esc(satuan)
    );
    #[allow(clippy::cast_precision_loss)]
    let slot = plot_w / kategori.len() as f64;
    let bar_w = (slot * 0.6).min(48.0);
    for (i, k) in kategori.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
        let mut base = 0.0;
        for s in seri {
            let v = s.nilai.get(i).copied().unwrap_or(0.0).max(0.0);
            if v <= 0.0 || !v.is_finite() {
                continue;
            }
            let (y1, y0) = (y_of(base + v), y_of(base));
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y1:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" \
                 fill=\"{}\"><title>{} {}: {}</title></rect>",
                (y0 - y1).max(0.5),
                s.warna,
                esc(&s.label),
                esc(k),
                esc(&fmt(v))
            );
            base += v;
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            x + bar_w / 2.0,
            TOP + plot_h + 12.0,
            esc(k)
        );
    }
    for (i, s) in seri.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (x, y) = (
            LEFT + (i % 3) as f64 * 150.0,
            H - 12.0 + (i / 3) as f64 * 14.0,
        );
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"9\">{}</text>",
            y - 8.0,
            s.warna,
            x + 12.0,
            esc(&s.label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_bars_stack() {
        assert_eq!(step(10.0), 5.0);
        assert_eq!(step(100_000_000.0), 50_000_000.0);
        let s = batang(
            "x",
            &["2017".into(), "2018".into()],
            &[
                Seri {
                    label: "a".into(),
                    warna: "#000",
                    nilai: vec![1.0, 2.0],
                },
                Seri {
                    label: "<b>".into(),
                    warna: "#fff",
                    nilai: vec![1.0, f64::NAN],
                },
            ],
            "ha",
            &|v| format!("{v}"),
        );
        assert_eq!(s.matches("<rect class=\"bar\"").count(), 3, "{s}");
        assert!(s.contains("&lt;b&gt;") && !s.contains("<b>"), "{s}");
    }

    #[test]
    fn an_empty_chart_says_so() {
        let s = batang("x", &[], &[], "ha", &|v| format!("{v}"));
        assert!(s.contains("Tidak ada nilai"), "{s}");
    }
}
