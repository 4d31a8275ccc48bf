import { Command, CommanderError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Method, RequestOf, ResponseOf } from '../contract/api.ts';
import { dispatch } from '../engine/dispatch.ts';
import { ApiError, toApiError } from '../core/errors.ts';
import { defaultContext } from '../engine/defaults.ts';
import type { EngineContext } from '../core/context.ts';
import type { Report } from '../contract/report.ts';
import { exitCodeFor } from '../report/build.ts';
import { VERSION } from '../core/version.ts';
import { formatReport } from './human.ts';
import { progressPrinter } from './progress.ts';
import { serveCommand } from './serve.ts';
import { reportCommand } from './report.ts';
import { readPasswordFromStdin } from './password.ts';
import { addMigrationOptions, migrationRequest } from './migration.ts';

/** Exit codes (documented in the README; RMM tools such as Intune key on them). */
export const EXIT = { OK: 0, FINDINGS: 1, CANNOT_RUN: 2 } as const;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  ctx: EngineContext;
}

/** Runs the CLI and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  let code: number = EXIT.OK;
  const call = async <M extends Method>(method: M, req: RequestOf<M>, ctx: EngineContext): Promise<ResponseOf<M>> =>
    dispatch(method, req, { ...ctx, onProgress: ctx.onProgress ?? progressPrinter() });

  const emitReport = async (report: Report, opts: { json?: boolean; out?: string }) => {
    const json = JSON.stringify(report, null, 2) + '\n';
    if (opts.out) await writeFile(opts.out, json, { mode: 0o600 });
    io.stdout(opts.json ? json : formatReport(report));
    code = exitCodeFor(report);
  };
  const homeCtx = (home?: string): EngineContext => (home ? { ...io.ctx, home: path.resolve(home) } : io.ctx);

  const program = new Command('mailmedic')
    .description('Finds out why e-mail will not send or an Outlook data file is damaged, and fixes it safely.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const json = () => new Option('--json', 'print one JSON report document on stdout (see report.schema.json)');
  const home = () => new Option('--home <dir>', "inspect DIR as the user's home (another profile, a mounted disk)");

  program
    .command('scan')
    .description('check everything: accounts, their outgoing servers, the network and Outlook data files')
    .addOption(home())
    .option('--smtp-host <host...>', 'also probe these SMTP hosts')
    .option('--ports <list>', 'SMTP ports to probe', '25,465,587,2525')
    .option('--timeout <ms>', 'per-step network timeout in milliseconds')
    .option('--offline', 'no network probes (inspect files only)')
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(json())
    .action(async (o) => {
      const req = { home: o.home, smtpHosts: o.smtpHost, ports: parsePorts(o.ports), timeoutMs: num(o.timeout), offline: o.offline };
      await emitReport(await call('scan', req, homeCtx(o.home)), o);
    });

  program
    .command('smtp <host>')
    .description('probe an SMTP server on several ports at once and explain what happens')
    .option('--ports <list>', 'ports to probe', '25,465,587,2525')
    .option('--timeout <ms>', 'per-step timeout in milliseconds')
    .option('--from <addr>', 'MAIL FROM for a dry run (never sends DATA)')
    .option('--to <addr>', 'RCPT TO for a dry run')
    .option('--user <name>', 'AUTH user name')
    .option('--password-stdin', 'read the AUTH password from standard input (never stored or logged)')
    .option('--insecure-tls-ok', 'a self-signed certificate does not fail the port (still reported)')
    .option('--implicit-ports <list>', 'ports besides 465 that speak SSL/TLS from the first byte')
    .option('--email <addr>', "also look up the settings the address's provider publishes (autoconfig, ISPDB, SRV)")
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(json())
    .action(async (host: string, o) => {
      const password = o.passwordStdin ? await readPasswordFromStdin() : undefined;
      const req = {
        host,
        ports: parsePorts(o.ports),
        timeoutMs: num(o.timeout),
        from: o.from,
        to: o.to,
        user: o.user,
        password,
        insecureTlsOk: o.insecureTlsOk,
        implicitPorts: parsePorts(o.implicitPorts),
        email: o.email,
      };
      await emitReport(await call('smtp', req, io.ctx), o);
    });

  program
    .command('explain <text...>')
    .description('explain an SMTP error text ("421 4.7.0 Try again later") in plain words')
    .addOption(json())
    .action(async (text: string[], o) => emitReport(await call('explain', { text: text.join(' ') }, io.ctx), o));

  program
    .command('accounts')
    .description("list every mail client's accounts and what is wrong with them")
    .addOption(home())
    .addOption(json())
    .action(async (o) => emitReport(await call('accounts', { home: o.home }, homeCtx(o.home)), o));

  program
    .command('network')
    .description('firewall, VPN, antivirus, proxy and route: what stands between you and the mail server')
    .option('--smtp-host <host>', 'which route mail to HOST takes')
    .addOption(json())
    .action(async (o) => emitReport(await call('network', { smtpHost: o.smtpHost }, io.ctx), o));

  const pst = program.command('pst').description('check and rescue Outlook data files (.pst/.ost)');
  addMigrationOptions(pst
    .command('scan <paths...>'))
    .description('verify every structure and checksum of PST/OST files or folders of them')
    .option('--jobs <n>', 'files scanned in parallel')
    .option('--deep', 'also read every message, recipient and attachment')
    .option('--csv <file>', 'write a CSV summary to FILE')
    .option('--html <file>', 'write an HTML report to FILE')
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(json())
    .action(async (paths: string[], o) => {
      const report = await call('pstScan', { paths: paths.map((p) => path.resolve(p)), jobs: num(o.jobs), deep: o.deep, ...migrationRequest(o) }, io.ctx);
      await writeExports(report, o);
      await emitReport(report, o);
    });
  pst
    .command('salvage <file>')
    .description('export every readable message (the original is only ever read)')
    .requiredOption('--out <dir>', 'folder to write the messages to')
    .addOption(new Option('--format <format>', 'eml files in folders, or one mbox per folder').choices(['eml', 'mbox']).default('eml'))
    .addOption(json())
    .action(async (file: string, o) => {
      const req = { file: path.resolve(file), out: path.resolve(o.out), format: o.format };
      await emitReport(await call('pstSalvage', req, io.ctx), { json: o.json });
    });

  program
    .command('fix [fixId]')
    .description('apply a fix named by a finding (preview first; backup, atomic write, undo)')
    .addOption(home())
    .option('--list', 'list the fixes available now')
    .option('--yes', 'apply without asking (required when not interactive)')
    .option('--dry-run', 'only show what would change')
    .addOption(json())
    .action(async (fixId: string | undefined, o) => {
      const ctx = homeCtx(o.home);
      if (o.list || !fixId) {
        const { fixes } = await call('fixList', { home: o.home }, ctx);
        if (o.json) io.stdout(JSON.stringify({ fixes }, null, 2) + '\n');
        else io.stdout(fixes.length ? fixes.map((f) => `${f.id}\n    ${f.title}`).join('\n') + '\n' : 'No fixes to offer.\n');
        return;
      }
      const preview = await call('fixPreview', { id: fixId, home: o.home }, ctx);
      if (o.dryRun || !o.yes) {
        io.stdout(o.json ? JSON.stringify(preview, null, 2) + '\n' : `${preview.title}\n\n${preview.preview}\n`);
        if (!o.dryRun && !o.yes) {
          if (!process.stdin.isTTY) throw new ApiError('bad-request', 'not applied: pass --yes to apply without a prompt');
          if (!(await confirm('Apply this change? [y/N] '))) {
            io.stderr('Not applied.\n');
            return;
          }
        } else return;
      }
      const result = await call('fixApply', { id: fixId, home: o.home }, ctx);
      io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : `${result.message}\n${result.journalId ? `Undo with: mailmedic undo ${result.journalId}\n` : ''}`);
      if (!result.applied) code = EXIT.FINDINGS;
    });

  program
    .command('undo [journalId]')
    .description('undo a fix (default: the last one applied)')
    .addOption(home())
    .addOption(json())
    .action(async (journalId: string | undefined, o) => {
      const result = await call('undo', { journalId, home: o.home }, homeCtx(o.home));
      io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : `${result.message}\n`);
    });

  serveCommand(program, io, homeCtx);
  reportCommand(program, io, (c) => (code = c));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.CANNOT_RUN;
    }
    const err = toApiError(e);
    io.stderr(`mailmedic: error: ${err.message}\n`);
    return EXIT.CANNOT_RUN;
  }
  return code;
}

async function writeExports(report: Report, o: { csv?: string; html?: string }) {
  if (!o.csv && !o.html) return;
  const { sectionToCsv, sectionToHtml } = await import('../pst/export.ts');
  if (!report.pst) return;
  if (o.csv) await writeFile(o.csv, sectionToCsv(report.pst));
  if (o.html) await writeFile(o.html, sectionToHtml(report.pst));
}

function parsePorts(list: string | undefined): number[] | undefined {
  if (!list) return undefined;
  const ports = list.split(',').map((p) => Number(p.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ApiError('bad-request', `--ports: not a list of ports: ${list}`);
  return ports;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ApiError('bad-request', `not a number: ${v}`);
  return n;
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function defaultIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    ctx: defaultContext(),
  };
}
