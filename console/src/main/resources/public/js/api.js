// The services' APIs through the console's own origin (/study, /analysis, /notify). The key a person signs in with
// stays in this tab's sessionStorage and goes out only as a bearer token to this origin.

const KEY = 'evidence.console.key';

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set(token) { sessionStorage.setItem(KEY, token); },
  clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(`${KEY}.caller`); },
  get caller() {
    const stored = sessionStorage.getItem(`${KEY}.caller`);
    return stored ? JSON.parse(stored) : null;
  },
  remember(caller) { sessionStorage.setItem(`${KEY}.caller`, JSON.stringify(caller)); },
  has(role) { return !!this.caller && (this.caller.roles.includes(role) || this.caller.roles.includes('ADMIN')); },
};

/** An RFC 7807 problem answered by a service (or by the console when a service is down). */
export class Problem extends Error {
  constructor(status, body) {
    super(body && (body.detail || body.title) ? (body.detail || body.title) : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.errors = (body && Array.isArray(body.errors)) ? body.errors : [];
  }
}

function headersFor(extra, body) {
  const headers = { accept: 'application/json', ...extra };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Blob) && !headers['content-type']) {
    headers['content-type'] = 'application/json';
  }
  return headers;
}

/** Calls the API; resolves to {body, headers, status}, rejects with a Problem. */
export async function call(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const requestHeaders = headersFor(headers, body);
  const payload = body === undefined || typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body);
  const response = await fetch(path, { method, headers: requestHeaders, body: payload, signal, cache: 'no-store' });
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  if (!response.ok) {
    throw new Problem(response.status, typeof parsed === 'object' ? parsed : { title: response.statusText, detail: String(parsed || '') });
  }
  return { body: parsed, headers: response.headers, status: response.status };
}

/**
 * Fetches a file (a plot, an export) with the caller's token and gives a blob: URL for an <img> or a download.
 * accept names the type the endpoint produces (a service answers 406 to a type it does not).
 */
export async function blobUrl(path, accept = '*/*') {
  const response = await fetch(path, { headers: headersFor({ accept }), cache: 'no-store' });
  if (!response.ok) throw new Problem(response.status, { title: `not available (HTTP ${response.status})` });
  return URL.createObjectURL(await response.blob());
}

/**
 * Server-sent events from the console, read with fetch so the bearer token goes along (EventSource cannot send
 * one). Calls onEvent(name, data) for each event; reconnects after a pause until stop() is called.
 */
export function listen(path, onEvent, onState = () => {}) {
  let stopped = false;
  let controller = null;
  let delay = 1000;
  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { headers: headersFor({ accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store' });
        if (!response.ok) {
          onState('refused', response.status);
          if (response.status === 401 || response.status === 403 || response.status === 404) return;
          throw new Error(`HTTP ${response.status}`);
        }
        delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) {
              let parsed;
              try { parsed = JSON.parse(data.join('\n')); } catch { parsed = data.join('\n'); }
              onEvent(name, parsed);
            }
          }
        }
      } catch (error) {
        if (stopped) return;
        onState('disconnected', error);
      }
      if (stopped) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30000);
    }
  }
  connect();
  return { stop() { stopped = true; if (controller) controller.abort(); } };
}
