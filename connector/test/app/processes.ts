import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CONNECTOR_DIR = join(__dirname, '..', '..');
export const REPO_ROOT = join(CONNECTOR_DIR, '..');

/** True when a module resolves from the connector (the parallel teams' pieces may not exist yet). */
export function canLoad(request: string): boolean {
  try {
    require.resolve(request, { paths: [CONNECTOR_DIR] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(request);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  /** Resolves with stdout once it matches `re` (rejects if the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/**
 * Runs a TypeScript entry with node + tsx's loader (not the tsx CLI, whose child process a
 * SIGKILL would not reach).
 */
export function spawnTs(file: string, env: Record<string, string>, cwd = CONNECTOR_DIR): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    exited,
    stdout: () => out,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`timed out waiting for ${re}; stderr: ${err.slice(-2000)}`)),
          timeoutMs,
        );
        const check = () => {
          const m = re.exec(out);
          if (m) done(undefined, m);
        };
        const onExit = (code: number | null) =>
          done(new Error(`process exited (${code}) before ${re}; stderr: ${err.slice(-2000)}`));
        function done(e?: Error, m?: RegExpExecArray) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
          if (e) reject(e);
          else resolve(m!);
        }
        child.stdout!.on('data', check);
        child.once('exit', onExit);
        check();
      });
    },
  };
}

/** A connector fixture process (fixtures/*Connector.ts) and the URL it listens on. */
export interface ConnectorProcess {
  p: Spawned;
  url: string;
}

/**
 * Spawns a connector fixture and resolves once it listens (fixtures/serve.ts prints `READY <port>`).
 * The process joins `started` (the caller's list to kill after its tests) before it is ready.
 */
export async function startConnectorProcess(
  fixture: string,
  env: Record<string, string>,
  opts: { started: Spawned[]; timeoutMs?: number },
): Promise<ConnectorProcess> {
  const p = spawnTs(fixture, env);
  opts.started.push(p);
  const [, port] = await p.waitFor(/READY (\d+)/, opts.timeoutMs);
  return { p, url: `http://127.0.0.1:${port}` };
}

/** SIGKILLs the processes still running and waits for every one to exit. */
export async function killAll(started: Spawned[]): Promise<void> {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
}
