import { h, replace, field, say } from './dom.js';
import { call } from './api.js';

const CHUNK_ROWS = 500;

/**
 * Splits a CSV text into its rows as RFC 4180 (and study-service's parser) reads it: a field that starts with a
 * quote runs to the closing quote, line breaks and commas included, "" inside it being one quote; a quote anywhere
 * else is an ordinary character. Chunks can then be sent with the header repeated.
 */
export function csvRows(text) {
  const rows = [];
  let start = 0;
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
    } else if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === ',') {
      fieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (i > start) rows.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
      fieldStart = true;
    } else {
      fieldStart = false;
    }
  }
  if (start < text.length && text.slice(start).trim()) rows.push(text.slice(start));
  return rows;
}

function chunksOf(text, csv) {
  const lines = csv ? csvRows(text) : text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = csv ? lines.shift() : null;
  const chunks = [];
  for (let i = 0; i < lines.length; i += CHUNK_ROWS) {
    const rows = lines.slice(i, i + CHUNK_ROWS);
    chunks.push({ first: i, count: rows.length, body: (header ? [header, ...rows] : rows).join('\n') + '\n' });
  }
  return { chunks, rows: lines.length };
}

/**
 * Bulk import of a CSV (docs/import/outcome-records-template.csv) or JSON Lines file, sent in chunks of 500 rows
 * so the progress bar moves as study-service accepts them; each row is checked as a single record would be, and
 * a row sent twice is UNCHANGED, so an interrupted import can simply be run again.
 */
export async function importPage(main, questionId) {
  const { body: question } = await call(`/study/api/v1/questions/${questionId}`);
  const file = field('File', h('input', { type: 'file', name: 'file', accept: '.csv,.jsonl,.ndjson,text/csv,application/x-ndjson' }),
    'CSV with a header row (the template is docs/import/outcome-records-template.csv) or JSON Lines, one record per line.');
  const progress = h('progress', { max: '1', value: '0', id: 'import-progress', 'aria-label': 'Import progress' });
  const progressText = h('p', { id: 'import-progress-text', 'aria-live': 'polite' });
  const report = h('div', { id: 'import-report' });
  const start = h('button', { type: 'submit' }, 'Import');
  const stop = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Stop after this chunk');
  let stopping = false;
  stop.addEventListener('click', () => { stopping = true; stop.disabled = true; });
  const form = h('form', { class: 'card', novalidate: true },
    h('p', { class: 'crumbs' }, h('a', { href: `#/questions/${questionId}` }, question.title)),
    h('h1', {}, 'Bulk import'), file, h('div', { class: 'actions' }, start, stop), progress, progressText, report);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.input.files[0];
    if (!chosen) { file.error.hidden = false; file.error.textContent = 'Choose a file first.'; file.input.focus(); return; }
    file.error.hidden = true;
    const csv = !/\.(jsonl|ndjson)$/i.test(chosen.name) && chosen.type !== 'application/x-ndjson';
    const { chunks, rows } = chunksOf(await chosen.text(), csv);
    const totals = { accepted: 0, unchanged: 0, rejected: 0, problems: [] };
    start.disabled = true; stop.hidden = false; stop.disabled = false; stopping = false;
    progress.max = Math.max(rows, 1); progress.value = 0;
    replace(report);
    let done = 0;
    try {
      for (const chunk of chunks) {
        if (stopping) break;
        const { body } = await call(`/study/api/v1/questions/${questionId}/outcome-records/import`, {
          method: 'POST', body: chunk.body, headers: { 'content-type': csv ? 'text/csv' : 'application/x-ndjson' } });
        totals.accepted += body.accepted; totals.unchanged += body.unchanged; totals.rejected += body.rejected;
        for (const row of body.rows) {
          if (row.status === 'REJECTED') totals.problems.push({ row: chunk.first + row.row, errors: row.errors || [] });
        }
        done += chunk.count;
        progress.value = done;
        progressText.textContent = `${done.toLocaleString('en')} of ${rows.toLocaleString('en')} rows sent: ${totals.accepted} accepted, ${totals.unchanged} unchanged, ${totals.rejected} rejected`;
      }
    } catch (error) {
      totals.failure = error.message;
    }
    start.disabled = false; stop.hidden = true;
    const finished = done === rows;
    say(finished ? `Import finished: ${totals.accepted} accepted, ${totals.unchanged} unchanged, ${totals.rejected} rejected.`
      : `Import stopped after ${done} of ${rows} rows.`);
    replace(report, h('h2', {}, finished ? 'Report' : 'Report (stopped: run the same file again to finish; rows already sent come back unchanged)'),
      totals.failure ? h('p', { class: 'problem', role: 'alert' }, totals.failure) : null,
      h('p', {}, `${totals.accepted} accepted, ${totals.unchanged} unchanged (already there), ${totals.rejected} rejected.`),
      totals.problems.length ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Rejected rows' }, h('table', { class: 'list' }, h('caption', {}, 'Rejected rows (numbered as in the file, data rows from 1)'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Row'), h('th', { scope: 'col' }, 'Why'))),
        h('tbody', {}, totals.problems.slice(0, 500).map((p) => h('tr', {}, h('td', {}, String(p.row)),
          h('td', {}, p.errors.map((e) => `${e.field}: ${e.message}`).join('; '))))))) : null,
      h('p', {}, h('a', { href: `#/questions/${questionId}` }, 'Back to the question')));
  });
  replace(main, form);
}
