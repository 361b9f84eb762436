// The console's build. Root is console/; the server serves console/dist (CONSOLE_DIST).
// In development (`npm run dev:console`) Vite proxies the API and socket.io to the server.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const serverPort = Number(process.env.PORT ?? 3000);
const target = `http://127.0.0.1:${serverPort}`;

export default defineConfig({
  root: here('.'),
  plugins: [svelte()],
  resolve: { alias: { '@trustline/shared': here('../shared/src/index.ts') } },
  build: { outDir: here('./dist'), emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
});
