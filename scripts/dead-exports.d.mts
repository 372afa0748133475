export declare const PROJECTS: string[];
export declare function findDeadExports(options?: { root?: string; projects?: string[] }): {
  dead: string[];
  localOnly: string[];
};
