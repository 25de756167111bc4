// Building DOM nodes, shared by the viewer's modules.

// An element with a class, text, `data-testid`, attributes and children (null children
// are left out).
export function h(tag, { className, text, testid, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  if (testid) node.dataset.testid = testid;
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  node.append(...children.filter((c) => c != null));
  return node;
}

// The short form: an element with a class and text.
export function element(tag, className, text) {
  return h(tag, { className, text });
}
