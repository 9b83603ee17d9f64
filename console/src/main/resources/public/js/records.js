import { h, replace, field, select, say, showFieldError } from './dom.js';
import { call, Problem } from './api.js';
import { showProblem, clearProblem, summaryBox, numberOf, textOf, idempotencyKey } from './forms.js';
import { derivedText, derivationNotes } from './effects.js';

const P_FIELDS = [['pValue', 'p-value'], ['pValueRelation', 'p stated as', 'relation'], ['sided', 'Test', 'sided']];
// Figures a form can do without: the p-value or the events (one of them gives the variance).
const OPTIONAL = { MEDIAN_SURVIVAL: ['pValue', 'eventsIntervention', 'eventsComparator'], SURVIVAL_AT_TIMEPOINT: ['pValue', 'eventsIntervention', 'eventsComparator'] };
const FORMS = {
  RATIO_WITH_CI: { label: 'Ratio with a confidence interval', fields: [['estimate', 'Estimate'], ['lower', 'CI lower bound'], ['upper', 'CI upper bound'], ['ciLevel', 'CI level (0.95 for 95%)']] },
  RATIO_WITH_P: { label: 'Ratio with a p-value only', fields: [['estimate', 'Estimate'], ...P_FIELDS] },
  MEDIAN_SURVIVAL: { label: 'Median survival per arm', fields: [['medianIntervention', 'Median, intervention'], ['medianComparator', 'Median, comparator'], ...P_FIELDS, ['eventsIntervention', 'Events, intervention'], ['eventsComparator', 'Events, comparator']] },
  SURVIVAL_AT_TIMEPOINT: { label: 'Survival at a time point', fields: [['survivalIntervention', 'Survival, intervention (0.74 for 74%)'], ['survivalComparator', 'Survival, comparator'], ['timepointMonths', 'Time point (months)'], ...P_FIELDS, ['eventsIntervention', 'Events, intervention'], ['eventsComparator', 'Events, comparator']] },
  EVENTS_AND_TOTALS: { label: 'Events and totals per arm', fields: [['eventsIntervention', 'Events, intervention'], ['totalIntervention', 'Total, intervention'], ['eventsComparator', 'Events, comparator'], ['totalComparator', 'Total, comparator']] },
  MEANS_AND_SDS: { label: 'Means and SDs per arm', fields: [['meanIntervention', 'Mean, intervention'], ['sdIntervention', 'SD, intervention'], ['nIntervention', 'n, intervention'], ['meanComparator', 'Mean, comparator'], ['sdComparator', 'SD, comparator'], ['nComparator', 'n, comparator']] },
  SINGLE_ARM_PROPORTION: { label: 'Single-arm proportion', fields: [['events', 'Events'], ['total', 'Total']] },
  ESTIMATE_WITH_SE: { label: 'Estimate with its standard error', fields: [['estimate', 'Estimate (natural scale)'], ['standardError', 'SE (analysis scale)']] },
};
const FORMS_BY_MEASURE = {
  HR: ['RATIO_WITH_CI', 'RATIO_WITH_P', 'MEDIAN_SURVIVAL', 'SURVIVAL_AT_TIMEPOINT', 'ESTIMATE_WITH_SE'],
  RR: ['RATIO_WITH_CI', 'RATIO_WITH_P', 'EVENTS_AND_TOTALS', 'ESTIMATE_WITH_SE'],
  OR: ['RATIO_WITH_CI', 'RATIO_WITH_P', 'EVENTS_AND_TOTALS', 'ESTIMATE_WITH_SE'],
  RD: ['EVENTS_AND_TOTALS', 'ESTIMATE_WITH_SE'],
  MD: ['MEANS_AND_SDS', 'ESTIMATE_WITH_SE'],
  SMD: ['MEANS_AND_SDS', 'ESTIMATE_WITH_SE'],
  PLO: ['SINGLE_ARM_PROPORTION'],
  PFT: ['SINGLE_ARM_PROPORTION'],
};

function figureInput(name, kind, value) {
  if (kind === 'relation') return select(name, [['EQUAL', 'p = (exact)'], ['LESS_THAN', 'p < (a bound)']], value || 'EQUAL');
  if (kind === 'sided') return select(name, [['TWO_SIDED', 'two-sided'], ['ONE_SIDED', 'one-sided']], value || 'TWO_SIDED');
  return h('input', { name, inputmode: 'decimal', autocomplete: 'off', value: value === undefined || value === null ? '' : String(value) });
}

/** Add a record to a question, or revise one (recordId), with the derived effect previewed as the curator types. */
export async function recordForm(main, { questionId, recordId }) {
  const { body: question } = await call(`/study/api/v1/questions/${questionId}`);
  const existing = recordId ? (await call(`/study/api/v1/outcome-records/${recordId}`)).body : null;
  const reported = existing ? existing.reported : null;
  const measure = question.effectMeasure;
  const forms = FORMS_BY_MEASURE[measure] || Object.keys(FORMS);
  const common = {
    studyLabel: field('Study label', h('input', { name: 'studyLabel', required: true, value: existing ? existing.studyLabel : '' }), 'How the study is named in plots, e.g. Shien 2025 (JCOG1017)'),
    publicationYear: field('Publication year', h('input', { name: 'publicationYear', inputmode: 'numeric', value: existing && existing.publicationYear ? existing.publicationYear : '' })),
    studyDesign: field('Design', select('studyDesign', [['', '(not recorded)'], ['RANDOMISED_TRIAL', 'Randomised trial'], ['PROSPECTIVE_COHORT', 'Prospective cohort'],
      ['RETROSPECTIVE_COHORT', 'Retrospective cohort'], ['PROPENSITY_MATCHED_COHORT', 'Propensity-matched cohort'], ['SINGLE_ARM', 'Single arm']], existing ? existing.studyDesign || '' : '')),
    followUp: field('Follow-up', h('input', { name: 'followUp', value: existing && existing.followUp ? existing.followUp : '' })),
    'reported.form': field('Reported as', select('form', forms.map((f) => [f, FORMS[f].label]), reported ? reported.form : forms[0])),
    'source.page': field('Page', h('input', { name: 'page', value: existing && existing.source && existing.source.page ? existing.source.page : '' })),
    'source.table': field('Table or figure', h('input', { name: 'table', value: existing && existing.source && existing.source.table ? existing.source.table : '' })),
    'source.quote': field('Quote', h('textarea', { name: 'quote', rows: 2 }, existing && existing.source && existing.source.quote ? existing.source.quote : ''), 'The sentence the figures were read from'),
  };
  if (existing) common.reason = field('Why this revision', h('input', { name: 'reason', required: true }));
  let figures = {};
  const figureSet = h('fieldset', { class: 'figures' });
  const preview = h('div', { class: 'preview', id: 'preview', 'aria-live': 'polite' }, 'The derived effect appears here as you type.');
  const summary = summaryBox();
  const allFields = () => ({ ...common, ...figures });

  function buildFigures() {
    const form = common['reported.form'].input.value;
    figures = {};
    for (const [name, label, kind] of FORMS[form].fields) {
      const value = reported && reported.form === form ? reported[name] : (name === 'ciLevel' ? 0.95 : undefined);
      figures[`reported.${name}`] = field(label, figureInput(name, kind, value));
    }
    replace(figureSet, h('legend', {}, `Figures as reported (${measure})`), Object.values(figures));
  }

  function reportedBody() {
    const form = common['reported.form'].input.value;
    const body = { form, measure };
    for (const [name, , kind] of FORMS[form].fields) {
      const input = figures[`reported.${name}`].input;
      const value = kind ? input.value : numberOf(input);
      if (value !== undefined && value !== '') body[name] = value;
    }
    if (body.pValue === undefined) { delete body.pValueRelation; delete body.sided; }
    return body;
  }

  let previewTimer = null;
  let previewRequest = 0;
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, 250);
  }
  async function runPreview() {
    const number = ++previewRequest;
    for (const wrapper of Object.values(figures)) showFieldError(wrapper, null);
    const formName = common['reported.form'].input.value;
    const missing = FORMS[formName].fields.filter(([name, , kind]) => !kind && !(OPTIONAL[formName] || []).includes(name)
      && figures[`reported.${name}`].input.value.trim() === '').map(([, label]) => label.toLowerCase());
    if (missing.length) {
      replace(preview, h('p', {}, `The derived effect appears here once every figure is in (still missing: ${missing.join(', ')}).`));
      return;
    }
    try {
      const { body } = await call('/analysis/api/v1/analyses', { method: 'POST', body: { measure, studies: [{ label: textOf(common.studyLabel.input) || 'preview', reported: reportedBody() }] } });
      if (number !== previewRequest) return;
      const derivation = body.studies[0].derivation;
      replace(preview, h('p', {}, h('strong', {}, 'Derived: '), derivedText(derivation)),
        h('ul', { class: 'notes' }, derivationNotes(derivation).map((n) => h('li', {}, n))));
    } catch (error) {
      if (number !== previewRequest) return;
      if (error instanceof Problem && error.errors.length) {
        const unplaced = [];
        for (const e of error.errors) {
          const wrapper = allFields()[e.field.replace(/^studies\[0\]\./, '')];
          if (wrapper && wrapper !== common.studyLabel) showFieldError(wrapper, e.message);
          else if (!e.field.endsWith('label')) unplaced.push(e.message);
        }
        replace(preview, h('p', {}, 'No derived effect yet: ', unplaced.length ? unplaced.join('; ') : 'see the fields marked.'));
      } else {
        replace(preview, h('p', {}, `Preview unavailable: ${error.message}`));
      }
    }
  }

  buildFigures();
  common['reported.form'].input.addEventListener('change', () => { buildFigures(); schedulePreview(); });
  const key = idempotencyKey();
  const form = h('form', { class: 'card', novalidate: true },
    h('p', { class: 'crumbs' }, h('a', { href: `#/questions/${questionId}` }, question.title)),
    h('h1', {}, existing ? `Revise ${existing.studyLabel}` : 'Add an outcome record'), summary,
    h('fieldset', {}, h('legend', {}, 'Study'), common.studyLabel, common.publicationYear, common.studyDesign, common.followUp),
    h('fieldset', {}, h('legend', {}, 'Outcome'), common['reported.form'], figureSet, preview),
    h('fieldset', {}, h('legend', {}, 'Where it was read'), common['source.page'], common['source.table'], common['source.quote']),
    common.reason || null,
    h('button', { type: 'submit' }, existing ? 'Save revision' : 'Add record'));
  form.addEventListener('input', (event) => { if (figureSet.contains(event.target)) schedulePreview(); });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(allFields(), summary);
    const source = { page: textOf(common['source.page'].input), table: textOf(common['source.table'].input), quote: textOf(common['source.quote'].input) };
    const body = {
      studyLabel: textOf(common.studyLabel.input), publicationYear: numberOf(common.publicationYear.input),
      studyDesign: common.studyDesign.input.value || undefined, followUp: textOf(common.followUp.input),
      source: source.page || source.table || source.quote ? source : undefined, reported: reportedBody(),
    };
    if (existing) {
      body.studyId = existing.studyId || undefined;
      body.subgroup = existing.subgroup || undefined;
      body.reason = textOf(common.reason.input);
    }
    try {
      if (existing) {
        await call(`/study/api/v1/outcome-records/${recordId}`, { method: 'PUT', body, headers: { 'if-match': `"${existing.revision}"` } });
        say(`${body.studyLabel} revised; the estimate follows in a moment.`);
      } else {
        await call(`/study/api/v1/questions/${questionId}/outcome-records`, { method: 'POST', body, headers: { 'idempotency-key': key } });
        say(`${body.studyLabel} added; the estimate follows in a moment.`);
      }
      location.hash = `#/questions/${questionId}`;
    } catch (problem) {
      if (problem.status === 412) problem.message = 'Someone revised this record since you opened it: reload the page and apply your change again.';
      showProblem(problem, allFields(), summary);
    }
  });
  replace(main, form);
  if (existing) schedulePreview();
  common.studyLabel.input.focus();
}
