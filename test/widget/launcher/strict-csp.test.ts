// The launcher, its quick panel and the lazy shell under the strict CSP docs/security.md recommends:
// Trusted Types enforced with only our two policy names, and no inline styles ('unsafe-inline'
// absent from style-src). Both used to fail here: the launcher built its shadow DOM from an HTML
// string (a Trusted Types sink) and styled it with an inline <style> element.
import { expect } from '@open-wc/testing';

interface FrameResult {
  violations: string[];
  error?: string;
  /** The launcher button's computed border-radius: styles applied, or not. */
  launcherRadius?: string;
  quickPanelPosition?: string;
  loaded?: boolean;
  composer?: boolean;
}

function runInStrictFrame(csp: string, entry: 'lazy' | 'standalone'): Promise<FrameResult> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 700px';
  // The module's full URL: WebKit does not resolve a path against a srcdoc frame's inherited base URL.
  frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp}">
<script type="module">
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  const until = async (check) => { for (let i = 0; i < 200; i++) { const v = check(); if (v) return v; await new Promise((r) => setTimeout(r, 25)); } throw new Error('timed out: ' + check); };
  const result = { violations };
  try {
    await import('${location.origin}/src/${entry}.ts');
    const chat = document.createElement('ic-support-chat');
    chat.setAttribute('mode', 'launcher');
    chat.setAttribute('persist', 'none');
    document.body.append(chat);
    const deep = (root, selector) => { const hit = root.querySelector(selector); if (hit) return hit; for (const el of root.querySelectorAll('*')) { const found = el.shadowRoot && deep(el.shadowRoot, selector); if (found) return found; } return null; };
    const launcher = await until(() => deep(chat.shadowRoot, 'ic-launcher'));
    const button = await until(() => launcher.shadowRoot && launcher.shadowRoot.querySelector('button'));
    result.launcherRadius = getComputedStyle(button).borderTopLeftRadius;
    // The quick panel on its own (in the page it may be gone before a poll sees it).
    const { createQuickPanel } = await import('${location.origin}/src/widget/launcher/quick-panel.ts');
    const host = document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' });
    const quick = createQuickPanel(host, 'en', '', '', 'ltr', 'right', () => {});
    host.append(quick.element);
    result.quickPanelPosition = getComputedStyle(quick.element).position;
    host.host.remove();
    button.click();
    result.composer = !!(await until(() => deep(chat.shadowRoot, 'ic-composer') && deep(chat.shadowRoot, 'textarea')));
    result.loaded = chat.loaded !== false;
    await new Promise((r) => setTimeout(r, 100));
  } catch (e) {
    result.error = String(e);
  }
  parent.postMessage({ strictCsp: true, ...result }, '*');
</script>`;
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      if (!e.data?.strictCsp) return;
      window.removeEventListener('message', onMessage);
      frame.remove();
      resolve(e.data as FrameResult);
    };
    window.addEventListener('message', onMessage);
    document.body.append(frame);
  });
}

const STRICT = "require-trusted-types-for 'script'; trusted-types ic-support-chat lit-html; style-src 'self'";

describe('launcher under a strict CSP (Trusted Types, no inline styles)', () => {
  for (const entry of ['lazy', 'standalone'] as const) {
    it(`src/${entry}.ts: the launcher is styled, opens, and nothing is refused`, async () => {
      const result = await runInStrictFrame(STRICT, entry);
      expect(result.error).to.equal(undefined);
      expect(result.violations).to.deep.equal([]);
      // 50% of a 56–60 px round button, not the 0px of an unstyled one.
      expect(Number.parseFloat(result.launcherRadius ?? '0')).to.be.greaterThan(10);
      expect(result.quickPanelPosition).to.equal('fixed');
      expect(result.composer).to.equal(true);
    });
  }

  it('is really enforced in that frame: an inline <style> is refused there', async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${STRICT}"><style>body{color:red}</style><script type="module">parent.postMessage({ inlineStyle: getComputedStyle(document.body).color }, '*');</script>`;
    const color = await new Promise<string>((resolve) => {
      const onMessage = (e: MessageEvent): void => {
        if (!e.data || !('inlineStyle' in e.data)) return;
        window.removeEventListener('message', onMessage);
        frame.remove();
        resolve(e.data.inlineStyle as string);
      };
      window.addEventListener('message', onMessage);
      document.body.append(frame);
    });
    expect(color).not.to.equal('rgb(255, 0, 0)');
  });
});
