// A reply's sources and rating survive a reload (kept with the transcript), and what comes back
// from storage is checked again like the wire.
import { expect } from '@open-wc/testing';
import { parseTranscript, serializeTranscript } from '../../../src/widget/state/transcript-storage.js';
import type { ChatMessage } from '../../../src/widget/types.js';

describe('transcript storage: sources and feedback', () => {
  it('keeps sources and the rating; drops malformed ones', () => {
    const reply: ChatMessage = {
      id: 'a',
      role: 'assistant',
      status: 'complete',
      created_at: 1,
      run_id: 'run_1',
      parts: [{ kind: 'text', text: 'Answer' }],
      sources: [{ title: 'Refunds', url: 'https://help.example.com/refunds', snippet: 'Within 30 days' }],
      feedback: { rating: 'down', reasons: ['incorrect'] },
    };
    const raw = serializeTranscript('t1', [{ id: 'u', role: 'user', status: 'complete', created_at: 0, parts: [{ kind: 'text', text: 'Q' }] }, reply], 2)!;
    const restored = parseTranscript(raw)!.messages[1]!;
    expect(restored.sources).to.deep.equal(reply.sources);
    expect(restored.feedback).to.deep.equal({ rating: 'down' });

    const tampered = JSON.parse(raw) as { messages: Record<string, unknown>[] };
    tampered.messages[1]!['sources'] = [{ title: 'x' }, 'https://a.example', { title: 'ok', url: 'https://ok.example', onclick: 'x' }];
    tampered.messages[1]!['feedback'] = { rating: 'meh' };
    const parsed = parseTranscript(JSON.stringify(tampered))!.messages[1]!;
    expect(parsed.sources).to.deep.equal([{ title: 'ok', url: 'https://ok.example' }]);
    expect(parsed.feedback).to.equal(undefined);
  });
});
