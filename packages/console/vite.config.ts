import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Served by the API process under /console; hashed file names let the server cache assets forever.
// The client is bundled from its source, so the console builds whatever order npm builds the workspaces in.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@ombuds/client': fileURLToPath(new URL('../client/src/index.ts', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/v3': 'http://127.0.0.1:8080' } }
})
