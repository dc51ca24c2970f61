// One `__decorateClass` for the whole bundle instead of one per module.
//
// TypeScript's experimental decorators (`@property`, `@state`, `@query`, `@consume` on the widget's
// elements) compile, in Vite's per-module esbuild transform, to calls of a `__decorateClass` helper
// that esbuild writes at the top of every module that uses them. Rollup cannot merge the copies (each
// is a module-local function), so the bundle carried one per element. This plugin replaces each
// module's copy with an import of a single shared one (the same text esbuild writes, so the same
// behaviour). It touches only the exact helper esbuild emits; a module whose helper differs (another
// esbuild version) keeps its own copy. Lines are kept, so the module's source map still holds.
import type { Plugin } from 'vite';

/** The shared helper's module id. */
export const SHARED = '\0ic-decorate-class';

/** esbuild's helper for `experimentalDecorators`, as it writes it (0.2x). */
export const ESBUILD_DECORATE_CLASS = `var __decorateClass = (decorators, target, key, kind) => {
  var result = kind > 1 ? void 0 : kind ? __getOwnPropDesc(target, key) : target;
  for (var i = decorators.length - 1, decorator; i >= 0; i--)
    if (decorator = decorators[i])
      result = (kind ? decorator(target, key, result) : decorator(result)) || result;
  if (kind && result) __defProp(target, key, result);
  return result;
};`;

/** The shared helper's module. */
export const SHARED_CODE = `const __defProp = Object.defineProperty;
const __getOwnPropDesc = Object.getOwnPropertyDescriptor;
export ${ESBUILD_DECORATE_CLASS.replace(/^var /, 'const ')}`;

/** `code` with its own `__decorateClass` replaced by an import of the shared one, or null. */
export function shareDecorateClass(code: string): string | null {
  const at = code.indexOf(ESBUILD_DECORATE_CLASS);
  if (at < 0) return null;
  const lines = ESBUILD_DECORATE_CLASS.split('\n').length - 1;
  return `${code.slice(0, at)}import { __decorateClass } from ${JSON.stringify(SHARED)};${'\n'.repeat(lines)}${code.slice(at + ESBUILD_DECORATE_CLASS.length)}`;
}

/** The Vite plugin for the browser builds. */
export function sharedDecorateClass(): Plugin {
  return {
    name: 'ic-shared-decorate-class',
    apply: 'build',
    resolveId: (id) => (id === SHARED ? SHARED : null),
    load: (id) => (id === SHARED ? { code: SHARED_CODE, moduleSideEffects: false } : null),
    transform(code, id) {
      if (!/\/src\/widget\/.*\.ts$/.test(id.split('?')[0]!)) return null;
      const shared = shareDecorateClass(code);
      return shared === null ? null : { code: shared, map: null };
    },
  };
}
