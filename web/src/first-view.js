// The first view draws the desa before anything else. Until the desa are on screen, every
// other atlas layer is hidden: MapLibre then fetches and parses no tile of their sources,
// so the desa tiles are not queued behind the outlines, roads and segments (twenty-odd
// tiles at the home view) in the browser's six connections and the one tile worker. Once
// the desa are drawn (or at once where the desa are not shown: the layer turned off, a
// zoom below it), the held layers take their visibility back, in the same frame.
import { LAYERS } from './layers.js';

// What the first view draws.
const FIRST = new Set([LAYERS.desaFill, LAYERS.desaLine]);

// At most this long is anything held back: a desa tile that fails or never comes must not
// keep the rest of the atlas hidden.
const HOLD_MS = 3000;

// Hides the atlas layers (ids of `LAYERS`) other than the desa ones, and shows them again
// once the desa are drawn. `onRelease` runs after (the layer panel re-applies its choices
// there). Gives a promise that resolves once released.
export function holdFirstView(map, { onRelease = () => {} } = {}) {
  const atlas = new Set(Object.values(LAYERS));
  const held = (map.getStyle()?.layers ?? [])
    .filter((l) => atlas.has(l.id) && !FIRST.has(l.id) && map.getLayoutProperty(l.id, 'visibility') !== 'none')
    .map((l) => l.id);
  for (const id of held) map.setLayoutProperty(id, 'visibility', 'none');

  return new Promise((resolve) => {
    let timer = null;
    const release = () => {
      map.off('render', check);
      clearTimeout(timer);
      for (const id of held) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'visible');
      onRelease();
      resolve();
    };
    function check() {
      if (!desaShown(map) || map.queryRenderedFeatures({ layers: [LAYERS.desaFill] }).length > 0) release();
    }
    timer = setTimeout(release, HOLD_MS);
    map.on('render', check);
    check();
  });
}

// Whether the desa fill is drawn at all in this view (on, and within its zooms).
function desaShown(map) {
  const layer = map.getLayer(LAYERS.desaFill);
  if (!layer || map.getLayoutProperty(LAYERS.desaFill, 'visibility') === 'none') return false;
  return map.getZoom() >= (layer.minzoom ?? 0) && map.getZoom() < (layer.maxzoom ?? 99);
}
