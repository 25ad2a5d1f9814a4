/** The ZVT simulator as a separate process for bench/zvt.ts (prints its port, no think time). */
import { ZvtSimulator } from '../drivers/zvt/simulator';

const sim = new ZvtSimulator({ thinkMs: 0, ackWaitMs: 1_000 });
const port = await sim.listen(0);
process.stdout.write(`${port}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
