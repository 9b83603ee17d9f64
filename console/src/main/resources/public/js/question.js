import { h, replace, say, when, num, field } from './dom.js';
import { call, blobUrl, listen, session, Problem } from './api.js';
import { reportedText, derivedText, derivationNotes } from './effects.js';

const PLOTS = [
  ['forest', 'Forest plot'],
  ['cumulative', 'Cumulative forest plot (publication order)'],
  ['funnel', 'Contour-enhanced funnel plot'],
  ['history', 'Estimate over its versions'],
];

export async function questionPage(main, questionId, query) {
  // ?version=N (the links in alerts) shows that estimate version with the records as they stood when it was computed.
  const version = /^\d{1,18}$/.test(query.get('version') || '') ? query.get('version') : null;
  const pinned = version ? (await call(`/analysis/api/v1/questions/${questionId}/estimates/${version}`)).body : null;
  const asOf = pinned ? pinned.computedAt : query.get('asOf');
  const asOfParameter = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
  const { body: question } = await call(`/study/api/v1/questions/${questionId}${asOfParameter}`);
  const estimateSection = h('section', { 'aria-labelledby': 'estimate-heading', class: 'card' });
  const plotSection = h('section', { 'aria-labelledby': 'plots-heading' });
  const recordSection = h('section', { 'aria-labelledby': 'records-heading' });
  const versionSection = h('section', { 'aria-labelledby': 'versions-heading' });
  const liveState = h('span', { class: 'live', id: 'live-state' },
    pinned ? `version ${pinned.estimateVersion}, as of ${when(asOf)}` : asOf ? `as of ${when(asOf)}` : 'connecting…');
  const blobs = [];

  replace(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/questions' }, 'Questions'), ' › ', question.questionId),
    h('div', { class: 'title-row' }, h('h1', {}, question.title), liveState),
    h('dl', { class: 'pico' },
      ['population', 'intervention', 'comparator', 'outcome'].flatMap((k) => [h('dt', {}, k[0].toUpperCase() + k.slice(1)), h('dd', {}, question.pico[k])]),
      h('dt', {}, 'Measure'), h('dd', {}, `${question.effectMeasure}; benefit is a ${question.benefitDirection.toLowerCase()} value`),
      h('dt', {}, 'Analysis'), h('dd', {}, settingsText(question.settings)),
      h('dt', {}, 'Tags'), h('dd', {}, (question.tags || []).join(', ') || '–'),
      h('dt', {}, 'Revision'), h('dd', {}, `${question.revision}, ${when(question.revisedAt)} by ${question.revisedBy} `, questionHistory(question.questionId))),
    actions(question, asOf),
    pinned ? h('p', {}, h('a', { href: `#/questions/${questionId}` }, 'See the latest estimate (live)')) : asOfForm(questionId, asOf),
    estimateSection, plotSection, recordSection, versionSection);

  let shownVersion = null;
  async function refresh(reason) {
    const estimate = pinned || await loadEstimate(questionId, asOf);
    if (estimate && shownVersion === estimate.estimateVersion && reason !== 'first') return;
    shownVersion = estimate ? estimate.estimateVersion : null;
    showEstimate(estimateSection, estimate, asOf);
    blobs.splice(0).forEach((url) => URL.revokeObjectURL(url));
    await Promise.all([
      showPlots(plotSection, questionId, estimate, blobs, asOf),
      showRecords(recordSection, question, asOf),
      showVersions(versionSection, questionId, asOf, estimate),
    ]);
    if (reason === 'live') say(`New estimate: version ${estimate.estimateVersion}. ${estimate.conclusion ? estimate.conclusion.statement : ''}`);
  }
  await refresh('first');
  if (asOf) return () => blobs.forEach((url) => URL.revokeObjectURL(url));

  let queue = Promise.resolve();
  const onEvent = (name, data) => {
    if (name === 'ready') {
      liveState.textContent = 'live';
      liveState.dataset.state = 'live';
      queue = queue.then(() => refresh('ready')).catch(() => {});
    } else if (name === 'estimate') {
      liveState.textContent = `live · version ${data.estimateVersion}`;
      queue = queue.then(() => refresh('live')).catch(() => {});
    }
  };
  const onState = (state) => {
    liveState.textContent = state === 'refused' ? 'not live (no access)' : 'reconnecting…';
    liveState.dataset.state = state;
  };
  // A browser keeps about six connections per origin over HTTP/1.1: a hidden tab gives its stream back, and on
  // its return reconnects (and so reads the estimate again).
  let stream = listen(`/live/questions/${questionId}`, onEvent, onState);
  const onVisibility = () => {
    if (document.hidden && stream) {
      stream.stop();
      stream = null;
      liveState.textContent = 'paused while hidden';
      liveState.dataset.state = 'paused';
    } else if (!document.hidden && !stream) {
      stream = listen(`/live/questions/${questionId}`, onEvent, onState);
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    if (stream) stream.stop();
    blobs.forEach((url) => URL.revokeObjectURL(url));
  };
}

/** The question's own revisions (title, settings, status), who made each and why, on demand. */
function questionHistory(questionId) {
  const list = h('ol', { class: 'history', hidden: true, id: 'question-history' });
  const button = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': 'question-history', onclick: async () => {
    const open = list.hidden;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      const { body: revisions } = await call(`/study/api/v1/questions/${questionId}/revisions`);
      replace(list, revisions.map((rev) => h('li', {}, `revision ${rev.revision} (${rev.status.toLowerCase()}), ${when(rev.revisedAt)} by ${rev.revisedBy}: `,
        rev.title, `; ${settingsText(rev.settings)}`, rev.reason ? ` — “${rev.reason}”` : '')));
    }
    list.hidden = !open;
  } }, 'History');
  return h('span', {}, button, list);
}

function settingsText(s) {
  const parts = [s.model === 'FIXED' ? 'fixed effect' : `random effects (${s.tau2Estimator})`, s.ciMethod === 'HKSJ' ? 'HKSJ interval' : 'Wald interval',
    `alpha ${s.alpha}`];
  if (s.minimalImportantDifference) parts.push(`MID ${s.minimalImportantDifference}`);
  if (s.tsa) parts.push(`sequential plan: anticipated ${s.tsa.anticipatedEffect}, power ${s.tsa.power}`);
  if (s.referenceProportion) parts.push(`reference proportion ${s.referenceProportion}`);
  return parts.join('; ');
}

function actions(question, asOf) {
  const links = [];
  if (session.has('CURATOR') && !asOf && question.status === 'ACTIVE') {
    links.push(h('a', { class: 'button', href: `#/questions/${question.questionId}/records/new` }, 'Add a record'));
    links.push(h('a', { class: 'button secondary', href: `#/questions/${question.questionId}/import` }, 'Bulk import'));
  }
  if (session.has('SUBSCRIBER')) {
    links.push(h('a', { class: 'button secondary', href: `#/subscriptions/new?question=${question.questionId}` }, 'Follow this question'));
  }
  links.push(download('Records (CSV)', `/study/api/v1/questions/${question.questionId}/export/records.csv${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, 'records.csv', 'text/csv'));
  links.push(download('metafor script (R)', `/study/api/v1/questions/${question.questionId}/export/metafor.R`, 'metafor.R', 'text/plain'));
  return h('div', { class: 'actions' }, links);
}

function download(label, path, filename, accept) {
  return h('button', { type: 'button', class: 'secondary', dataset: { download: filename }, onclick: async () => {
    try {
      const url = await blobUrl(path, accept);
      const link = h('a', { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      say(`Download failed: ${error.message}`);
    }
  } }, label);
}

function asOfForm(questionId, asOf) {
  const input = h('input', { type: 'datetime-local', name: 'asOf', step: '1', value: asOf ? asOf.replace(/Z$/, '').slice(0, 19) : '' });
  const wrapper = field('As it stood at (UTC)', input);
  const form = h('form', { class: 'inline asof' }, wrapper, h('button', { type: 'submit', class: 'secondary' }, 'Show'),
    asOf ? h('a', { href: `#/questions/${questionId}` }, 'Back to now') : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value) { location.hash = `#/questions/${questionId}`; return; }
    const instant = `${input.value.length === 16 ? `${input.value}:00` : input.value}Z`;
    location.hash = `#/questions/${questionId}?asOf=${encodeURIComponent(instant)}`;
  });
  return form;
}

async function loadEstimate(questionId, asOf) {
  try {
    if (!asOf) return (await call(`/analysis/api/v1/questions/${questionId}/estimate`)).body;
    // The version in force then: the newest computed at or before that instant.
    let before = null;
    for (let page = 0; page < 20; page++) {
      const { body } = await call(`/analysis/api/v1/questions/${questionId}/estimates?limit=100${before ? `&before=${before}` : ''}`);
      const found = body.find((version) => Date.parse(version.computedAt) <= Date.parse(asOf));
      if (found) return (await call(`/analysis/api/v1/questions/${questionId}/estimates/${found.estimateVersion}`)).body;
      if (body.length < 100) return null;
      before = body[body.length - 1].estimateVersion;
    }
    return null;
  } catch (error) {
    if (error instanceof Problem && error.status === 404) return null;
    throw error;
  }
}

function showEstimate(section, estimate, asOf) {
  if (!estimate) {
    replace(section, h('h2', { id: 'estimate-heading' }, 'Pooled estimate'),
      h('p', {}, asOf ? 'No estimate had been computed by then.' : 'No estimate yet: add a record and it appears here by itself.'));
    return;
  }
  const c = estimate.conclusion || {};
  const heterogeneity = estimate.heterogeneity || {};
  const certainty = c.certainty;
  replace(section,
    h('h2', { id: 'estimate-heading' }, `Pooled estimate, version ${estimate.estimateVersion}`),
    h('p', { class: 'statement', id: 'statement' }, c.statement || ''),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Studies'), h('dd', { id: 'estimate-k' }, String(estimate.k)),
      h('dt', {}, 'Significant'), h('dd', {}, c.significant ? 'yes' : 'no'),
      h('dt', {}, 'Direction'), h('dd', {}, directionText(c.direction)),
      certainty ? [h('dt', {}, 'Certainty'), h('dd', {}, `${certainty.level.toLowerCase().replace('_', ' ')}${certainty.reasons && certainty.reasons.length ? `: ${certainty.reasons.join('; ')}` : ''}`)] : null,
      h('dt', {}, 'Heterogeneity'), h('dd', {}, `I² ${heterogeneity.iSquared === undefined ? '–' : `${num(heterogeneity.iSquared * (heterogeneity.iSquared <= 1 ? 100 : 1))}%`}, tau² ${num(heterogeneity.tau2)}`),
      h('dt', {}, 'Computed'), h('dd', {}, when(estimate.computedAt))));
}

function directionText(direction) {
  return { FAVOURS_INTERVENTION: 'favours the intervention', FAVOURS_COMPARATOR: 'favours the comparator', NO_DIFFERENCE: 'no difference' }[direction] || '–';
}

async function showPlots(section, questionId, estimate, blobs, asOf) {
  if (!estimate) { replace(section); return; }
  // The latest estimate's plots come from the estimate itself; a past version's from the estimate history, which
  // analysis-service fills a moment after it publishes.
  const base = asOf ? `/analysis/api/v1/questions/${questionId}/estimates/${estimate.estimateVersion}/plots`
    : `/analysis/api/v1/questions/${questionId}/plots`;
  const figures = await Promise.all(PLOTS.map(async ([name, caption]) => {
    const path = name === 'history' ? `/analysis/api/v1/questions/${questionId}/plots/history.svg` : `${base}/${name}.svg`;
    try {
      const url = await blobUrl(path, 'image/svg+xml');
      blobs.push(url);
      // A download, never a page of this origin: the SVG keeps running nothing, whatever a label says.
      return h('figure', { class: `plot plot-${name}` },
        h('img', { src: url, alt: `${caption} of estimate version ${estimate.estimateVersion}. ${estimate.conclusion ? estimate.conclusion.statement : ''}`, id: `plot-${name}`, dataset: { version: String(estimate.estimateVersion) } }),
        h('figcaption', {}, caption, ' · ', h('a', { href: url, download: `${name}-v${estimate.estimateVersion}.svg` }, 'download the SVG')));
    } catch (error) {
      return h('figure', { class: 'plot' }, h('p', {}, `${caption}: ${error.message}`));
    }
  }));
  replace(section, h('h2', { id: 'plots-heading' }, 'Plots'), h('div', { class: 'plots' }, figures));
}

async function showRecords(section, question, asOf) {
  const parameters = new URLSearchParams({ limit: '500', sort: 'publicationYear' });
  if (asOf) parameters.set('asOf', asOf);
  const { body: records, headers } = await call(`/study/api/v1/questions/${question.questionId}/outcome-records?${parameters}`);
  const total = Number(headers.get('x-total-count') || records.length);
  const curator = session.has('CURATOR') && !asOf;
  replace(section, h('h2', { id: 'records-heading' }, `Outcome records (${total})`),
    total > records.length ? h('p', {}, `The first ${records.length} are shown; export the CSV for all.`) : null,
    records.length === 0 ? h('p', {}, 'No records yet.') :
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Outcome records' }, h('table', { class: 'list records' },
        h('thead', {}, h('tr', {}, ['Study', 'Reported', 'Derived effect', 'How it was derived', 'Source', 'Revision', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, records.map((r) => recordRow(r, curator))))));
}

function recordRow(r, curator) {
  const history = h('div', { class: 'history', hidden: true });
  const retracted = r.status === 'RETRACTED';
  const row = h('tr', { class: retracted ? 'retracted' : '', dataset: { record: r.recordId } },
    h('th', { scope: 'row' }, r.studyLabel, r.publicationYear ? ` (${r.publicationYear})` : '', retracted ? h('span', { class: 'badge' }, 'retracted') : null,
      r.followUp ? h('div', { class: 'muted' }, r.followUp) : null),
    h('td', {}, reportedText(r.reported)),
    h('td', {}, derivedText(r.derived)),
    h('td', {}, h('ul', { class: 'notes' }, derivationNotes(r.derived).map((n) => h('li', {}, n)))),
    h('td', {}, sourceText(r.source)),
    h('td', {}, `${r.revision}, ${when(r.revisedAt)}`, h('div', { class: 'muted' }, r.revisedBy), r.reason ? h('div', { class: 'muted' }, `“${r.reason}”`) : null),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: async (event) => {
        const open = history.hidden;
        event.target.setAttribute('aria-expanded', String(open));
        if (open) await showHistory(history, r.recordId);
        history.hidden = !open;
      } }, 'History'),
      curator && !retracted ? h('a', { href: `#/questions/${r.questionId}/records/${r.recordId}/edit` }, 'Revise') : null,
      curator && !retracted ? h('button', { type: 'button', class: 'link danger', onclick: () => retract(r) }, 'Retract') : null,
      history));
  return row;
}

function sourceText(source) {
  if (!source) return '–';
  return [source.page ? `p. ${source.page}` : null, source.table ? `table ${source.table}` : null, source.quote ? `“${source.quote}”` : null]
    .filter(Boolean).join(', ');
}

async function showHistory(container, recordId) {
  const { body: revisions } = await call(`/study/api/v1/outcome-records/${recordId}/revisions`);
  replace(container, h('ol', {}, revisions.map((rev) => h('li', {},
    `revision ${rev.revision} (${rev.status.toLowerCase()}), ${when(rev.revisedAt)} by ${rev.revisedBy}: ${reportedText(rev.reported)}`,
    rev.reason ? ` — “${rev.reason}”` : ''))));
}

async function retract(record) {
  const reason = window.prompt(`Retract ${record.studyLabel}? It leaves the analysis. Why?`);
  if (reason === null) return;
  try {
    await call(`/study/api/v1/outcome-records/${record.recordId}/retraction`, { method: 'POST', body: { reason }, headers: { 'if-match': `"${record.revision}"` } });
    say(`${record.studyLabel} retracted; the estimate follows in a moment.`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (error) {
    say(`Not retracted: ${error.message}`);
  }
}

async function showVersions(section, questionId, asOf, estimate) {
  let versions = [];
  if (asOf && !estimate) versions = [];
  else try {
    // The 20 versions up to the one shown (and one more, to tell whether the oldest shown shifted).
    const before = asOf ? `&before=${estimate.estimateVersion + 1}` : '';
    versions = (await call(`/analysis/api/v1/questions/${questionId}/estimates?limit=21${before}`)).body;
  } catch (error) {
    if (!(error instanceof Problem && error.status === 404)) throw error;
  }
  const shifted = (v, i) => i + 1 < versions.length && v.conclusion && versions[i + 1].conclusion
    && (v.conclusion.significant !== versions[i + 1].conclusion.significant || v.conclusion.direction !== versions[i + 1].conclusion.direction);
  const marks = versions.map(shifted);
  versions = versions.slice(0, 20);
  replace(section, h('h2', { id: 'versions-heading' }, 'Estimate versions'),
    versions.length === 0 ? h('p', {}, 'None yet.') :
      h('ul', { class: 'versions' }, versions.map((v, i) => h('li', {},
        h('strong', {}, `v${v.estimateVersion}`), ` ${when(v.computedAt)}: `, v.conclusion ? v.conclusion.statement : '',
        marks[i] ? h('span', { class: 'badge' }, 'conclusion changed') : null))));
}
