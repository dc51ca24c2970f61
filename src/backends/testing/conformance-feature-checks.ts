/**
 * The checks of what an endpoint offers beyond answering, each skipped unless `POST /session`
 * announces it: resumable runs and idempotent sends (`features.resume`), ratings
 * (`features.feedback`), "Talk to a person" (`features.handoff`) and past conversations
 * (`features.threads`, signed-in visitors only). Hand-off files a real request wherever it goes:
 * run the kit against a test deployment, not the one your support team answers.
 */
import { isRecord } from '../internal/helpers.js';
import { ConformanceError, expect, expectError, type ConformanceVisitor, type SeenEvent } from './conformance-client.js';
import {
  checkRunEvents,
  completedRun,
  describe,
  expectCompleted,
  type ConformanceCheck,
  type ConformanceEnvironment,
  type ConformanceOptions,
  type Skipped,
} from './conformance-checks.js';

/** The `features` object `POST /session` answers this visitor (empty when there is none). */
async function featuresOf(visitor: ConformanceVisitor): Promise<Record<string, unknown>> {
  const reply = await visitor.json('/session');
  expect(reply.status === 200, `POST /session answered ${reply.status}, not 200.`);
  const features = isRecord(reply.body) ? reply.body['features'] : undefined;
  return isRecord(features) ? features : {};
}

const notOffered = (feature: string, who = ''): Skipped => ({ skipped: `POST /session does not announce features.${feature}${who}` });
const enc = encodeURIComponent;
/** A name no earlier run of the kit used: the endpoint may keep state between runs. */
const fresh = (name: string) => `conformance_${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
/** What a replayed event must repeat: its name, id and data. */
const same = (a: SeenEvent, b: SeenEvent) => a.event === b.event && a.id === b.id && JSON.stringify(a.data) === JSON.stringify(b.data);

/** Fails unless `got` is exactly `want`, event for event, saying where they part. */
function expectReplay(got: SeenEvent[], want: SeenEvent[], what: string): void {
  const at = want.findIndex((e, i) => !got[i] || !same(got[i]!, e));
  if (at === -1) {
    expect(got.length === want.length, `${what}: ${got.length} events, not the ${want.length} expected.`);
    return;
  }
  const [w, g] = [want[at]!, got[at]];
  throw new ConformanceError(`${what}: expected the event with id ${String(w.id)} (${w.event}), got ${g ? `id ${String(g.id)} (${g.event}) or different data` : 'nothing'}.`);
}

export function featureChecks(env: ConformanceEnvironment, options: ConformanceOptions = {}): ConformanceCheck[] {
  const prompt = options.prompt ?? 'Hello, can you help me?';
  const check = (name: string, run: () => Promise<void | Skipped>): ConformanceCheck => ({ name, run });

  return [
    check('resume: frames carry ids 1, 2, 3…; GET /runs/{id}/events replays what follows Last-Event-ID or ?after=, 204 at the end', async () => {
      const owner = env.visitor();
      if ((await featuresOf(owner))['resume'] !== true) return notOffered('resume');
      const threadId = fresh('resume');
      const { runId, events } = await completedRun(owner, prompt, threadId);
      events.forEach((e, i) => expect(e.id === String(i + 1), `POST /runs (features.resume): ${describe(e, i)} has id ${JSON.stringify(e.id)}, not "${i + 1}".`));
      const path = `/runs/${enc(runId)}/events`;
      for (const after of new Set([0, 1, events.length - 1])) {
        const what = `GET ${path} with Last-Event-ID: ${after}`;
        expectReplay(await owner.events(await owner.request(path, { method: 'GET', headers: { 'Last-Event-ID': String(after) } }), what), events.slice(after), what);
      }
      const query = `GET ${path}?after=1`;
      expectReplay(await owner.events(await owner.request(`${path}?after=1`, { method: 'GET' }), query), events.slice(1), query);
      const end = await owner.request(`${path}?after=${events.length}`, { method: 'GET' });
      await end.body?.cancel();
      expect(end.status === 204, `GET ${path}?after=${events.length} (the last id) answered ${end.status}, not 204.`);
      expectError(await owner.reply(`${path}?after=one`, undefined, 'GET'), 400, 'invalid_request', `GET ${path}?after=one`);
      const other = env.visitor();
      await other.json('/session');
      expectError(await other.reply(path, undefined, 'GET'), 404, 'not_found', `GET ${path} by another visitor`);
      expectError(await owner.reply('/runs/run_does_not_exist/events', undefined, 'GET'), 404, 'not_found', 'GET /runs/<unknown id>/events');
    }),

    check('resume: POST /runs sent again with its Idempotency-Key answers the same run; the key with another message is 422', async () => {
      const owner = env.visitor();
      if ((await featuresOf(owner))['resume'] !== true) return notOffered('resume');
      const key = fresh('key');
      const body = (content: string) => ({ thread_id: 'conformance_idempotent', input: [{ role: 'user', content }], stream: true });
      const send = async (visitor: ConformanceVisitor, content: string, what: string) =>
        visitor.events(await visitor.request('/runs', { body: body(content), headers: { 'Idempotency-Key': key } }), what);
      const first = await send(owner, prompt, 'POST /runs with an Idempotency-Key');
      const { runId, terminal } = checkRunEvents(first, 'POST /runs with an Idempotency-Key', { started: true, threadId: 'conformance_idempotent' });
      expectCompleted(terminal, 'POST /runs with an Idempotency-Key');
      const again = await send(owner, prompt, 'POST /runs again with the same key');
      expect(again[0]?.data['run_id'] === runId, `POST /runs again with the same Idempotency-Key started run ${String(again[0]?.data['run_id'])}, not the same run ${runId}.`);
      expectReplay(again, first, 'POST /runs again with the same key (the run replayed)');
      const conflict = await owner.reply('/runs', body(`${prompt} (a different message)`), undefined, { 'Idempotency-Key': key });
      expectError(conflict, 422, 'idempotency_conflict', 'POST /runs with that key and another message');
      // Keys are the visitor's own: the same key from someone else is a new turn of theirs.
      const other = env.visitor();
      const theirs = await send(other, prompt, "another visitor's POST /runs with that key");
      expect(theirs[0]?.data['run_id'] !== runId, "Another visitor's POST /runs with the same Idempotency-Key got the first visitor's run.");
    }),

    check('feedback: the owner rates a reply (and changes the rating); another visitor’s or an unknown run is 404, bad bodies 400 / 413', async () => {
      const owner = env.visitor();
      if ((await featuresOf(owner))['feedback'] !== true) return notOffered('feedback');
      const { runId } = await completedRun(owner, prompt, fresh('feedback'));
      const path = `/runs/${enc(runId)}/feedback`;
      for (const rating of [{ rating: 'down', reasons: ['unclear'], comment: 'Conformance check, please ignore.' }, { rating: 'up' }]) {
        const reply = await owner.json(path, rating);
        expect(reply.status === 200, `POST ${path} ${JSON.stringify(rating)} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        const saved = reply.body;
        expect(
          isRecord(saved) && saved['v'] === 1 && saved['run_id'] === runId && saved['saved'] === true,
          `POST ${path}: expected {"v":1,"run_id":"${runId}","saved":true}, got ${JSON.stringify(saved)}.`,
        );
      }
      expectError(await owner.reply(path, { rating: 'meh' }), 400, 'invalid_request', `POST ${path} with rating "meh"`);
      expectError(await owner.reply(path, { rating: 'down', reasons: ['Not A Code!'] }), 400, 'invalid_request', `POST ${path} with a reason that is not a short code`);
      expectError(await owner.reply(path, { rating: 'down', comment: 'x'.repeat(2001) }), 413, 'payload_too_large', `POST ${path} with a 2,001-character comment`);
      const other = env.visitor();
      await other.json('/session');
      expectError(await other.reply(path, { rating: 'down' }), 404, 'not_found', `POST ${path} by another visitor`);
      expectError(await owner.reply('/runs/run_does_not_exist/feedback', { rating: 'up' }), 404, 'not_found', 'POST /runs/<unknown id>/feedback');
    }),

    check('handoff: a thread the visitor had a turn in is handed over with a reference; strangers 404, bad addresses 400, long messages 413', async () => {
      const owner = env.visitor();
      const features = await featuresOf(owner);
      if (features['handoff'] !== true) return notOffered('handoff');
      const threadId = fresh('handoff');
      await completedRun(owner, prompt, threadId);
      const reply = await owner.json('/handoff', { thread_id: threadId, email: 'conformance@example.com', message: 'Conformance check, please ignore.' });
      expect(reply.status === 200, `POST /handoff answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      const body = reply.body;
      expect(isRecord(body) && body['v'] === 1 && body['thread_id'] === threadId, `POST /handoff: expected {"v":1,"thread_id":"${threadId}",…}, got ${JSON.stringify(body)}.`);
      const handoff = body['handoff'];
      expect(
        isRecord(handoff) && typeof handoff['reference'] === 'string' && handoff['reference'].length >= 1 && handoff['reference'].length <= 64,
        `POST /handoff: handoff.reference must be a string of 1 to 64 characters, got ${JSON.stringify(isRecord(handoff) ? handoff['reference'] : handoff)}.`,
      );
      expectError(await owner.reply('/handoff', { thread_id: threadId, email: 'not an address' }), 400, 'invalid_request', 'POST /handoff with "not an address"');
      expectError(
        await owner.reply('/handoff', { thread_id: threadId, email: 'conformance@example.com', message: 'x'.repeat(2001) }),
        413,
        'payload_too_large',
        'POST /handoff with a 2,001-character message',
      );
      expectError(await owner.reply('/handoff', { email: 'conformance@example.com' }), 400, 'invalid_request', 'POST /handoff without thread_id');
      expectError(
        await owner.reply('/handoff', { thread_id: fresh('never_used'), email: 'conformance@example.com' }),
        404,
        'not_found',
        'POST /handoff for a thread the visitor never had a turn in',
      );
      const other = env.visitor();
      const otherSession = (await other.json('/session')).body;
      expectError(await other.reply('/handoff', { thread_id: threadId, email: 'conformance@example.com' }), 404, 'not_found', "POST /handoff for another visitor's thread");
      if (isRecord(otherSession) && isRecord(otherSession['visitor']) && otherSession['visitor']['kind'] === 'anonymous') {
        await completedRun(other, prompt, threadId);
        expectError(await other.reply('/handoff', { thread_id: threadId }), 400, 'invalid_request', 'POST /handoff without an address from an anonymous visitor');
      }
    }),

    check('threads: a signed-in visitor’s conversation is listed, read back and deleted; another account’s is 404, an anonymous visitor 403', async () => {
      if (!options.signIn) return { skipped: 'no signIn given (past conversations are for signed-in visitors)' };
      const ada = env.visitor(fresh('ada'));
      if ((await featuresOf(ada))['threads'] !== true) return notOffered('threads', ' to a signed-in visitor');
      const threadId = fresh('threads');
      await completedRun(ada, prompt, threadId);
      const listed = async () => {
        const list = await ada.json('/threads', undefined, 'GET');
        expect(list.status === 200, `GET /threads answered ${list.status}: ${JSON.stringify(list.body)}`);
        const threads = isRecord(list.body) && list.body['v'] === 1 ? list.body['threads'] : undefined;
        expect(Array.isArray(threads), `GET /threads: expected {"v":1,"threads":[…]}, got ${JSON.stringify(list.body)}.`);
        return threads.find((t) => isRecord(t) && t['thread_id'] === threadId) as Record<string, unknown> | undefined;
      };
      const entry = await listed();
      expect(entry, `GET /threads does not list the thread ${threadId} the visitor just had a turn in.`);
      expect(
        typeof entry['title'] === 'string' && entry['title'].length <= 80 && prompt.startsWith(entry['title'].replace(/…$/, '')),
        `GET /threads: the title ${JSON.stringify(entry['title'])} is not the first question (at most 80 characters).`,
      );
      for (const date of ['created_at', 'updated_at'])
        expect(typeof entry[date] === 'string' && !Number.isNaN(Date.parse(entry[date])), `GET /threads: ${date} is not an ISO 8601 date.`);

      const path = `/threads/${enc(threadId)}`;
      const read = await ada.json(path, undefined, 'GET');
      expect(read.status === 200, `GET ${path} answered ${read.status}: ${JSON.stringify(read.body)}`);
      const messages = isRecord(read.body) ? read.body['messages'] : undefined;
      expect(
        Array.isArray(messages) && messages.every((m) => isRecord(m) && (m['role'] === 'user' || m['role'] === 'assistant') && typeof m['text'] === 'string'),
        `GET ${path}: messages must be a list of {role, text}.`,
      );
      expect(isRecord(messages[0]) && messages[0]['role'] === 'user' && String(messages[0]['text']).includes(prompt), `GET ${path}: the first message is not the question asked.`);
      expect(
        messages.some((m) => isRecord(m) && m['role'] === 'assistant'),
        `GET ${path}: the reply is not among the messages.`,
      );

      const bob = env.visitor(fresh('bob'));
      await bob.json('/session');
      expectError(await bob.reply(path, undefined, 'GET'), 404, 'not_found', `GET ${path} by another account`);
      expectError(await bob.reply(path, undefined, 'DELETE'), 404, 'not_found', `DELETE ${path} by another account`);
      const anonymous = env.visitor();
      await anonymous.json('/session');
      expectError(await anonymous.reply('/threads', undefined, 'GET'), 403, 'forbidden', 'GET /threads by an anonymous visitor');

      const deleted = await ada.request(path, { method: 'DELETE' });
      await deleted.body?.cancel();
      expect(deleted.status === 204, `DELETE ${path} answered ${deleted.status}, not 204.`);
      expectError(await ada.reply(path, undefined, 'GET'), 404, 'not_found', `GET ${path} after DELETE`);
      expect(!(await listed()), `GET /threads still lists ${threadId} after DELETE.`);
    }),
  ];
}
