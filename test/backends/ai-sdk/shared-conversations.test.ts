// Two createAiSdkBackend instances, each behind its own real handler and HTTP server, sharing one
// conversation store (in memory, and on a real Redis), as two servers behind a load balancer do:
// a duplicate approval decision sent to both at once runs the tool exactly once, and two turns on
// one thread at once both end up in the history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSchema, tool, type ModelMessage } from 'ai';
import { createAiSdkBackend, InMemoryConversationStore, type ConversationKey, type ConversationStore, type StoredConversation } from '../../../src/backends/ai-sdk/index.js';
import { continueRun, startRun, type RunEvent, type RunEventOf } from '../../../src/protocol/index.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { createRedisStores } from '../../../src/stores/redis/index.js';
import { startSupport, type RunningSupport } from '../core/support-test-kit.js';
import { connectRedis, uniquePrefix } from '../../support/redis-server.js';
import { finish, promptSummary, scriptedModel, text, toolCall, type Script } from './ai-sdk-test-kit.js';

/**
 * Holds every `load` back until `n` of them are waiting, once armed: a slow store (as a remote one
 * is) seen by requests that arrive together, so both read the same version before either saves.
 */
class LoadGate {
  #needed = 0;
  #waiting: Array<() => void> = [];

  arm(n: number): void {
    this.#needed = n;
  }

  async pass(): Promise<void> {
    if (this.#needed === 0) return;
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      if (this.#waiting.length >= this.#needed) {
        this.#needed = 0;
        for (const go of this.#waiting.splice(0)) go();
      }
    });
  }

  /** One instance's view of the shared store, behind the gate. */
  wrap(store: ConversationStore): ConversationStore {
    return {
      load: async (key: ConversationKey) => {
        await this.pass();
        return store.load(key);
      },
      save: (key: ConversationKey, conversation: StoredConversation, expected: string | null) => store.save(key, conversation, expected),
      findPendingRun: (visitor: string, runId: string) => store.findPendingRun(visitor, runId),
    };
  }
}

type StoreSetup = () => Promise<{ stores: [ConversationStore, ConversationStore]; close(): Promise<void> }>;

const setups: Array<[string, StoreSetup]> = [
  [
    'memory',
    async () => {
      const shared = new InMemoryConversationStore();
      return { stores: [shared, shared], close: async () => {} };
    },
  ],
  [
    'Redis',
    async () => {
      const prefix = uniquePrefix();
      const [one, two] = await Promise.all([connectRedis(), connectRedis()]);
      return {
        stores: [createRedisStores({ client: one.client, prefix }).conversations, createRedisStores({ client: two.client, prefix }).conversations],
        close: async () => void (await Promise.all([one.close(), two.close()])),
      };
    },
  ],
];

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const as = { headers: { 'x-user': 'ada' } };
const identify = (request: Request) => {
  const user = request.headers.get('x-user');
  return user ? { user_id: user } : null;
};

function ticketTool(executed: string[]) {
  return {
    open_ticket: tool({
      description: 'Opens a support ticket',
      inputSchema: jsonSchema<{ subject: string }>({ type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] }),
      needsApproval: true,
      execute: async ({ subject }) => {
        executed.push(subject);
        return { ticket_id: 'T-1001' };
      },
    }),
  };
}

/** Two instances over one store; `scripts[i]` answers instance i's model calls. */
async function twoInstances(t: { after(fn: () => Promise<void>): void }, setup: StoreSetup, scripts: [Script[], Script[]], executed: string[]) {
  const { stores, close } = await setup();
  const gate = new LoadGate();
  const models = scripts.map((s) => scriptedModel(s));
  const servers: RunningSupport[] = [];
  t.after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await close();
  });
  for (const [i, model] of models.entries()) {
    const backend = createAiSdkBackend({ model, tools: ticketTool(executed), history: gate.wrap(stores[i]!), onError: () => {} });
    servers.push(await startSupport({ backend, identify }));
  }
  return { gate, models, endpoints: servers.map((s) => s.endpoint) as [string, string], history: stores[0]! };
}

const textOf = (events: RunEvent[]) =>
  events
    .filter((e): e is RunEventOf<'message.delta'> => e.type === 'message.delta')
    .map((e) => e.delta)
    .join('');

for (const [name, setup] of setups) {
  describe(`createAiSdkBackend on two instances sharing one store (${name})`, () => {
    it('runs the tool exactly once when one decision reaches both instances at once; the other is refused', async (t) => {
      const executed: string[] = [];
      const asks: Script = { parts: [toolCall('call_t', 'open_ticket', { subject: 'Invoice' }), finish('tool-calls')] };
      const answer = (who: string): Script => ({ parts: [...text(`Ticket opened (${who}).`), finish('stop')] });
      const { gate, endpoints } = await twoInstances(t, setup, [[asks, answer('A')], [answer('B')]], executed);

      const first = await collect(startRun(endpoints[0], { thread_id: 'chat_1', input: [{ role: 'user', content: 'Open a ticket' }], stream: true }, as));
      const asked = first.find((e): e is RunEventOf<'approval.requested'> => e.type === 'approval.requested')!;
      assert.ok(asked);

      gate.arm(2);
      const results = await Promise.allSettled(endpoints.map((endpoint) => collect(continueRun(endpoint, asked.run_id, asked.approval_id, { decision: 'approve' }, as))));
      assert.deepEqual(executed, ['Invoice'], 'the tool ran once');
      const won = results.filter((r): r is PromiseFulfilledResult<RunEvent[]> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.match(textOf(won[0]!.value), /^Ticket opened \([AB]\)\.$/);
      assert.ok(lost[0]!.reason instanceof ProtocolError);
      // 409 while the winner's continuation still runs; 404 once it finished and nothing waits any more.
      const refused = `${lost[0]!.reason.status} ${lost[0]!.reason.code}`;
      assert.ok(refused === '409 conflict' || refused === '404 not_found', refused);
    });

    it('keeps both turns when two arrive on one thread at once, on different instances', async (t) => {
      const { gate, models, endpoints, history } = await twoInstances(
        t,
        setup,
        [[{ parts: [...text('Answer A'), finish('stop')] }, { parts: [...text('Third'), finish('stop')] }], [{ parts: [...text('Answer B'), finish('stop')] }]],
        [],
      );
      const say = (endpoint: string, content: string) => collect(startRun(endpoint, { thread_id: 'chat_2', input: [{ role: 'user', content }], stream: true }, as));
      gate.arm(2);
      const [a, b] = await Promise.all([say(endpoints[0], 'Question A'), say(endpoints[1], 'Question B')]);
      assert.equal(textOf(a), 'Answer A');
      assert.equal(textOf(b), 'Answer B');
      // Both instances started from the same, empty, history.
      assert.deepEqual(promptSummary(models[0]!.doStreamCalls[0]!), ['user: Question A']);
      assert.deepEqual(promptSummary(models[1]!.doStreamCalls[0]!), ['user: Question B']);

      const stored = (await history.load({ visitor: 'user:ada', threadId: 'chat_2' }))!.conversation.messages;
      const said = (m: ModelMessage) => `${m.role}: ${typeof m.content === 'string' ? m.content : m.content.map((p) => ('text' in p ? p.text : p.type)).join(' ')}`;
      const lines = stored.map(said);
      assert.equal(lines.length, 4, lines.join(' | '));
      for (const turn of [
        ['user: Question A', 'assistant: Answer A'],
        ['user: Question B', 'assistant: Answer B'],
      ]) {
        const at = lines.indexOf(turn[0]!);
        assert.ok(at >= 0 && lines[at + 1] === turn[1], lines.join(' | '));
      }
      // The next turn, on either instance, sees all of it.
      await say(endpoints[0], 'And now?');
      assert.equal(promptSummary(models[0]!.doStreamCalls[1]!).length, 5);
    });
  });
}
