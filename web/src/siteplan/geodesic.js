// Geodesic measures on the WGS84 ellipsoid, computed in the browser while drawing.
//
// - Lengths: Vincenty's inverse formula on the ellipsoid (sub-millimetre for the
//   distances of a siteplan; it falls back to the haversine on the mean-radius sphere in
//   the near-antipodal case where it does not converge, which a siteplan never reaches).
// - Areas: latitudes are mapped to authalic latitudes and the area is the spherical
//   excess of the ring on the authalic sphere (radius R_q = 6 371 007.2 m). That mapping
//   preserves area exactly; the only difference to a true geodesic polygon is that the
//   edges are great circles of the authalic sphere instead of geodesics, which for
//   edges of a few hundred metres is far below a square centimetre.
// The server measures with Karney's algorithm (`geo`'s Geodesic); the two agree to
// better than 0.01 %.

const A = 6378137; // semi-major axis, m
const F = 1 / 298.257223563; // flattening
const B = A * (1 - F);
const E2 = F * (2 - F); // first eccentricity squared
const E = Math.sqrt(E2);
const MEAN_RADIUS = (2 * A + B) / 3; // 6 371 008.8 m
const RAD = Math.PI / 180;

function q(sinPhi) {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}
const QP = q(1);
/** Radius of the sphere with the ellipsoid's surface area, m. */
export const AUTHALIC_RADIUS = A * Math.sqrt(QP / 2);

function authalic(latDeg) {
  const r = q(Math.sin(latDeg * RAD)) / QP;
  return Math.asin(Math.max(-1, Math.min(1, r)));
}

function haversine(lon1, lat1, lon2, lat2) {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dp = p2 - p1;
  const dl = (lon2 - lon1) * RAD;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Geodesic distance between two [lon, lat] positions in metres (Vincenty, WGS84). */
export function distance([lon1, lat1], [lon2, lat2]) {
  if (lon1 === lon2 && lat1 === lat2) return 0;
  const L = (lon2 - lon1) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    const sinSigma = Math.sqrt((cosU2 * sinL) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) ** 2);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const AA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const BB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const dSigma =
        BB *
        sinSigma *
        (cos2SigmaM +
          (BB / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (BB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      return B * AA * (sigma - dSigma);
    }
  }
  return haversine(lon1, lat1, lon2, lat2);
}

/** Geodesic length of a list of [lon, lat] positions, metres. */
export function lineLength(coords) {
  let sum = 0;
  for (let i = 1; i < coords.length; i++) sum += distance(coords[i - 1], coords[i]);
  return sum;
}

// Signed area of one ring on the authalic sphere (positive counter-clockwise), m².
function ringArea(ring) {
  const n = ring.length;
  if (n < 3) return 0;
  let excess = 0;
  for (let i = 0; i < n; i++) {
    const [lon1, lat1] = ring[i];
    const [lon2, lat2] = ring[(i + 1) % n];
    let dl = (lon2 - lon1) * RAD;
    if (dl > Math.PI) dl -= 2 * Math.PI;
    if (dl < -Math.PI) dl += 2 * Math.PI;
    const t1 = Math.tan(authalic(lat1) / 2);
    const t2 = Math.tan(authalic(lat2) / 2);
    excess += 2 * Math.atan2(Math.tan(dl / 2) * (t1 + t2), 1 + t1 * t2);
  }
  return excess * AUTHALIC_RADIUS * AUTHALIC_RADIUS;
}

/** Area (holes subtracted) and perimeter (all rings) of polygon rings, m² and m. */
export function polygonMeasure(rings) {
  let area = 0;
  let perimeter = 0;
  rings.forEach((ring, i) => {
    const a = Math.abs(ringArea(ring));
    area += i === 0 ? a : -a;
    perimeter += lineLength(closed(ring));
  });
  return { area_m2: Math.max(0, area), perimeter_m: perimeter };
}

function closed(ring) {
  if (ring.length === 0) return ring;
  const [a, b] = [ring[0], ring[ring.length - 1]];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, a];
}

/** The size of a GeoJSON geometry in the server's `ukuran` shape. */
export function measure(geometry) {
  if (!geometry) return null;
  switch (geometry.type) {
    case 'Point':
      return { jenis: 'titik' };
    case 'LineString':
      return { jenis: 'garis', length_m: lineLength(geometry.coordinates) };
    case 'Polygon':
      return { jenis: 'area', ...polygonMeasure(geometry.coordinates) };
    default:
      return null;
  }
}
