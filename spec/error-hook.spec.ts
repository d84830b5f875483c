import { expect } from 'chai';
import { BackgroundTask } from '../index';
import { InProcessRunner } from '../lib/runner';

/** Collects what is written to stderr while `during` runs. */
async function stderrOf(during: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await during();
  } finally {
    process.stderr.write = original;
  }
  return written.join('');
}

function chargeCard(): never {
  throw new Error('card declined');
}

describe('an onError hook that fails', () => {
  const request = { method: 'POST', url: '/orders' };

  describe('when it throws', () => {
    it('still prints the report, then why the hook failed', async () => {
      const runner = new InProcessRunner();
      runner.configure({
        onError() {
          throw new Error('log server down');
        },
      });
      const printed = await stderrOf(async () => {
        runner.schedule([new BackgroundTask(chargeCard)], request);
        await runner.drain();
      });

      expect(printed).to.include('task "chargeCard" failed after POST /orders');
      expect(printed).to.include('card declined');
      expect(printed).to.include('task "onError for chargeCard" failed');
      expect(printed).to.include('log server down');
      expect(runner.stats()).to.include({ failed: 1 });
    });
  });

  describe('when it rejects', () => {
    it('still prints the report, then why the hook failed', async () => {
      const runner = new InProcessRunner();
      runner.configure({
        onError: () => Promise.reject(new Error('log server down')),
      });
      const printed = await stderrOf(async () => {
        runner.schedule([new BackgroundTask(chargeCard)], request);
        await runner.drain();
        await new Promise((settle) => setImmediate(settle));
      });

      expect(printed).to.include('task "chargeCard" failed after POST /orders');
      expect(printed).to.include('log server down');
    });
  });

  describe('when it resolves', () => {
    it('prints nothing', async () => {
      const runner = new InProcessRunner();
      const heard: string[] = [];
      runner.configure({
        onError: async (_error, info) => {
          heard.push(info.task);
        },
      });
      const printed = await stderrOf(async () => {
        runner.schedule([new BackgroundTask(chargeCard)], request);
        await runner.drain();
      });

      expect(printed).to.equal('');
      expect(heard).to.deep.equal(['chargeCard']);
    });
  });
});

describe('the default onError', () => {
  function notify(): void {}

  it('prints the task, the request, what was skipped, and the error', async () => {
    const runner = new InProcessRunner();
    const printed = await stderrOf(async () => {
      runner.schedule(
        [new BackgroundTask(chargeCard), new BackgroundTask(notify)],
        { method: 'POST', originalUrl: '/api/orders?token=secret' },
      );
      await runner.drain();
    });

    const [line] = printed.split('\n');
    expect(line).to.equal(
      'express-background-tasks: task "chargeCard" failed after ' +
        'POST /api/orders (skipped: notify)',
    );
    expect(printed).to.include('Error: card declined');
    expect(printed).not.to.include('secret');
  });

  it('shows a thrown value that is no Error as it is', async () => {
    const runner = new InProcessRunner();
    function throwCode(): never {
      throw { code: 'E_QUOTA' };
    }
    const printed = await stderrOf(async () => {
      runner.schedule([new BackgroundTask(throwCode)]);
      await runner.drain();
    });

    expect(printed).to.equal(
      'express-background-tasks: task "throwCode" failed after UNKNOWN \n' +
        "{ code: 'E_QUOTA' }\n",
    );
  });

  it('prints the message of an error that has no stack', async () => {
    const runner = new InProcessRunner();
    function failBare(): never {
      const error = new Error('no trace');
      delete error.stack;
      throw error;
    }
    const printed = await stderrOf(async () => {
      runner.schedule([new BackgroundTask(failBare)], { method: 'GET' });
      await runner.drain();
    });

    expect(printed.split('\n')[1]).to.equal('no trace');
  });

  it('names what it knows of a request without a method', async () => {
    const runner = new InProcessRunner();
    const printed = await stderrOf(async () => {
      runner.schedule([new BackgroundTask(chargeCard)], { url: '/plain' });
      runner.schedule([new BackgroundTask(chargeCard)], {});
      await runner.drain();
    });

    expect(printed).to.include('failed after UNKNOWN /plain\n');
    expect(printed).to.include('failed after UNKNOWN \n');
  });
});
