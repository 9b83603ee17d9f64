// How figures read: reported outcomes as the paper gave them, derived effects on the natural scale.

import { num } from './dom.js';

const Z95 = 1.959963984540054;

function p(value, relation, sided) {
  if (value === undefined || value === null) return null;
  return `p ${relation === 'LESS_THAN' ? '<' : '='} ${value}${sided === 'ONE_SIDED' ? ' (one-sided)' : ''}`;
}

function percent(value) {
  return `${num(value * 100)}%`;
}

export function reportedText(r) {
  if (!r) return '–';
  const parts = [];
  switch (r.form) {
    case 'RATIO_WITH_CI':
      return `${r.measure} ${r.estimate} (${percent(r.ciLevel)} CI ${r.lower} to ${r.upper})`;
    case 'RATIO_WITH_P':
      return `${r.measure} ${r.estimate}, ${p(r.pValue, r.pValueRelation, r.sided)}`;
    case 'MEDIAN_SURVIVAL':
      parts.push(`median ${r.medianIntervention} vs ${r.medianComparator}`);
      if (r.pValue !== undefined && r.pValue !== null) parts.push(p(r.pValue, r.pValueRelation, r.sided));
      if (r.eventsIntervention) parts.push(`events ${r.eventsIntervention} vs ${r.eventsComparator}`);
      return parts.join(', ');
    case 'SURVIVAL_AT_TIMEPOINT':
      parts.push(`${percent(r.survivalIntervention)} vs ${percent(r.survivalComparator)} at ${r.timepointMonths} months`);
      if (r.pValue !== undefined && r.pValue !== null) parts.push(p(r.pValue, r.pValueRelation, r.sided));
      if (r.eventsIntervention) parts.push(`events ${r.eventsIntervention} vs ${r.eventsComparator}`);
      return parts.join(', ');
    case 'EVENTS_AND_TOTALS':
      return `${r.eventsIntervention}/${r.totalIntervention} vs ${r.eventsComparator}/${r.totalComparator}`;
    case 'MEANS_AND_SDS':
      return `mean ${r.meanIntervention} (SD ${r.sdIntervention}, n ${r.nIntervention}) vs ${r.meanComparator} (SD ${r.sdComparator}, n ${r.nComparator})`;
    case 'SINGLE_ARM_PROPORTION':
      return `${r.events}/${r.total}`;
    case 'ESTIMATE_WITH_SE':
      return `${r.measure} ${r.estimate}, SE ${r.standardError}`;
    default:
      return r.form;
  }
}

function back(scale, value) {
  switch (scale) {
    case 'LOG': return Math.exp(value);
    case 'LOGIT': return 1 / (1 + Math.exp(-value));
    default: return value;
  }
}

/** "HR 0.86 (95% CI 0.72 to 1.03)" for a derived effect, on the natural scale where it has one. */
export function derivedText(d) {
  if (!d) return '–';
  if (d.scale === 'FREEMAN_TUKEY') {
    return `double arcsine ${num(d.estimate)} (SE ${num(d.standardError)})`;
  }
  const lower = back(d.scale, d.estimate - Z95 * d.standardError);
  const upper = back(d.scale, d.estimate + Z95 * d.standardError);
  const name = d.scale === 'LOGIT' ? 'proportion' : d.measure;
  return `${name} ${num(back(d.scale, d.estimate))} (95% CI ${num(lower)} to ${num(upper)})`;
}

/** What a curator should know about how the effect was derived. */
export function derivationNotes(d) {
  if (!d) return [];
  const notes = [d.method];
  if (d.standardErrorIsUpperBound) notes.push('SE is an upper bound (p given as a bound)');
  if (d.approximate) notes.push('approximate');
  for (const a of d.assumptions || []) notes.push(`assumes ${a}`);
  for (const w of d.warnings || []) notes.push(`warning: ${w}`);
  return notes;
}
