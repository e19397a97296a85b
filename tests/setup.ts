// Shared test setup. React Flow needs browser layout APIs jsdom lacks (../shared/TOOLCHAIN.md);
// component tests that render the canvas install them via tests/unit/reactFlowMocks.ts.
export {};
