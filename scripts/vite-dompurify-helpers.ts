// DOMPurify's ES build (3.5) is compiled with Babel, which turned one destructuring in its `clone()`,
// `for (const [property, value] of entries(object))`, into a call of `_slicedToArray` and with it five
// helpers (array-like and iterator fallbacks, about 0.4 KB gzip of the standalone bundle). The value
// destructured is always an array: `entries` is the `Object.entries` DOMPurify captured at load, and
// for an array `_slicedToArray` returns its argument itself (`_arrayWithHoles`) before any fallback
// runs. This plugin writes that argument in place of the call, so the helpers go unused and the
// minifier drops them; nothing else in DOMPurify changes.
//
// It applies only to the exact pattern: a `for (const X of entries(…))` whose body starts with
// `var Y = _slicedToArray(X, 2);`, and only when no other `_slicedToArray` call remains. Otherwise it
// leaves the module as it is, with a warning (the bundle is then only larger, never different).
import type { Plugin } from 'vite';

const LOOP = /for \(const (\w+) of entries\(\w+\)\) \{\s*var (\w+) = _slicedToArray\(\1, 2\);/g;

/** purify.es.mjs without its `_slicedToArray` calls, or the reason it was left whole. */
export function dropSlicedToArray(code: string): { code: string } | { refused: string } {
  let found = 0;
  const out = code.replace(LOOP, (loop, item: string) => {
    found++;
    // Same length, so every position after it (and the module's source map) holds.
    const call = `_slicedToArray(${item}, 2)`;
    return loop.replace(call, item.padEnd(call.length, ' '));
  });
  if (found === 0) return { refused: 'no `_slicedToArray(x, 2)` over `entries()`' };
  if (/\b_slicedToArray\(\s*[^\s)]/.test(out.replace(/function _slicedToArray\(/, ''))) return { refused: 'another `_slicedToArray` call remains' };
  return { code: out };
}

/** The Vite plugin for the browser builds. */
export function dompurifyHelpers(): Plugin {
  return {
    name: 'ic-dompurify-helpers',
    apply: 'build',
    transform(code, id) {
      if (!/[/\\]node_modules[/\\]dompurify[/\\]dist[/\\]purify\.es\.mjs$/.test(id.split('?')[0]!)) return null;
      const result = dropSlicedToArray(code);
      if ('refused' in result) {
        this.warn(`DOMPurify's _slicedToArray kept (${result.refused}): the bundle is larger than it needs to be`);
        return null;
      }
      return { code: result.code, map: null };
    },
  };
}
