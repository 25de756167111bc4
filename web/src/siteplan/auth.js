// The sign-in control in the header: "Masuk" opens a small form (username, password);
// once signed in it shows the user and role and a "Keluar" button. Nothing is stored in
// the browser but the server's HttpOnly session cookie; the CSRF token lives in memory
// and is fetched again from /api/auth/me after a reload.
import { api, setCsrf } from '../api.js';
import { st, onLangChange } from './i18n.js';
import { h } from '../dom.js';

// A hint, not a secret: "this browser signed in" (set at sign-in, cleared at sign-out or
// when /api/auth/me answers 401). Without it the page does not ask /api/auth/me on load,
// so an anonymous visit makes no request that fails with 401.
const HINT_KEY = 'kumuh.sesi';
function hint(on) {
  try {
    if (on === undefined) return localStorage.getItem(HINT_KEY) === '1';
    if (on) localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // storage unavailable: always ask
    return true;
  }
  return on;
}

export function createAuth({ onChange, errors }) {
  let user = null;
  const listeners = new Set(onChange ? [onChange] : []);

  const who = h('span', { className: 'sp-auth-user', testid: 'auth-user' });
  const button = h('button', { className: 'sp-btn sp-auth-button', testid: 'auth-button', attrs: { type: 'button' } });
  const form = h('form', { className: 'sp-auth-form', testid: 'auth-form', attrs: { hidden: true } });
  form.innerHTML = `
    <h2 class="sp-auth-title"></h2>
    <label><span data-k="auth.username"></span>
      <input name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required data-testid="auth-username" /></label>
    <label><span data-k="auth.password"></span>
      <input name="password" type="password" autocomplete="current-password" required data-testid="auth-password" /></label>
    <p class="sp-auth-error" role="alert" data-testid="auth-error" hidden></p>
    <div class="sp-row">
      <button type="submit" class="sp-btn sp-btn-primary" data-testid="auth-submit" data-k="auth.submit"></button>
      <button type="button" class="sp-btn" data-k="auth.cancel" data-action="cancel"></button>
    </div>`;
  const errorBox = form.querySelector('.sp-auth-error');

  const root = h('div', { className: 'sp-auth', testid: 'auth' }, who, button, form);
  const header = document.querySelector('.app-header');
  const langSwitch = header?.querySelector('.lang-switch');
  if (header && langSwitch) header.insertBefore(root, langSwitch);
  else (header ?? document.body).append(root);

  function render() {
    form.querySelector('.sp-auth-title').textContent = st('auth.title');
    for (const el of form.querySelectorAll('[data-k]')) el.textContent = st(el.dataset.k);
    if (user) {
      who.textContent = st('auth.user', { user: user.username, role: st(`auth.role.${user.role}`) });
      who.title = user.desa?.length ? user.desa.join(', ') : '';
      who.hidden = false;
      button.textContent = st('auth.keluar');
      button.title = `${st('auth.keluar')}: ${who.textContent}`;
    } else {
      who.textContent = '';
      who.hidden = true;
      button.textContent = st('auth.masuk');
      button.title = st('auth.title');
    }
    root.classList.toggle('sp-auth-in', Boolean(user));
  }

  function setUser(next) {
    user = next ?? null;
    hint(Boolean(user));
    setCsrf(user?.csrf_token);
    render();
    for (const fn of listeners) fn(user);
  }

  function openForm() {
    form.hidden = false;
    errorBox.hidden = true;
    form.elements.username.focus();
  }
  function closeForm() {
    form.hidden = true;
    form.reset();
  }

  button.addEventListener('click', async () => {
    if (!user) {
      if (form.hidden) openForm();
      else closeForm();
      return;
    }
    try {
      await api.logout();
    } catch (err) {
      // A session that already ended is as good as signed out.
      if (err.status !== 401) errors?.show(err);
    }
    setUser(null);
  });
  form.querySelector('[data-action="cancel"]').addEventListener('click', closeForm);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeForm();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    errorBox.hidden = true;
    try {
      const res = await api.login(form.elements.username.value.trim(), form.elements.password.value);
      closeForm();
      setUser(res.user);
    } catch (err) {
      errorBox.textContent = err.status === 429 && err.retryAfter ? st('auth.throttled', { s: err.retryAfter }) : st('auth.failed', { message: err.message });
      errorBox.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  onLangChange(render);
  render();

  // The session may already exist (cookie): ask who we are, and get the CSRF token.
  const ready = !hint()
    ? Promise.resolve()
    : api
        .me()
        .then((u) => setUser(u?.user ?? u))
        .catch((err) => {
          if (err.status !== 401) console.warn('[kumuh] /api/auth/me', err);
          setUser(null);
        });

  return {
    ready,
    user: () => user,
    onChange: (fn) => listeners.add(fn),
    /** The session ended on the server (a 401): forget the user. */
    expired() {
      if (user) setUser(null);
    },
    /** Whether the signed-in user may write siteplans of this desa. */
    canWrite(kodeDesa) {
      if (!user) return false;
      // Mirrors the server's rule (kumuh_domain::auth::authorize): admin anywhere, LKM in
      // its own desa; kabupaten and viewer only read siteplans.
      if (user.role === 'admin') return true;
      if (user.role === 'lkm') return (user.desa ?? []).includes(kodeDesa);
      return false;
    },
  };
}
