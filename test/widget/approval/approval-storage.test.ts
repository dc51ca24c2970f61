import { expect } from '@open-wc/testing';
import { approvalPartFrom, approvalStorageKey, loadPendingApproval, savePendingApproval } from '../../../src/widget/state/approval-storage.js';
import type { ApprovalMessagePart } from '../../../src/widget/types.js';
import { MemoryStorage } from '../support/scripted-transport.js';

const part: ApprovalMessagePart = {
  kind: 'approval',
  run_id: 'run_1',
  approval_id: 'apr_1',
  tool_call_id: 'call_1',
  name: 'open_ticket',
  arguments: { subject: 'Refund' },
  reason: 'Sends the conversation to the team.',
  status: 'pending',
  host_decides: true,
};

describe('pending approval storage', () => {
  const key = approvalStorageKey('ic-support-chat:thread:/api/support', 'chat_a');

  it('round-trips what the decision needs, per endpoint and thread', () => {
    const storage = new MemoryStorage();
    savePendingApproval(storage, key, 'chat_a', part, 1000);
    expect(key).to.equal('ic-support-chat:thread:/api/support:pending-approval:chat_a');
    const record = loadPendingApproval(storage, key, 'chat_a')!;
    const { host_decides: _hostOnly, ...stored } = part;
    expect(approvalPartFrom(record)).to.deep.equal(stored);
    // Another thread's key finds nothing.
    expect(loadPendingApproval(storage, approvalStorageKey('ic-support-chat:thread:/api/support', 'chat_b'), 'chat_b')).to.equal(null);
  });

  it('refuses and clears corrupt, foreign or unsafe records instead of throwing', () => {
    const bad = [
      '{not json',
      'null',
      JSON.stringify({ v: 2, thread_id: 'chat_a', run_id: 'run_1', approval_id: 'apr_1', tool_call_id: 'c', name: 'x', created_at: 1 }),
      JSON.stringify({ v: 1, thread_id: 'chat_other', run_id: 'run_1', approval_id: 'apr_1', tool_call_id: 'c', name: 'x', created_at: 1 }),
      JSON.stringify({ v: 1, thread_id: 'chat_a', run_id: '../../evil', approval_id: 'apr_1', tool_call_id: 'c', name: 'x', created_at: 1 }),
      JSON.stringify({ v: 1, thread_id: 'chat_a', run_id: 'run_1', approval_id: 'apr_1', tool_call_id: 'c', name: 7, created_at: 1 }),
    ];
    for (const raw of bad) {
      const storage = new MemoryStorage();
      storage.setItem(key, raw);
      expect(loadPendingApproval(storage, key, 'chat_a'), raw).to.equal(null);
      expect(storage.getItem(key), raw).to.equal(null);
    }
  });

  it('survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    savePendingApproval(throwing, key, 'chat_a', part, 1);
    expect(loadPendingApproval(throwing, key, 'chat_a')).to.equal(null);
  });
});
