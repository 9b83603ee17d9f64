import { h, replace, field, say } from './dom.js';
import { call, session, Problem } from './api.js';
import { questionList, newQuestion } from './questions.js';
import { questionPage } from './question.js';
import { recordForm } from './records.js';
import { importPage } from './importer.js';
import { subscriptionList, newSubscription, subscriptionPage } from './subscriptions.js';

const routes = [
  [/^#\/signin$/, signIn],
  [/^#\/questions$/, questionList],
  [/^#\/questions\/new$/, newQuestion],
  [/^#\/questions\/([\w-]+)\/records\/new$/, (main, [questionId]) => recordForm(main, { questionId })],
  [/^#\/questions\/([\w-]+)\/import$/, (main, [questionId]) => importPage(main, questionId)],
  [/^#\/questions\/([\w-]+)\/records\/([\w-]+)\/edit$/, (main, [questionId, recordId]) => recordForm(main, { questionId, recordId })],
  [/^#\/questions\/([\w-]+)$/, (main, [questionId], query) => questionPage(main, questionId, query)],
  [/^#\/subscriptions$/, subscriptionList],
  [/^#\/subscriptions\/new$/, newSubscription],
  [/^#\/subscriptions\/([\w-]+)$/, (main, [id]) => subscriptionPage(main, id)],
];

let cleanup = null;

async function route() {
  const main = document.getElementById('main');
  if (cleanup) { cleanup(); cleanup = null; }
  const [path, queryString] = (location.hash || '#/questions').split('?');
  const query = new URLSearchParams(queryString || '');
  if (!session.token && path !== '#/signin') {
    // Back to where the link pointed (an alert's link to a version, say) once signed in.
    sessionStorage.setItem('evidence.console.next', location.hash);
    location.hash = '#/signin';
    return;
  }
  renderWho();
  const match = routes.map(([pattern, page]) => [path.match(pattern), page]).find(([m]) => m);
  if (!match) {
    replace(main, h('h1', {}, 'Not found'), h('p', {}, 'No such page. '), h('a', { href: '#/questions' }, 'All questions'));
    return;
  }
  const [found, page] = match;
  replace(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    cleanup = (await page(main, found.slice(1), query)) || null;
  } catch (error) {
    showError(main, error);
  }
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Evidence console` : 'Evidence console';
  main.focus({ preventScroll: true });
  markCurrentNavigation(path);
}

function markCurrentNavigation(path) {
  for (const link of document.querySelectorAll('header nav a')) {
    if (link.getAttribute('href') === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

export function showError(main, error) {
  if (error instanceof Problem && error.status === 401) {
    session.clear();
    location.hash = '#/signin';
    say('Your key is no longer accepted: sign in again.');
    return;
  }
  replace(main, h('h1', {}, 'Something went wrong'),
    h('p', { class: 'problem', role: 'alert' }, error.message || String(error)),
    h('p', {}, h('a', { href: '#/questions' }, 'Back to the questions')));
}

function renderWho() {
  const who = document.getElementById('who');
  const caller = session.caller;
  if (!caller) { replace(who); return; }
  replace(who, h('span', {}, `${caller.displayName} (${caller.roles.join(', ').toLowerCase()})`), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => { session.clear(); location.hash = '#/signin'; } }, 'Sign out'));
}

async function signIn(main) {
  const key = field('API key', h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false' }),
    'The key you were issued (lek_…). It stays in this browser tab only and is forgotten when you close it.');
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', {}, 'Sign in'), key, h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = key.input.value.trim();
    if (!token) { key.error.hidden = false; key.error.textContent = 'Enter your key.'; key.input.focus(); return; }
    session.set(token);
    try {
      const { body } = await call('/study/api/v1/caller');
      session.remember(body);
      say(`Signed in as ${body.displayName}`);
      const next = sessionStorage.getItem('evidence.console.next');
      sessionStorage.removeItem('evidence.console.next');
      location.hash = next && next.startsWith('#/') && next !== '#/signin' ? next : '#/questions';
    } catch (error) {
      session.clear();
      key.error.hidden = false;
      key.error.textContent = error.status === 401 ? 'This key is not valid (unknown, revoked or expired).' : error.message;
      key.input.setAttribute('aria-invalid', 'true');
      key.input.focus();
    }
  });
  replace(main, form);
  key.input.focus();
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);
