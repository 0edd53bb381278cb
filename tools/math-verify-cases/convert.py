#!/usr/bin/python3
"""Turns the verdict cases of Math-Verify's own test suite into a JSON Lines fixture for the C# verifier.

Math-Verify (github.com/huggingface/Math-Verify, MIT licence) states its cases as pytest parametrize lists of
(gold, prediction, expected verdict), graded through a helper `compare_strings(gold, pred, match_types, precision,
strict, allow_set_relation_comp)` or through `verify(parse(gold), parse(pred))`. This script reads the test files as
text (Python's `ast`, nothing is imported or installed), takes every case whose gold and prediction are strings, and
records the options each test passes. Only strings and verdicts are copied, never Math-Verify's code.

Usage: /usr/bin/python3 convert.py MATH_VERIFY_CHECKOUT COMMIT > ../../tests/Rewards.Tests/Fixtures/math-verify-cases.jsonl
       (MATH_VERIFY_CHECKOUT holds tests/test_*.py; COMMIT is the commit they were read at, recorded in each line)
"""
import ast
import json
import math
import pathlib
import sys

# Files with (gold, prediction, verdict) cases. The others test no verdicts: test_configs.py and
# test_string_extraction.py check what `parse` returns, test_timeout.py and test_raise_on_error.py mock internals.
CASE_FILES = [
    "test_all.py", "test_boxed.py", "test_numina_cases.py", "test_open_thoughts.py", "test_strict.py", "test_yujianll.py",
]

# compare_strings' own defaults (tests/test_all.py); `verify(parse(g), parse(p))` uses parse's and verify's
# defaults, which grade the same way apart from the boxed priority (recorded as "harness").
COMPARE_DEFAULTS = {"match_types": ["latex", "expr"], "precision": 6, "strict": True, "allow_set_relation_comp": False}


def literal(node, params):
    """The value of an argument node: a literal, a parameter name, or the one f-string test_all.py uses."""
    if isinstance(node, ast.Name):
        return params[node.id]
    if isinstance(node, ast.JoinedStr):
        # f"{math.sqrt(17):.15f}" and f"$\\sqrt{{17}}$": evaluated with only `math` in scope.
        return eval(compile(ast.Expression(node), "<case>", "eval"), {"__builtins__": {}, "math": math})
    return ast.literal_eval(node)


def parametrize(func):
    """(argument names, list of case tuples) of a @pytest.mark.parametrize decorator, or None."""
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and getattr(dec.func, "attr", None) == "parametrize":
            names = [n.strip() for n in ast.literal_eval(dec.args[0]).split(",")]
            return names, dec.args[1].elts
    return None


def grading_call(func):
    """The compare_strings(...) or verify(parse(...), parse(...)) call inside an `assert ... == ...`."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("compare_strings", "verify"):
            return node
    return None


def options_of(call, params):
    if call.func.id == "verify":
        # test_yujianll.py: verify(parse(gold), parse(pred)) with every default.
        gold, pred = (literal(a.args[0], params) for a in call.args)
        return gold, pred, dict(COMPARE_DEFAULTS, harness="parse_verify_defaults")
    gold, pred = (literal(a, params) for a in call.args[:2])
    options = dict(COMPARE_DEFAULTS, harness="compare_strings")
    for kw in call.keywords:
        options[kw.arg] = literal(kw.value, params)
    return gold, pred, options


def expected_of(func, params):
    """The verdict: the parameter compared with `==`, or the literal on the right of `== 1`."""
    for node in ast.walk(func):
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.Eq):
            return int(literal(node.comparators[0], params))
    raise ValueError(f"{func.name}: no '== expected' assertion")


def cases_of(path, commit):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for func in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")):
        call = grading_call(func)
        if call is None:
            continue
        spec = parametrize(func)
        if spec is None:
            # test_precision: one compare_strings call with literal arguments next to sympy-object asserts.
            for assert_node in (n for n in ast.walk(func) if isinstance(n, ast.Assert)):
                inner = next((c for c in ast.walk(assert_node) if isinstance(c, ast.Call)
                              and getattr(c.func, "id", None) == "compare_strings"), None)
                if inner is not None:
                    yield record(path, commit, func.name, 0, *options_of(inner, {}), expected_of(assert_node, {}))
            continue
        names, rows = spec
        for index, row in enumerate(rows):
            values = [literal(v, {}) for v in row.elts]
            params = dict(zip(names, values))
            yield record(path, commit, func.name, index, *options_of(call, params), expected_of(func, params))


def record(path, commit, test, index, gold, pred, options, expected):
    return {
        "source_file": f"tests/{path.name}",
        "source_commit": commit,
        "test_name": test,
        "case_index": index,
        "gold": gold,
        "prediction": pred,
        "expected": bool(expected),
        "match_types": options["match_types"],
        "precision": options["precision"],
        "strict": options["strict"],
        "allow_set_relation_comp": options["allow_set_relation_comp"],
        "harness": options["harness"],
    }


def main():
    root = pathlib.Path(sys.argv[1])
    commit = sys.argv[2]
    for name in CASE_FILES:
        for case in cases_of(root / "tests" / name, commit):
            print(json.dumps(case, ensure_ascii=False))


if __name__ == "__main__":
    main()
