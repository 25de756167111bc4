// The revolving-loan layer's data and panel, loaded when the layer is first shown: the
// indicators of every desa (GET /api/upk/kinerja, totals, public) become the feature state
// `upk` of the desa tiles (its PAR band), which `upk-fill` colours; a click on a desa
// opens the desa panel (panel.js).
import './upk.css';
import { api } from '../api.js';
import { SOURCES } from '../layers.js';
import { createUpkPanel } from './panel.js';

export function createUpk({ map, errors, auth, home, desaName, onOpen, onClose }) {
  let kinerja = null; // the last answer of /api/upk/kinerja
  let loading = null;
  const coloured = new Set(); // desa codes with a feature state `upk`
  const panel = createUpkPanel({ auth, home, desaName, errors, onClose, kinerjaDesa: (kode) => byDesa(kode), per: () => kinerja?.per });

  function byDesa(kode) {
    return kinerja?.per_desa.find((d) => d.kode === kode) ?? null;
  }

  const target = (kode) => ({ source: SOURCES.desa, sourceLayer: SOURCES.desa, id: kode });

  // Sets the PAR band of every desa with loans on the desa tiles (after a reload of the
  // data or of the style, which starts the sources afresh).
  function apply() {
    if (!map.getSource(SOURCES.desa)) return;
    for (const kode of coloured) map.removeFeatureState(target(kode), 'upk');
    coloured.clear();
    for (const d of kinerja?.per_desa ?? []) {
      const pita = d.par_persen?.pita;
      if (!pita) continue;
      map.setFeatureState(target(d.kode), { upk: pita });
      coloured.add(d.kode);
    }
    // How many desa carry a band: the end-to-end check waits for it.
    map.getCanvas().dataset.upk = String(coloured.size);
  }

  // Fetches the indicators (again on every show: loans change while the map is open).
  function load() {
    loading ??= api
      .upkKinerja()
      .then((k) => {
        kinerja = k;
        apply();
        panel.refresh();
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    show() {
      return load().catch((err) => errors.show(err));
    },
    hide() {
      panel.close();
    },
    apply,
    async open(kode) {
      onOpen?.(kode);
      panel.open(kode);
      if (!kinerja) await load().catch((err) => errors.show(err));
    },
    close: () => panel.close(),
    isOpen: () => panel.isOpen(),
  };
}
