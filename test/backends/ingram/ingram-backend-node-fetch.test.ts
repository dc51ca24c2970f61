// The Ingram backend suite again, with `createNodeFetch` (ic-support-chat/node) as the upstream
// transport instead of the built-in fetch: the same security and lifecycle properties must hold.
process.env['IC_TEST_UPSTREAM_FETCH'] = 'node';
await import('./ingram-backend.test.js');
