#!/usr/bin/env python3
"""Reads a safetensors file with the Python standard library alone and prints, per tensor, its
name, dtype, shape, the CRC-32 of its raw bytes and the sum of its values as float32 (added in
double precision, in file order). The output format is the one that slimj's CrossCheckMain prints,
so the two can be compared with diff.

Usage:
  check-safetensors.py FILE            print metadata and tensors
  check-safetensors.py FILE --verify   also rebuild each tensor with torch (torch.frombuffer) and,
                                       if the `safetensors` package imports, load the file with it;
                                       report the comparison on lines starting with '#'

The header is validated as the format requires: u64 little-endian length (at most 100 MB and
within the file), a UTF-8 JSON object without duplicate keys, string-to-string __metadata__, and
tensors whose data_offsets match shape x dtype size and tile the data buffer exactly.
Exit status: 0 if the file is valid (and, with --verify, the checks agree), 1 otherwise.
"""
import json
import struct
import sys
import zlib

MAX_HEADER = 100_000_000
BITS = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8,
    "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16,
    "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64,
    "U64": 64,
}
# struct formats for the dtypes whose values are summed as float32
FLOAT_FORMATS = {"F32": "f", "F16": "e", "F64": "d"}


class BadFile(Exception):
    pass


def no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise BadFile(f"duplicate key {k!r} in the header")
        out[k] = v
    return out


def parse(path):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise BadFile(f"file is {len(blob)} bytes, shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER or n > len(blob) - 8:
        raise BadFile(f"header length {n} exceeds the limit or the file ({len(blob) - 8} bytes)")
    raw_header = blob[8:8 + n]
    if not raw_header.startswith(b"{"):
        raise BadFile("header must start with '{'")
    header = json.loads(raw_header.decode("utf-8", errors="strict"), object_pairs_hook=no_duplicates)
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    for k, v in metadata.items():
        if not isinstance(v, str):
            raise BadFile(f"__metadata__ value of {k!r} is not a string")
    tensors = []
    for name, info in header.items():
        if set(info) != {"dtype", "shape", "data_offsets"}:
            raise BadFile(f"tensor {name!r}: fields {sorted(info)}")
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in BITS:
            raise BadFile(f"tensor {name!r}: unknown dtype {dtype}")
        count = 1
        for d in shape:
            if not isinstance(d, int) or d < 0:
                raise BadFile(f"tensor {name!r}: bad shape {shape}")
            count *= d
        if count * BITS[dtype] % 8 or end - begin != count * BITS[dtype] // 8 or not 0 <= begin <= end:
            raise BadFile(f"tensor {name!r}: data_offsets [{begin}, {end}) do not fit shape {shape} of {dtype}")
        tensors.append((name, dtype, shape, begin, end))
    position = 0
    for name, _, _, begin, end in sorted(tensors, key=lambda t: (t[3], t[4])):
        if begin != position:
            raise BadFile(f"tensor {name!r} starts at {begin}, expected {position} (hole or overlap)")
        position = end
    if position != len(data):
        raise BadFile(f"tensors cover {position} bytes of a {len(data)}-byte data buffer")
    return metadata, tensors, data


def float32_values(dtype, raw):
    """The values as Python floats rounded to float32, or None for dtypes that are not summed."""
    if dtype == "BF16":
        halves = struct.unpack(f"<{len(raw) // 2}H", raw)
        return list(struct.unpack(f"<{len(halves)}f", struct.pack(f"<{len(halves)}I", *[h << 16 for h in halves])))
    fmt = FLOAT_FORMATS.get(dtype)
    if fmt is None:
        return None
    values = struct.unpack(f"<{len(raw) // struct.calcsize(fmt)}{fmt}", raw)
    # round to float32 exactly as a Java (float) cast does (round to nearest even)
    return list(struct.unpack(f"<{len(values)}f", struct.pack(f"<{len(values)}f", *values)))


def describe(name, dtype, shape, raw):
    line = f"tensor {name} {dtype} {list(shape)} crc32={zlib.crc32(raw):08x}"
    values = float32_values(dtype, raw)
    if values is not None:
        s = 0.0
        for v in values:  # plain left-to-right double sum, as the Java side does
            s += v
        bits = struct.unpack("<Q", struct.pack("<d", s))[0]
        line += f" sum={s:.6e} sumbits={bits:016x}"
    return line


def verify(path, tensors, data):
    """Rebuilds each tensor with torch and, if available, loads the file with `safetensors`."""
    ok = True
    try:
        import torch
    except ImportError:
        print("# torch: not available, skipped")
        return ok
    types = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
    checked = 0
    for name, dtype, shape, begin, end in tensors:
        if dtype not in types:
            continue
        raw = data[begin:end]
        t = (torch.frombuffer(bytearray(raw), dtype=types[dtype]) if raw else torch.empty(0, dtype=types[dtype]))
        t = t.reshape(shape)
        expected = float32_values(dtype, raw)
        got = t.to(torch.float32).flatten().tolist()
        if list(t.shape) != list(shape) or got != expected:
            print(f"# torch: MISMATCH for {name}: shape {list(t.shape)}")
            ok = False
        checked += 1
    print(f"# torch {torch.__version__}: rebuilt {checked} float tensors with torch.frombuffer; "
          f"{'shapes and values agree' if ok else 'DISAGREE'}")
    try:
        from safetensors.torch import load_file
        import safetensors
    except ImportError:
        print("# safetensors package: not available, skipped")
        return ok
    loaded = load_file(path)
    same = set(loaded) == {t[0] for t in tensors}
    for name, dtype, shape, begin, end in tensors:
        t = loaded[name]
        raw = data[begin:end]
        as_bytes = bytes(t.contiguous().reshape(-1).view(torch.uint8).tolist())
        if list(t.shape) != list(shape) or as_bytes != raw:
            print(f"# safetensors: MISMATCH for {name}")
            same = False
    print(f"# safetensors {safetensors.__version__} load_file: {len(loaded)} tensors, "
          f"{'bit-identical to the struct parse' if same else 'DIFFERENT'}")
    return ok and same


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--verify"):
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    try:
        metadata, tensors, data = parse(path)
    except (BadFile, ValueError, UnicodeDecodeError) as e:
        print(f"{path}: invalid safetensors file: {e}", file=sys.stderr)
        return 1
    for k, v in metadata.items():
        print(f"metadata {json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}")
    for name, dtype, shape, begin, end in tensors:
        print(describe(name, dtype, shape, data[begin:end]))
    if len(argv) == 3:
        return 0 if verify(path, tensors, data) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
