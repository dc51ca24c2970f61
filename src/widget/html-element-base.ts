/**
 * `HTMLElement`, or an empty stand-in where there is no DOM (Node, SSR), so that importing the
 * package on a server does not throw. Lit's own classes do the same in Lit's Node build.
 */
export const HTMLElementBase: typeof HTMLElement = globalThis.HTMLElement ?? (class {} as unknown as typeof HTMLElement);
