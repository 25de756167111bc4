// The revolving-loan layer ("Dana bergulir") in the viewer: its legend in the layer panel
// and the module behind it (the indicators that colour the desa, the desa panel with its
// charts, KSM, loans and arrears), a chunk loaded when the layer is first shown, so a
// visitor who never shows it never downloads it.
import { t } from './i18n.js';
import { PITA, PITA_COLORS, UPK_NONE_COLOR } from './layers.js';
import { h } from './dom.js';

export function createUpkLayer(options) {
  let loading = null;
  // The module, loaded and built once (a failed load may be tried again).
  function module() {
    loading ??= import('./upk/index.js')
      .then(({ createUpk }) => createUpk(options))
      .catch((err) => {
        loading = null;
        throw err;
      });
    return loading;
  }
  const whenLoaded = (fn) => loading?.then(fn).catch(() => {});

  // PAR bands and "no running loan".
  function legend() {
    const item = (color, key) => h('li', {}, h('span', { className: 'swatch', attrs: { style: `background: ${color}`, 'aria-hidden': 'true' } }), h('span', { text: t(key) }));
    return h('ul', { className: 'legend-list', testid: 'upk-legend' }, PITA.map((k) => item(PITA_COLORS[k], `upk.legend.${k}`)), item(UPK_NONE_COLOR, 'upk.legend.none'));
  }

  return {
    legend,
    // The layer was shown (load the data and colour the desa) or hidden (close the panel).
    show(on) {
      if (on) module().then((m) => m.show(), options.errors.show);
      else whenLoaded((m) => m.hide());
    },
    // Opens the desa panel.
    open: (kode) => module().then((m) => m.open(kode)),
    close: () => whenLoaded((m) => m.close()),
    // After a style (re)load: the colours again.
    apply: () => whenLoaded((m) => m.apply()),
  };
}
