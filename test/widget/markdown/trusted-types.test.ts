import { expect } from '@open-wc/testing';

/**
 * Loads the renderer in a frame whose CSP enforces Trusted Types and allows only our policy name,
 * then renders and streams Markdown (including raw HTML) there: no violation may be reported.
 */
function runInTrustedTypesFrame(policies: string): Promise<{ html: string; violations: string[]; error?: string }> {
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
    const text = '# Hi\\n\\n<b>raw</b> **md** <img src=x onerror=alert(1)>\\n\\n\`\`\`js\\nx\\n\`\`\`\\n';
    const out = document.getElementById('out');
    const md = new StreamingMarkdown(out);
    for (const ch of text) { md.append(ch); md.flushFrame(); }
    md.finish();
    const once = document.createElement('div');
    once.append(renderMarkdown(text));
    await new Promise((r) => setTimeout(r, 50));
    parent.postMessage({ tt: true, html: out.innerHTML === once.innerHTML ? out.innerHTML : 'MISMATCH', violations }, '*');
  } catch (e) {
    parent.postMessage({ tt: true, html: '', violations, error: String(e) }, '*');
  }
</script>`;
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      if (!e.data?.tt) return;
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve(e.data);
    };
    window.addEventListener('message', onMessage);
    document.body.append(frame);
  });
}

describe('Trusted Types', () => {
  it('renders under require-trusted-types-for with only the ic-support-chat policy allowed', async () => {
    const result = await runInTrustedTypesFrame('ic-support-chat');
    expect(result.error).to.equal(undefined);
    expect(result.violations).to.deep.equal([]);
    expect(result.html).to.contain('<strong>md</strong>');
    expect(result.html).to.contain('<b>raw</b>');
    expect(result.html).not.to.contain('onerror');
  });

  it('is really enforced in that frame: without our policy name the render is refused', async () => {
    const result = await runInTrustedTypesFrame("'none'");
    expect(result.html).not.to.contain('<strong>md</strong>');
  });
});
