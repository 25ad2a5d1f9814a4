import { defineConfig } from 'vite';

// The lane UI: built to dist/renderer and served by the core (browser mode and Electron alike).
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  oxc: { jsx: { runtime: 'automatic' } },
});
