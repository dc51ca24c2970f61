// Profiling aid for the Markdown bench (BENCH_MARKDOWN_PROFILE=1): a CDP CPU profile and a Chromium
// trace of one streamed run, summarised as the top self-time functions (mapped through the bundle's
// source map to src/ names) and the trace's main-thread self time per category (scripting,
// rendering, painting, …). Never part of the measured numbers: it runs separately, after them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

/** Main-thread trace event names by category (as DevTools' Performance panel groups them). */
const CATEGORY = {
  scripting: [
    'FunctionCall',
    'EvaluateScript',
    'v8.compile',
    'v8.compileModule',
    'v8.evaluateModule',
    'TimerFire',
    'EventDispatch',
    'FireAnimationFrame',
    'RunMicrotasks',
    'v8.run',
    'V8.GCScavenger',
    'MinorGC',
    'MajorGC',
    'V8.GC_MC_BACKGROUND',
    'BlinkGC.AtomicPhase',
    'ThreadState::performIdleLazySweep',
    'GCEvent',
    'CppGC.IncrementalSweep',
    'v8.callFunction',
    'FireIdleCallback',
    'XHRReadyStateChange',
    'ResourceReceivedData',
    'ResourceFinish',
    'ParseHTML',
    'ResizeObserver',
    'V8.GC_SCAVENGER',
    'MajorGCReason',
    'ScheduleStyleRecalculation',
    'InvalidateLayout',
  ],
  rendering: [
    'UpdateLayoutTree',
    'RecalculateStyles',
    'Layout',
    'UpdateLayerTree',
    'HitTest',
    'PrePaint',
    'IntersectionObserverController::computeIntersections',
    'Layerize',
    'LayoutShift',
  ],
  painting: ['Paint', 'PaintImage', 'CompositeLayers', 'Commit', 'RasterTask', 'Decode Image', 'PaintSetup', 'UpdateLayer'],
};
const CATEGORY_OF = new Map(Object.entries(CATEGORY).flatMap(([cat, names]) => names.map((n) => [n, cat])));

/** Self time (ms) per event name on the renderer's main thread, nesting by timestamps. */
export function traceSelfTimes(trace) {
  const events = JSON.parse(trace.toString()).traceEvents ?? [];
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const complete = [];
  const open = new Map();
  for (const e of events) {
    if (!main.has(`${e.pid}:${e.tid}`)) continue;
    if (e.ph === 'X' && e.dur !== undefined) complete.push({ name: e.name, ts: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') (open.get(e.name) ?? open.set(e.name, []).get(e.name)).push(e.ts);
    else if (e.ph === 'E') {
      const ts = open.get(e.name)?.pop();
      if (ts !== undefined) complete.push({ name: e.name, ts, end: e.ts });
    }
  }
  complete.sort((a, b) => a.ts - b.ts || b.end - a.end);
  const self = new Map();
  const stack = [];
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) stack.pop();
  };
  for (const ev of complete) {
    close(ev.ts);
    const parent = stack.at(-1);
    const dur = ev.end - ev.ts;
    self.set(ev.name, (self.get(ev.name) ?? 0) + dur);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - dur);
    stack.push(ev);
  }
  const byName = [...self]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .filter((x) => x.ms > 0.05)
    .sort((a, b) => b.ms - a.ms);
  const categories = {};
  for (const { name, ms } of byName) {
    const cat = name === 'RunTask' || name === 'ThreadControllerImpl::RunTask' ? 'other (task overhead)' : (CATEGORY_OF.get(name) ?? 'other');
    categories[cat] = (categories[cat] ?? 0) + ms;
  }
  return { byName, categories };
}

/** Top self-time functions of a CDP CPU profile, positions mapped through `maps` (url → TraceMap). */
export function profileSelfTimes(profile, maps) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const agg = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    let label = f.functionName || '(anonymous)';
    let where = f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const map = maps.get(f.url);
    if (map && f.lineNumber >= 0) {
      const pos = originalPositionFor(map, { line: f.lineNumber + 1, column: f.columnNumber });
      if (pos.source) {
        where = `${pos.source.replace(/^.*?(src\/|node_modules\/)/, '$1')}:${pos.line}`;
        if (pos.name) label = pos.name;
      }
    }
    const key = `${label} ${where}`;
    agg.set(key, (agg.get(key) ?? 0) + us);
  }
  const total = [...agg.values()].reduce((a, b) => a + b, 0);
  return { totalMs: total / 1000, top: [...agg].map(([fn, us]) => ({ fn, ms: us / 1000 })).sort((a, b) => b.ms - a.ms) };
}

/** Source maps of the scripts the page loaded from the bench server (dist/*.js.map). */
export function loadMaps(root, port) {
  const maps = new Map();
  const file = join(root, 'dist', 'ic-support-chat.min.js.map');
  if (existsSync(file)) maps.set(`http://127.0.0.1:${port}/ic-support-chat.min.js`, new TraceMap(readFileSync(file, 'utf8')));
  return maps;
}

/** Writes the profile and trace to /tmp and logs the summaries. */
export function report({ label, profile, trace, maps, mainMs, log, top = 30 }) {
  const base = `/tmp/ic-markdown-${label}`;
  if (profile) writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
  writeFileSync(`${base}.trace.json`, trace);
  const p = profile ? profileSelfTimes(profile, maps) : { totalMs: 0, top: [] };
  const t = traceSelfTimes(trace);
  log(`profile ${label}: main-thread TaskDuration ${mainMs.toFixed(1)} ms; CPU profile ${p.totalMs.toFixed(1)} ms sampled; wrote ${base}.cpuprofile and ${base}.trace.json`);
  log(
    'trace main-thread self time by category (ms):',
    Object.fromEntries(
      Object.entries(t.categories)
        .map(([k, v]) => [k, Math.round(v * 10) / 10])
        .sort((a, b) => b[1] - a[1]),
    ),
  );
  log('trace main-thread self time by event (top 20):');
  for (const { name, ms } of t.byName.slice(0, 20)) log(`  ${ms.toFixed(1).padStart(8)}  ${name}`);
  log(`CPU profile top ${top} self time:`);
  for (const { fn, ms } of p.top.slice(0, top)) log(`  ${ms.toFixed(1).padStart(8)}  ${fn}`);
  return { profile: p, trace: t };
}
