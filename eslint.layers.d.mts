import type { Linter } from 'eslint';
export declare const CORE_RANKS: Record<string, number>;
export declare const layerConfigs: Linter.Config[];
