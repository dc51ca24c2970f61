import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    // Tell Vue's compiler that ic-* tags are custom elements (not Vue components).
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('ic-') } } }),
  ],
  server: { proxy: { '/api/support': 'http://127.0.0.1:8787' } },
});
