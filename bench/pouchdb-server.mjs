// A PouchDB server (express-pouchdb on leveldb) for bench/hq.ts's side-by-side replication run.
// Usage: node bench/pouchdb-server.mjs <data dir>; prints {"port": n} when listening on loopback.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const express = require('express');
const PouchDB = require('pouchdb');
const expressPouchDB = require('express-pouchdb');

const dir = process.argv[2];
if (!dir) throw new Error('usage: pouchdb-server.mjs <dir>');
const P = PouchDB.defaults({ prefix: `${dir}/` });
const app = express();
app.use('/', expressPouchDB(P, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: `${dir}/log.txt` }));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
