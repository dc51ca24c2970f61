// Scripted conversations the stories replay through MockTransport (no backend).
import type { ScriptedReply } from './mock-transport.js';

export const RESET_PASSWORD = `To reset your password:

1. Open **Settings → Account** in the Notably app.
2. Choose **Reset password**; we email you a link that works for 30 minutes.
3. Pick a new password of at least 12 characters.

If the email does not arrive, check your spam folder or see [Troubleshooting sign-in](https://example.com/help/sign-in).`;

export const LONG_MARKDOWN = `## Exporting your notes

You can export a notebook as **Markdown**, **PDF** or **HTML**. Large notebooks are exported in the
background and emailed to you as a link.

### From the command line

\`\`\`bash
notably export --notebook "Work" --format markdown --out ./export
\`\`\`

### With the API

\`\`\`ts
const res = await fetch('https://api.notably.example/v1/exports', {
  method: 'POST',
  headers: { Authorization: \`Bearer \${token}\` },
  body: JSON.stringify({ notebook: 'Work', format: 'pdf' }),
});
const { export_id } = await res.json();
\`\`\`

### Formats compared

| Format   | Images | Links kept | Max size |
|----------|:------:|:----------:|---------:|
| Markdown | yes    | yes        | 2 GB     |
| PDF      | yes    | no         | 500 MB   |
| HTML     | yes    | yes        | 1 GB     |

> **Tip:** exports keep your tags as front matter, so re-importing restores them.

- Exports older than 7 days are deleted.
- Shared notebooks export only the notes you can see.
- Use \`--since 2026-01-01\` to export recent changes only.`;

export const FALLBACK = `I could not find a help article about that. Would you like me to **open a ticket** so someone from the team gets back to you?`;

const ORDER = { order_id: 'A-10482', status: 'shipped', carrier: 'DHL', eta: '2026-03-14' };

/** Every scripted reply, matched by a word of the question. */
export const SCRIPT: ScriptedReply[] = [
  { match: 'password', text: RESET_PASSWORD },
  { match: 'export', text: LONG_MARKDOWN },
  {
    match: 'order',
    steps: [
      { text: 'Let me check that order.' },
      { tool: 'lookup_order', args: { order_id: 'A-10482' }, output: ORDER },
      { text: ' Order **A-10482** has shipped with DHL and should arrive on **14 March**.' },
    ],
  },
  {
    match: 'tracking',
    steps: [{ text: 'Looking it up…' }, { tool: 'lookup_order', args: { order_id: 'A-10482' }, running: true }],
  },
  {
    match: 'broken tool',
    steps: [
      { tool: 'lookup_order', args: { order_id: 'Z-0' }, output: { error: 'order_not_found' }, error: true },
      { text: 'I could not find order **Z-0**. Could you check the number on your receipt?' },
    ],
  },
  {
    match: 'ticket',
    steps: [
      { text: 'I can open a ticket for the billing team.' },
      {
        approval: 'open_ticket',
        args: { subject: 'Charged twice in March', priority: 'normal', email: 'sam@example.com' },
        reason: 'A person from billing will reply by email within one business day.',
        approved: [
          { tool: 'open_ticket', args: { subject: 'Charged twice in March' }, output: { ticket_id: 'T-2291' } },
          { text: 'Done: ticket **T-2291** is open. You will hear from billing by email.' },
        ],
        denied: [{ text: 'No problem, I did not open a ticket.' }],
      },
    ],
  },
  { match: 'offline', steps: [{ refuse: 'network' }] },
  { match: 'busy', steps: [{ refuse: { code: 'rate_limited', status: 429, message: 'Too many requests.', retryAfterMs: 30_000 } }] },
  { match: 'break', steps: [{ text: 'To invite your team, open **Settings → Members** and' }, { reconnect: true }] },
  { match: 'drop', steps: [{ text: 'Your invoice history is under **Billing → Invoices**, where you can' }, { interrupt: true }] },
  { match: 'moment', steps: [{ hold: true }] },
  { match: 'slow', steps: [{ text: 'Let me think about the best way to organise a large team workspace' }, { hold: true }] },
  { match: 'attached', text: 'Thanks, I can see the **screenshot** and the **receipt**. The charge on the receipt is the annual plan renewal.' },
  { text: FALLBACK },
];

/** A question per state, in English (the script matches these words). */
export const QUESTIONS = {
  password: 'How do I reset my password?',
  markdown: 'How do I export my notes?',
  toolDone: 'Where is my order A-10482?',
  toolRunning: 'What is the tracking status?',
  toolError: 'Try the broken tool for order Z-0',
  approval: 'Please open a ticket: I was charged twice.',
  network: 'Am I offline?',
  rateLimited: 'Are you busy?',
  interrupted: 'Where are my invoices? (the connection will drop)',
  reconnecting: 'How do I invite my team? (the connection will break)',
  streaming: 'Any tips for a slow, large workspace?',
  thinking: 'Give me a moment to think about my plan.',
  attachments: 'I attached a screenshot and my receipt.',
} as const;
