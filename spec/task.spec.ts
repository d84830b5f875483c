import { expect } from 'chai';
import { BackgroundTask, BackgroundTasks } from '../index';

function double(value: number): number {
  return value * 2;
}

describe('new BackgroundTask(fn, ...args)', () => {
  it('is named after the function', () => {
    expect(new BackgroundTask(double, 2).name).to.equal('double');
  });

  it("is named 'anonymous' when the function has no name", () => {
    expect(new BackgroundTask(Object.defineProperty(() => 1, 'name', {
      value: '',
    })).name).to.equal('anonymous');
  });

  it('does not call the function when made', () => {
    let calls = 0;
    new BackgroundTask(() => calls++);
    expect(calls).to.equal(0);
  });

  describe('run()', () => {
    it('calls the function with the arguments and resolves with its result', async () => {
      expect(await new BackgroundTask(double, 21).run()).to.equal(42);
    });

    it('awaits an async function', async () => {
      const task = new BackgroundTask(async (text: string) => `${text}!`, 'hi');
      expect(await task.run()).to.equal('hi!');
    });

    it('turns a sync throw into a rejection', async () => {
      const task = new BackgroundTask(() => {
        throw new Error('boom');
      });
      const running = task.run();
      expect(running).to.be.instanceOf(Promise);
      const error = await running.then(() => undefined, (reason) => reason);
      expect(error).to.have.property('message', 'boom');
    });

    it('calls the function again on each run, with the same arguments', async () => {
      const seen: number[] = [];
      const task = new BackgroundTask((value: number) => seen.push(value), 7);
      await task.run();
      await task.run();
      expect(seen).to.deep.equal([7, 7]);
    });
  });

  it('keeps its arguments frozen', () => {
    const task = new BackgroundTask(double, 1);
    expect(Object.isFrozen(task.args)).to.equal(true);
  });
});

describe('new BackgroundTasks()', () => {
  it('starts empty', () => {
    expect(new BackgroundTasks().tasks).to.deep.equal([]);
  });

  it('takes tasks in order', () => {
    const first = new BackgroundTask(double, 1);
    const second = new BackgroundTask(double, 2);
    const list = new BackgroundTasks({ tasks: [first, second] });
    expect(list.tasks).to.deep.equal([first, second]);
  });

  it('copies the array it was given', () => {
    const given = [new BackgroundTask(double, 1)];
    const list = new BackgroundTasks({ tasks: given });
    given.push(new BackgroundTask(double, 2));
    expect(list.tasks).to.have.length(1);
  });

  describe('addTask()', () => {
    it('appends a call and returns the list', () => {
      const list = new BackgroundTasks();
      expect(list.addTask(double, 3).addTask(double, 4)).to.equal(list);
      expect(list.tasks.map((task) => task.args[0])).to.deep.equal([3, 4]);
    });

    it('appends a task made earlier', () => {
      const task = new BackgroundTask(double, 5);
      expect(new BackgroundTasks().addTask(task).tasks).to.deep.equal([task]);
    });

    it('throws a TypeError for something that is no function', () => {
      const list = new BackgroundTasks();
      expect(() => list.addTask('send' as never)).to.throw(
        TypeError,
        'Expected `fn` to be a function, got `"send"` (string)',
      );
    });
  });

  describe('tasks', () => {
    it('is a read-only view', () => {
      const list = new BackgroundTasks().addTask(double, 1);
      expect(Object.isFrozen(list.tasks)).to.equal(true);
    });

    it('shows tasks added later', () => {
      const list = new BackgroundTasks().addTask(double, 1);
      const before = list.tasks;
      list.addTask(double, 2);
      expect(before).to.have.length(1);
      expect(list.tasks).to.have.length(2);
    });
  });

  describe('run()', () => {
    it('runs the tasks in order, each awaited', async () => {
      const seen: string[] = [];
      const list = new BackgroundTasks()
        .addTask(async () => {
          await new Promise((resolve) => setImmediate(resolve));
          seen.push('slow first');
        })
        .addTask(() => seen.push('second'));
      await list.run();
      expect(seen).to.deep.equal(['slow first', 'second']);
    });

    it('stops at the first failure and rethrows it', async () => {
      const seen: string[] = [];
      const list = new BackgroundTasks()
        .addTask(() => {
          throw new Error('first failed');
        })
        .addTask(() => seen.push('second'));
      const error = await list.run().then(() => undefined, (reason) => reason);
      expect(error).to.have.property('message', 'first failed');
      expect(seen).to.deep.equal([]);
    });
  });
});
