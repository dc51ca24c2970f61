// Which engine runs the test, for the few tests that only one engine (or its test driver) can run.
// Each use names its reason, so a skip never hides a failure: see README "Browser support".

export type Engine = 'chromium' | 'firefox' | 'webkit';

/** The engine under test, from the user agent (each engine's own token; WebKitGTK has neither). */
export const engine: Engine = /\bFirefox\//.test(navigator.userAgent) ? 'firefox' : /\b(Headless)?Chrome\//.test(navigator.userAgent) ? 'chromium' : 'webkit';

/**
 * `it` in the listed engines, `it.skip` in the others. `reason` says what the others lack; it is
 * required so each engine-specific test says why in its own source.
 */
export function itIn(engines: readonly Engine[], reason: string): typeof it | typeof it.skip {
  if (!reason) throw new Error('itIn needs the reason the other engines cannot run the test');
  return engines.includes(engine) ? it : it.skip;
}

/** `describe` in the listed engines, `describe.skip` elsewhere; same contract as {@link itIn}. */
export function describeIn(engines: readonly Engine[], reason: string): typeof describe | typeof describe.skip {
  if (!reason) throw new Error('describeIn needs the reason the other engines cannot run the tests');
  return engines.includes(engine) ? describe : describe.skip;
}

/**
 * prefers-color-scheme and prefers-reduced-motion can be emulated only through CDP: puppeteer's
 * Firefox (WebDriver BiDi) and WebKitWebDriver have no command for media features.
 */
export const MEDIA_EMULATION: readonly Engine[] = ['chromium'];
export const NO_MEDIA_EMULATION = 'needs prefers-* media emulation, which only CDP offers (not BiDi, not WebDriver)';

/** The accessibility tree command (test/support/ax-tree-plugin.ts) reads Chromium's tree over CDP. */
export const AX_TREE: readonly Engine[] = ['chromium'];
export const NO_AX_TREE = "reads Chromium's accessibility tree over CDP (Accessibility.getFullAXTree); other engines have no such command";

/** Moving the pointer (`sendMouse`): the WebKit driver here (test/support/webkit-launcher.ts) has no pointer actions. */
export const POINTER: readonly Engine[] = ['chromium', 'firefox'];
export const NO_POINTER = 'moves the pointer with sendMouse, which the WebKitWebDriver launcher here does not implement';
