//! Small static maps as inline SVG: boundaries, slum locations coloured by class and the
//! segments of works, with a scale bar and a north arrow. The public pages and the
//! printed documents draw every map through [`svg`], so they look and measure alike.

use std::fmt::Write as _;

use geo::{Distance, Geodesic};
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Point};
use kumuh_domain::assessment::SlumClass;

use super::teks::{esc, jarak};

/// A slum location on a map.
#[derive(Debug, Clone)]
pub struct LokasiPeta {
    /// Its name.
    pub nama: String,
    /// Its delineation.
    pub geometry: MultiPolygon<f64>,
    /// The class of its latest record; `None` for a location not assessed yet.
    pub kelas: Option<SlumClass>,
}

/// A drawn shape of its own colour (a siteplan feature), with its label.
#[derive(Debug, Clone)]
pub struct Bentuk {
    /// Its label (the feature's category).
    pub label: String,
    /// A CSS colour.
    pub warna: &'static str,
    /// A point, line or area.
    pub geometry: Geometry<f64>,
}

/// What one map shows.
#[derive(Debug, Clone, Copy)]
pub struct Peta<'a> {
    /// The title read by screen readers (`Peta Desa Bibrik`).
    pub judul: &'a str,
    /// Boundaries drawn in grey (a desa, or every desa of a kecamatan).
    pub batas: &'a [MultiPolygon<f64>],
    /// Slum locations, filled by class.
    pub lokasi: &'a [LokasiPeta],
    /// Each segment's label and line, area or point, drawn in red.
    pub segmen: &'a [(String, Geometry<f64>)],
    /// Shapes in their own colours, drawn last.
    pub bentuk: &'a [Bentuk],
    /// Width and height in SVG units.
    pub ukuran: (f64, f64),
}

/// Margin inside a map, in SVG units.
const PAD: f64 = 8.0;

/// The fill of a slum location by its class, heaviest darkest.
pub fn class_colour(k: SlumClass) -> &'static str {
    match k {
        SlumClass::KumuhBerat => "#b30000",
        SlumClass::KumuhSedang => "#e34a33",
        SlumClass::KumuhRingan => "#fdbb84",
        SlumClass::TidakKumuh => "#a1d99b",
    }
}

/// An equirectangular projection (longitude shrunk by the cosine of the middle
/// latitude) that fits a bounding box into the map: plenty for a village a few km
/// across, and for a kabupaten on a printed page.
#[derive(Debug, Clone, Copy)]
struct Projection {
    min_lon: f64,
    max_lat: f64,
    mid_lat: f64,
    kx: f64,
    scale: f64,
}

impl Projection {
    fn fit(b: [f64; 4], (w, h): (f64, f64)) -> Projection {
        let mid_lat = (b[1] + b[3]) / 2.0;
        let kx = mid_lat.to_radians().cos().abs().max(0.01);
        let bw = ((b[2] - b[0]) * kx).max(1e-9);
        let bh = (b[3] - b[1]).max(1e-9);
        // Room at the foot for the scale bar.
        let scale = ((w - 2.0 * PAD) / bw).min((h - 2.0 * PAD - 14.0) / bh);
        Projection {
            min_lon: b[0],
            max_lat: b[3],
            mid_lat,
            kx,
            scale,
        }
    }

    fn xy(&self, c: Coord<f64>) -> (f64, f64) {
        (
            PAD + (c.x - self.min_lon) * self.kx * self.scale,
            PAD + (self.max_lat - c.y) * self.scale,
        )
    }

    /// Geodesic metres per SVG unit, east-west along the middle latitude.
    fn metres_per_unit(&self) -> f64 {
        let span_deg = 100.0 / (self.kx * self.scale);
        let a = Point::new(self.min_lon, self.mid_lat);
        let b = Point::new(self.min_lon + span_deg, self.mid_lat);
        Geodesic.distance(a, b) / 100.0
    }

    /// An SVG path of a line, leaving out points less than half a unit from the last
    /// one kept, so that a detailed boundary stays a few kilobytes.
    fn path(&self, line: &LineString<f64>, close: bool, d: &mut String) {
        let mut last: Option<(f64, f64)> = None;
        for c in line.coords() {
            let (x, y) = self.xy(*c);
            if let Some((lx, ly)) = last
                && (x - lx).hypot(y - ly) < 0.5
            {
                continue;
            }
            let _ = write!(d, "{}{x:.1} {y:.1}", if last.is_none() { "M" } else { "L" });
            last = Some((x, y));
        }
        if close && last.is_some() {
            d.push('Z');
        }
    }

    fn polygons(&self, g: &MultiPolygon<f64>, d: &mut String) {
        for poly in &g.0 {
            self.path(poly.exterior(), true, d);
            for hole in poly.interiors() {
                self.path(hole, true, d);
            }
        }
    }
}

fn bounds_of(p: &Peta<'_>) -> Option<[f64; 4]> {
    let batas = p.batas.iter().filter_map(kumuh_domain::geometry::bbox);
    let lokasi = p
        .lokasi
        .iter()
        .filter_map(|l| kumuh_domain::geometry::bbox(&l.geometry));
    let segmen = p
        .segmen
        .iter()
        .filter_map(|(_, g)| kumuh_domain::geometry::geometry_bbox(g));
    let bentuk = p
        .bentuk
        .iter()
        .filter_map(|s| kumuh_domain::geometry::geometry_bbox(&s.geometry));
    let mut b: Option<[f64; 4]> = None;
    for s in batas.chain(lokasi).chain(segmen).chain(bentuk) {
        b = Some(match b {
            None => s,
            Some(a) => [
                a[0].min(s[0]),
                a[1].min(s[1]),
                a[2].max(s[2]),
                a[3].max(s[3]),
            ],
        });
    }
    b.filter(|b| b.iter().all(|v| v.is_finite()))
}

/// The largest of 1, 2 or 5 times a power of ten that is at most `m`.
fn round_length(m: f64) -> f64 {
    if m.is_nan() || m <= 0.0 {
        return 0.0;
    }
    let p = 10f64.powf(m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|l| *l <= m)
        .unwrap_or(p)
}

/// A map as an inline `<svg>` element (class `peta`): the boundaries, the locations by
/// class, the segments, a scale bar (`data-skala`, its length in metres) in the lower
/// left and a north arrow (`data-utara`) in the upper right. A map with nothing to
/// draw says so.
///
/// # Examples
/// ```
/// use geo_types::{MultiPolygon, polygon};
/// use kumuh_io::dokumen::peta::{Peta, svg};
/// let desa = MultiPolygon(vec![polygon![(x: 111.48, y: -7.59), (x: 111.50, y: -7.59),
///     (x: 111.50, y: -7.57), (x: 111.48, y: -7.57), (x: 111.48, y: -7.59)]]);
/// let s = svg(&Peta { judul: "Peta Desa Bibrik", batas: &[desa], lokasi: &[], segmen: &[],
///     bentuk: &[], ukuran: (300.0, 220.0) });
/// assert!(s.contains("<path d=\"M") && s.contains("data-skala=\"500\""), "{s}");
/// ```
pub fn svg(p: &Peta<'_>) -> String {
    let (w, h) = p.ukuran;
    let mut out = format!(
        "<svg class=\"peta\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\"><title>{}</title>",
        esc(p.judul)
    );
    let Some(b) = bounds_of(p) else {
        out.push_str("<text x=\"10\" y=\"20\" font-size=\"12\">Tanpa geometri</text></svg>");
        return out;
    };
    let proj = Projection::fit(b, p.ukuran);
    for batas in p.batas {
        let mut d = String::new();
        proj.polygons(batas, &mut d);
        if !d.is_empty() {
            let _ = write!(
                out,
                "<path d=\"{d}\" fill=\"#e8e8e0\" stroke=\"#666\" stroke-width=\"1\" \
                 fill-rule=\"evenodd\"/>"
            );
        }
    }
    for l in p.lokasi {
        let mut d = String::new();
        proj.polygons(&l.geometry, &mut d);
        let (fill, label) = match l.kelas {
            Some(k) => (class_colour(k), format!("{} ({})", l.nama, k.label_id())),
            None => ("#bbb", format!("{} (belum dinilai)", l.nama)),
        };
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"{fill}\" fill-opacity=\"0.75\" stroke=\"#333\" \
             stroke-width=\"0.5\" fill-rule=\"evenodd\"><title>{}</title></path>",
            esc(&label)
        );
    }
    for (label, g) in p.segmen {
        segment(&proj, label, g, "#d33", &mut out);
    }
    for s in p.bentuk {
        segment(&proj, &s.label, &s.geometry, s.warna, &mut out);
    }
    scale_bar(&proj, w, h, &mut out);
    north_arrow(w, &mut out);
    out.push_str("</svg>");
    out
}

/// A line (wide), an area (lightly filled, so that what lies under it still shows) or a
/// point, in `colour`.
fn segment(proj: &Projection, label: &str, g: &Geometry<f64>, colour: &str, out: &mut String) {
    let mut d = String::new();
    let area = match g {
        Geometry::LineString(l) => {
            proj.path(l, false, &mut d);
            false
        }
        Geometry::MultiLineString(m) => {
            for l in &m.0 {
                proj.path(l, false, &mut d);
            }
            false
        }
        Geometry::Polygon(poly) => {
            proj.polygons(&MultiPolygon(vec![poly.clone()]), &mut d);
            true
        }
        Geometry::MultiPolygon(m) => {
            proj.polygons(m, &mut d);
            true
        }
        Geometry::Point(pt) => {
            let (x, y) = proj.xy(pt.0);
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\" stroke=\"#fff\">\
                 <title>{}</title></circle>",
                esc(label)
            );
            return;
        }
        _ => return,
    };
    let style = if area {
        format!("fill=\"{colour}\" fill-opacity=\"0.3\" stroke=\"{colour}\" stroke-width=\"1.5\"")
    } else {
        format!("fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" stroke-linecap=\"round\"")
    };
    let _ = write!(
        out,
        "<path d=\"{d}\" {style} fill-rule=\"evenodd\"><title>{}</title></path>",
        esc(label)
    );
}

/// A bar of a round length (1, 2 or 5 × 10ⁿ m) at most a fifth of the map wide.
fn scale_bar(proj: &Projection, w: f64, h: f64, out: &mut String) {
    let per_unit = proj.metres_per_unit();
    if !(per_unit.is_finite() && per_unit > 0.0) {
        return;
    }
    // About a fifth of the map wide.
    let metres = round_length(per_unit * w / 5.0);
    if metres <= 0.0 {
        return;
    }
    let len = metres / per_unit;
    let (x, y) = (PAD, h - PAD);
    let _ = write!(
        out,
        "<g class=\"skala\" data-skala=\"{metres:.0}\">\
         <rect x=\"{x}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"4\" fill=\"#222\"/>\
         <rect x=\"{x}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"#fff\" stroke=\"#222\" \
         stroke-width=\"0.5\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">{}</text></g>",
        y - 4.0,
        y - 4.0,
        len / 2.0,
        x + len + 3.0,
        y,
        jarak(metres)
    );
}

/// An arrow pointing up, marked "U" (utara): the projection keeps north up.
fn north_arrow(w: f64, out: &mut String) {
    let x = w - PAD - 8.0;
    let y = PAD;
    let _ = write!(
        out,
        "<g class=\"utara\" data-utara=\"1\"><path d=\"M{x:.1} {y:.1}L{:.1} {:.1}L{x:.1} {:.1}\
         L{:.1} {:.1}Z\" fill=\"#222\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"9\" \
         text-anchor=\"middle\">U</text></g>",
        x + 5.0,
        y + 14.0,
        y + 10.0,
        x - 5.0,
        y + 14.0,
        y + 24.0
    );
}

#[cfg(test)]
mod tests {
    use geo_types::polygon;

    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        for (m, round) in [
            (730.0, 500.0),
            (1999.0, 1000.0),
            (2000.0, 2000.0),
            (0.0, 0.0),
        ] {
            assert_eq!(round_length(m), round, "{m}");
        }
    }

    #[test]
    fn the_scale_bar_measures_the_map_geodesically() {
        // 0.02° of longitude at 7.58° S is about 2,205 m on the WGS84 ellipsoid.
        let desa = MultiPolygon(vec![polygon![(x: 111.48, y: -7.59), (x: 111.50, y: -7.59),
            (x: 111.50, y: -7.57), (x: 111.48, y: -7.57), (x: 111.48, y: -7.59)]]);
        let p = Peta {
            judul: "x",
            batas: std::slice::from_ref(&desa),
            lokasi: &[],
            segmen: &[],
            bentuk: &[],
            ukuran: (300.0, 220.0),
        };
        let proj = Projection::fit(bounds_of(&p).unwrap(), p.ukuran);
        let drawn_w = 0.02 * proj.kx * proj.scale;
        let m = proj.metres_per_unit() * drawn_w;
        assert!((m - 2205.0).abs() < 10.0, "{m}");
        let s = svg(&p);
        assert!(s.contains("data-utara"), "{s}");
        assert!(s.contains(">500 m<"), "{s}");
    }

    #[test]
    fn a_map_without_geometry_says_so() {
        let s = svg(&Peta {
            judul: "<kosong>",
            batas: &[],
            lokasi: &[],
            segmen: &[],
            bentuk: &[],
            ukuran: (300.0, 220.0),
        });
        assert!(
            s.contains("Tanpa geometri") && s.contains("&lt;kosong&gt;"),
            "{s}"
        );
    }
}
