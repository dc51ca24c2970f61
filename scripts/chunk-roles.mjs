// Which on-demand chunks of the browser builds are options and which are features, by the source
// modules they hold. Shared by the build (scripts/vite-feature-chunk.ts groups the features into one
// chunk) and the size bench (bench/bundle.bench.mjs counts the features in the budget), so a new
// lazily loaded part counts as a feature unless it is listed here.

/**
 * Source modules whose dynamic import is an option a page may never use: another language's strings
 * (only for a visitor in that language) and the AI SDK transport (an alternative wire protocol).
 */
export const OPTION_MODULE = /\/src\/widget\/(i18n\/locales\/[\w-]+|transport\/ai-sdk-transport)\.ts$/;

/**
 * The lazy entry's panels (src/lazy.ts): the chat itself, loaded on intent or when idle, each its
 * own download by design (bench/launcher.bench.mjs measures them).
 */
export const PANEL_MODULE = /\/src\/widget\/launcher\/(lazy|quick)-panel\.ts$/;
