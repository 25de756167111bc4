// Geometry helpers shared by the viewer's modules.

/** [[minLon, minLat], [maxLon, maxLat]] of some GeoJSON geometries, or null. */
export function geometryBounds(geometries) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const walk = (c) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      minX = Math.min(minX, c[0]);
      maxX = Math.max(maxX, c[0]);
      minY = Math.min(minY, c[1]);
      maxY = Math.max(maxY, c[1]);
    } else c.forEach(walk);
  };
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'GeometryCollection') g.geometries.forEach((x) => walk(x.coordinates));
    else walk(g.coordinates);
  }
  if (!Number.isFinite(minX)) return null;
  // A single point: a small box around it.
  if (maxX - minX < 1e-5 && maxY - minY < 1e-5) {
    const d = 0.0005;
    return [
      [minX - d, minY - d],
      [maxX + d, maxY + d],
    ];
  }
  return [
    [minX, minY],
    [maxX, maxY],
  ];
}
