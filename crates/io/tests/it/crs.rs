//! Reprojection against PROJ: points projected and unprojected by GDAL's
//! `gdaltransform` (Debian's gdal-bin, installed by scripts/test.sh) must come back from
//! Kumuh's own transverse Mercator within 1 cm.

use std::io::Write;
use std::process::{Command, Stdio};

use kumuh_io::foreign::Crs;

/// Runs `gdaltransform -s_srs FROM -t_srs TO` on the points; `None` when GDAL is absent.
fn gdaltransform(from: &str, to: &str, points: &[(f64, f64)]) -> Option<Vec<(f64, f64)>> {
    let mut child = match Command::new("gdaltransform")
        .args(["-s_srs", from, "-t_srs", to, "-output_xy"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gdaltransform is not installed ({e}): skipping the comparison with PROJ");
            return None;
        }
    };
    let input: String = points
        .iter()
        .map(|(x, y)| format!("{x:.10} {y:.10}\n"))
        .collect();
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "gdaltransform {from} -> {to} failed");
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let mut it = l.split_whitespace().map(|v| v.parse::<f64>().unwrap());
                (it.next().unwrap(), it.next().unwrap())
            })
            .collect(),
    )
}

/// Points across a zone: its central meridian, 3° either side (UTM edges), and
/// latitudes from 11° S to 6° N as Indonesia spans.
fn points_around(lon0: f64, half_width_deg: f64) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    for dlon in [-half_width_deg, -1.3, 0.0, 0.7, half_width_deg] {
        for lat in [-11.0, -7.6, -2.25, 0.0, 1.5, 6.0] {
            pts.push((lon0 + dlon, lat));
        }
    }
    pts
}

#[test]
fn transverse_mercator_matches_proj_within_a_centimetre() {
    let mut zones: Vec<(u32, f64, f64)> = Vec::new();
    for zone in 48..=54 {
        zones.push((32700 + zone, f64::from(zone) * 6.0 - 183.0, 3.0));
    }
    for zone in 47..=52 {
        zones.push((32600 + zone, f64::from(zone) * 6.0 - 183.0, 3.0));
    }
    for (i, code) in (23830..=23845).enumerate() {
        zones.push((code, 94.5 + 3.0 * i as f64, 1.5));
    }
    let mut worst_m: f64 = 0.0;
    for (code, lon0, half) in zones {
        let crs = Crs::from_epsg(code).unwrap_or_else(|| panic!("EPSG:{code} is not read"));
        let lonlat = points_around(lon0, half);
        let epsg = format!("EPSG:{code}");
        let Some(projected) = gdaltransform("EPSG:4326", &epsg, &lonlat) else {
            return;
        };
        let Some(proj_back) = gdaltransform(&epsg, "EPSG:4326", &projected) else {
            return;
        };
        for ((x, y), (plon, plat)) in projected.iter().zip(&proj_back) {
            let (lon, lat) = crs.to_lon_lat(*x, *y);
            let dy_m = (lat - plat) * 110_574.0;
            let dx_m = (lon - plon) * 111_320.0 * plat.to_radians().cos();
            let d_m = dx_m.hypot(dy_m);
            worst_m = worst_m.max(d_m);
            assert!(
                d_m < 0.01,
                "EPSG:{code} ({x}, {y}): Kumuh {lon}, {lat}; PROJ {plon}, {plat}: {d_m} m apart"
            );
        }
    }
    eprintln!("largest difference from PROJ: {worst_m:.2e} m");
}

#[test]
fn dgn95_longitude_latitude_is_wgs84_as_proj_has_it() {
    let pts = [(111.5, -7.6), (95.3, 5.5), (140.7, -9.1)];
    let Some(back) = gdaltransform("EPSG:4755", "EPSG:4326", &pts) else {
        return;
    };
    let crs = Crs::from_epsg(4755).unwrap();
    for ((x, y), (plon, plat)) in pts.iter().zip(&back) {
        let (lon, lat) = crs.to_lon_lat(*x, *y);
        assert!(
            (lon - plon).abs() < 1e-9 && (lat - plat).abs() < 1e-9,
            "{x} {y}"
        );
    }
}
