// The budget-scenario ("Skenario anggaran") button on the map. The panel behind it (the
// envelope form, the chosen works, the before/after colouring of the slum locations) is a
// chunk of its own, loaded on the first press, so a visitor who never asks for a scenario
// never downloads it; its strings travel with it (./i18n.js), only the button's are here.
import { h } from '../dom.js';
import { lang, onLangChange } from '../i18n.js';

const LABEL = {
  id: ['Skenario', 'Skenario anggaran: pekerjaan terencana mana yang didanai'],
  en: ['Scenario', 'Budget scenario: which planned works to fund'],
};

export function initSkenario(map, options) {
  const toggle = h('button', { className: 'sp-toggle sk-toggle', testid: 'skenario-toggle', attrs: { type: 'button', 'aria-pressed': 'false' } });
  map.addControl({ onAdd: () => h('div', { className: 'maplibregl-ctrl maplibregl-ctrl-group sp-ctrl sk-ctrl' }, toggle), onRemove() {} }, 'top-right');

  function label() {
    const [text, title] = LABEL[lang()] ?? LABEL.id;
    toggle.textContent = text;
    toggle.title = title;
    toggle.setAttribute('aria-label', title);
  }
  label();
  onLangChange(label);

  let loading = null;
  // The panel, loaded and built once (a failed load may be tried again).
  function panel() {
    loading ??= import('./skenario-panel.js')
      .then(({ createSkenarioPanel }) => createSkenarioPanel({ map, toggle, ...options }))
      .catch((err) => {
        loading = null;
        throw err;
      });
    return loading;
  }
  const whenLoaded = (fn) => loading?.then(fn).catch(() => {});

  toggle.addEventListener('click', () => {
    toggle.disabled = true;
    panel()
      .then((p) => p.toggle())
      .catch((err) => options.errors.show(err))
      .finally(() => {
        toggle.disabled = false;
      });
  });

  return {
    open: () => panel().then((p) => p.open()),
    close: () => whenLoaded((p) => p.close()),
    // After a style (re)load: the scenario's colours again.
    apply: () => whenLoaded((p) => p.apply()),
  };
}
