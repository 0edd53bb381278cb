// Writes the Parquet test fixtures of tests/Trainer.Tests/Fixtures/parquet with DuckDB, a writer other than the
// Parquet.Net library the trainer reads with, so the reader is tested against files it did not produce itself.
//
//   npm ci && node write-fixtures.mjs ../../tests/Trainer.Tests/Fixtures/parquet
//
// The C# tests restate the rows below by hand; change both together.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const outDir = path.resolve(process.argv[2] ?? '../../tests/Trainer.Tests/Fixtures/parquet');
fs.mkdirSync(path.join(outDir, 'split'), { recursive: true });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-fixtures-'));

// One thread: DuckDB then keeps each UNION ALL branch in its own chunk, which is what lets ROW_GROUP_SIZE cut
// row groups smaller than its 2048-row vectors.
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const db = await instance.connect();

const user = (content) => ({ role: 'user', content });
const verlRows = [
  { data_source: 'openai/gsm8k', prompt: [user('What is 2 + 3?')], ability: 'math',
    reward_model: { style: 'rule', ground_truth: '5' }, extra_info: { split: 'train', index: 0, target: '2 + 3 = 5. \\boxed{5}' } },
  { data_source: 'openai/gsm8k', prompt: [{ role: 'system', content: 'You are a careful solver.' }, user('What is 7 * 6?')],
    ability: 'math', reward_model: { style: 'rule', ground_truth: '42' }, extra_info: { split: 'train', index: 1, target: '7 * 6 = 42. \\boxed{42}' } },
  { data_source: 'lighteval/MATH', prompt: [user('Simplify $\\frac{4}{6}$.')], ability: 'math',
    reward_model: { style: 'rule', ground_truth: '\\frac{2}{3}' }, extra_info: { split: 'train', index: 2, target: null } },
  { data_source: 'lighteval/MATH', prompt: [user('Compute $3^2$.')], ability: 'math',
    reward_model: { style: 'rule', ground_truth: '9' }, extra_info: { split: 'test', index: 3, target: '3^2 = 9. \\boxed{9}' } },
  { data_source: 'arith', prompt: [user('Sam has 23 apples and buys 45 more. How many apples does Sam have now?')], ability: 'math',
    reward_model: { style: 'rule', ground_truth: '68' }, extra_info: { split: 'train', index: 4, target: '23 + 45 = 68. \\boxed{68}' } },
  { data_source: 'general_max', prompt: [user('Unicode ÿ 数 é: what is the largest of 3, 9, 4?')], ability: 'general',
    reward_model: { style: 'rule', ground_truth: '9' }, extra_info: { split: 'train', index: 5, target: null } },
  { data_source: 'arith', prompt: [user('A\nmultiline prompt with "quotes" and a\ttab?')], ability: null,
    reward_model: { style: 'rule', ground_truth: '0' }, extra_info: null },
];
const verlColumns = {
  data_source: 'VARCHAR',
  prompt: 'STRUCT(role VARCHAR, content VARCHAR)[]',
  ability: 'VARCHAR',
  reward_model: 'STRUCT(style VARCHAR, ground_truth VARCHAR)',
  extra_info: 'STRUCT(split VARCHAR, "index" BIGINT, target VARCHAR)',
};

let tableCount = 0;
// Loads rows through a JSON file with declared column types, so strings need no SQL escaping.
async function load(rows, columns) {
  const table = `t${tableCount++}`;
  const jsonPath = path.join(scratch, `${table}.json`);
  fs.writeFileSync(jsonPath, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const spec = Object.entries(columns).map(([k, v]) => `'${k}': '${v.replaceAll("'", "''")}'`).join(', ');
  await db.run(`CREATE TABLE ${table} AS SELECT * FROM read_json('${jsonPath}', format='newline_delimited', columns={${spec}})`);
  await db.run(`ALTER TABLE ${table} ADD COLUMN rn BIGINT`);
  await db.run(`UPDATE ${table} SET rn = rowid`);
  return table;
}

// Writes rows [from, to) of a table with row groups of `groupSize` rows and checks DuckDB did cut them so.
async function write(table, file, { groupSize = 1_000_000, codec = 'zstd', from = 0, to = Infinity, format = '' } = {}) {
  const cols = (await db.runAndReadAll(`SELECT column_name FROM (DESCRIBE ${table}) WHERE column_name <> 'rn'`))
    .getRowObjects().map((r) => `"${r.column_name}"`).join(', ');
  const n = Number((await db.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjects()[0].n);
  const end = Math.min(to, n);
  const parts = [];
  for (let start = from; start < end; start += groupSize) {
    parts.push(`SELECT ${cols} FROM ${table} WHERE rn >= ${start} AND rn < ${Math.min(start + groupSize, end)}`);
  }
  if (parts.length === 0) parts.push(`SELECT ${cols} FROM ${table} WHERE false`);
  const target = path.join(outDir, file);
  await db.run(`COPY (${parts.join(' UNION ALL ')}) TO '${target}' (FORMAT parquet, ROW_GROUP_SIZE ${groupSize}, COMPRESSION ${codec}${format})`);
  const groups = (await db.runAndReadAll(
    `SELECT DISTINCT row_group_id AS g, row_group_num_rows AS n FROM parquet_metadata('${target}') ORDER BY g`)).getRowObjects();
  const expected = [];
  for (let start = from; start < end; start += groupSize) expected.push(Math.min(groupSize, end - start));
  const got = groups.map((g) => Number(g.n));
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${file}: row groups ${JSON.stringify(got)}, wanted ${JSON.stringify(expected)}`);
  }
  console.log(`${file}: ${end - from} rows, row groups ${JSON.stringify(got)}, ${codec}${format}`);
  return target;
}

// --- verl schema: the same 7 rows, row groups of 3, in every codec; and split over three files --------------------
const verl = await load(verlRows, verlColumns);
for (const codec of ['zstd', 'snappy', 'gzip', 'uncompressed', 'lz4_raw', 'brotli']) {
  await write(verl, `verl_${codec}.parquet`, { groupSize: 3, codec });
}
// Format version 2: data page v2 headers and DELTA_* encodings instead of plain/dictionary pages.
await write(verl, 'verl_pagev2.parquet', { groupSize: 3, format: ', PARQUET_VERSION V2' });
await write(verl, 'split/part-0.parquet', { groupSize: 2, from: 0, to: 3 });
await write(verl, 'split/part-1.parquet', { groupSize: 2, from: 3, to: 5, codec: 'snappy' });
await write(verl, 'split/part-2.parquet', { groupSize: 2, from: 5, to: 7, codec: 'gzip' });
await write(verl, 'empty.parquet', { from: 0, to: 0 });

// --- null ground truths: row 3 has a null ground_truth, row 4 a null reward_model (row groups of 2) ---------------
const nullRows = [0, 1, 2, 3, 4].map((i) => ({
  data_source: 'arith', prompt: [user(`What is ${i} + ${i}?`)], ability: 'math',
  reward_model: i === 4 ? null : { style: 'rule', ground_truth: i === 3 ? null : String(2 * i) },
  extra_info: { split: 'train', index: i, target: null },
}));
await write(await load(nullRows, verlColumns), 'verl_null_ground_truth.parquet', { groupSize: 2, codec: 'snappy' });

// --- an empty prompt list in row 1 ------------------------------------------------------------------------------
await write(await load([verlRows[0], { ...verlRows[1], prompt: [] }], verlColumns), 'verl_empty_prompt.parquet');

// --- wrong column types -----------------------------------------------------------------------------------------
await write(await load([{ data_source: 'x', prompt: ['What is 1 + 1?'], ability: 'math', reward_model: { style: 'rule', ground_truth: '2' } }],
  { data_source: 'VARCHAR', prompt: 'VARCHAR[]', ability: 'VARCHAR', reward_model: 'STRUCT(style VARCHAR, ground_truth VARCHAR)' }),
'wrong_type_prompt.parquet');
await write(await load([{ data_source: 'x', prompt: [user('Is 2 even?')], ability: 'math', reward_model: { style: 'rule', ground_truth: true } }],
  { data_source: 'VARCHAR', prompt: verlColumns.prompt, ability: 'VARCHAR', reward_model: 'STRUCT(style VARCHAR, ground_truth BOOLEAN)' }),
'wrong_type_ground_truth.parquet');

// --- GSM8K shape (question, answer ending in "#### N"); problems written for these tests ---------------------------
const gsm8kRows = [
  { question: 'Tom has 3 bags with 4 pears each. He eats 2 pears. How many pears are left?',
    answer: 'Tom has 3*4=<<3*4=12>>12 pears.\nAfter eating 2 he has 12-2=<<12-2=10>>10 pears.\n#### 10' },
  { question: 'A shop sells 1,150 pens on Monday and 50 on Tuesday. How many pens in total?',
    answer: 'Total pens: 1,150+50=<<1150+50=1200>>1,200\n#### 1,200' },
  { question: 'Ann reads 6 pages a day for 5 days. How many pages does she read?',
    answer: 'She reads 6*5=<<6*5=30>>30 pages.\n#### 30' },
];
await write(await load(gsm8kRows, { question: 'VARCHAR', answer: 'VARCHAR' }), 'gsm8k.parquet', { groupSize: 2, codec: 'snappy' });
await write(await load([{ question: 'What is 1 + 1?', answer: 'It is 2.' }], { question: 'VARCHAR', answer: 'VARCHAR' }),
  'gsm8k_no_final_answer.parquet');

// --- MATH-500 shape (problem, solution, answer, subject, level, unique_id); row 1's answer is null -----------------
const math500Rows = [
  { problem: 'What is $\\frac{1}{2} + \\frac{1}{4}$?', solution: 'We get $\\frac{2}{4} + \\frac{1}{4} = \\boxed{\\frac{3}{4}}$.',
    answer: '\\frac{3}{4}', subject: 'Prealgebra', level: 1, unique_id: 'test/prealgebra/1.json' },
  { problem: 'Expand $(x+1)^2$.', solution: 'First $\\boxed{x}$ is wrong; $(x+1)^2 = \\boxed{x^{2}+2x+1}$.',
    answer: null, subject: 'Algebra', level: 2, unique_id: 'test/algebra/2.json' },
  { problem: 'Compute $\\sqrt{49}$.', solution: '$\\sqrt{49} = 7$, so the answer is $\\boxed{7}$.',
    answer: '7', subject: 'Prealgebra', level: 1, unique_id: 'test/prealgebra/3.json' },
];
await write(await load(math500Rows, { problem: 'VARCHAR', solution: 'VARCHAR', answer: 'VARCHAR', subject: 'VARCHAR',
  level: 'INTEGER', unique_id: 'VARCHAR' }), 'math500.parquet', { groupSize: 2, codec: 'gzip' });

// --- MATH (lighteval) shape: no answer column, the ground truth is the last \boxed{} of the solution ----------------
const mathRows = [
  { problem: 'Find $\\frac{6}{8}$ in lowest terms.', level: 'Level 1', type: 'Prealgebra',
    solution: 'Divide by 2: $\\boxed{\\frac{3}{4}}$.' },
  { problem: 'What is $2^{10}$?', level: 'Level 2', type: 'Algebra', solution: '$2^{10} = \\boxed{1024}$.' },
];
await write(await load(mathRows, { problem: 'VARCHAR', level: 'VARCHAR', type: 'VARCHAR', solution: 'VARCHAR' }),
  'math_lighteval.parquet', { codec: 'zstd' });
await write(await load([{ problem: 'Say hi.', level: 'Level 1', type: 'Algebra', solution: 'Hi.' }],
  { problem: 'VARCHAR', level: 'VARCHAR', type: 'VARCHAR', solution: 'VARCHAR' }), 'math_no_boxed.parquet');

// --- custom shape: read through a column mapping; the ground truth is an integer column ----------------------------
const customRows = [
  { instruction: 'Count the legs of 2 cats.', gold: 8, origin: 'legs', reference: '2 * 4 = 8. \\boxed{8}' },
  { instruction: 'Count the wheels of 3 bikes.', gold: 6, origin: 'wheels', reference: null },
  { instruction: 'Count the eyes of 5 owls.', gold: 10, origin: 'legs', reference: '5 * 2 = 10. \\boxed{10}' },
];
await write(await load(customRows, { instruction: 'VARCHAR', gold: 'BIGINT', origin: 'VARCHAR', reference: 'VARCHAR' }),
  'custom.parquet', { groupSize: 2, codec: 'zstd' });

// --- corrupt files --------------------------------------------------------------------------------------------
// Truncated: the first half of a good file, so the footer is gone.
const good = fs.readFileSync(path.join(outDir, 'verl_zstd.parquet'));
fs.writeFileSync(path.join(outDir, 'corrupt_truncated.parquet'), good.subarray(0, Math.floor(good.length / 2)));

// Damaged page: the column chunk of reward_model.ground_truth in row group 1 is overwritten, footer intact.
const damaged = path.join(outDir, 'corrupt_page.parquet');
fs.copyFileSync(path.join(outDir, 'verl_uncompressed.parquet'), damaged);
const chunk = (await db.runAndReadAll(`SELECT coalesce(dictionary_page_offset, data_page_offset) AS off, data_page_offset AS dpo,
    total_compressed_size AS size FROM parquet_metadata('${damaged}')
    WHERE row_group_id = 1 AND path_in_schema = 'reward_model, ground_truth'`)).getRowObjects()[0];
const bytes = fs.readFileSync(damaged);
const off = Number(chunk.off < chunk.dpo ? chunk.off : chunk.dpo);
for (let i = 0; i < Number(chunk.size); i++) bytes[off + i] = 0x19 + (i % 7);
fs.writeFileSync(damaged, bytes);
console.log(`corrupt_page.parquet: overwrote ${chunk.size} bytes at ${off}`);

fs.rmSync(scratch, { recursive: true, force: true });
