// Every string the viewer shows goes through t(). Bahasa Indonesia first.
import { STRINGS } from './strings.js';

export const LANGS = ['id', 'en'];
const STORAGE_KEY = 'kumuh.lang';
const listeners = new Set();

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // storage may be unavailable (private mode); fall through
  }
  return 'id';
}

let current = initialLang();

export function lang() {
  return current;
}

// A lookup of `key` in `dict` (`{ id: {...}, en: {...} }`) in the current language, else in
// Bahasa Indonesia, else the key itself, with each `{name}` filled from `params`. Every
// part of the viewer that loads strings of its own makes its lookup with this.
export function translator(dict) {
  return (key, params = {}) => {
    const s = dict[current]?.[key] ?? dict.id[key] ?? key;
    return s.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
  };
}

export const t = translator(STRINGS);

// The MapLibre `locale` option: its control strings, in the current language.
export function mapLocale() {
  const out = {};
  for (const [k, v] of Object.entries(STRINGS[current])) if (k.includes('Control.') || k.startsWith('Map.')) out[k] = v;
  return out;
}

// Numbers are written the Indonesian way (253,71 ha) in both languages.
const numberFormat = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export function formatHectares(value) {
  return Number.isFinite(value) ? `${numberFormat.format(value)} ha` : t('panel.none');
}

// Any number, id-ID style, with a fixed number of decimals (default 2).
const formats = new Map();
export function formatNumber(value, digits = 2) {
  if (!Number.isFinite(value)) return t('panel.none');
  if (!formats.has(digits)) {
    formats.set(digits, new Intl.NumberFormat('id-ID', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return formats.get(digits).format(value);
}

// Whole rupiah, Indonesian style in both languages: "Rp 100.000.000".
const rupiahFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
export function formatRupiah(value) {
  return Number.isFinite(value) ? `Rp ${rupiahFormat.format(Math.round(value))}` : t('panel.none');
}

// A measured or planned quantity with up to `digits` decimals: "169,9".
const looseFormats = new Map();
export function formatQuantity(value, digits = 1) {
  if (!Number.isFinite(value)) return t('panel.none');
  if (!looseFormats.has(digits)) looseFormats.set(digits, new Intl.NumberFormat('id-ID', { maximumFractionDigits: digits }));
  return looseFormats.get(digits).format(value);
}

// Fill every element marked with data-i18n (text) or data-i18n-<attr> (attribute).
export function translateDom(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      if (name.startsWith('data-i18n-')) el.setAttribute(name.slice('data-i18n-'.length), t(el.getAttribute(name)));
    }
  }
  document.documentElement.lang = current;
}

export function setLang(next) {
  if (!LANGS.includes(next) || next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore
  }
  translateDom();
  for (const fn of listeners) fn(current);
}

export function onLangChange(fn) {
  listeners.add(fn);
}
