import { defineConfig } from 'vite';

// A plain multi-route page: index.html is the one entry; serve.ts answers every route with it.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
