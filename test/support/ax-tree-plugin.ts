// A test-runner command that returns the page's accessibility tree as Chromium computes it (CDP
// Accessibility.getFullAXTree, shadow roots included): what a screen reader is given, which axe and
// the DOM cannot show. Playwright 1.65 dropped page.accessibility, so @web/test-runner-commands'
// a11ySnapshot no longer works with it.
import type { TestRunnerPlugin } from '@web/test-runner';
import type { PlaywrightLauncher } from '@web/test-runner-playwright';

/** One node of the tree: its role and computed accessible name. */
export interface AxNode {
  role: string;
  name: string;
}

interface CdpAxNode {
  ignored?: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
}

export function axTreePlugin(): TestRunnerPlugin {
  return {
    name: 'ax-tree',
    async executeCommand({ command, session }) {
      if (command !== 'ax-tree') return undefined;
      if (session.browser.type !== 'playwright') throw new Error(`ax-tree needs the Playwright launcher, not ${session.browser.type}`);
      const page = (session.browser as PlaywrightLauncher).getPage(session.id);
      const cdp = await page.context().newCDPSession(page);
      try {
        const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: CdpAxNode[] };
        return nodes.filter((node) => !node.ignored).map((node): AxNode => ({ role: String(node.role?.value ?? ''), name: String(node.name?.value ?? '') }));
      } finally {
        await cdp.detach();
      }
    },
  };
}
