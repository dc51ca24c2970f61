// Writes the latest `npm run bench` numbers (bench/results.json) into README.md between the
// `<!-- bench:start -->` and `<!-- bench:end -->` markers. `npm run bench` calls it after each run.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${root}README.md`;
const results = JSON.parse(readFileSync(`${root}bench/results.json`, 'utf8'));

const kb = (bytes) => (bytes == null ? '–' : `${(bytes / 1024).toFixed(1)} KB`);
const ms = (v) => (v == null ? '–' : `${Number(v).toFixed(v < 10 ? 2 : 1)} ms`);
const day = (iso) => (iso ? iso.slice(0, 10) : '–');

function budgetsTable() {
  const rows = [];
  for (const [section, data] of Object.entries(results)) {
    for (const b of data?.budgets ?? []) {
      rows.push(`| ${section} | ${b.name} | ${b.value}${b.unit ?? ''} | ≤ ${b.limit}${b.unit ?? ''} | ${b.pass ? 'PASS' : '**FAIL**'} |`);
    }
  }
  return ['| section | budget | measured | limit | |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function bundleTable() {
  const b = results.bundle;
  const l = results.launcher;
  const lines = ['| what | raw | gzip | brotli |', '| --- | --- | --- | --- |'];
  if (b?.fullFeatureSetGzipBytes) {
    lines.push(
      `| standalone, full feature set: \`${b.file}\` plus its feature chunks (measured ${day(b.measuredAt)}) | ${kb(b.fullFeatureSetRawBytes)} | ${kb(b.fullFeatureSetGzipBytes)} | |`,
    );
  }
  if (b) lines.push(`| \`${b.file}\` alone | ${kb(b.rawBytes)} | ${kb(b.gzipBytes)} | ${kb(b.brotliBytes)} |`);
  if (l) {
    lines.push(`| launcher mode, up to the page's load | | ${kb(l.launcher_first_load_gzip_bytes)} | |`);
    if (l.quick_panel_after_load_gzip_bytes != null) lines.push(`| launcher mode, right after load (quick panel) | | ${kb(l.quick_panel_after_load_gzip_bytes)} | |`);
    lines.push(`| launcher mode, when idle or on hover/focus/press (full chat) | | ${kb(l.panel_on_open_gzip_bytes)} | |`);
  }
  const o = l?.open;
  if (o?.prefetched && o?.cold) {
    lines.push(
      '',
      `Launcher click → focused message box / full chat ready, in Chromium at ${o.profile.cpuSlowdown}× CPU slowdown on a ${o.profile.downloadKbps / 1000} Mbps / ${o.profile.latencyMs} ms link (gzip, empty cache, median of ${o.runs}): ${o.prefetched.composer_ms} / ${o.prefetched.full_chat_ms} ms after the idle prefetch, ${o.cold.composer_ms} / ${o.cold.full_chat_ms} ms cold.`,
    );
  }
  if (b?.parts?.length) {
    lines.push('', `What the full feature set is made of (gzip, marginal within each file: what leaving the part out would save, so parts sum to less than the whole):`, '');
    lines.push('| part | raw | gzip |', '| --- | --- | --- |');
    for (const p of b.parts) lines.push(`| ${p.part} | ${kb(p.rawBytes)} | ${kb(p.gzipBytes)} |`);
  }
  if (b?.onDemandChunks?.length) {
    const features = b.onDemandChunks.filter((c) => c.feature);
    const options = b.onDemandChunks.filter((c) => !c.feature);
    const total = (chunks) => kb(chunks.reduce((sum, c) => sum + c.gzipBytes, 0));
    lines.push(
      '',
      `On demand, from \`dist/chunks/\`: ${features.length} feature chunk(s), ${total(features)} gzip (the parts only some conversations show: ` +
        'tool calls and approvals, attachments, the image viewer, the header menu, reply tools and feedback, run resumption, the transcript), ' +
        'loaded on first use and prefetched when the browser is idle after the chat first renders, so counted in the full feature set; ' +
        `${options.length} option chunk(s), ${total(options)} gzip in all (another language's strings, the AI SDK transport), loaded only when configured and not counted.`,
    );
  }
  return lines.join('\n');
}

function markdownTable() {
  const m = results.markdown;
  if (!m?.sizes) return '';
  const lines = [
    `Streaming ${m.deltas} deltas through the real element over a real SSE stream (measured ${day(m.measuredAt)}, main-thread time in Chromium):`,
    '',
    '| reply | one-shot render | streamed, paced over 5 s | ratio | paced, reader following the end | ratio | streamed, burst | ratio | longest render frame (median run / worst run) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [size, s] of Object.entries(m.sizes)) {
    const following = s.followingMainMs == null ? '– | –' : `${ms(s.followingMainMs)} | ${s.followingRatio}×`;
    lines.push(
      `| ${size.replace('KB', ' KB')} | ${ms(s.oneShotMainMs)} | ${ms(s.pacedMainMs)} | ${s.pacedRatio}× | ${following} | ${ms(s.burstMainMs)} | ${s.burstRatio}× | ${ms(s.maxRenderFrameMs)}${s.worstRenderFrameMs != null ? ` / ${ms(s.worstRenderFrameMs)}` : ''} |`,
    );
  }
  lines.push(
    '',
    'Paced: as the widget shows a reply, the question at the top and the reply growing below the view, whose out-of-sight end is redrawn twice a second (the budgeted figure). Following the end: the reader goes to the end as soon as the reply outgrows the view and stays there, so it is redrawn up to ten times a second (reported).',
  );
  return lines.join('\n');
}

function proxyTable() {
  const p = results.proxy;
  if (!p?.loads) return '';
  const lines = [
    `Ingram proxy against the emulator on loopback (measured ${day(p.measuredAt)}; the proxy on one core, emulator and clients on the other):`,
    '',
    '| load | stores | all streams held open | complete, in order | added latency per delta p50 / p99 | CPU per delta | memory per open stream |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const l of p.loads) {
    const held = l.proxy?.maxOpen >= l.streams ? 'yes' : `no (at most ${l.proxy?.maxOpen})`;
    const added = l.addedLatencyMs?.p50 == null ? '–' : `${ms(l.addedLatencyMs.p50)} / ${ms(l.addedLatencyMs.p99)}`;
    const cpu = l.proxyCpuMicrosPerDelta == null ? '–' : `${Math.round(l.proxyCpuMicrosPerDelta)} µs`;
    const stores = l.stores === 'redis' ? 'Redis' : 'memory';
    lines.push(
      `| ${l.streams} streams × ${l.deltasPerSecondPerStream} deltas/s | ${stores} | ${held} | ${l.complete ? 'yes' : 'no'} | ${added} | ${cpu} | ${kb(l.proxyBytesPerOpenStream)} |`,
    );
  }
  const control = p.loads.find((l) => l.controlStreams)?.controlStreams;
  if (control)
    lines.push(
      '',
      `Added latency: through the proxy minus a control group of ${control} streams read straight from the emulator at the same time; a budgeted row is the median of its rounds.`,
    );
  return lines.join('\n');
}

const m = results.machine ?? {};
const body = [
  '<!-- Generated by `npm run bench` (scripts/readme-bench.mjs) from bench/results.json. -->',
  `Latest run: ${day(results.updatedAt)}, ${m.cpus ?? '?'} × ${m.cpu ?? '?'}, Node ${m.node ?? '?'}.`,
  '',
  budgetsTable(),
  '',
  bundleTable(),
  '',
  markdownTable(),
  '',
  proxyTable(),
]
  .filter((part, i, all) => !(part === '' && all[i - 1] === ''))
  .join('\n');

const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
if (a < 0 || b < a) {
  console.error(`README.md has no ${start} … ${end} section`);
  process.exit(1);
}
writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${body}\n${readme.slice(b)}`);
console.log('README.md: benchmark section updated');
