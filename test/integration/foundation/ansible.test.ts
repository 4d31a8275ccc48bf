import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliBin, repoRoot } from '../../support/paths.ts';
import { reportValidator } from '../../support/report-schema.ts';

// The Ansible recipe, checked with Debian's ansible and run for real against localhost.
const playbook = path.join(repoRoot, 'deploy/ansible/mailmedic-scan.yml');
const hasAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;
if (!hasAnsible && process.env.CI) throw new Error('ansible-playbook is missing: .ci/apt-packages.txt must install ansible');

describe.skipIf(!hasAnsible)('Ansible playbook (skipped: ansible-playbook not installed — apt-get install ansible)', () => {
  const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_LOCAL_TEMP: mkdtempSync(path.join(os.tmpdir(), 'mm-ansible-')) };

  it('passes ansible-playbook --syntax-check', () => {
    const r = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', playbook], { env, encoding: 'utf8' });
    expect(r.stderr + r.stdout).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
  });

  it('scans localhost, fetches the report and merges a fleet summary', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'mm-ansible-run-'));
    const inventory = path.join(work, 'inventory.ini');
    writeFileSync(inventory, 'localhost ansible_connection=local\n');
    const reports = path.join(work, 'reports');
    const home = mkdtempSync(path.join(os.tmpdir(), 'mm-ansible-home-'));
    const r = spawnSync(
      'ansible-playbook',
      [
        '-i', inventory, playbook,
        '-e', `ansible_python_interpreter=/usr/bin/python3`,
        '-e', `mailmedic_cmd='${process.execPath} ${cliBin}'`,
        '-e', `mailmedic_scan_args='--offline --home ${home}'`,
        '-e', `mailmedic_reports_dir=${reports}`,
      ],
      { env: { ...env, MAILMEDIC_DATA_DIR: work }, encoding: 'utf8', timeout: 180_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(reports, 'localhost.json'), 'utf8'));
    expect(reportValidator()(report)).toEqual([]);
    expect(existsSync(path.join(reports, 'fleet.html'))).toBe(true);
    expect(readFileSync(path.join(reports, 'fleet.csv'), 'utf8')).toMatch(/^hostname,/);
    expect(r.stdout).toMatch(/"hosts": 1/);
  });
});
