import { execFileSync } from 'node:child_process';

/** The Postgres the tests use: TEST_DATABASE_URL, else the project machines' local server. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Synchronous probe (jest needs to know while it collects tests) with a 2 s connect timeout. */
export function postgresReachable(url = TEST_PG_URL): boolean {
  try {
    const probe = `const {Client}=require('pg');const c=new Client({connectionString:${JSON.stringify(url)},connectionTimeoutMillis:2000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`;
    execFileSync(process.execPath, ['-e', probe], { cwd: __dirname, stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export const redactedUrl = (url: string) => url.replace(/:[^:@/]*@/, ':***@');
