import { keepUnmeasured } from '../report';

/** A subset run (BENCH_ONLY) rewrites only the sections whose phases all ran. */
const report = (tag: string) =>
  [
    '# Benchmarks',
    '',
    `## 2. Salesforce API cost per 1,000 responses`,
    '',
    `cost ${tag}`,
    '',
    `## 3. Throughput with 150 ms per Salesforce call`,
    '',
    `| sync engine | ${tag} |`,
    `| whole connector | ${tag} |`,
    '',
    `## 4. Latency at low load`,
    '',
    `latency ${tag}`,
    '',
  ].join('\n');

const section = (text: string, n: string) => text.split(/^(?=## )/m).find((s) => s.startsWith(`## ${n}.`));

it('keeps §3 from the earlier report when only latency ran (§3 needs throughput and latency)', () => {
  const merged = keepUnmeasured(report('NEW'), report('OLD'), ['latency']);
  expect(section(merged, '3')).toContain('| sync engine | OLD |');
  expect(section(merged, '3')).not.toContain('NEW');
  expect(section(merged, '4')).toContain('latency NEW');
  expect(section(merged, '2')).toContain('cost OLD');
});

it('rewrites §3 when throughput and latency both ran', () => {
  const merged = keepUnmeasured(report('NEW'), report('OLD'), ['throughput', 'latency']);
  expect(section(merged, '3')).toContain('| whole connector | NEW |');
  expect(section(merged, '2')).toContain('cost OLD');
});
