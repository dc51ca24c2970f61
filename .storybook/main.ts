import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // The project's vite.config.ts builds the library; Storybook builds an app from the same sources.
    if (viteConfig.build) {
      delete viteConfig.build.lib;
      if (viteConfig.build.rollupOptions) delete viteConfig.build.rollupOptions.input;
    }
    return viteConfig;
  },
};

export default config;
