import { runDistalReward } from './src/index.ts';
for (const [drive, amount] of [[3, 0.5], [4, 1]]) {
const t0 = performance.now();
const r = await runDistalReward({ seconds: 30, pre_drive: drive, reward_delay_seconds: [0.2, 0.5], reward_amount: amount });
console.log(drive, amount, (performance.now() - t0).toFixed(0), JSON.stringify({ ...r, rewarded_weight_by_second: r.rewarded_weight_by_second.filter((_, i) => i % 3 === 2).map((x) => x.toFixed(2)) }));
}
