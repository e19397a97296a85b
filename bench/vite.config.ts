/** Builds the bench page (bench/page) with the app's Vite configuration (workers, wasm, isolation headers). */
import { defineConfig, mergeConfig } from 'vite';
import app from '../vite.config.ts';

export default mergeConfig(
  app,
  defineConfig({
    root: 'bench/page',
    base: './',
    build: { outDir: process.env.BENCH_OUT ?? '../../bench-results/page-dist', emptyOutDir: true },
  }),
);
