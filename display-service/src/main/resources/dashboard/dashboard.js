// httpmon's live dashboard. Every text from the log (sections, resources, users) is set with textContent: shown
// as text, never as markup. No library: the chart is plain SVG.
'use strict';

const CLASSES = ['2xx', '3xx', '4xx', '5xx', '1xx', 'other'];
const state = { seconds: [], stats: [], alerts: [], rules: [], ruleChanges: false };
const $ = id => document.getElementById(id);

function text(el, value) {
  el.textContent = value;
  return el;
}

function number(x) {
  return Math.round(x * 100) / 100;
}

function filters() {
  const classes = new Set([...document.querySelectorAll('#classes input:checked')].map(i => i.value));
  return { section: $('section').value, classes, range: Number($('range').value), monitor: $('monitor').value };
}

// A monitor's windows (not its groups), oldest first: '' is the default monitor ([Stats]).
function windowsOf(monitor) {
  return state.stats.filter(w => (w.monitor || '') === monitor && w.group === undefined);
}

function renderMonitors() {
  const select = $('monitor');
  const known = new Set([...select.options].map(o => o.value));
  [...new Set(state.stats.map(w => w.monitor || ''))].sort().forEach(m => {
    if (!known.has(m)) {
      const option = text(document.createElement('option'), m);
      option.value = m;
      select.append(option);
    }
  });
}

// The hits of one second record under the filters, by status class.
function count(record, f) {
  const byClass = {};
  let total = 0;
  for (const [section, classes] of Object.entries(record.sections || {})) {
    if (f.section !== '' && section !== f.section) continue;
    for (const [cls, n] of Object.entries(classes)) {
      if (!f.classes.has(cls)) continue;
      byClass[cls] = (byClass[cls] || 0) + n;
      total += n;
    }
  }
  return { total, byClass };
}

// Most first, then by name; at most `limit`.
function list(el, entries, limit) {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit || entries.length);
  el.replaceChildren(...sorted.map(([name, n]) => text(document.createElement('li'), name + ' (' + n + ')')));
}

function renderSections() {
  const select = $('section');
  const known = new Set([...select.options].map(o => o.value));
  const seen = new Set();
  for (const r of state.seconds) Object.keys(r.sections || {}).forEach(s => seen.add(s));
  [...seen].sort().forEach(s => {
    if (!known.has(s)) {
      const option = text(document.createElement('option'), s === '' ? '(none)' : s);
      option.value = s;
      select.append(option);
    }
  });
}

// The span the range panel covers: picked on the chart (drag), or the whole chart.
let pick = null;

// The newest second the pipeline's clock has passed: the last second with traffic, or, when the site went quiet, the
// end of the latest statistics window (windows without traffic keep coming while the clock moves). So a silent site
// shows its silence as zeros up to now instead of a chart frozen at its last hit.
function clockSecond() {
  let last = state.seconds.length ? Date.parse(state.seconds[state.seconds.length - 1].second) / 1000 : null;
  for (const w of state.stats) {
    const end = Date.parse(w.window_end) / 1000 - 1;
    if (last === null || end > last) last = end;
  }
  return last;
}

const SVG = 'http://www.w3.org/2000/svg';
function shape(svg, kind, attributes, title) {
  const el = document.createElementNS(SVG, kind);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (title) el.append(text(document.createElementNS(SVG, 'title'), title));
  svg.append(el);
  return el;
}

// Tick labels beside and under a plot: the top, middle and bottom values; five times.
function axes(yId, max, unit, xId, first, last) {
  const tick = v => v >= 10 ? Math.round(v) : number(v);
  $(yId).replaceChildren(...[max, max / 2, 0].map(v => text(document.createElement('span'), tick(v) + unit)));
  if (!xId) return;
  const ticks = [0, 1, 2, 3, 4].map(i => Math.round(first + (last - first) * i / 4));
  $(xId).replaceChildren(...ticks.map(t => text(document.createElement('span'), iso(t).slice(11, 19))));
}

// The rules whose measure is hits per second (so drawn on the chart), and every shown rule's firing spans.
function ruleMarks(f, first, last) {
  const shown = state.rules.filter(rule => f.section === '' || !rule.section || rule.section === f.section);
  const thresholds = shown.filter(r => ['high_traffic', 'low_traffic', 'status_rate'].includes(r.kind));
  const names = new Set(shown.map(r => r.name));
  const open = new Map();
  const spans = [];
  for (const a of state.alerts) {
    if (!names.has(a.alert)) continue;
    const key = a.fingerprint || a.alert;
    const at = Date.parse(a.at) / 1000;
    if (a.state === 'FIRING') {
      if (!open.has(key)) open.set(key, { from: Date.parse(a.triggered_at || a.at) / 1000, alert: a });
    } else if (open.has(key)) {
      spans.push({ ...open.get(key), to: at });
      open.delete(key);
    }
  }
  for (const o of open.values()) spans.push({ ...o, to: last + 1 });
  return { thresholds, spans: spans.filter(s => s.to >= first && s.from <= last) };
}

function renderChart() {
  const f = filters();
  const svg = $('chart');
  svg.replaceChildren();
  const last = clockSecond();
  if (last === null) {
    text($('chart-caption'), 'no traffic yet');
    return;
  }
  const first = last - f.range + 1;
  chartSpan = { first, range: f.range };
  // Bars: each second of the default monitor (hits-per-second); a [Stats NAME] monitor's windows, as hits/s.
  const bars = [];
  if (f.monitor === '') {
    for (const r of state.seconds) {
      const t = Date.parse(r.second) / 1000;
      if (t >= first) bars.push({ from: t, seconds: 1, c: count(r, f) });
    }
  } else {
    for (const w of windowsOf(f.monitor)) {
      const from = Date.parse(w.window_start) / 1000;
      const seconds = Math.max(1, Date.parse(w.window_end) / 1000 - from);
      if (from + seconds <= first || w.revision) continue;
      const byClass = {};
      let total = 0;
      for (const [cls, n] of Object.entries(w.status_codes || {})) {
        if (f.classes.has(cls)) { byClass[cls] = n / seconds; total += n / seconds; }
      }
      bars.push({ from, seconds, c: { total, byClass } });
    }
  }
  const peak = Math.max(0, ...bars.map(b => b.c.total));
  const marks = ruleMarks(f, first, last);
  // A threshold far above the traffic would flatten it: drawn only within four times the peak, else said.
  const drawn = marks.thresholds.filter(r => r.threshold <= Math.max(4 * peak, 1));
  const max = Math.max(1, peak, ...drawn.map(r => r.threshold));
  const width = 900 / f.range;
  for (const span of marks.spans) {
    const from = Math.max(span.from, first);
    shape(svg, 'rect', { x: (from - first) * width, y: 0, width: Math.max((Math.min(span.to, last + 1) - from) * width, 1),
      height: 160, class: 'firing-span', 'data-rule': span.alert.alert }, span.alert.message);
  }
  if (pick) {
    shape(svg, 'rect', { x: (Math.max(pick.from, first) - first) * width, y: 0,
      width: Math.max((pick.to - Math.max(pick.from, first) + 1) * width, 1), height: 160, class: 'pick' });
  }
  for (const y of [5, 82.5]) shape(svg, 'line', { x1: 0, x2: 900, y1: y, y2: y, class: 'grid' });
  for (const b of bars) {
    let y = 160;
    const x = Math.max(b.from, first) - first;
    const w = Math.min(b.from + b.seconds, last + 1) - Math.max(b.from, first);
    for (const cls of CLASSES) {
      const n = b.c.byClass[cls] || 0;
      if (n === 0) continue;
      const h = n / max * 155;
      y -= h;
      shape(svg, 'rect', { x: x * width, y, width: Math.max(w * width, 1), height: h, class: 'c' + cls });
    }
  }
  for (const rule of drawn) {
    const y = 160 - rule.threshold / max * 155;
    shape(svg, 'line', { x1: 0, x2: 900, y1: y, y2: y, class: 'threshold', 'data-rule': rule.name },
      rule.name + ': ' + rule.kind + ' at ' + rule.threshold + '/s');
  }
  axes('chart-y', max * 160 / 155, '/s', 'chart-x', first, last);
  const above = marks.thresholds.filter(r => !drawn.includes(r)).map(r => r.name + ' at ' + r.threshold + '/s');
  text($('chart-caption'), 'from ' + iso(first) + ' to ' + iso(last) + ', peak ' + number(peak) + ' hits/s'
    + (f.monitor ? ' (monitor ' + f.monitor + ', per window)' : '')
    + (above.length ? '; far above the chart: ' + above.join(', ') : '') + ' (drag on the chart to pick a range)');
  const from = pick ? pick.from : first;
  const to = pick ? pick.to : last;
  renderRange(f, from, to);
  renderResponseTimes(f, first, last);
}

// p50 and p99 of each statistics window of the monitor on the chart's span.
function renderResponseTimes(f, first, last) {
  const svg = $('rt-chart');
  svg.replaceChildren();
  const windows = windowsOf(f.monitor).filter(w => w.response_time_ms && !w.revision
    && Date.parse(w.window_end) / 1000 > first);
  if (!windows.length) {
    $('rt-y').replaceChildren();
    text($('rt-caption'), 'no response times in these windows (a log format with $request_time or %D has them)');
    return;
  }
  const max = Math.max(1, ...windows.map(w => w.response_time_ms.p99));
  const width = 900 / f.range;
  // A step per window: its value over its whole span.
  for (const q of ['p50', 'p99']) {
    const points = windows.flatMap(w => {
      const y = 80 - w.response_time_ms[q] / max * 76;
      const from = Math.max(Date.parse(w.window_start) / 1000, first) - first;
      const to = Math.min(Date.parse(w.window_end) / 1000, last + 1) - first;
      return [(from * width) + ',' + y, (to * width) + ',' + y];
    });
    shape(svg, 'polyline', { points: points.join(' '), class: q });
  }
  axes('rt-y', max * 80 / 76, ' ms');
  const latest = windows[windows.length - 1].response_time_ms;
  text($('rt-caption'), 'latest window: p50 ' + latest.p50 + ' ms, p99 ' + latest.p99 + ' ms');
}

function iso(epochSecond) {
  return new Date(epochSecond * 1000).toISOString().replace('.000Z', 'Z');
}

// Picks the seconds from .. to (ISO-8601 or epoch seconds) for the range panel; null: the whole chart.
function pickRange(from, to) {
  const sec = t => typeof t === 'number' ? t : Date.parse(t) / 1000;
  pick = from == null ? null : { from: Math.min(sec(from), sec(to)), to: Math.max(sec(from), sec(to)) };
  $('range-reset').hidden = pick == null;
  renderChart();
}
window.httpmonPickRange = pickRange;

function renderRange(f, from, to) {
  // A [Stats NAME] monitor: its windows within the range (its hits by class, its top sections).
  const monitorWindows = f.monitor === '' ? [] : windowsOf(f.monitor).filter(w => !w.revision
    && Date.parse(w.window_start) / 1000 >= from && Date.parse(w.window_end) / 1000 <= to + 1);
  const inRange = f.monitor !== '' ? [] : state.seconds.filter(r => {
    const t = Date.parse(r.second) / 1000;
    return t >= from && t <= to;
  });
  let hits = 0;
  const byClass = {};
  const bySection = {};
  for (const w of monitorWindows) {
    for (const [cls, n] of Object.entries(w.status_codes || {})) {
      if (f.classes.has(cls)) { byClass[cls] = (byClass[cls] || 0) + n; hits += n; }
    }
    for (const [section, n] of Object.entries(w.top_sections || {})) bySection[section] = (bySection[section] || 0) + n;
  }
  for (const r of inRange) {
    const c = count(r, f);
    hits += c.total;
    for (const [cls, n] of Object.entries(c.byClass)) byClass[cls] = (byClass[cls] || 0) + n;
    for (const [section, classes] of Object.entries(r.sections || {})) {
      if (f.section !== '' && section !== f.section) continue;
      for (const [cls, n] of Object.entries(classes)) {
        if (f.classes.has(cls)) bySection[section] = (bySection[section] || 0) + n;
      }
    }
  }
  const seconds = to - from + 1;
  text($('range-span'), iso(from) + ' to ' + iso(to) + ' (' + seconds + ' s)');
  text($('range-hits'), String(hits));
  text($('range-rate'), String(number(hits / seconds)));
  text($('range-classes'), CLASSES.filter(c => byClass[c]).map(c => c + ' ' + byClass[c]).join(', ') || 'none');
  list($('range-sections'), Object.entries(bySection).map(([s, n]) => [s === '' ? '(none)' : s, n]).slice(0, 1000),
    10);
  // Resources and users: from the statistics windows that lie within the range (not broken down by section).
  const windows = windowsOf(f.monitor).filter(w => !w.revision && Date.parse(w.window_start) / 1000 >= from
    && Date.parse(w.window_end) / 1000 <= to + 1);
  const resources = {};
  const users = {};
  for (const w of windows) {
    for (const [k, n] of Object.entries(w.top_resources || {})) resources[k] = (resources[k] || 0) + n;
    for (const [k, n] of Object.entries(w.top_users || {})) users[k] = (users[k] || 0) + n;
  }
  text($('range-windows'), windows.length + ' statistics window' + (windows.length === 1 ? '' : 's'));
  list($('range-resources'), Object.entries(resources), 10);
  list($('range-users'), Object.entries(users), 10);
}

// Dragging on the chart picks a range.
let chartSpan = null;
let dragFrom = null;
function secondAt(event) {
  const box = $('chart').getBoundingClientRect();
  const x = Math.min(Math.max(event.clientX - box.left, 0), box.width - 1);
  return chartSpan.first + Math.floor(x / box.width * chartSpan.range);
}
$('chart').addEventListener('mousedown', e => { if (chartSpan) dragFrom = secondAt(e); });
$('chart').addEventListener('mouseup', e => {
  if (dragFrom == null) return;
  const to = secondAt(e);
  if (to !== dragFrom) pickRange(dragFrom, to);
  dragFrom = null;
});
$('range-reset').addEventListener('click', () => pickRange(null));

// The latest statistics window. Its lists are not broken down by section and status together: the section filter
// keeps the section's own line (and resources under it), the status filter the classes counted.
function renderLatest() {
  const f = filters();
  const all = windowsOf(f.monitor);
  const w = all[all.length - 1];
  if (!w) return;
  const groups = state.stats.filter(g => (g.monitor || '') === f.monitor && g.group !== undefined
    && g.window_start === w.window_start).map(g => [g.group, g.hits]);
  $('latest-groups-title').hidden = groups.length === 0;
  list($('latest-groups'), groups);
  const inSection = name => f.section === '' || name === f.section || name.startsWith(f.section + '/')
    || name.startsWith(f.section + '?');
  text($('latest-window'), w.window_start + ' to ' + w.window_end + (w.revision ? ' (revision ' + w.revision + ')' : ''));
  text($('latest-hits'), String(w.hits));
  text($('latest-tps'), String(w.tps));
  text($('latest-classes'), CLASSES.filter(c => f.classes.has(c) && (w.status_codes || {})[c])
    .map(c => c + ' ' + w.status_codes[c]).join(', ') || 'none');
  text($('latest-bytes'), String(w.bytes));
  text($('latest-hosts'), String(w.unique_hosts));
  text($('latest-late'), String(w.late));
  text($('latest-future'), String(w.future));
  text($('latest-dead'), String(w.dead_letters || 0));
  const rt = w.response_time_ms;
  text($('latest-rt'), rt ? 'p50 ' + rt.p50 + ' ms, p99 ' + rt.p99 + ' ms (max ' + rt.max + ' ms, ' + rt.count
    + ' timed)' : w.hits ? 'not logged for these requests' : 'no request in this window');
  list($('latest-slowest'), Object.entries(w.slowest_sections_ms || {}).filter(([name]) => inSection(name)));
  list($('latest-sections'), Object.entries(w.top_sections || {}).filter(([name]) => inSection(name)));
  list($('latest-resources'), Object.entries(w.top_resources || {}).filter(([name]) => inSection(name)));
  list($('latest-users'), Object.entries(w.top_users || {}));
}

function renderAlerts() {
  // Per rule, its alerts firing now by fingerprint: a client_rate rule has one per client.
  const firingNow = {};
  for (const a of state.alerts) {
    const alerts = firingNow[a.alert] || (firingNow[a.alert] = new Map());
    if (a.state === 'FIRING') alerts.set(a.fingerprint || a.alert, a); else alerts.delete(a.fingerprint || a.alert);
  }
  const f = filters();
  // With a section chosen: the rules on it and those on every section.
  const rules = state.rules.filter(rule => f.section === '' || !rule.section || rule.section === f.section);
  const rows = rules.map(rule => {
    const tr = document.createElement('tr');
    const alerts = [...(firingNow[rule.name] || new Map()).values()];
    const firing = alerts.length > 0;
    const threshold = rule.kind === 'error_ratio' ? number(rule.threshold * 100) + '%'
      : rule.kind === 'latency' ? rule.threshold + ' ms at p' + number((rule.quantile || 0.99) * 100)
      : rule.kind === 'client_rate' ? rule.threshold + '/s per client' : rule.threshold + '/s';
    const since = alerts.map(a => a.triggered_at).sort()[0];
    const status = !firing ? 'ok' : rule.kind === 'client_rate'
      ? 'firing: ' + alerts.filter(a => a.labels && a.labels.client !== undefined).length + ' client(s)'
        + (alerts.some(a => a.labels && a.labels.clients) ? ' and more' : '') + ' since ' + since
      : 'firing since ' + since;
    tr.append(text(document.createElement('td'), rule.name), text(document.createElement('td'), rule.kind),
      text(document.createElement('td'), threshold + ' over ' + rule.window_seconds + ' s'
        + (rule.section ? ' on ' + rule.section : '')),
      text(document.createElement('td'), status));
    const cell = document.createElement('td');
    if (state.ruleChanges) {
      const remove = text(document.createElement('button'), 'delete');
      remove.type = 'button';
      remove.addEventListener('click', () => changeRules('api/rules/delete', rule.name));
      cell.append(remove);
    }
    tr.append(cell);
    if (firing) tr.className = 'firing';
    return tr;
  });
  document.querySelector('#rules tbody').replaceChildren(...rows);
  const shown = new Set(rules.map(r => r.name));
  const items = state.alerts.filter(a => shown.has(a.alert) || !state.rules.some(r => r.name === a.alert))
    .slice(-50).reverse().map(a => {
    const li = text(document.createElement('li'), a.message);
    if (a.state === 'FIRING') li.className = 'firing';
    return li;
  });
  $('timeline').replaceChildren(...items);
}

function renderAll() {
  renderMonitors();
  renderSections();
  renderChart();
  renderLatest();
  renderAlerts();
  const clock = clockSecond();
  if (clock !== null) text($('latest-second'), 'up to ' + iso(clock));
  // When the history was first on the page, in ms since navigation (measured by the benchmarks).
  if (!document.body.dataset.historyShownMs && state.loaded) {
    document.body.dataset.historyShownMs = String(Math.round(performance.now()));
  }
}

function take(event) {
  switch (event.type) {
    case 'history':
      state.seconds = event.seconds; state.stats = event.stats; state.alerts = event.alerts; state.rules = event.rules;
      state.ruleChanges = event.rule_changes === true;
      $('rule-editor').hidden = !state.ruleChanges;
      $('rules-read-only').hidden = state.ruleChanges;
      state.loaded = true;
      break;
    case 'second': {
      state.seconds.push(event.data);
      const last = Date.parse(event.data.second);
      while (state.seconds.length && Date.parse(state.seconds[0].second) < last - 900000) state.seconds.shift();
      break;
    }
    // Every monitor's windows and groups; the selector picks the one shown.
    case 'stats': state.stats.push(event.data); if (state.stats.length > 3000) state.stats.shift(); break;
    case 'alert': state.alerts.push(event.data); if (state.alerts.length > 200) state.alerts.shift(); break;
    case 'rules': state.rules = event.data; break;
  }
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; renderAll(); });
}

// Through the same rules topic as ./httpmon rules; the table follows when alert-service's topic says so.
async function changeRules(path, body) {
  try {
    const response = await fetch(path, { method: 'POST', headers: { 'X-Httpmon-Action': 'rules' }, body });
    text($('rule-result'), await response.text());
  } catch (e) {
    text($('rule-result'), 'the dashboard is not reachable: ' + e);
  }
}
$('rule-apply').addEventListener('click', () => changeRules('api/rules', $('rule-text').value));

// A link may choose the view: ?range=60|300|900&section=/api&monitor=NAME
const params = new URLSearchParams(location.search);
if (params.has('range')) $('range').value = params.get('range');
if (params.has('monitor')) {
  const option = text(document.createElement('option'), params.get('monitor'));
  option.value = params.get('monitor');
  $('monitor').append(option);
  $('monitor').value = params.get('monitor');
}
if (params.has('section')) {
  const option = text(document.createElement('option'), params.get('section'));
  option.value = params.get('section');
  $('section').append(option);
  $('section').value = params.get('section');
}

const source = new EventSource('events');
source.onopen = () => { $('status').className = 'status live'; text($('status'), 'live'); };
source.onerror = () => { $('status').className = 'status down'; text($('status'), 'reconnecting'); };
source.onmessage = message => { take(JSON.parse(message.data)); schedule(); };
for (const el of document.querySelectorAll('#filters select, #filters input')) el.addEventListener('change', renderAll);
