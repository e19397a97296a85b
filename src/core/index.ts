/** The pure core: graph model, layer registry, validator. Imports neither React nor tfjs. */
export * from './graph/types';
export * from './graph/ops';
export * from './graph/naming';
export * from './graph/topology';
export * from './layers/define';
export * from './layers/params';
export * from './layers/registry';
export * from './layers/args';
export * from './training';
export * from './validate/diagnostics';
export * from './validate/analyze';
export * from './validate/structure';
export * from './templates/index';
export * from './serialize/project';
export * from './graph/layout';
export * from './serialize/kerasImport';
export * from './serialize/kerasExport';
