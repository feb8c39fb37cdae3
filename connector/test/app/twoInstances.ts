import { postWebhook } from './harness';
import type { ConnectorProcess } from './processes';

/**
 * The two-instance burst: 16 concurrent senders deliver `events`, the even ones to A and the odd
 * ones to B; once `killAAfter` deliveries are acknowledged A is SIGKILLed (later ones go to B).
 * Then every delivery that got no 2xx is sent to B again, as CredSpark redelivers.
 */
export async function burstKillingA(
  events: { id: string }[],
  a: ConnectorProcess,
  b: ConnectorProcess,
  killAAfter: number,
) {
  const acked = new Set<string>();
  let next = 0;
  let aDead = false;
  const sender = async () => {
    while (next < events.length) {
      const i = next++;
      try {
        const r = await postWebhook(i % 2 === 0 && !aDead ? a.url : b.url, events[i]);
        if (r.status === 202) acked.add(events[i].id);
      } catch {
        // instance A died under this request: redelivered below
      }
      if (acked.size >= killAAfter && !aDead) {
        aDead = true;
        a.p.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, sender));
  await a.p.exited;
  for (const ev of events) {
    if (acked.has(ev.id)) continue;
    const r = await postWebhook(b.url, ev);
    expect([200, 202]).toContain(r.status);
  }
}
