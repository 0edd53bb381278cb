#!/usr/bin/python3
"""Safetensors writer and strict reader/validator, written from the format description.

Layout: an 8-byte little-endian u64 N, then N bytes of UTF-8 JSON (starting with '{', optionally padded with
trailing spaces), then the byte buffer. Each tensor entry gives dtype, shape and data_offsets [begin, end)
relative to the start of the buffer; the entries must tile the buffer exactly (no holes, no overlaps, nothing
after the last tensor). `__metadata__`, when present, maps strings to strings.

The validator is deliberately stricter than most readers, because it is used to check files written by the C#
side: besides the format rules it requires the header length to be a multiple of 8 (what the reference writer
does, so tensor data stays aligned) unless --allow-unpadded is given.

Usage (no torch needed for this mode):
    /usr/bin/python3 tools/reference/safetensors_io.py check FILE [--compare OTHER] [--allow-unpadded]
FILE / OTHER may be a .safetensors file, a model.safetensors.index.json, or a model folder holding either.
Exit status: 0 when valid (and bitwise equal to OTHER, if given), 1 otherwise, with the problem on stderr.
"""

import json
import os
import struct
import sys

# Element sizes in bytes for the dtype names the format defines (sub-byte F4/F6 types are not supported here).
DTYPE_SIZES = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
    "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
    "I32": 4, "U32": 4, "F32": 4,
    "I64": 8, "U64": 8, "F64": 8, "C64": 8,
}

# The reference implementation refuses headers above this size; so do we.
MAX_HEADER_BYTES = 100 * 1024 * 1024
INDEX_SUFFIX = ".index.json"


class SafetensorsError(Exception):
    """A file that breaks the format (or the stricter rules here); the message names the file and the field."""


class TensorRecord:
    """One tensor as stored: dtype name, shape and its raw little-endian bytes."""

    __slots__ = ("name", "dtype", "shape", "data")

    def __init__(self, name, dtype, shape, data):
        self.name = name
        self.dtype = dtype
        self.shape = tuple(shape)
        self.data = data

    @property
    def numel(self):
        count = 1
        for dim in self.shape:
            count *= dim
        return count


# ----------------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------------

def encode_header(entries, metadata=None):
    """JSON header bytes, padded with spaces to a multiple of 8. `entries`: list of (name, dtype, shape, begin, end)."""
    header = {}
    if metadata is not None:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise SafetensorsError(f"__metadata__ must map strings to strings, got {key!r}: {value!r}")
        header["__metadata__"] = dict(metadata)
    for name, dtype, shape, begin, end in entries:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [begin, end]}
    raw = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return raw + b" " * ((-len(raw)) % 8)


def write_records(path, records, metadata=None):
    """Write TensorRecords in the given order (callers sort them), contiguous from offset 0."""
    entries = []
    offset = 0
    seen = set()
    for rec in records:
        if rec.name in seen or rec.name == "__metadata__":
            raise SafetensorsError(f"{path}: duplicate or reserved tensor name {rec.name!r}")
        seen.add(rec.name)
        if rec.dtype not in DTYPE_SIZES:
            raise SafetensorsError(f"{path}: tensor {rec.name!r} has unsupported dtype {rec.dtype!r}")
        expected = rec.numel * DTYPE_SIZES[rec.dtype]
        if len(rec.data) != expected:
            raise SafetensorsError(
                f"{path}: tensor {rec.name!r} has {len(rec.data)} bytes, shape {list(rec.shape)} x {rec.dtype} needs {expected}")
        entries.append((rec.name, rec.dtype, rec.shape, offset, offset + len(rec.data)))
        offset += len(rec.data)
    header = encode_header(entries, metadata)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(header)))
        handle.write(header)
        for rec in records:
            handle.write(rec.data)


def torch_to_record(name, tensor, dtype_name):
    """Convert a torch tensor to the stored dtype (round-to-nearest-even) and take its little-endian bytes."""
    import torch  # only the fixture generator needs torch

    if sys.byteorder != "little":
        raise SafetensorsError("this writer assumes a little-endian host")
    target = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
              "I64": torch.int64, "I32": torch.int32}[dtype_name]
    converted = tensor.detach().to(target).contiguous().cpu()
    if dtype_name == "BF16":
        # numpy has no bfloat16: reinterpret the 16-bit patterns as int16 to get the bytes.
        data = converted.view(torch.int16).numpy().tobytes()
    else:
        data = converted.numpy().tobytes()
    return TensorRecord(name, dtype_name, list(converted.shape), data)


def write_torch(path, tensors, dtype_name, metadata=None):
    """Write a {name: tensor} dict, all stored as dtype_name, tensors sorted by name. Returns the records written."""
    records = [torch_to_record(name, tensors[name], dtype_name) for name in sorted(tensors)]
    write_records(path, records, metadata if metadata is not None else {"format": "pt"})
    return records


# ----------------------------------------------------------------------------------------------------------
# Strict reading
# ----------------------------------------------------------------------------------------------------------

def _reject_duplicates(path):
    def hook(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise SafetensorsError(f"{path}: header has duplicate key {key!r}")
            result[key] = value
        return result
    return hook


def _reject_constant(path):
    def hook(name):
        raise SafetensorsError(f"{path}: header contains non-JSON number {name}")
    return hook


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def parse_header(path, blob, allow_unpadded=False):
    """Validate the whole file image `blob`; return (metadata, entries sorted by begin offset, buffer start)."""
    if len(blob) < 8:
        raise SafetensorsError(f"{path}: file is {len(blob)} bytes, shorter than the 8-byte header length")
    (header_len,) = struct.unpack("<Q", blob[:8])
    if header_len > MAX_HEADER_BYTES:
        raise SafetensorsError(f"{path}: header length {header_len} exceeds the {MAX_HEADER_BYTES}-byte limit")
    if 8 + header_len > len(blob):
        raise SafetensorsError(f"{path}: header length {header_len} runs past the end of the {len(blob)}-byte file")
    if header_len % 8 != 0 and not allow_unpadded:
        raise SafetensorsError(
            f"{path}: header length {header_len} is not a multiple of 8 (pad the JSON with trailing spaces)")
    raw = blob[8:8 + header_len]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise SafetensorsError(f"{path}: header is not valid UTF-8 ({exc})") from None
    if not text.startswith("{"):
        raise SafetensorsError(f"{path}: header must start with '{{', starts with {text[:1]!r}")
    stripped = text.rstrip(" ")
    if not stripped.endswith("}"):
        raise SafetensorsError(f"{path}: header JSON must end with '}}' followed only by spaces (0x20) as padding")
    try:
        header = json.loads(stripped, object_pairs_hook=_reject_duplicates(path),
                            parse_constant=_reject_constant(path))
    except json.JSONDecodeError as exc:
        raise SafetensorsError(f"{path}: header is not valid JSON ({exc})") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path}: header must be a JSON object")

    metadata = header.pop("__metadata__", None)
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise SafetensorsError(f"{path}: __metadata__ must be an object, got {type(metadata).__name__}")
        for key, value in metadata.items():
            if not isinstance(value, str):
                raise SafetensorsError(f"{path}: __metadata__[{key!r}] must be a string, got {json.dumps(value)}")

    entries = []
    for name, info in header.items():
        entries.append(_parse_entry(path, name, info))
    entries.sort(key=lambda entry: (entry[3], entry[4]))

    buffer_start = 8 + header_len
    buffer_len = len(blob) - buffer_start
    cursor = 0
    for name, dtype, shape, begin, end in entries:
        if begin != cursor:
            what = "overlaps the previous tensor" if begin < cursor else f"leaves a hole of {begin - cursor} bytes"
            raise SafetensorsError(f"{path}: tensor {name!r} data_offsets begin {begin} {what} (expected {cursor})")
        cursor = end
    if cursor != buffer_len:
        raise SafetensorsError(
            f"{path}: tensors cover {cursor} bytes but the buffer after the header has {buffer_len} bytes")
    return metadata, entries, buffer_start


def _parse_entry(path, name, info):
    if not name:
        raise SafetensorsError(f"{path}: empty tensor name")
    where = f"{path}: tensor {name!r}"
    if not isinstance(info, dict):
        raise SafetensorsError(f"{where}: entry must be an object")
    keys = set(info)
    if keys != {"dtype", "shape", "data_offsets"}:
        raise SafetensorsError(f"{where}: entry keys must be dtype, shape, data_offsets; got {sorted(keys)}")
    dtype = info["dtype"]
    if dtype not in DTYPE_SIZES:
        raise SafetensorsError(f"{where}: unknown dtype {json.dumps(dtype)}")
    shape = info["shape"]
    if not isinstance(shape, list) or not all(_is_int(dim) and dim >= 0 for dim in shape):
        raise SafetensorsError(f"{where}: shape must be a list of non-negative integers, got {json.dumps(shape)}")
    offsets = info["data_offsets"]
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(_is_int(value) and value >= 0 for value in offsets)):
        raise SafetensorsError(f"{where}: data_offsets must be two non-negative integers, got {json.dumps(offsets)}")
    begin, end = offsets
    if end < begin:
        raise SafetensorsError(f"{where}: data_offsets end {end} is before begin {begin}")
    numel = 1
    for dim in shape:
        numel *= dim
    if (end - begin) != numel * DTYPE_SIZES[dtype]:
        raise SafetensorsError(
            f"{where}: data_offsets span {end - begin} bytes but shape {shape} x {dtype} "
            f"({DTYPE_SIZES[dtype]} bytes each) needs {numel * DTYPE_SIZES[dtype]}")
    return name, dtype, shape, begin, end


def read_file(path, allow_unpadded=False):
    """Strictly validate one .safetensors file; return (metadata, {name: TensorRecord})."""
    with open(path, "rb") as handle:
        blob = handle.read()
    metadata, entries, start = parse_header(path, blob, allow_unpadded)
    records = {}
    for name, dtype, shape, begin, end in entries:
        records[name] = TensorRecord(name, dtype, shape, blob[start + begin:start + end])
    return metadata, records


def read_index(index_path, allow_unpadded=False):
    """Validate a sharded checkpoint's index and every shard; return {name: TensorRecord} over all shards."""
    try:
        with open(index_path, "r", encoding="utf-8") as handle:
            index = json.load(handle, object_pairs_hook=_reject_duplicates(index_path))
    except json.JSONDecodeError as exc:
        raise SafetensorsError(f"{index_path}: not valid JSON ({exc})") from None
    if not isinstance(index, dict) or not isinstance(index.get("weight_map"), dict):
        raise SafetensorsError(f"{index_path}: field weight_map must be an object of tensor name -> shard file")
    weight_map = index["weight_map"]
    if not weight_map:
        raise SafetensorsError(f"{index_path}: weight_map is empty")
    folder = os.path.dirname(os.path.abspath(index_path))
    shards = {}
    for name, shard in weight_map.items():
        if not isinstance(shard, str) or os.path.basename(shard) != shard:
            raise SafetensorsError(f"{index_path}: weight_map[{name!r}] must be a plain file name, got {shard!r}")
        shards.setdefault(shard, []).append(name)

    records = {}
    for shard, names in sorted(shards.items()):
        shard_path = os.path.join(folder, shard)
        if not os.path.isfile(shard_path):
            raise SafetensorsError(f"{index_path}: shard {shard!r} (for {names[0]!r}) does not exist")
        _, shard_records = read_file(shard_path, allow_unpadded)
        for name in names:
            if name not in shard_records:
                raise SafetensorsError(f"{index_path}: weight_map says {name!r} is in {shard!r}, but it is not there")
        for name, rec in shard_records.items():
            if weight_map.get(name) != shard:
                listed = weight_map.get(name)
                raise SafetensorsError(
                    f"{shard_path}: tensor {name!r} is not mapped to this shard by the index (index says {listed!r})")
            if name in records:
                raise SafetensorsError(f"{index_path}: tensor {name!r} is stored in more than one shard")
            records[name] = rec

    metadata = index.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise SafetensorsError(f"{index_path}: field metadata must be an object")
        total = metadata.get("total_size")
        actual = sum(len(rec.data) for rec in records.values())
        if total is not None and (not _is_int(total) or total != actual):
            raise SafetensorsError(
                f"{index_path}: metadata.total_size is {json.dumps(total)} but the tensors hold {actual} bytes")
    return records


def resolve_checkpoint(path):
    """A model folder, index JSON or .safetensors file -> ('index'|'file', concrete path)."""
    if os.path.isdir(path):
        single = os.path.join(path, "model.safetensors")
        index = os.path.join(path, "model.safetensors" + INDEX_SUFFIX)
        if os.path.isfile(single) and os.path.isfile(index):
            raise SafetensorsError(f"{path}: holds both model.safetensors and model.safetensors.index.json")
        if os.path.isfile(index):
            return "index", index
        if os.path.isfile(single):
            return "file", single
        raise SafetensorsError(f"{path}: no model.safetensors or model.safetensors.index.json")
    if not os.path.isfile(path):
        raise SafetensorsError(f"{path}: no such file")
    return ("index", path) if path.endswith(".json") else ("file", path)


def read_checkpoint(path, allow_unpadded=False):
    """All tensors of a checkpoint (folder, index or single file) as {name: TensorRecord}, strictly validated."""
    kind, concrete = resolve_checkpoint(path)
    if kind == "index":
        return read_index(concrete, allow_unpadded)
    return read_file(concrete, allow_unpadded)[1]


def record_to_torch(rec):
    """Decode a TensorRecord into a torch tensor of its own dtype (copy, so it owns its memory)."""
    import torch
    import numpy as np

    numpy_types = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
                   "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_, "BF16": np.int16}
    if rec.dtype not in numpy_types:
        raise SafetensorsError(f"tensor {rec.name!r}: dtype {rec.dtype} cannot be turned into a torch tensor here")
    array = np.frombuffer(rec.data, dtype=np.dtype(numpy_types[rec.dtype]).newbyteorder("<")).copy()
    tensor = torch.from_numpy(array.reshape(rec.shape))
    if rec.dtype == "BF16":
        tensor = tensor.view(torch.bfloat16)
    return tensor


def load_torch(path, allow_unpadded=False):
    """{name: torch tensor in its stored dtype} for a folder, index or single file."""
    return {name: record_to_torch(rec) for name, rec in read_checkpoint(path, allow_unpadded).items()}


# ----------------------------------------------------------------------------------------------------------
# Self-test: the validator must accept a good file and reject each kind of broken one
# ----------------------------------------------------------------------------------------------------------

def _image(header_obj, buffer, pad_to=8, raw_header=None):
    raw = raw_header if raw_header is not None else json.dumps(header_obj, separators=(",", ":")).encode("utf-8")
    if pad_to:
        raw += b" " * ((-len(raw)) % pad_to)
    return struct.pack("<Q", len(raw)) + raw + buffer


def _newline_padded(header_obj):
    raw = json.dumps(header_obj, separators=(",", ":")).encode("utf-8") + b"\n"
    return raw + b"\n" * ((-len(raw)) % 8)


def selftest():
    """Raise AssertionError unless the reader accepts a valid image and rejects every broken variant."""
    good_header = {"__metadata__": {"format": "pt"},
                   "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                   "b": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [8, 12]}}
    buffer = struct.pack("<2f", 1.0, -2.0) + bytes([0x80, 0x3F, 0x00, 0xC0])  # bf16 1.0 and -2.0
    metadata, entries, start = parse_header("good", _image(good_header, buffer))
    assert metadata == {"format": "pt"} and [e[0] for e in entries] == ["a", "b"] and start % 8 == 0

    def broken(**changes):
        header = json.loads(json.dumps(good_header))
        for key, value in changes.items():
            if value is None:
                del header[key]
            else:
                header[key] = value
        return header

    cases = {
        "hole": _image(broken(b={"dtype": "BF16", "shape": [1, 2], "data_offsets": [9, 13]}), buffer + b"\0"),
        "overlap": _image(broken(b={"dtype": "BF16", "shape": [1, 2], "data_offsets": [6, 10]}), buffer[:10]),
        "trailing bytes": _image(good_header, buffer + b"\0\0"),
        "short buffer": _image(good_header, buffer[:-2]),
        "size mismatch": _image(broken(b={"dtype": "F32", "shape": [1, 2], "data_offsets": [8, 12]}), buffer),
        "unknown dtype": _image(broken(b={"dtype": "bf16", "shape": [1, 2], "data_offsets": [8, 12]}), buffer),
        "negative dim": _image(broken(b={"dtype": "BF16", "shape": [-1, -2], "data_offsets": [8, 12]}), buffer),
        "bool dim": _image(broken(b={"dtype": "BF16", "shape": [True, 2], "data_offsets": [8, 12]}), buffer),
        "extra field": _image(broken(b={"dtype": "BF16", "shape": [2], "data_offsets": [8, 12], "x": 1}), buffer),
        "metadata not string": _image(broken(__metadata__={"format": 1}), buffer),
        "unpadded": _image(None, b"\x01", pad_to=0, raw_header=b'{"a":{"dtype":"U8","shape":[1],'
                                                                 b'"data_offsets":[0,1]}}'),
        "newline padding": _image(None, buffer, pad_to=0, raw_header=_newline_padded(good_header)),
        "duplicate key": _image(None, buffer, raw_header=b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
                                                         b'"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}'),
        "not an object start": _image(None, buffer, raw_header=b' {"a":1}'),
        "header past end": struct.pack("<Q", 10 ** 6) + b"{}",
        "truncated length": b"\x08\0\0",
    }
    for label, image in cases.items():
        try:
            parse_header(label, image)
        except SafetensorsError:
            continue
        raise AssertionError(f"validator accepted a broken file: {label}")
    assert compare_records({"x": TensorRecord("x", "F32", [1], b"\0\0\0\0")},
                           {"x": TensorRecord("x", "F32", [1], b"\0\0\0\x80")}, "l", "r"), "-0.0 vs 0.0 must differ"
    return len(cases)


# ----------------------------------------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------------------------------------

def compare_records(left, right, left_name, right_name):
    """Problems (list of strings) where two checkpoints differ in names, dtype, shape or any byte."""
    problems = []
    for name in sorted(set(left) - set(right)):
        problems.append(f"tensor {name!r} is in {left_name} but not in {right_name}")
    for name in sorted(set(right) - set(left)):
        problems.append(f"tensor {name!r} is in {right_name} but not in {left_name}")
    for name in sorted(set(left) & set(right)):
        a, b = left[name], right[name]
        if a.dtype != b.dtype:
            problems.append(f"tensor {name!r}: dtype {a.dtype} vs {b.dtype}")
        elif a.shape != b.shape:
            problems.append(f"tensor {name!r}: shape {list(a.shape)} vs {list(b.shape)}")
        elif a.data != b.data:
            size = DTYPE_SIZES[a.dtype]
            first = next(i for i in range(len(a.data)) if a.data[i] != b.data[i]) // size
            count = sum(1 for i in range(0, len(a.data), size) if a.data[i:i + size] != b.data[i:i + size])
            problems.append(f"tensor {name!r}: {count} of {a.numel} elements differ bitwise (first at flat index {first})")
    return problems


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(prog="safetensors_io.py", description="Strict safetensors validator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate FILE (a .safetensors, an index JSON or a model folder)")
    check.add_argument("file")
    check.add_argument("--compare", metavar="OTHER", help="also require every tensor to equal OTHER's bitwise")
    check.add_argument("--allow-unpadded", action="store_true",
                       help="accept a header length that is not a multiple of 8")
    sub.add_parser("selftest", help="check that the validator rejects a set of broken files")
    args = parser.parse_args(argv)
    if args.command == "selftest":
        print(f"OK: validator rejected all {selftest()} broken images")
        return 0

    try:
        records = read_checkpoint(args.file, args.allow_unpadded)
        if args.compare:
            other = read_checkpoint(args.compare, args.allow_unpadded)
            problems = compare_records(records, other, args.file, args.compare)
            if problems:
                for problem in problems:
                    print(f"MISMATCH: {problem}", file=sys.stderr)
                return 1
    except (SafetensorsError, OSError) as exc:
        print(f"INVALID: {exc}", file=sys.stderr)
        return 1
    total = sum(len(rec.data) for rec in records.values())
    suffix = f", bitwise equal to {args.compare}" if args.compare else ""
    print(f"OK: {args.file}: {len(records)} tensors, {total} data bytes{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
