//! Transverse Mercator on an ellipsoid by Krüger's series to sixth order in the third
//! flattening n, after C. F. F. Karney, "Transverse Mercator with an accuracy of a few
//! nanometers", J. Geodesy 85 (2011). Within the width of a UTM or TM-3 zone (and well
//! beyond) the error is a few nanometres, far below the millimetre the atlas needs.

/// A transverse Mercator projection: ellipsoid, central meridian, scale and false
/// origin (metres), with the latitude of origin at the equator, as in every UTM and
/// Indonesian TM-3 zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransverseMercator {
    /// Semi-major axis (m).
    pub a_m: f64,
    /// Flattening (1 / inverse flattening).
    pub f: f64,
    /// Central meridian (degrees east).
    pub lon0_deg: f64,
    /// Scale on the central meridian.
    pub k0: f64,
    /// False easting (m).
    pub false_easting_m: f64,
    /// False northing (m).
    pub false_northing_m: f64,
}

/// The series coefficients that depend on the ellipsoid only.
struct Series {
    /// Rectifying radius: the meridian arc of one radian of rectifying latitude (m).
    big_a: f64,
    /// Eccentricity.
    e: f64,
    alpha: [f64; 6],
    beta: [f64; 6],
    /// Conformal to geographic latitude: phi = chi + sum delta_j sin(2 j chi).
    delta: [f64; 6],
}

fn series(a: f64, f: f64) -> Series {
    let n = f / (2.0 - f);
    let (n2, n3) = (n * n, n * n * n);
    let (n4, n5, n6) = (n2 * n2, n2 * n3, n3 * n3);
    let big_a = a / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
    let alpha = [
        n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
            + 7891.0 / 37800.0 * n6,
        13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
            - 1983433.0 / 1935360.0 * n6,
        61.0 / 240.0 * n3 - 103.0 / 140.0 * n4 + 15061.0 / 26880.0 * n5 + 167603.0 / 181440.0 * n6,
        49561.0 / 161280.0 * n4 - 179.0 / 168.0 * n5 + 6601661.0 / 7257600.0 * n6,
        34729.0 / 80640.0 * n5 - 3418889.0 / 1995840.0 * n6,
        212378941.0 / 319334400.0 * n6,
    ];
    let beta = [
        n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
            + 96199.0 / 604800.0 * n6,
        1.0 / 48.0 * n2 + 1.0 / 15.0 * n3 - 437.0 / 1440.0 * n4 + 46.0 / 105.0 * n5
            - 1118711.0 / 3870720.0 * n6,
        17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4480.0 * n5 + 5569.0 / 90720.0 * n6,
        4397.0 / 161280.0 * n4 - 11.0 / 504.0 * n5 - 830251.0 / 7257600.0 * n6,
        4583.0 / 161280.0 * n5 - 108847.0 / 3991680.0 * n6,
        20648693.0 / 638668800.0 * n6,
    ];
    // Karney (2011), and PROJ's tmerc (its `cgb`, after Engsager and Poder).
    let delta = [
        2.0 * n - 2.0 / 3.0 * n2 - 2.0 * n3 + 116.0 / 45.0 * n4 + 26.0 / 45.0 * n5
            - 2854.0 / 675.0 * n6,
        7.0 / 3.0 * n2 - 8.0 / 5.0 * n3 - 227.0 / 45.0 * n4
            + 2704.0 / 315.0 * n5
            + 2323.0 / 945.0 * n6,
        56.0 / 15.0 * n3 - 136.0 / 35.0 * n4 - 1262.0 / 105.0 * n5 + 73814.0 / 2835.0 * n6,
        4279.0 / 630.0 * n4 - 332.0 / 35.0 * n5 - 399572.0 / 14175.0 * n6,
        4174.0 / 315.0 * n5 - 144838.0 / 6237.0 * n6,
        601676.0 / 22275.0 * n6,
    ];
    Series {
        big_a,
        e: (f * (2.0 - f)).sqrt(),
        alpha,
        beta,
        delta,
    }
}

/// sqrt(1 + x²), without `hypot`'s care for overflow where there is none to fear.
fn hyp1(x: f64) -> f64 {
    if x.abs() < 1e100 {
        x.mul_add(x, 1.0).sqrt()
    } else {
        x.hypot(1.0)
    }
}

/// tan of the conformal latitude from tan of the geographic latitude.
fn taup(tau: f64, e: f64) -> f64 {
    let tau1 = hyp1(tau);
    let sig = (e * (e * tau / tau1).atanh()).sinh();
    tau * hyp1(sig) - sig * tau1
}

/// tan of the geographic latitude from tan of the conformal latitude (Newton's method;
/// converges to machine precision in two or three steps): the check of the series the
/// inverse uses.
#[cfg(test)]
fn tau_from_taup(taup_target: f64, e: f64) -> f64 {
    let e2m = 1.0 - e * e;
    let mut tau = taup_target / e2m;
    for _ in 0..8 {
        let t = taup(tau, e);
        let dtau = (taup_target - t) * (1.0 + e2m * tau * tau) / (e2m * hyp1(tau) * hyp1(t));
        tau += dtau;
        if dtau.abs() <= 1e-14 * tau.abs().max(1.0) {
            break;
        }
    }
    tau
}

/// The geographic latitude (radians) of the conformal latitude whose sine and cosine are
/// given: chi + sum delta_j sin(2 j chi), by Clenshaw's recurrence.
fn phi_from_chi(delta: &[f64; 6], sin_chi: f64, cos_chi: f64) -> f64 {
    let (s2, c2) = (
        2.0 * sin_chi * cos_chi,
        (cos_chi - sin_chi) * (cos_chi + sin_chi),
    );
    let a = 2.0 * c2;
    let (mut b1, mut b2) = (0.0, 0.0);
    for &d in delta.iter().rev() {
        (b2, b1) = (b1, d + a * b1 - b2);
    }
    sin_chi.atan2(cos_chi) + b1 * s2
}

/// The sum over j = 1..=6 of `c[j-1]` sin(2 j zeta) for the complex zeta = xi + i eta,
/// as (real, imaginary) parts, i.e. sum c sin(2j xi) cosh(2j eta) and sum c cos(2j xi)
/// sinh(2j eta): by Clenshaw's recurrence on complex numbers, so that one sine, cosine
/// and exponential serve every term instead of four transcendental calls a term.
fn clenshaw_sin(c: &[f64; 6], xi: f64, eta: f64) -> (f64, f64) {
    let (s2, c2) = (2.0 * xi).sin_cos();
    let (e, ei) = {
        let e = (2.0 * eta).exp();
        (e, 1.0 / e)
    };
    let (sh2, ch2) = ((e - ei) / 2.0, (e + ei) / 2.0);
    // a = 2 cos(2 zeta) = 2 (cos 2xi cosh 2eta - i sin 2xi sinh 2eta).
    let (ar, ai) = (2.0 * c2 * ch2, -2.0 * s2 * sh2);
    // b_k = c_k + a b_{k+1} - b_{k+2}, from k = 6 down to 1.
    let (mut b1r, mut b1i, mut b2r, mut b2i) = (0.0, 0.0, 0.0, 0.0);
    for &ck in c.iter().rev() {
        let (nr, ni) = (ck + ar * b1r - ai * b1i - b2r, ar * b1i + ai * b1r - b2i);
        (b2r, b2i, b1r, b1i) = (b1r, b1i, nr, ni);
    }
    // sum = b_1 sin(2 zeta), sin(2 zeta) = sin 2xi cosh 2eta + i cos 2xi sinh 2eta.
    let (sr, si) = (s2 * ch2, c2 * sh2);
    (b1r * sr - b1i * si, b1r * si + b1i * sr)
}

impl TransverseMercator {
    /// UTM zone `zone` (1 to 60) on WGS 84, south of the equator when `south`.
    pub fn utm(zone: u8, south: bool) -> Self {
        TransverseMercator {
            a_m: 6_378_137.0,
            f: 1.0 / 298.257_223_563,
            lon0_deg: f64::from(zone) * 6.0 - 183.0,
            k0: 0.9996,
            false_easting_m: 500_000.0,
            false_northing_m: if south { 10_000_000.0 } else { 0.0 },
        }
    }

    /// Easting and northing (m) to longitude and latitude (degrees).
    ///
    /// # Examples
    /// ```
    /// use kumuh_io::foreign::TransverseMercator;
    /// let utm49s = TransverseMercator::utm(49, true);
    /// let (lon, lat) = utm49s.inverse(500_000.0, 10_000_000.0);
    /// assert!((lon - 111.0).abs() < 1e-12 && lat.abs() < 1e-12);
    /// ```
    pub fn inverse(&self, easting_m: f64, northing_m: f64) -> (f64, f64) {
        self.inverter()(easting_m, northing_m)
    }

    /// [`inverse`](Self::inverse) with the ellipsoid's series computed once, for the
    /// many positions of a file.
    pub fn inverter(&self) -> impl Fn(f64, f64) -> (f64, f64) + Send + Sync + '_ {
        let s = series(self.a_m, self.f);
        let scale = self.k0 * s.big_a;
        move |easting_m, northing_m| {
            let xi = (northing_m - self.false_northing_m) / scale;
            let eta = (easting_m - self.false_easting_m) / scale;
            // xi' + i eta' = zeta - sum beta_j sin(2 j zeta), zeta = xi + i eta.
            let (d_xi, d_eta) = clenshaw_sin(&s.beta, xi, eta);
            let (xip, etap) = (xi - d_xi, eta - d_eta);
            let (sxip, cxip) = xip.sin_cos();
            let shetap = etap.sinh();
            // The conformal latitude chi (tan chi = sin xi' / hypot(sinh eta', cos xi'),
            // and hypot(sin xi', sinh eta', cos xi') = cosh eta'), and the longitude from
            // the central meridian.
            let chetap = hyp1(shetap);
            let (sin_chi, cos_chi) = (
                sxip / chetap,
                (shetap * shetap + cxip * cxip).sqrt() / chetap,
            );
            let lam = shetap.atan2(cxip);
            let phi = phi_from_chi(&s.delta, sin_chi, cos_chi);
            (self.lon0_deg + lam.to_degrees(), phi.to_degrees())
        }
    }

    /// Longitude and latitude (degrees) to easting and northing (m): the inverse of
    /// [`inverse`](Self::inverse), for checks and round trips.
    pub fn forward(&self, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        let s = series(self.a_m, self.f);
        let lam = (lon_deg - self.lon0_deg).to_radians();
        let tau = lat_deg.to_radians().tan();
        let tp = taup(tau, s.e);
        let (slam, clam) = lam.sin_cos();
        let xip = tp.atan2(clam);
        let etap = (slam / tp.hypot(clam)).asinh();
        let (mut xi, mut eta) = (xip, etap);
        for (j, a) in s.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi += a * (k * xip).sin() * (k * etap).cosh();
            eta += a * (k * xip).cos() * (k * etap).sinh();
        }
        (
            self.false_easting_m + self.k0 * s.big_a * eta,
            self.false_northing_m + self.k0 * s.big_a * xi,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_across_a_zone_to_a_tenth_of_a_millimetre() {
        let tm = TransverseMercator::utm(49, true);
        for lon in [108.0, 110.2, 111.0, 111.5, 114.0] {
            for lat in [-10.5, -7.6, -3.0, -0.01] {
                let (e, n) = tm.forward(lon, lat);
                let (lon2, lat2) = tm.inverse(e, n);
                // 1e-9 degree is about 0.1 mm.
                assert!((lon - lon2).abs() < 1e-9, "{lon} {lat}: {lon2}");
                assert!((lat - lat2).abs() < 1e-9, "{lon} {lat}: {lat2}");
            }
        }
    }

    #[test]
    fn clenshaw_sums_match_the_terms_one_by_one() {
        let c = series(6_378_137.0, 1.0 / 298.257_223_563).beta;
        for (xi, eta) in [(0.0, 0.0), (-0.13, 0.02), (0.5, -0.05), (1.2, 0.3)] {
            let (mut re, mut im) = (0.0, 0.0);
            for (j, b) in c.iter().enumerate() {
                let k = 2.0 * (j as f64 + 1.0);
                re += b * (k * xi).sin() * (k * eta).cosh();
                im += b * (k * xi).cos() * (k * eta).sinh();
            }
            let (r, i) = clenshaw_sin(&c, xi, eta);
            assert!(
                (r - re).abs() < 1e-16 && (i - im).abs() < 1e-16,
                "{r} {re} {i} {im}"
            );
        }
    }

    /// The series from the conformal latitude gives the latitude Newton's method finds
    /// on the exact relation, to 1e-12 radians (6 µm) from pole to pole.
    #[test]
    fn the_latitude_series_matches_newtons_method() {
        let s = series(6_378_137.0, 1.0 / 298.257_223_563);
        for i in -1799..=1799 {
            let chi = (f64::from(i) * 0.05).to_radians();
            let want = tau_from_taup(chi.tan(), s.e).atan();
            let got = phi_from_chi(&s.delta, chi.sin(), chi.cos());
            assert!(
                (got - want).abs() < 1e-12,
                "chi {chi}: {got} against {want}"
            );
        }
    }

    #[test]
    fn known_points_of_utm_49s() {
        // On the central meridian at the equator: the false origin.
        let tm = TransverseMercator::utm(49, true);
        let (e, n) = tm.forward(111.0, 0.0);
        assert!((e - 500_000.0).abs() < 1e-6 && (n - 10_000_000.0).abs() < 1e-6);
        // One degree of latitude on the central meridian is 0.9996 of the meridian arc
        // from the equator to 1° S (110 574.389 m on WGS 84).
        let (_, n) = tm.forward(111.0, -1.0);
        assert!(
            (10_000_000.0 - n - 0.9996 * 110_574.389).abs() < 0.01,
            "{n}"
        );
    }
}
