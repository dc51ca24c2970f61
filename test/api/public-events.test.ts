// The public events agree everywhere with their one declaration in src/widget/events.ts: the
// `@fires` docs in custom-elements.json (and so the README's reference, which `readme-api --check`
// compares with the manifest) name exactly the classes in each element's list, by name and class.
// The store forwarding, HTMLElementEventMap, the React props and the JSX/Vue maps are derived from
// the same lists (test/widget/api/public-events.test.ts checks the forwarding in a browser).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { supportChatEvents } from '../../src/react/index.js';
import { attachmentChipEventClasses, storeEventClasses, supportChatEventClasses } from '../../src/widget/events.js';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as {
  modules: { declarations?: { tagName?: string; events?: { name: string; type?: { text: string } }[] }[] }[];
};
const firedBy = (tag: string) =>
  (manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag)?.events ?? []).map((e) => `${e.name} ${e.type?.text ?? ''}`).sort();
const declared = (list: readonly { eventName: string; name: string }[]) => list.map((c) => `${c.eventName} ${c.name}`).sort();

describe('public events', () => {
  it('<ic-support-chat> documents (@fires) exactly the events in its list', () => {
    assert.deepEqual(firedBy('ic-support-chat'), declared(supportChatEventClasses));
  });

  it('<ic-attachment-chip> documents exactly the events in its list', () => {
    assert.deepEqual(firedBy('ic-attachment-chip'), declared(attachmentChipEventClasses));
  });

  it('each event is named once, `ic-` and kebab-case, and the store forwards only the chat’s own', () => {
    const names = [...supportChatEventClasses, ...attachmentChipEventClasses].map((c) => c.eventName);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.match(name, /^ic-[a-z]+(-[a-z]+)*$/);
    for (const c of storeEventClasses) assert.ok((supportChatEventClasses as readonly unknown[]).includes(c), c.eventName);
  });

  it('the React wrapper has one on… prop per event of the element, named after it', () => {
    assert.deepEqual(Object.values(supportChatEvents).sort(), supportChatEventClasses.map((c) => c.eventName).sort());
    assert.equal(supportChatEvents.onIcRunComplete, 'ic-run-complete');
    assert.equal(supportChatEvents.onIcApprovalRequest, 'ic-approval-request');
  });

  it('each event class makes a bubbling event of its name, composed unless it stays in its shadow root', () => {
    for (const EventClass of [...supportChatEventClasses, ...attachmentChipEventClasses]) {
      const event = new EventClass({} as never);
      assert.equal(event.type, EventClass.eventName);
      assert.equal(event.bubbles, true);
      assert.equal(event.composed, EventClass.eventName !== 'ic-attachment-remove');
    }
  });
});
