/** @cajal/compare: filled in by the restructuring of issue 11 (this commit only makes the workspace). */
export {};
