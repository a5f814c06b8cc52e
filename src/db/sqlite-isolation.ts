import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * SQLite through better-sqlite3 is one connection. Prisma's adapter makes transactions wait for each
 * other, but a query outside a transaction runs at once, inside whatever transaction another request
 * has open: it would read that transaction's uncommitted rows, and a write of its own would be undone
 * by that transaction's rollback (an audit event or an idempotency record lost for someone else's
 * error). Here every query waits its turn behind open transactions, and they behind it, in order.
 */
export function isolateSqliteQueries(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property === 'connect') return async () => isolate(await target.connect());
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function isolate(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // A FIFO lock: each holder releases it for the next one in line.
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => turn);
    return ready;
  };
  const alone = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };

  return new Proxy(adapter, {
    get(target, property, receiver) {
      switch (property) {
        case 'queryRaw':
          return (query: Parameters<SqlDriverAdapter['queryRaw']>[0]) => alone(() => target.queryRaw(query));
        case 'executeRaw':
          return (query: Parameters<SqlDriverAdapter['executeRaw']>[0]) => alone(() => target.executeRaw(query));
        case 'executeScript':
          return (script: string) => alone(() => target.executeScript(script));
        case 'startTransaction':
          return async (isolationLevel?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
            // The lock is held from BEGIN to COMMIT or ROLLBACK.
            const release = await acquire();
            try {
              return endingWith(await target.startTransaction(isolationLevel), release);
            } catch (error) {
              release();
              throw error;
            }
          };
        default: {
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
}

/** The transaction, releasing the lock once it is committed or rolled back. */
function endingWith(transaction: Transaction, release: () => void): Transaction {
  let isEnded = false;
  const end = () => {
    if (!isEnded) {
      isEnded = true;
      release();
    }
  };
  return new Proxy(transaction, {
    get(target, property, receiver) {
      if (property === 'commit' || property === 'rollback') {
        return async () => {
          try {
            await target[property]();
          } finally {
            end();
          }
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
