import { setTimeout as sleep } from 'node:timers/promises';

export async function fetchStats(range: string): Promise<unknown> {
  await sleep(1);
  const reply = await fetch(`/api/stats?range=${range}`);
  return reply.json();
}
