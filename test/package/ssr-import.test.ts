// Importing the package on a server (SSR, Node) must not throw, and our modules must not touch the
// DOM at module load (no window, document or Web Storage). The globals stay undefined, as in plain
// Node, but every read is recorded with its caller: libraries may check for them (Lit reads
// `globalThis.document` to see whether it runs on a server), our own source may not.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const touched: string[] = [];
for (const name of ['window', 'document', 'localStorage', 'sessionStorage']) {
  assert.equal(name in globalThis, false, `${name} exists in plain Node`);
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      const caller =
        (new Error().stack ?? '')
          .split('\n')
          .slice(2)
          .find((line) => !line.includes('node:internal')) ?? '';
      if (!caller.includes('node_modules')) touched.push(`${name} read by ${caller.trim()}`);
      return undefined;
    },
  });
}

test('the main entry imports in Node without a DOM and exports the element classes', async () => {
  const mod = await import('../../src/index.js');
  assert.equal(typeof mod.IcSupportChat, 'function');
  assert.equal(typeof mod.ChatStore, 'function');
  assert.deepEqual(touched, []);
});

test('the React wrapper imports in Node and renders the tag on the server', async () => {
  const { IcSupportChat } = await import('../../src/react/index.js');
  const React = await import('react');
  const { renderToString } = await import('react-dom/server');
  const markup = renderToString(React.createElement(IcSupportChat, { endpoint: '/api/support', heading: 'Help' }));
  assert.match(markup, /^<ic-support-chat[\s>]/);
  assert.deepEqual(touched, []);
});

test('the lazy entry and the protocol entry import in Node', async () => {
  const lazy = await import('../../src/lazy.js');
  assert.equal(typeof lazy.IcSupportChatLazy, 'function');
  const protocol = await import('../../src/protocol/index.js');
  assert.equal(typeof protocol, 'object');
  assert.deepEqual(touched, []);
});
