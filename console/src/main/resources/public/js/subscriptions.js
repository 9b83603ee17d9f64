import { h, replace, field, say, when } from './dom.js';
import { call } from './api.js';
import { showProblem, clearProblem, summaryBox, numberOf, textOf } from './forms.js';

const KINDS = [['SIGNIFICANCE_FLIP', 'Significance flips'], ['DIRECTION_CHANGE', 'Direction changes'], ['MID_CROSSING', 'Minimal important difference crossed'],
  ['CERTAINTY_CHANGE', 'Certainty level changes'], ['SEQUENTIAL_BOUNDARY_CROSSED', 'Sequential boundary crossed'], ['NEW_STUDY', 'Every new study'],
  ['ESTIMATE_MOVED', 'The estimate moves by more than…']];
const DEFAULT_KINDS = ['SIGNIFICANCE_FLIP', 'DIRECTION_CHANGE', 'MID_CROSSING', 'CERTAINTY_CHANGE', 'SEQUENTIAL_BOUNDARY_CROSSED'];

export async function subscriptionList(main) {
  const { body: subscriptions } = await call('/notify/api/v1/subscriptions');
  replace(main, h('div', { class: 'title-row' }, h('h1', {}, 'My subscriptions'), h('a', { class: 'button', href: '#/subscriptions/new' }, 'New subscription')),
    subscriptions.length === 0 ? h('p', {}, 'No subscriptions yet.') :
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Subscriptions' }, h('table', { class: 'list' }, h('caption', { class: 'visually-hidden' }, 'Subscriptions'),
        h('thead', {}, h('tr', {}, ['Follows', 'Alerts', 'Channel', 'Status', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, subscriptions.map((s) => h('tr', {},
          h('td', {}, h('a', { href: `#/subscriptions/${s.id}` }, follows(s))),
          h('td', {}, s.shiftTypes.map((k) => k.toLowerCase().replaceAll('_', ' ')).join(', ')),
          h('td', {}, channelText(s)), h('td', {}, s.status.toLowerCase().replaceAll('_', ' ')), h('td', {}, when(s.createdAt))))))));
}

function follows(s) {
  const parts = [];
  if (s.questionIds && s.questionIds.length) parts.push(`questions ${s.questionIds.join(', ')}`);
  if (s.tags && s.tags.length) parts.push(`tags ${s.tags.join(', ')}`);
  return parts.join('; ') || s.id;
}

function channelText(s) {
  if (s.webhook) return `webhook ${s.webhook.url}`;
  if (s.email) return `email ${s.email.address}`;
  return 'feed';
}

export async function newSubscription(main, params, query) {
  const f = {
    questionIds: field('Question ids', h('input', { name: 'questionIds', value: query.get('question') || '' }), 'Separated by commas; or leave empty and follow tags'),
    tags: field('Tags', h('input', { name: 'tags' }), 'Every question with any of these tags, now or later'),
    estimateMovedBy: field('Moved by more than (fraction, e.g. 0.10)', h('input', { name: 'estimateMovedBy', inputmode: 'decimal' })),
    'webhook.url': field('Webhook URL', h('input', { name: 'webhookUrl', type: 'url', placeholder: 'https://example.org/hooks/evidence' })),
    'email.address': field('Email address', h('input', { name: 'email', type: 'email', autocomplete: 'email' })),
  };
  const kinds = KINDS.map(([value, label]) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'shiftTypes', value, checked: DEFAULT_KINDS.includes(value) }), ` ${label}`));
  const channels = [['webhook', 'Signed webhook'], ['email', 'Email'], ['feed', 'Atom feed only']].map(([value, label]) => h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'channel', value, checked: value === 'webhook' }), ` ${label}`));
  const summary = summaryBox();
  const result = h('div', { id: 'subscription-created' });
  const form = h('form', { class: 'card', novalidate: true }, h('h1', {}, 'New subscription'), summary,
    h('fieldset', {}, h('legend', {}, 'What to follow'), f.questionIds, f.tags),
    h('fieldset', { class: 'checks' }, h('legend', {}, 'Alert me when'), kinds, f.estimateMovedBy),
    h('fieldset', { class: 'checks' }, h('legend', {}, 'How'), channels, f['webhook.url'], f['email.address']),
    h('button', { type: 'submit' }, 'Subscribe'), result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(f, summary);
    const list = (input) => input.value.split(',').map((t) => t.trim()).filter(Boolean);
    const channel = form.querySelector('input[name=channel]:checked').value;
    const body = {
      questionIds: list(f.questionIds.input), tags: list(f.tags.input),
      shiftTypes: [...form.querySelectorAll('input[name=shiftTypes]:checked')].map((c) => c.value),
      estimateMovedBy: numberOf(f.estimateMovedBy.input),
    };
    if (channel === 'webhook') body.webhook = { url: textOf(f['webhook.url'].input) };
    else if (channel === 'email') body.email = { address: textOf(f['email.address'].input) };
    else body.feed = {};
    try {
      const { body: created } = await call('/notify/api/v1/subscriptions', { method: 'POST', body });
      say('Subscription created. Copy its secret and feed URL now: they are shown once.');
      replace(result, issued(created), h('p', {}, h('a', { href: `#/subscriptions/${created.id}` }, 'Open the subscription')));
      form.querySelector('button[type=submit]').disabled = true;
      result.focus();
    } catch (problem) {
      showProblem(problem, f, summary);
    }
  });
  replace(main, form);
}

/** Secrets and links a response shows once, each with a copy button. */
function issued(subscription) {
  const rows = [];
  if (subscription.secret) rows.push(['Signing secret', subscription.secret]);
  if (subscription.links && subscription.links.feed) rows.push(['Feed URL', subscription.links.feed]);
  if (subscription.links && subscription.links.unsubscribe) rows.push(['Unsubscribe link', subscription.links.unsubscribe]);
  return h('div', { class: 'issued', role: 'region', 'aria-label': 'Shown once', tabindex: '-1' },
    h('p', {}, h('strong', {}, 'Shown once: '), 'copy these now.'),
    rows.map(([label, value]) => copyable(label, value)));
}

function copyable(label, value) {
  const input = h('input', { readonly: true, value, class: 'copy-value' });
  const wrapper = field(label, input);
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      input.select();
      document.execCommand('copy');
    }
    say(`${label} copied`);
  } }, `Copy ${label.toLowerCase()}`);
  return h('div', { class: 'copy' }, wrapper, button);
}

export async function subscriptionPage(main, id) {
  const { body: s } = await call(`/notify/api/v1/subscriptions/${id}`);
  const deliveries = h('section', { 'aria-labelledby': 'deliveries-heading' });
  const fresh = h('div', { id: 'fresh' });
  const actions = [];
  async function act(label, path, confirmText) {
    if (confirmText && !window.confirm(confirmText)) return;
    try {
      const { body } = await call(`/notify/api/v1/subscriptions/${id}${path}`, { method: 'POST' });
      replace(fresh, issued(body));
      say(`${label}: done. Copy the new value now.`);
    } catch (error) {
      say(`${label} failed: ${error.message}`);
    }
  }
  if (s.status !== 'DISABLED') {
    if (s.webhook) actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => act('New signing secret', '/secret-rotation',
      'Issue a new signing secret? The old one keeps signing for 24 hours.') }, 'Rotate the signing secret'));
    actions.push(h('button', { type: 'button', class: 'secondary', onclick: () => act('New feed URL', '/feed-token-rotation',
      'Issue a new feed URL? The old one stops working.') }, 'New feed URL'));
    actions.push(h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!window.confirm('Cancel this subscription? No more alerts will be sent.')) return;
      try {
        await call(`/notify/api/v1/subscriptions/${id}`, { method: 'DELETE' });
        say('Subscription cancelled');
        location.hash = '#/subscriptions';
      } catch (error) {
        say(`Not cancelled: ${error.message}`);
      }
    } }, 'Cancel subscription'));
  }
  replace(main, h('p', { class: 'crumbs' }, h('a', { href: '#/subscriptions' }, 'Subscriptions'), ' › ', s.id),
    h('h1', {}, `Subscription to ${follows(s)}`),
    h('dl', { class: 'facts' }, h('dt', {}, 'Status'), h('dd', { id: 'subscription-status' }, s.status.toLowerCase().replaceAll('_', ' '), s.disabledReason ? ` (${s.disabledReason})` : ''),
      h('dt', {}, 'Channel'), h('dd', {}, channelText(s)),
      h('dt', {}, 'Alerts'), h('dd', {}, s.shiftTypes.map((k) => k.toLowerCase().replaceAll('_', ' ')).join(', '), s.estimateMovedBy ? ` (moves over ${s.estimateMovedBy * 100}%)` : ''),
      h('dt', {}, 'Created'), h('dd', {}, when(s.createdAt))),
    h('div', { class: 'actions' }, actions), fresh, deliveries);
  await showDeliveries(deliveries, id);
}

function alertSummary(delivery) {
  try {
    const alert = JSON.parse(delivery.body);
    return (alert.data && alert.data.summary) || alert.type || '';
  } catch {
    return delivery.kind ? delivery.kind.toLowerCase() : '';
  }
}

async function showDeliveries(section, id) {
  const { body: log } = await call(`/notify/api/v1/subscriptions/${id}/deliveries`);
  const redeliver = async (delivery) => {
    try {
      await call(`/notify/api/v1/subscriptions/${id}/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
      say('Queued to be sent again');
      await showDeliveries(section, id);
    } catch (error) {
      say(`Not queued: ${error.message}`);
    }
  };
  replace(section, h('div', { class: 'title-row' }, h('h2', { id: 'deliveries-heading' }, `Delivery log (${log.length})`),
    h('button', { type: 'button', class: 'secondary', onclick: () => showDeliveries(section, id) }, 'Refresh')),
    log.length === 0 ? h('p', {}, 'Nothing sent yet: alerts appear here when a followed question changes.') :
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Delivery log' }, h('table', { class: 'list deliveries' },
        h('thead', {}, h('tr', {}, ['Created', 'Alert', 'Status', 'Attempts', 'Last answer', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, log.map((d) => {
          const last = d.attempts[d.attempts.length - 1];
          return h('tr', { dataset: { delivery: d.id, status: d.status } },
            h('td', {}, when(d.createdAt)), h('td', {}, alertSummary(d)), h('td', { class: 'delivery-status' }, d.status.toLowerCase()),
            h('td', {}, String(d.attemptCount)),
            h('td', {}, last ? `${last.statusCode ? `HTTP ${last.statusCode}` : (last.error || '–')} at ${when(last.at)}` : '–'),
            h('td', {}, d.status !== 'PENDING' && d.channel !== 'FEED' ? h('button', { type: 'button', class: 'link', onclick: () => redeliver(d) }, 'Send again') : null));
        })))));
}
