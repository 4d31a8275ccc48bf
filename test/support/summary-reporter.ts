import type { Reporter, TestModule } from 'vitest/node';

/** Prints the plain closing line CI reads ("N passed, N failed, N skipped") after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const ran = new Map<string, number>();
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed' || state === 'failed') ran.set(m.project.name, (ran.get(m.project.name) ?? 0) + 1);
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) counts.failed++;
    }
    // Tests run per project (.ci/run checks that every project ran, e.g. that the windows suite was not left out).
    const projects = [...ran].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name}=${n}`).join(' ');
    process.stdout.write(`\nprojects ran: ${projects || 'none'}\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
