// Offline Apex gates (no org here): every class parses with the Apex grammar of @apexdevtools/apex-parser,
// is formatted with prettier-plugin-apex, and follows the package's security conventions.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ApexParserFactory, ApexErrorListener } = require('@apexdevtools/apex-parser');
const { apexClasses, read, REPO_ROOT } = require('./helpers');

class Collect extends ApexErrorListener {
  constructor() {
    super();
    this.errors = [];
  }
  apexSyntaxError(line, column, msg) {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

const classes = apexClasses().map((file) => [path.basename(file), file]);

describe('Apex classes', () => {
  it('exist, each with a -meta.xml and a test class', () => {
    expect(classes.length).toBeGreaterThanOrEqual(7);
    const names = new Set(classes.map(([name]) => name.replace('.cls', '')));
    for (const name of names) {
      expect(read(`${classes.find(([n]) => n === `${name}.cls`)[1]}-meta.xml`)).toMatch(/<status>Active<\/status>/);
      const src = read(classes.find(([n]) => n === `${name}.cls`)[1]);
      if (!/@IsTest/i.test(src)) expect(names.has(`${name}Test`)).toBe(true);
    }
  });

  it.each(classes)('%s parses', (_name, file) => {
    const listener = new Collect();
    const { parser } = ApexParserFactory.createLexerAndParser(read(file), listener);
    parser.compilationUnit();
    expect(listener.errors).toEqual([]);
  });

  describe('formatting', () => {
    // Prettier 3 loads plugins with dynamic import(), which jest's CommonJS sandbox refuses: run the CLI once.
    let unformatted;
    beforeAll(() => {
      const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'prettier');
      const res = spawnSync(bin, ['--list-different', ...classes.map(([, f]) => f)], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(res.stderr).toBe('');
      unformatted = res.stdout
        .split('\n')
        .filter(Boolean)
        .map((f) => path.basename(f));
    });

    it.each(classes)('%s is prettier-formatted (prettier-plugin-apex)', (name) => {
      expect(unformatted).not.toContain(name);
    });
  });

  it.each(classes.filter(([name]) => !/Test(Data)?\.cls$/.test(name)))(
    '%s runs with sharing and queries in user mode with a LIMIT',
    (_name, file) => {
      const src = read(file);
      expect(src).toMatch(/\bwith sharing\b/);
      expect(src).not.toMatch(/\bwithout sharing\b|\bglobal\b/);
      for (const query of src.match(/\[\s*SELECT[\s\S]*?\]/gi) ?? []) {
        expect(query).toMatch(/WITH USER_MODE/);
        expect(query).toMatch(/\bLIMIT\b/);
      }
    },
  );

  it('the parse gate catches a syntax error (it is not vacuous)', () => {
    const listener = new Collect();
    ApexParserFactory.createLexerAndParser('public class Broken { void x( }', listener).parser.compilationUnit();
    expect(listener.errors.length).toBeGreaterThan(0);
  });
});
