// The slum locations of a scenario on the map: each location of `per_lokasi` gets the
// feature state `skenario` (its class before or after), and `lokasi-fill` is coloured by
// that state where it is set and by the tile's own class elsewhere. The layer's own
// colouring comes back when the scenario is cleared.
import { LAYERS, SOURCES } from '../layers.js';

export function createSkenarioMap(map) {
  let original = null; // the fill colour of lokasi-fill before the scenario
  const coloured = new Set();

  const target = (kode) => ({ source: SOURCES.lokasi, sourceLayer: SOURCES.lokasi, id: kode });

  function clearStates() {
    if (map.getSource(SOURCES.lokasi)) for (const kode of coloured) map.removeFeatureState(target(kode), 'skenario');
    coloured.clear();
  }

  // `lokasi-fill` matches on its class; the scenario's state goes first.
  function driven(expr) {
    if (!Array.isArray(expr) || expr[0] !== 'match') return expr;
    return ['match', ['coalesce', ['feature-state', 'skenario'], expr[1]], ...expr.slice(2)];
  }

  return {
    /** Colours the locations by `kelas_sebelum` or `kelas_sesudah` (`view`). */
    show(perLokasi, view) {
      if (!map.getLayer(LAYERS.lokasiFill) || !map.getSource(SOURCES.lokasi)) return;
      // After a style reload the layer is new: its own colour is read again.
      const current = map.getPaintProperty(LAYERS.lokasiFill, 'fill-color');
      if (!original || JSON.stringify(current) !== JSON.stringify(driven(original))) original = current;
      map.setPaintProperty(LAYERS.lokasiFill, 'fill-color', driven(original));
      clearStates();
      for (const l of perLokasi) {
        const kelas = view === 'sebelum' ? l.kelas_sebelum : l.kelas_sesudah;
        if (!kelas) continue;
        map.setFeatureState(target(l.kode_lokasi), { skenario: kelas });
        coloured.add(l.kode_lokasi);
      }
      // What the map shows: the end-to-end check waits for it.
      map.getCanvas().dataset.skenario = `${view}:${coloured.size}`;
    },
    /** Back to the layer's own colours. */
    clear() {
      clearStates();
      if (original && map.getLayer(LAYERS.lokasiFill)) map.setPaintProperty(LAYERS.lokasiFill, 'fill-color', original);
      original = null;
      delete map.getCanvas().dataset.skenario;
    },
  };
}
