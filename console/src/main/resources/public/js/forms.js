import { h, replace, showFieldError } from './dom.js';

/**
 * Shows a problem's field errors beside the fields they name (errors[].field is a JSON path such as
 * settings.alpha or reported.lower) and the rest in the form's summary; focuses the first field at fault.
 */
export function showProblem(problem, fields, summary) {
  for (const wrapper of Object.values(fields)) showFieldError(wrapper, null);
  const unplaced = [];
  let first = null;
  for (const error of problem.errors || []) {
    const wrapper = fields[error.field] || fields[error.field.replace(/^studies\[0\]\./, '')];
    if (wrapper) {
      showFieldError(wrapper, error.message);
      first = first || wrapper.input;
    } else {
      unplaced.push(`${error.field}: ${error.message}`);
    }
  }
  const lines = problem.errors && problem.errors.length ? unplaced : [problem.message];
  if (lines.length) {
    replace(summary, h('p', {}, problem.body && problem.body.title ? `${problem.body.title}:` : 'Not saved:'),
      h('ul', {}, lines.map((line) => h('li', {}, line))));
    summary.hidden = false;
  } else {
    replace(summary, h('p', {}, 'Not saved: see the fields marked below.'));
    summary.hidden = false;
  }
  (first || summary).focus();
}

export function clearProblem(fields, summary) {
  for (const wrapper of Object.values(fields)) showFieldError(wrapper, null);
  replace(summary);
  summary.hidden = true;
}

export function summaryBox() {
  return h('div', { class: 'problem', role: 'alert', tabindex: '-1', hidden: true });
}

/** A number from an input, or undefined when empty (so the field is left out of the request). */
export function numberOf(input) {
  const text = input.value.trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

export function textOf(input) {
  const text = input.value.trim();
  return text === '' ? undefined : text;
}

export function idempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
