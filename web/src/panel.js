// The place panel: a side panel on wide screens, a bottom sheet on phones.
import { t, formatHectares, onLangChange } from './i18n.js';
import { h } from './dom.js';
import { cetakBox } from './cetak.js';

export function createPanel({ onClose }) {
  const root = document.getElementById('panel');
  const title = root.querySelector('[data-testid="place-name"]');
  const body = root.querySelector('.panel-body');
  const closeButton = root.querySelector('.panel-close');
  let place = null;

  function row(labelKey, value, testid) {
    return [h('dt', { text: t(labelKey), attrs: { 'data-i18n': labelKey } }), h('dd', { text: value || t('panel.none'), testid })];
  }

  function render() {
    if (!place) return;
    title.textContent = place.nama;
    const alt = Array.isArray(place.nama_alt) ? place.nama_alt.filter(Boolean) : [];
    const dl = h(
      'dl',
      {},
      row('panel.alt', alt.join(', '), 'place-alt'),
      row('panel.kode', place.kode, 'place-kode'),
      row('panel.kode_bps', place.kode_bps, 'place-kode-bps'),
      row('panel.area', formatHectares(place.area_ha), 'place-area'),
      row('panel.level', place.level ? t(`level.${place.level}`) : '', 'place-level'),
    );
    body.replaceChildren(...[dl, cetakBox(place.kode, place.level)].filter(Boolean));
  }

  function open(properties) {
    place = properties;
    render();
    root.hidden = false;
    document.body.classList.add('panel-open');
  }

  function close() {
    if (root.hidden) return;
    root.hidden = true;
    place = null;
    document.body.classList.remove('panel-open');
    onClose?.();
  }

  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !root.hidden && !e.defaultPrevented) close();
  });
  onLangChange(render);

  return { open, close, isOpen: () => !root.hidden };
}
