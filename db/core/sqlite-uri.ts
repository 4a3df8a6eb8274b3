import { isMainThread } from 'node:worker_threads';

// better-sqlite3 accepts SQLite URI file names (needed to read a file without touching anything beside
// it) only when SQLITE_USE_URI=1 is in the process environment as its native module first loads. Only
// the main thread's process.env is the real environment, so this module is imported by the main thread
// before any worker thread that opens case files starts. Paths are always made absolute before they
// reach SQLite, so no ordinary file name is ever read as a URI.
if (isMainThread) process.env.SQLITE_USE_URI = '1';
