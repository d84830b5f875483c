import { expect } from 'chai';
import { runChaos } from '../bench/chaos';
import { drain, stats } from '../index';

// The full round on Express 5; a smaller one on Express 4 keeps the
// suite quick, since it runs on both.
const requests = process.env.EXPRESS_MAJOR === '4' ? 1000 : 3000;

describe(`chaos: ${requests} requests with failing tasks and clients`, () => {
  it('accounts for every task exactly once, and nothing escapes', async function () {
    this.timeout(30_000);
    await drain();
    const result = await runChaos({ requests });

    expect(result.problems).to.deep.equal([]);
    expect(result.unhandledRejections).to.equal(0);
    expect(result.uncaughtExceptions).to.equal(0);

    const { ledger, stats: counted } = result;
    expect(ledger.tasks).to.equal(
      ledger.completed +
        ledger.failed +
        ledger.timedOut +
        ledger.skipped +
        ledger.overloaded +
        ledger.abandoned,
    );
    expect(counted).to.include({
      scheduled: ledger.tasks,
      completed: ledger.completed,
      failed: ledger.failed + ledger.timedOut,
      timedOut: ledger.timedOut,
      skipped: ledger.skipped,
      overloaded: ledger.overloaded,
      abandoned: 0,
    });
    expect(stats()).to.include({ waiting: 0, running: 0, awaiting: 0 });

    // Every kind of trouble really happened.
    expect(result.answers).to.include.keys('200', '500', 'aborted');
    expect(ledger.failed).to.be.above(0);
    expect(ledger.timedOut).to.be.above(0);
    expect(ledger.skipped).to.be.above(0);
    expect(ledger.overloaded).to.be.above(0);
    expect(result.signalsAborted).to.be.above(0);
  });
});
