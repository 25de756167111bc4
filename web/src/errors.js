// A small non-blocking error banner under the header.
import { t } from './i18n.js';

const HIDE_AFTER_MS = 8000;

export function createErrorBanner() {
  const root = document.getElementById('error-banner');
  const text = root.querySelector('.error-text');
  const close = root.querySelector('.error-close');
  let timer = 0;

  function hide() {
    root.hidden = true;
    clearTimeout(timer);
  }

  close.addEventListener('click', hide);

  return {
    show(errOrMessage) {
      const message = typeof errOrMessage === 'string' ? errOrMessage : errOrMessage?.message || t('error.network');
      text.textContent = message;
      root.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hide, HIDE_AFTER_MS);
      console.warn('[kumuh]', errOrMessage);
    },
    hide,
  };
}
