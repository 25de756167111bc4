// The siteplan editor's place in the viewer: the sign-in control in the header and the
// "Siteplan" map button. The panel itself (list, detail, drawing with Terra Draw, A4
// print) is a separate chunk loaded on the first press of the button, so a visitor who
// only looks at the map never downloads it.
//
// main.js calls initSiteplan(map, { errors, config }) once; everything else lives in this
// folder: panel.js builds the panel, actions.js and the view-*.js modules do its work.
import './shell.css';
import { h } from '../dom.js';
import { createAuth } from './auth.js';
import { st, onLangChange } from './i18n.js';

export function initSiteplan(map, { errors, config }) {
  const auth = createAuth({ errors });

  const toggle = h('button', { className: 'sp-toggle', testid: 'siteplan-toggle', attrs: { type: 'button', 'aria-pressed': 'false' } });
  map.addControl({ onAdd: () => h('div', { className: 'maplibregl-ctrl maplibregl-ctrl-group sp-ctrl' }, toggle), onRemove() {} }, 'top-right');

  function label() {
    toggle.textContent = st('sp.button');
    toggle.title = st('sp.button.title');
    toggle.setAttribute('aria-label', st('sp.button.title'));
  }
  label();
  onLangChange(label);

  let loading = null;
  // The panel, loaded and built once.
  function panel() {
    loading ??= import('./panel.js').then(({ createSiteplanPanel }) => createSiteplanPanel({ map, errors, auth, toggle, config }));
    return loading;
  }
  toggle.addEventListener('click', () => {
    toggle.disabled = true;
    panel()
      .then((p) => p.toggle())
      .catch((err) => {
        // A failed load (e.g. the connection dropped) may be tried again.
        loading = null;
        errors.show(err);
      })
      .finally(() => {
        toggle.disabled = false;
      });
  });

  // The sign-in state is known (a reload asks /api/auth/me when the browser signed in).
  auth.ready.then(() => {
    document.body.dataset.siteplanReady = '1';
  });
  return { auth, panel };
}
