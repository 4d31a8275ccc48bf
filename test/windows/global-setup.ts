import type { TestProject } from 'vitest/node';
import { createPrefix, disposePrefix, missingPrerequisites, type WineInfo } from '../support/windows/wine.ts';

// One Wine prefix for the whole `windows` project (wineboot takes ~10 s): made here, handed to the test files with
// provide/inject, removed when the run ends. Missing Wine or node.exe fails the run with how to install them.
export default function setup(project: TestProject) {
  const problem = missingPrerequisites();
  if (problem) throw new Error(problem);
  const wine = createPrefix();
  project.provide('wine', wine.info);
  return () => disposePrefix(wine.info);
}

declare module 'vitest' {
  export interface ProvidedContext {
    wine: WineInfo;
  }
}
