/* Actors silo dashboard: polls ./data (see DashboardData.cs), keeps a short history in the page and draws it with uPlot.
   A metric panel is shown only when the instruments it reads exist; panels sent by the silo (IDashboardPanelSource)
   are drawn as tables (and charts of their numbers) without any change here; instruments no panel reads are listed
   under "Other instruments". Counters are cumulative: rates come from two consecutive answers. */
(function () {
  'use strict';

  const HISTORY = 300;
  const COLORS = ['#2e86de', '#e67e22', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#d35400', '#2c3e50', '#f1c40f', '#7f8c8d'];
  const main = document.getElementById('panels');
  const views = new Map();
  let previous = null;
  let updates = 0;

  // ---- reading one data document ------------------------------------------------------------------------------------
  function index(data) {
    data.byName = {};
    for (const f of data.metrics) data.byName[f.name] = f;
    return data;
  }
  function has(d, name) { return !!d.byName[name]; }
  function total(d, name, filter) {
    const f = d && d.byName[name];
    if (!f) return undefined;
    let s = 0;
    for (const p of f.points) if (!filter || filter(p.tags)) s += p.value;
    return s;
  }
  function byTag(d, name, tag) {
    const out = {};
    const f = d.byName[name];
    if (!f) return out;
    for (const p of f.points) {
      const k = p.tags[tag] !== undefined ? p.tags[tag] : '(none)';
      out[k] = (out[k] || 0) + p.value;
    }
    return out;
  }
  function histogram(d, name) {
    const f = d && d.byName[name];
    if (!f || f.points.length === 0) return undefined;
    const bounds = f.points[0].bounds;
    const counts = bounds.map(() => 0).concat([0]);
    let count = 0, sum = 0;
    for (const p of f.points) {
      if (p.bounds.length !== bounds.length) continue;
      p.counts.forEach((c, i) => { counts[i] += c; });
      count += p.count; sum += p.value;
    }
    return { bounds, counts, count, sum };
  }
  function seconds(cur, prev) { return prev ? (cur.time - prev.time) / 1000 : 0; }
  function rate(cur, prev, name, filter) {
    const dt = seconds(cur, prev);
    const a = total(cur, name, filter), b = total(prev, name, filter);
    if (!(dt > 0) || a === undefined) return undefined;
    const delta = a - (b === undefined ? 0 : b);
    return delta < 0 ? undefined : delta / dt;
  }
  function histogramDelta(cur, prev, name) {
    const a = histogram(cur, name);
    if (!a) return undefined;
    const b = histogram(prev, name);
    if (!b || b.bounds.length !== a.bounds.length) return previous ? a : undefined;
    return { bounds: a.bounds, counts: a.counts.map((c, i) => c - b.counts[i]), count: a.count - b.count, sum: a.sum - b.sum };
  }
  function quantile(h, q) {
    if (!h || h.count <= 0) return undefined;
    const rank = q * h.count;
    let seen = 0;
    for (let i = 0; i < h.counts.length; i++) {
      const c = h.counts[i];
      if (c > 0 && seen + c >= rank) {
        const lower = i === 0 ? 0 : h.bounds[i - 1];
        const upper = i < h.bounds.length ? h.bounds[i] : h.bounds[h.bounds.length - 1];
        return lower + (upper - lower) * ((rank - seen) / c);
      }
      seen += c;
    }
    return h.bounds[h.bounds.length - 1];
  }

  // ---- formatting -----------------------------------------------------------------------------------------------------
  const dash = '\u2013';
  function fmtInt(n) { return n === undefined || n === null || isNaN(n) ? dash : Math.round(n).toLocaleString('en-US'); }
  function fmtRate(n) { return n === undefined || n === null || isNaN(n) ? dash : (n < 10 ? n.toFixed(1) : fmtInt(n)); }
  function fmtMs(n) {
    if (n === undefined || n === null || isNaN(n)) return dash;
    return (n < 1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : fmtInt(n)) + ' ms';
  }
  function fmtBytes(n) {
    if (n === undefined || n === null || isNaN(n)) return dash;
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(1)) + ' ' + units[i];
  }
  function fmtRatio(n) { return n === undefined || isNaN(n) ? dash : (100 * n).toFixed(1) + ' %'; }
  function boundLabel(b) { return b >= 1000 ? (b / 1000) + 'k' : String(b); }

  // ---- the built-in metric panels -------------------------------------------------------------------------------------
  // uses: the instruments the panel reads (a panel is shown when one of them exists); stats: [label, text, id, bad?];
  // series: numbers charted over time by label; bars: a histogram drawn as bars; table: [columns, rows].
  const PANELS = [
    {
      id: 'activations', title: 'Activations by grain type',
      uses: ['actors.activations.count', 'actors.activations.created'],
      stats: (c, p) => [
        ['Live activations', fmtInt(total(c, 'actors.activations.count')), 'activations-live'],
        ['Activated /s', fmtRate(rate(c, p, 'actors.activations.created')), 'activations-rate'],
      ].concat(Object.entries(byTag(c, 'actors.activations.count', 'grain.type')).sort().map(([t, v]) => [t, fmtInt(v), 'activations-type-' + t])),
      series: (c) => byTag(c, 'actors.activations.count', 'grain.type'),
    },
    {
      id: 'calls', title: 'Grain calls',
      uses: ['actors.calls', 'actors.calls.failed', 'actors.turns.queued'],
      stats: (c, p) => [
        ['Calls /s', fmtRate(rate(c, p, 'actors.calls')), 'calls-rate'],
        ['Failed /s', fmtRate(rate(c, p, 'actors.calls.failed') || 0), 'calls-failed-rate', (rate(c, p, 'actors.calls.failed') || 0) > 0],
        ['Calls in total', fmtInt(total(c, 'actors.calls')), 'calls-total'],
        ['Queued requests', fmtInt(total(c, 'actors.turns.queued')), 'calls-queued'],
      ],
      series: (c, p) => ({ 'calls/s': rate(c, p, 'actors.calls'), 'failed/s': rate(c, p, 'actors.calls.failed') || 0 }),
    },
    {
      id: 'latency', title: 'Call latency (last interval)',
      uses: ['actors.calls.duration'],
      stats: (c, p) => {
        const h = histogramDelta(c, p, 'actors.calls.duration');
        return [['p50', fmtMs(quantile(h, 0.5)), 'latency-p50'], ['p90', fmtMs(quantile(h, 0.9)), 'latency-p90'],
          ['p99', fmtMs(quantile(h, 0.99)), 'latency-p99'], ['Mean', fmtMs(h && h.count > 0 ? h.sum / h.count : undefined), 'latency-mean']];
      },
      series: (c, p) => {
        const h = histogramDelta(c, p, 'actors.calls.duration');
        return { 'p50 ms': quantile(h, 0.5), 'p99 ms': quantile(h, 0.99) };
      },
    },
    {
      id: 'wal', title: 'Write-ahead log: appends',
      uses: ['actors.wal.appends', 'actors.wal.bytes'],
      stats: (c, p) => {
        const commits = histogramDelta(c, p, 'actors.wal.commit.batches');
        const dt = seconds(c, p);
        return [
          ['Appends /s', fmtRate(rate(c, p, 'actors.wal.appends')), 'wal-appends-rate'],
          ['Written /s', fmtBytes(rate(c, p, 'actors.wal.bytes')), 'wal-bytes-rate'],
          ['Group commits /s', fmtRate(commits && dt > 0 ? commits.count / dt : undefined), 'wal-commits-rate'],
          ['Appends in total', fmtInt(total(c, 'actors.wal.appends')), 'wal-appends-total'],
        ];
      },
      series: (c, p) => ({ 'appends/s': rate(c, p, 'actors.wal.appends') }),
    },
    {
      id: 'groupcommit', title: 'Group commit size (appends carried by one write + fsync)',
      uses: ['actors.wal.commit.batches'],
      stats: (c, p) => {
        const h = histogramDelta(c, p, 'actors.wal.commit.batches');
        const all = histogram(c, 'actors.wal.commit.batches');
        return [['Mean, last interval', fmtRate(h && h.count > 0 ? h.sum / h.count : undefined), 'groupcommit-mean'],
          ['Mean since start', fmtRate(all && all.count > 0 ? all.sum / all.count : undefined), 'groupcommit-mean-all'],
          ['Commits in total', fmtInt(all && all.count), 'groupcommit-total']];
      },
      bars: (c) => histogram(c, 'actors.wal.commit.batches'),
    },
    {
      id: 'fsync', title: 'fsync latency (distribution since start, ms)',
      uses: ['actors.wal.fsync.duration'],
      stats: (c, p) => {
        const h = histogramDelta(c, p, 'actors.wal.fsync.duration');
        const all = histogram(c, 'actors.wal.fsync.duration');
        return [['p50, last interval', fmtMs(quantile(h, 0.5)), 'fsync-p50'], ['p99, last interval', fmtMs(quantile(h, 0.99)), 'fsync-p99'],
          ['p99 since start', fmtMs(quantile(all, 0.99)), 'fsync-p99-all'], ['fsyncs', fmtInt(all && all.count), 'fsync-count']];
      },
      bars: (c) => histogram(c, 'actors.wal.fsync.duration'),
    },
    {
      id: 'space', title: 'Segments and space',
      uses: ['actors.wal.segments', 'actors.wal.live_bytes', 'actors.wal.reclaimable_bytes', 'actors.wal.live_ratio'],
      stats: (c) => [
        ['Segments', fmtInt(total(c, 'actors.wal.segments')), 'space-segments'],
        ['Live', fmtBytes(total(c, 'actors.wal.live_bytes')), 'space-live'],
        ['Reclaimable', fmtBytes(total(c, 'actors.wal.reclaimable_bytes')), 'space-reclaimable'],
      ],
      table: (c) => {
        const dirs = Object.keys(byTag(c, 'actors.wal.segments', 'wal.directory'));
        const of = (name, dir) => total(c, name, t => t['wal.directory'] === dir);
        return [['Log directory', 'Segments', 'Live', 'Reclaimable', 'Live ratio'],
          dirs.map(d => [d, fmtInt(of('actors.wal.segments', d)), fmtBytes(of('actors.wal.live_bytes', d)),
            fmtBytes(of('actors.wal.reclaimable_bytes', d)), fmtRatio(of('actors.wal.live_ratio', d))])];
      },
      series: (c) => ({ 'live MiB': (total(c, 'actors.wal.live_bytes') || 0) / 1048576, 'reclaimable MiB': (total(c, 'actors.wal.reclaimable_bytes') || 0) / 1048576 }),
    },
    {
      id: 'checkpoints', title: 'Checkpoints and grain state',
      uses: ['actors.persistence.checkpoints', 'actors.persistence.events', 'actors.persistence.state_writes', 'actors.persistence.replayed', 'actors.persistence.load.duration'],
      stats: (c, p) => {
        const load = histogram(c, 'actors.persistence.load.duration');
        return [
          ['Checkpoints /s', fmtRate(rate(c, p, 'actors.persistence.checkpoints') || 0), 'checkpoints-rate'],
          ['Checkpoints in total', fmtInt(total(c, 'actors.persistence.checkpoints') || 0), 'checkpoints-total'],
          ['Events /s', fmtRate(rate(c, p, 'actors.persistence.events') || 0), 'events-rate'],
          ['State writes /s', fmtRate(rate(c, p, 'actors.persistence.state_writes') || 0), 'state-writes-rate'],
          ['Records replayed', fmtInt(total(c, 'actors.persistence.replayed') || 0), 'replayed-total'],
          ['Grain load p99', fmtMs(quantile(load, 0.99)), 'load-p99'],
        ];
      },
      series: (c, p) => ({ 'checkpoints/s': rate(c, p, 'actors.persistence.checkpoints') || 0, 'events/s': rate(c, p, 'actors.persistence.events') || 0 }),
    },
    {
      id: 'reminders', title: 'Reminders',
      uses: ['actors.reminders.registered', 'actors.reminders.due', 'actors.reminders.ticks', 'actors.reminders.ticks.failed', 'actors.reminders.lateness'],
      stats: (c, p) => {
        const lateness = histogram(c, 'actors.reminders.lateness');
        const failed = total(c, 'actors.reminders.ticks.failed') || 0;
        return [
          ['Registered', fmtInt(total(c, 'actors.reminders.registered')), 'reminders-registered'],
          ['Due now', fmtInt(total(c, 'actors.reminders.due')), 'reminders-due', (total(c, 'actors.reminders.due') || 0) > 0],
          ['Ticks /s', fmtRate(rate(c, p, 'actors.reminders.ticks') || 0), 'reminders-rate'],
          ['Ticks in total', fmtInt(total(c, 'actors.reminders.ticks') || 0), 'reminders-total'],
          ['Failed ticks', fmtInt(failed), 'reminders-failed', failed > 0],
          ['Lateness p99', fmtMs(quantile(lateness, 0.99)), 'reminders-lateness-p99'],
        ];
      },
      series: (c, p) => ({ 'due': total(c, 'actors.reminders.due') || 0, 'ticks/s': rate(c, p, 'actors.reminders.ticks') || 0 }),
    },
    {
      id: 'recovery', title: 'Recovery (log open)',
      uses: ['actors.wal.recovery.duration'],
      stats: (c) => {
        const h = histogram(c, 'actors.wal.recovery.duration');
        return [['Opens', fmtInt(h && h.count), 'recovery-opens'], ['Last open took', fmtMs(h && h.count === 1 ? h.sum : h && h.count > 0 ? h.sum / h.count : undefined), 'recovery-duration']];
      },
      table: (c) => {
        const f = c.byName['actors.wal.recovery.duration'];
        return [['Log directory', 'Opens', 'Recovery time (mean)'],
          f.points.map(p => [p.tags['wal.directory'] || '', fmtInt(p.count), fmtMs(p.count > 0 ? p.value / p.count : undefined)])];
      },
    },
    {
      id: 'errors', title: 'Errors',
      uses: ['actors.calls.failed', 'actors.calls.timeouts', 'actors.grains.stuck', 'actors.calls.stuck', 'actors.gateway.requests.errors',
        'actors.gateway.connections.aborted', 'actors.persistence.rejections', 'actors.persistence.failures'],
      always: true,
      stats: (c, p) => {
        const rows = [
          ['Failed calls', 'actors.calls.failed', 'errors-calls'],
          ['Call timeouts', 'actors.calls.timeouts', 'errors-timeouts'],
          ['Stuck-grain reports', 'actors.grains.stuck', 'errors-stuck'],
          ['Calls stuck now', 'actors.calls.stuck', 'errors-stuck-now'],
          ['Gateway error answers', 'actors.gateway.requests.errors', 'errors-gateway'],
          ['Connections aborted', 'actors.gateway.connections.aborted', 'errors-aborted'],
          ['Writes rejected', 'actors.persistence.rejections', 'errors-rejected'],
          ['Writes failed', 'actors.persistence.failures', 'errors-failed'],
        ].map(([label, name, id]) => [label, fmtInt(total(c, name) || 0), id, (total(c, name) || 0) > 0]);
        rows.push(['Metric read errors', fmtInt(c.errors.length), 'errors-observation', c.errors.length > 0]);
        return rows;
      },
      table: (c) => {
        const aborted = byTag(c, 'actors.gateway.connections.aborted', 'reason');
        const rows = Object.entries(aborted).map(([r, v]) => ['connection aborted: ' + r, fmtInt(v)]).concat(c.errors.map(e => ['metric read error', e]));
        return rows.length === 0 ? null : [['What', 'Count / message'], rows];
      },
      series: (c, p) => ({ 'failed calls/s': rate(c, p, 'actors.calls.failed') || 0, 'write failures/s': rate(c, p, 'actors.persistence.failures') || 0 }),
    },
    {
      id: 'gateway', title: 'Client gateway',
      uses: ['actors.gateway.connections.active', 'actors.gateway.connections.opened', 'actors.gateway.requests', 'actors.gateway.request.duration'],
      stats: (c, p) => {
        const h = histogramDelta(c, p, 'actors.gateway.request.duration');
        return [['Connections', fmtInt(total(c, 'actors.gateway.connections.active')), 'gateway-connections'],
          ['Requests /s', fmtRate(rate(c, p, 'actors.gateway.requests')), 'gateway-requests-rate'],
          ['p99, last interval', fmtMs(quantile(h, 0.99)), 'gateway-p99']];
      },
      series: (c, p) => ({ 'requests/s': rate(c, p, 'actors.gateway.requests') }),
    },
    {
      id: 'process', title: '.NET process',
      uses: ['dotnet.process.cpu.time', 'dotnet.process.memory.working_set', 'dotnet.gc.last_collection.heap.size', 'dotnet.thread_pool.queue.length', 'dotnet.gc.collections'],
      stats: (c, p) => [
        ['CPU (cores busy)', fmtRate(rate(c, p, 'dotnet.process.cpu.time')), 'process-cpu'],
        ['Working set', fmtBytes(total(c, 'dotnet.process.memory.working_set')), 'process-memory'],
        ['GC heap', fmtBytes(total(c, 'dotnet.gc.last_collection.heap.size')), 'process-heap'],
        ['GCs /s', fmtRate(rate(c, p, 'dotnet.gc.collections')), 'process-gc-rate'],
        ['Thread pool queue', fmtInt(total(c, 'dotnet.thread_pool.queue.length')), 'process-queue'],
      ],
      series: (c, p) => ({ 'cpu cores': rate(c, p, 'dotnet.process.cpu.time') }),
    },
  ];
  const claimed = new Set(PANELS.flatMap(p => p.uses));

  // ---- drawing ------------------------------------------------------------------------------------------------------------
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function view(id, title, order) {
    let v = views.get(id);
    if (!v) {
      const section = el('section', 'panel');
      section.id = 'panel-' + id;
      section.dataset.order = order;
      section.append(el('h2', null, title));
      v = { section, stats: el('div', 'stats'), chartBox: el('div', 'chart'), tableBox: el('div'), note: el('div', 'note'), times: [], values: {}, chart: null, chartKey: '' };
      section.append(v.stats, v.chartBox, v.tableBox, v.note);
      views.set(id, v);
      const after = [...main.children].find(s => Number(s.dataset.order) > order);
      main.insertBefore(section, after || null);
    }
    v.section.hidden = false;
    v.seen = true;
    return v;
  }
  function drawStats(v, stats) {
    v.stats.replaceChildren(...stats.map(([label, text, id, bad]) => {
      const s = el('div', 'stat' + (bad ? ' bad' : ''));
      const value = el('span', 'value', text);
      value.dataset.stat = id;
      s.append(el('div', 'label', label), value);
      return s;
    }));
  }
  function drawTable(box, table) {
    if (!table) { box.replaceChildren(); return; }
    const [columns, rows] = table;
    const t = el('table');
    const head = el('tr');
    columns.forEach(c => head.append(el('th', null, c)));
    t.append(head);
    if (rows.length === 0) {
      const r = el('tr'); const td = el('td', 'empty', 'none'); td.colSpan = columns.length; r.append(td); t.append(r);
    }
    rows.forEach(row => { const r = el('tr'); row.forEach(cell => r.append(el('td', null, String(cell)))); t.append(r); });
    box.replaceChildren(t);
  }
  function width(v) { return Math.max(300, v.section.clientWidth - 28); }
  function drawSeries(v, time, numbers) {
    if (!numbers) return;
    const labels = Object.keys(numbers).sort();
    for (const l of labels) if (!v.values[l]) v.values[l] = v.times.map(() => null);
    v.times.push(time / 1000);
    for (const l of Object.keys(v.values)) {
      const n = numbers[l];
      v.values[l].push(n === undefined || n === null || isNaN(n) ? null : n);
    }
    if (v.times.length > HISTORY) { v.times.shift(); for (const l of Object.keys(v.values)) v.values[l].shift(); }
    const all = Object.keys(v.values).sort();
    const data = [v.times].concat(all.map(l => v.values[l]));
    const key = 'lines:' + all.join('|');
    if (!v.chart || v.chartKey !== key) {
      if (v.chart) v.chart.destroy();
      v.chartBox.replaceChildren();
      v.chart = new uPlot({
        width: width(v), height: 180, legend: { live: false },
        scales: { x: { time: true } },
        axes: [{}, { size: 60 }],
        series: [{}].concat(all.map((l, i) => ({ label: l, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))),
      }, data, v.chartBox);
      v.chartKey = key;
    } else {
      v.chart.setData(data);
    }
  }
  function drawBars(v, h) {
    if (!h) return;
    let first = h.counts.findIndex(c => c > 0), last = h.counts.length - 1;
    while (last > 0 && h.counts[last] === 0) last--;
    if (first < 0) { first = 0; last = Math.min(5, h.counts.length - 1); }
    first = Math.max(0, first - 1); last = Math.min(h.counts.length - 1, last + 1);
    const labels = [], xs = [], ys = [];
    for (let i = first; i <= last; i++) {
      labels.push(i < h.bounds.length ? '\u2264' + boundLabel(h.bounds[i]) : '>' + boundLabel(h.bounds[h.bounds.length - 1]));
      xs.push(xs.length); ys.push(h.counts[i]);
    }
    const key = 'bars:' + labels.join('|');
    if (!v.chart || v.chartKey !== key) {
      if (v.chart) v.chart.destroy();
      v.chartBox.replaceChildren();
      v.chart = new uPlot({
        width: width(v), height: 180, legend: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
        axes: [{ values: (u, splits) => splits.map(s => Number.isInteger(s) ? (labels[s] || '') : ''), incrs: [1, 2, 3, 4, 5, 10], space: 34 }, { size: 60 }],
        series: [{}, { label: 'count', fill: '#2e86de99', stroke: '#2e86de', paths: uPlot.paths.bars({ size: [0.8, 60] }) }],
      }, [xs, ys], v.chartBox);
      v.chartKey = key;
    } else {
      v.chart.setData([xs, ys]);
    }
  }
  function drawServerPanel(p, order, time) {
    const v = view('server-' + p.id, p.title, order);
    v.section.id = 'panel-' + p.id;
    v.section.classList.toggle('wide', p.columns.length > 5);
    drawStats(v, []);
    drawTable(v.tableBox, [p.columns, p.rows]);
    if (Object.keys(p.chart).length > 0) drawSeries(v, time, p.chart);
    v.note.textContent = p.note || '';
  }
  function drawOthers(c, p, order) {
    const rows = [];
    for (const f of c.metrics) {
      if (claimed.has(f.name)) continue;
      for (const point of f.points) {
        const tags = Object.entries(point.tags).map(([k, v]) => k + '=' + v).join(', ');
        const value = f.kind === 'histogram' ? 'count ' + fmtInt(point.count) + ', mean ' + fmtRate(point.count > 0 ? point.value / point.count : undefined)
          : f.kind === 'counter' ? fmtInt(point.value) + ' (' + fmtRate(rate(c, p, f.name, t => JSON.stringify(t) === JSON.stringify(point.tags))) + ' /s)'
          : fmtRate(point.value);
        rows.push([f.name, f.unit, tags, value]);
      }
    }
    if (rows.length === 0) return;
    const v = view('others', 'Other instruments', order);
    v.section.classList.add('wide');
    drawTable(v.tableBox, [['Instrument', 'Unit', 'Tags', 'Value'], rows]);
  }

  function render(c, p) {
    for (const v of views.values()) v.seen = false;
    let order = 0;
    const server = c.panels || [];
    // Who serves what comes first (this silo, then the cluster's silos and partitions when clustered).
    const top = ['silos', 'cluster-silos', 'partitions'];
    for (const id of top) for (const sp of server.filter(x => x.id === id)) drawServerPanel(sp, order++, c.time);
    for (const def of PANELS) {
      order++;
      if (!def.always && !def.uses.some(n => has(c, n))) continue;
      const v = view(def.id, def.title, order);
      drawStats(v, def.stats(c, p));
      if (def.table) drawTable(v.tableBox, def.table(c));
      if (def.series) drawSeries(v, c.time, def.series(c, p));
      if (def.bars) drawBars(v, def.bars(c));
    }
    for (const sp of server.filter(x => !top.includes(x.id))) drawServerPanel(sp, ++order, c.time);
    drawOthers(c, p, ++order);
    for (const v of views.values()) if (!v.seen) v.section.hidden = true;
  }

  // ---- polling --------------------------------------------------------------------------------------------------------
  const status = document.getElementById('status');
  let refreshMs = 1000;
  async function tick() {
    try {
      const response = await fetch('data', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const current = index(await response.json());
      refreshMs = current.refreshMs || refreshMs;
      render(current, previous);
      previous = current;
      updates++;
      document.body.dataset.updates = String(updates);
      const silos = (current.panels || []).find(x => x.id === 'silos');
      if (silos && silos.rows.length === 1) {
        document.getElementById('silo-name').textContent = 'silo ' + silos.rows[0][0];
        status.textContent = silos.rows[0][1];
        status.className = 'status ' + (silos.rows[0][1] === 'Healthy' ? 'ok' : 'bad');
      } else {
        status.textContent = 'live';
        status.className = 'status ok';
      }
      document.getElementById('updated').textContent = 'updated ' + new Date(current.time).toLocaleTimeString();
    } catch (e) {
      status.textContent = 'no data: ' + e.message;
      status.className = 'status bad';
    }
    setTimeout(tick, refreshMs);
  }
  window.addEventListener('resize', () => { for (const v of views.values()) if (v.chart) v.chart.setSize({ width: width(v), height: 180 }); });
  tick();
})();
