// Every page is built with h(): text always goes in as text, never as markup, so a study label or a question title
// that holds HTML stays what it is.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let ids = 0;
/** A labelled form field; returns the wrapper with .input and .error set. */
export function field(label, input, hint) {
  const id = input.id || `f${++ids}`;
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '));
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label), hintElement, input, error);
  wrapper.input = input;
  wrapper.error = error;
  return wrapper;
}

export function showFieldError(wrapper, message) {
  if (message) {
    wrapper.error.textContent = message;
    wrapper.error.hidden = false;
    wrapper.input.setAttribute('aria-invalid', 'true');
  } else {
    wrapper.error.textContent = '';
    wrapper.error.hidden = true;
    wrapper.input.removeAttribute('aria-invalid');
  }
}

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function say(message) {
  const status = document.getElementById('status');
  status.textContent = '';
  // A fresh text node so screen readers announce a message repeated.
  setTimeout(() => { status.textContent = message; }, 30);
}

const numberFormat = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });
export function num(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  return numberFormat.format(value);
}

export function when(instant) {
  if (!instant) return '–';
  const date = new Date(instant);
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}
