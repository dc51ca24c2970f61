// `npm run lint` (zero warnings in CI). typescript-eslint everywhere; its type-aware rules only where
// they catch real bugs for little cost (promises in src/); the Lit, web-component and Lit a11y rules on
// the widget. Layout is Prettier's job (`npm run format`), so eslint-config-prettier comes last.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import litPlugin from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wcPlugin from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const widget = ['src/widget/**/*.ts', 'src/react/**/*.ts', 'src/jsx/**/*.ts', 'src/index.ts', 'src/lazy.ts', 'stories/**/*.ts', 'test/widget/**/*.ts'];
const browser = [...widget, 'examples/**/*.{js,mjs,ts}', '.storybook/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/', '.tsbuild/', 'storybook-static/', 'bench/.out/', 'node_modules/', 'custom-elements.json'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a rest sibling).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Declaration merging and `declare global` need namespaces in typings.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Ambient globals (src/protocol/web-platform.d.ts) can only be declared with `var`.
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    files: browser,
    languageOptions: { globals: globals.browser },
  },
  {
    // Promises nobody awaits or catches: the bugs the type-aware rules find and the syntax rules cannot.
    files: ['src/**/*.ts'],
    ignores: ['**/*.d.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: widget,
    ...litPlugin.configs['flat/recommended'],
  },
  {
    files: widget,
    ...wcPlugin.configs['flat/recommended'],
  },
  {
    files: widget,
    ...wcPlugin.configs['flat/best-practice'],
  },
  {
    files: widget,
    ...litA11y.configs.recommended,
  },
  {
    files: widget,
    settings: { wc: { elementBaseClasses: ['LitElement', 'HtmlElementBase'] } },
    // LitElement (and ReactiveElement below it) implements every lifecycle callback: a guard is noise.
    rules: { 'wc/guard-super-call': 'off' },
  },
  {
    // Chai's property assertions (`expect(x).to.exist`, `.to.be.true`) are expressions by design.
    files: ['test/widget/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  prettier,
);
