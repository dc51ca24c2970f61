import { expect } from '@open-wc/testing';

interface FrameResult {
  html: string;
  coloured: boolean;
  enforced: boolean;
  violations: string[];
  error?: string;
}

/**
 * Loads the renderer in a frame whose CSP enforces Trusted Types with the given allowed policy
 * names, then renders and streams Markdown there (raw HTML, a named character reference and a
 * highlighted code block included).
 */
function runInTrustedTypesFrame(policies: string): Promise<FrameResult> {
  // The module's full URL: WebKit does not resolve a path against a srcdoc frame's inherited base URL.
  const frame = document.createElement('iframe');
  const csp = `require-trusted-types-for 'script'; trusted-types ${policies}`;
  frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}">
<div id="out"></div>
<script type="module">
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
  try {
    const { StreamingMarkdown, renderMarkdown } = await import('${location.origin}/src/widget/markdown/streaming-markdown.ts');
    const text = '# Hi\\n\\n<b>raw</b> **md** <img src=x onerror=alert(1)> &copy;\\n\\n\`\`\`js\\nx\\n\`\`\`\\n';
    const highlight = () => '<span class="hl-kw">x</span>\\n';
    const out = document.getElementById('out');
    const md = new StreamingMarkdown(out, { highlight: () => highlight });
    for (const ch of text) { md.append(ch); md.flushFrame(); }
    md.finish();
    const once = document.createElement('div');
    once.append(renderMarkdown(text, { highlight: () => highlight }));
    await new Promise((r) => setTimeout(r, 50));
    // Only now (violations are reported asynchronously): does the frame enforce Trusted Types at all?
    const seen = violations.slice();
    let enforced = false;
    try { document.createElement('div').innerHTML = '<b>x</b>'; } catch { enforced = true; }
    const coloured = !!out.querySelector('code span.hl-kw');
    parent.postMessage({ tt: true, html: out.innerHTML === once.innerHTML ? out.innerHTML : 'MISMATCH', coloured, enforced, violations: seen }, '*');
  } catch (e) {
    parent.postMessage({ tt: true, html: '', coloured: false, enforced: true, violations, error: String(e) }, '*');
  }
</script>`;
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      if (!e.data?.tt) return;
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve(e.data as FrameResult);
    };
    window.addEventListener('message', onMessage);
    document.body.append(frame);
  });
}

describe('Trusted Types', () => {
  it('renders under require-trusted-types-for with only the ic-support-chat policy allowed', async () => {
    const result = await runInTrustedTypesFrame('ic-support-chat');
    expect(result.enforced, 'the frame enforces Trusted Types').to.equal(true);
    expect(result.error).to.equal(undefined);
    expect(result.violations).to.deep.equal([]);
    expect(result.html).to.contain('<strong>md</strong>');
    expect(result.html).to.contain('<b>raw</b>');
    // The raw image is text, and the reference decoded (through our policy's inert parse).
    expect(result.html).not.to.contain('<img');
    expect(result.html).to.contain('&lt;img src=x onerror=alert(1)&gt; ©');
    expect(result.coloured, 'the host highlighter still colours code').to.equal(true);
  });

  it('renders replies without any policy: only named references and a host highlighter need one', async () => {
    const result = await runInTrustedTypesFrame("'none'");
    expect(result.enforced, 'the frame enforces Trusted Types').to.equal(true);
    expect(result.error).to.equal(undefined);
    expect(result.html).to.contain('<strong>md</strong>');
    expect(result.html).to.contain('<b>raw</b>');
    // Without our policy the inert parse is refused: the reference stays as written, code stays plain.
    expect(result.html).to.contain('&amp;copy;');
    expect(result.coloured).to.equal(false);
  });
});
