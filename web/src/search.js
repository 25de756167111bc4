// Header search box: debounced calls to /api/search (or a local search), a small result list,
// keyboard navigation; choosing a result calls onChoose(result).
import { api } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

const DEBOUNCE_MS = 250;

// local: () => ((q) => results) | null — a search that answers without the server, used
// when it gives one (the offline map).
export function createSearch({ onChoose, onError, local = () => null }) {
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  let timer = 0;
  let controller = null;
  let results = [];
  let active = -1;

  function hide() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(i) {
    active = i;
    for (const [j, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(j === i));
    if (i >= 0) input.setAttribute('aria-activedescendant', `search-result-${i}`);
  }

  function show() {
    list.replaceChildren();
    if (results.length === 0) {
      list.append(h('li', { className: 'search-empty', text: t('search.none') }));
    }
    results.forEach((r, i) => {
      const alt = (r.nama_alt ?? []).filter(Boolean);
      const li = h(
        'li',
        {
          testid: 'search-result',
          attrs: { id: `search-result-${i}`, role: 'option' },
          // mousedown, not click: fires before the input loses focus
          on: {
            mousedown: (e) => {
              e.preventDefault();
              choose(i);
            },
          },
        },
        h('span', { className: 'search-name', text: r.nama }),
        h('span', { className: 'search-meta', text: [t(`level.${r.level}`), ...alt].join(' · ') }),
      );
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(results.length ? 0 : -1);
  }

  function choose(i) {
    const r = results[i];
    if (!r) return;
    input.value = r.nama;
    hide();
    input.blur();
    onChoose(r);
  }

  async function run(q) {
    controller?.abort();
    controller = new AbortController();
    const search = local();
    if (search) {
      results = search(q);
      show();
      return;
    }
    try {
      const data = await api.search(q, { limit: 10, signal: controller.signal });
      results = data.results ?? [];
      if (input.value.trim() === q) show();
    } catch (err) {
      if (err.name === 'AbortError') return;
      results = [];
      hide();
      onError(err);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      controller?.abort();
      hide();
      return;
    }
    timer = setTimeout(() => run(q), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      highlight(Math.min(active + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      hide();
    }
  });

  input.addEventListener('blur', () => setTimeout(hide, 100));
}
