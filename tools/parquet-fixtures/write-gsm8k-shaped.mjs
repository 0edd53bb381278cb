// Writes a GSM8K-shaped Parquet file (columns question, answer; the answer's working ends in "#### N", as in
// openai/gsm8k) of generated two-step word problems, for measurements on real model shapes (tools/measure/scale.sh).
// Not a test fixture: the measurement makes it on the fly.
//
//   npm install --no-package-lock && node write-gsm8k-shaped.mjs OUT.parquet [ROWS=32] [SEED=0]
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';

const target = path.resolve(process.argv[2] ?? 'gsm8k-shaped.parquet');
const rows = Number(process.argv[3] ?? 32);
const mask = 0xffffffffffffffffn;
let state = BigInt(process.argv[4] ?? 0);
// splitmix64: a seeded generator, so the same arguments give the same file.
const next = (n) => {
  state = (state + 0x9e3779b97f4a7c15n) & mask;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  return Number((z ^ (z >> 31n)) % BigInt(n));
};
const names = ['Tom', 'Ann', 'Lena', 'Omar', 'Kai', 'Rosa', 'Ivan', 'Mei'];
const items = ['pears', 'pens', 'stickers', 'marbles', 'books', 'shells'];
const problems = [];
for (let i = 0; i < rows; i++) {
  const [who, item] = [names[next(names.length)], items[next(items.length)]];
  const [boxes, each] = [2 + next(8), 2 + next(12)];
  const total = boxes * each;
  const gone = 1 + next(total - 1);
  const left = total - gone;
  problems.push({
    question: `${who} has ${boxes} boxes with ${each} ${item} in each. ${who} gives away ${gone} ${item}. How many ${item} are left?`,
    answer: `${who} has ${boxes}*${each}=<<${boxes}*${each}=${total}>>${total} ${item}.\n` +
      `After giving away ${gone}, ${total}-${gone}=<<${total}-${gone}=${left}>>${left} are left.\n#### ${left}`,
  });
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await (await DuckDBInstance.create(':memory:')).connect();
const values = problems.map((p) => `(${quote(p.question)}, ${quote(p.answer)})`).join(', ');
await db.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(question, answer)) TO ${quote(target)} (FORMAT parquet)`);
console.log(`wrote ${target}: ${rows} rows`);
