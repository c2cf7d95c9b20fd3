// Actions taken with no signal wait on the phone (IndexedDB, through the `idb` library) and go
// out in order when the connection returns. Each carries an Idempotency-Key, so a retry after a
// lost answer never applies twice on the server.
import { openDB, type IDBPDatabase } from "idb";
import { ApiError, api } from "./api";

export interface Action { seq?: number; key: string; path: string; body: unknown; label: string; at: string }
type Listener = () => void;

let db: Promise<IDBPDatabase> | null = null;
const listeners = new Set<Listener>();
let flushing = false;
export const failures: string[] = [];

function store(): Promise<IDBPDatabase> {
  db ??= openDB("siaga-112", 1, {
    upgrade(database) { database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true }); },
  });
  return db;
}

export function onChange(listener: Listener): void { listeners.add(listener); }
const changed = () => listeners.forEach((l) => l());

export async function pending(): Promise<Action[]> {
  return (await store()).getAll("outbox") as Promise<Action[]>;
}

export async function enqueue(path: string, body: unknown, label: string): Promise<void> {
  const action: Action = { key: crypto.randomUUID(), path, body, label, at: new Date().toISOString() };
  await (await store()).add("outbox", action);
  changed();
  await flush();
}

/** Send queued actions oldest first; stop at the first one that cannot reach the server. */
export async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    const database = await store();
    for (const action of (await database.getAll("outbox")) as Action[]) {
      try {
        await api("POST", action.path, action.body, { "Idempotency-Key": action.key });
      } catch (error) {
        if (!(error instanceof ApiError)) break; // no network: keep it, try again later
        failures.push(`${action.label}: ${error.message}`); // refused by the server: drop it
      }
      await database.delete("outbox", action.seq!);
      changed();
    }
  } finally {
    flushing = false;
  }
}

export function startFlushing(): void {
  window.addEventListener("online", () => void flush());
  setInterval(() => void flush(), 5000);
}
