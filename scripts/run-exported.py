#!/usr/bin/env python3
"""Runs a network exported by `./slimj export` with PyTorch, from its two files alone
(model.json + model.safetensors, read with json/struct/numpy), and compares its predictions with
slimj's. A development-time check that the exported files are self-describing; not a dependency.

Usage:
  run-exported.py DIR PREDICT_JSON [IMAGES_IDX_GZ]

PREDICT_JSON is the output of
  ./slimj predict --model DIR --data sample --json --top K --count N > PREDICT_JSON
and IMAGES_IDX_GZ the test images that command read (default: the embedded sample,
datasets/src/main/resources/org/slimj/datasets/fashion-mnist-sample/t10k-images-idx3-ubyte.gz).
For every image slimj predicted, the script normalises it with the exported mean/std, runs the
layers in order with torch.nn.functional, and compares the top-K classes and their probabilities.
Exit status 0 if the largest probability difference is below 1e-4 and the top-1 classes agree.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, expected F32")
        b, e = info["data_offsets"]
        a = np.frombuffer(data[base + b:base + e], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 2051:
        raise ValueError(f"{path}: not an IDX image file (magic {magic})")
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(count, 1, rows, cols)


def run(spec, tensors, x):
    outs = []
    act = {"none": lambda t: t, "relu": F.relu, "relu6": lambda t: torch.clamp(t, 0, 6)}
    for layer in spec["layers"]:
        i = layer["input"]
        a = x if i < 0 else outs[i]
        kind = layer["kind"]
        w = tensors.get(layer.get("weight"))
        b = tensors.get(layer.get("bias"))
        if kind in ("conv", "depthwise"):
            groups = layer["cin"] if kind == "depthwise" else 1
            y = F.conv2d(a, w, b, stride=layer["stride"], padding=layer["padding"], groups=groups)
        elif kind == "linear":
            y = F.linear(a, w, b)
        elif kind == "add":
            r = layer["residual"]
            y = a + (x if r < 0 else outs[r])
        elif kind == "shortcut":
            s = layer["stride"]
            sub = a[:, : min(layer["cin"], layer["cout"]), ::s, ::s]
            y = F.pad(sub, (0, 0, 0, 0, 0, layer["cout"] - sub.shape[1]))
        elif kind == "pool":
            y = a.mean(dim=(2, 3))
        elif kind == "flatten":
            y = a.flatten(1)
        else:
            raise ValueError(f"unknown layer kind {kind}")
        outs.append(act[layer["activation"]](y))
    return outs[-1]


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    d, predict_json = argv[1], argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    images_path = argv[3] if len(argv) == 4 else os.path.join(
        here, "..", "datasets", "src", "main", "resources", "org", "slimj", "datasets", "fashion-mnist-sample",
        "t10k-images-idx3-ubyte.gz")
    with open(os.path.join(d, "model.json")) as f:
        spec = json.load(f)
    tensors = read_safetensors(os.path.join(d, "model.safetensors"))
    with open(predict_json) as f:
        lines = [ln for ln in f.read().splitlines() if ln.startswith("{")]
    slimj = json.loads(lines[-1])
    images = read_idx_images(images_path)
    idx = [r["index"] for r in slimj["results"]]
    x = torch.from_numpy(images[idx].astype(np.float32) / 255.0)
    norm = spec.get("normalization")
    if norm:
        mean = tensors[norm["mean"]].view(1, -1, 1, 1)
        std = tensors[norm["std"]].view(1, -1, 1, 1)
        x = (x - mean) / std
    with torch.no_grad():
        prob = torch.softmax(run(spec, tensors, x).double(), dim=1)
    worst = 0.0
    agree = 0
    for row, r in enumerate(slimj["results"]):
        top = r["top"]
        agree += int(int(prob[row].argmax()) == top[0]["class"])
        for t in top:
            worst = max(worst, abs(float(prob[row, t["class"]]) - t["probability"]))
    n = len(slimj["results"])
    print(f"{n} images: top-1 agrees on {agree}, largest probability difference {worst:.3g}")
    return 0 if agree == n and worst < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
