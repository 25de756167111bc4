// "Impor data" at the foot of the layer panel, for kabupaten and admin users: the box and
// when it shows. The form inside it (impor-form.js: the preview, the field mapping, the
// upload) is a chunk loaded once such a user is signed in, so that visitors, who may not
// import, never download it.
import { h } from './dom.js';

const mayImport = (user) => Boolean(user) && (user.role === 'admin' || user.role === 'kabupaten');

// onImported: called once an import was written (the viewer refreshes what it keeps).
export function createImpor({ map, auth, errors, onImported }) {
  const root = h('div', { className: 'ekspor-box impor-box', testid: 'impor', attrs: { hidden: true } });
  root.dataset.state = 'idle';
  let form = null;
  let loading = null;
  const showFor = (user) => {
    if (!mayImport(user)) {
      root.hidden = true;
      form?.reset();
      return;
    }
    loading ??= import('./impor-form.js').then(({ fillImpor }) => {
      form = fillImpor(root, { map, onImported });
    });
    loading.then(
      // The user may have signed out while the form loaded.
      () => {
        root.hidden = !mayImport(auth.user());
      },
      (err) => {
        // A failed load (e.g. the connection dropped) is tried again on the next sign-in.
        loading = null;
        errors.show(err);
      },
    );
  };
  auth.onChange(showFor);
  auth.ready.then(() => showFor(auth.user()));
  return { element: root };
}
