import { h, replace, field, select, say, when } from './dom.js';
import { call, session } from './api.js';
import { showProblem, clearProblem, summaryBox, numberOf, textOf, idempotencyKey } from './forms.js';

export const MEASURES = [['HR', 'Hazard ratio (HR)'], ['RR', 'Risk ratio (RR)'], ['OR', 'Odds ratio (OR)'],
  ['RD', 'Risk difference (RD)'], ['MD', 'Mean difference (MD)'], ['SMD', 'Standardised mean difference (SMD)'],
  ['PLO', 'Single-arm proportion, logit (PLO)'], ['PFT', 'Single-arm proportion, Freeman-Tukey (PFT)']];

export async function questionList(main, params, query) {
  const search = field('Search titles', h('input', { type: 'search', name: 'search', value: query.get('q') || '', maxlength: 200 }));
  const tag = field('Tag', h('input', { type: 'text', name: 'tag', value: query.get('tag') || '' }), 'Only questions with this tag (exact).');
  const results = h('div', { class: 'results' });
  let questions = [];
  async function load() {
    const parameters = new URLSearchParams({ limit: '500', sort: '-revisedAt' });
    if (tag.input.value.trim()) parameters.set('tag', tag.input.value.trim());
    // The server searches every title; typing then narrows what it returned (titles and tags) at once.
    if (search.input.value.trim()) parameters.set('q', search.input.value.trim());
    const response = await call(`/study/api/v1/questions?${parameters}`);
    questions = response.body;
    show(response.headers.get('x-total-count'));
  }
  function show(total) {
    const words = search.input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = questions.filter((q) => words.every((w) => `${q.title} ${(q.tags || []).join(' ')}`.toLowerCase().includes(w)));
    replace(results,
      h('p', { class: 'count' }, `${shown.length} of ${total || questions.length} questions`),
      shown.length === 0 ? h('p', {}, 'No question matches.') :
        h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Questions' }, h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Questions'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Question'), h('th', { scope: 'col' }, 'Measure'),
            h('th', { scope: 'col' }, 'Tags'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Last revised'))),
          h('tbody', {}, shown.map((q) => h('tr', {},
            h('td', {}, h('a', { href: `#/questions/${q.questionId}` }, q.title)),
            h('td', {}, q.effectMeasure), h('td', {}, (q.tags || []).join(', ')),
            h('td', {}, q.status.toLowerCase()), h('td', {}, when(q.revisedAt))))))));
  }
  search.input.addEventListener('input', () => show());
  const tagForm = h('form', { class: 'inline', role: 'search' }, search, tag, h('button', { type: 'submit' }, 'Search'));
  tagForm.addEventListener('submit', async (event) => { event.preventDefault(); await load(); say(`${results.querySelector('.count').textContent}`); });
  replace(main, h('div', { class: 'title-row' }, h('h1', {}, 'Evidence questions'),
    session.has('CURATOR') ? h('a', { class: 'button', href: '#/questions/new' }, 'New question') : null), tagForm, results);
  await load();
}

export async function newQuestion(main) {
  const f = {
    title: field('Title', h('input', { name: 'title', required: true, maxlength: 500 })),
    'pico.population': field('Population', h('input', { name: 'population', required: true })),
    'pico.intervention': field('Intervention', h('input', { name: 'intervention', required: true })),
    'pico.comparator': field('Comparator', h('input', { name: 'comparator', required: true })),
    'pico.outcome': field('Outcome', h('input', { name: 'outcome', required: true })),
    effectMeasure: field('Effect measure', select('effectMeasure', MEASURES, 'HR')),
    benefitDirection: field('Benefit is', select('benefitDirection', [['LOWER', 'a lower value (e.g. HR < 1 for deaths)'], ['HIGHER', 'a higher value']], 'LOWER')),
    tags: field('Tags', h('input', { name: 'tags' }), 'Separated by commas, e.g. breast-cancer, surgery'),
    'settings.alpha': field('Significance level (alpha)', h('input', { name: 'alpha', inputmode: 'decimal', value: '0.05' })),
    'settings.model': field('Model', select('model', [['RANDOM', 'Random effects'], ['FIXED', 'Fixed effect']], 'RANDOM')),
    'settings.tau2Estimator': field('Between-study variance (tau²) estimator', select('tau2Estimator',
      ['REML', 'DL', 'ML', 'PM', 'EB', 'SJ', 'HE', 'HS'].map((m) => [m, m]), 'REML')),
    'settings.ciMethod': field('Confidence interval', select('ciMethod', [['HKSJ', 'Hartung-Knapp-Sidik-Jonkman'], ['WALD', 'Wald (normal)']], 'HKSJ')),
    'settings.minimalImportantDifference': field('Minimal important difference (optional)', h('input', { name: 'mid', inputmode: 'decimal' }),
      'On the natural scale, e.g. 0.9 for an HR'),
    'settings.referenceProportion': field('Reference proportion (single-arm questions)', h('input', { name: 'referenceProportion', inputmode: 'decimal' })),
  };
  const summary = summaryBox();
  const form = h('form', { class: 'card', novalidate: true }, h('h1', {}, 'New evidence question'), summary,
    h('fieldset', {}, h('legend', {}, 'The question'), f.title, f['pico.population'], f['pico.intervention'], f['pico.comparator'], f['pico.outcome']),
    h('fieldset', {}, h('legend', {}, 'Effect'), f.effectMeasure, f.benefitDirection, f.tags),
    h('fieldset', {}, h('legend', {}, 'Analysis settings'), f['settings.alpha'], f['settings.model'], f['settings.tau2Estimator'],
      f['settings.ciMethod'], f['settings.minimalImportantDifference'], f['settings.referenceProportion']),
    h('button', { type: 'submit' }, 'Create question'));
  const key = idempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(f, summary);
    const body = {
      title: textOf(f.title.input),
      pico: { population: textOf(f['pico.population'].input), intervention: textOf(f['pico.intervention'].input),
        comparator: textOf(f['pico.comparator'].input), outcome: textOf(f['pico.outcome'].input) },
      effectMeasure: f.effectMeasure.input.value, benefitDirection: f.benefitDirection.input.value,
      tags: (f.tags.input.value || '').split(',').map((t) => t.trim()).filter(Boolean),
      settings: { alpha: numberOf(f['settings.alpha'].input), model: f['settings.model'].input.value,
        tau2Estimator: f['settings.tau2Estimator'].input.value, ciMethod: f['settings.ciMethod'].input.value,
        minimalImportantDifference: numberOf(f['settings.minimalImportantDifference'].input),
        referenceProportion: numberOf(f['settings.referenceProportion'].input) },
    };
    try {
      const { body: created } = await call('/study/api/v1/questions', { method: 'POST', body, headers: { 'idempotency-key': key } });
      say(`Question created: ${created.title}`);
      location.hash = `#/questions/${created.questionId}`;
    } catch (problem) {
      showProblem(problem, f, summary);
    }
  });
  replace(main, form);
}
