#!/usr/bin/python3
"""Ratio tables slimj vs PyTorch from the raw results of bench/compare-pytorch.sh (stdlib only).

Reads, in --raw DIR: slimj_layers_tT.json, slimj_train_tT.json, slimj_infer_tT.json (the JSON of
./slimj bench layers|train|infer, see ../shared/perf/LAYERS.md), torch_tT.json (bench_torch.py --out),
peak.txt / peak512.txt (peak programs' output) and meta.txt (machine lines). Writes Markdown to --out
and prints it.

Ratio = PyTorch time / slimj time, i.e. slimj's speed relative to PyTorch: above 1, slimj is faster.
Layers at 50% width are compared with PyTorch's "slice-view" variant (the weight is a slice of the
full-width tensor, as in slimj); the "contig" variant (a separate small weight) is shown beside it.
"""
import argparse
import json
import math
import os
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def text(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().rstrip("\n")


def fmt(v, digits=2):
    return "n/a" if v is None else f"{v:.{digits}f}"


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def ratio(torch_ms, ours_ms):
    return torch_ms / ours_ms if torch_ms is not None and ours_ms else None


def torch_layer(torch, name, frac, variant):
    for r in (torch or {}).get("layers", []):
        if r["layer"] == name and abs(r["frac"] - frac) < 1e-9 and r["variant"] == variant:
            return r
    return None


def layer_rows(raw, threads):
    rows = []
    for t in threads:
        ours = load(os.path.join(raw, f"slimj_layers_t{t}.json"))
        torch = load(os.path.join(raw, f"torch_t{t}.json"))
        for r in (ours or {}).get("results", []):
            fwd = r["pass"] == "forward"
            key = "fwd" if fwd else "fwdbwd"
            main = torch_layer(torch, r["layer"], r["frac"], "contig" if r["frac"] == 1.0 else "slice-view")
            contig = torch_layer(torch, r["layer"], r["frac"], "contig") if r["frac"] != 1.0 else None
            tms = main[key]["median"] * 1e3 if main else None
            cms = contig[key]["median"] * 1e3 if contig else None
            rows.append({
                "layer": r["layer"], "frac": r["frac"], "pass": r["pass"], "threads": t,
                "ours_ms": r["median_ms"], "ours_gflops": r["gflops"],
                "torch_ms": tms, "torch_gflops": main[key + "_gflops"] if main else None,
                "ratio": ratio(tms, r["median_ms"]), "ratio_contig": ratio(cms, r["median_ms"]),
            })
    return rows


def train_rows(raw, threads):
    rows = []
    for t in threads:
        ours = load(os.path.join(raw, f"slimj_train_t{t}.json"))
        torch = load(os.path.join(raw, f"torch_t{t}.json"))
        slim = (torch or {}).get("slim")
        tms = slim["sandwich_fixed_1_.25_.75_.5"]["median"] * 1e3 if slim else None
        if ours is None:
            continue
        rows.append({"threads": t, "ours_ms": ours["ms_per_step"], "ours_ips": ours["images_per_s"],
                     "torch_ms": tms, "torch_ips": 64 / (tms * 1e-3) if tms else None})
        # images per second, so the ratio stays meaningful when slimj ran another batch (QUICK mode)
        rows[-1]["ratio"] = ours["images_per_s"] / rows[-1]["torch_ips"] if tms else None
    return rows


def infer_rows(raw, threads):
    rows = []
    for t in threads:
        ours = load(os.path.join(raw, f"slimj_infer_t{t}.json"))
        torch = load(os.path.join(raw, f"torch_t{t}.json"))
        by_width = {round(m["width"], 4): m for m in (torch or {}).get("mbv2", [])}
        for r in (ours or {}).get("results", []):
            m = by_width.get(round(r["width"], 4))
            tms = m["infer_b1"]["median"] * 1e3 if m else None
            rows.append({"width": r["width"], "threads": t, "ours_ms": r["median_ms"], "torch_ms": tms,
                         "ratio": ratio(tms, r["median_ms"])})
    return rows


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def report(raw, threads, quick):
    lines = ["# slimj vs PyTorch, side by side on one machine", ""]
    if quick:
        lines += ["**QUICK mode: a check of the pipeline, not a measurement** (one repetition, slimj's training "
                  "step at a small batch, PyTorch's layers only with its waiting for a quiet machine turned off).", ""]
    lines += ["Ratio = PyTorch time / slimj time: above 1 slimj is faster. Made by `bench/compare-pytorch.sh`; "
              "raw results in `" + raw + "`.", ""]
    meta = text(os.path.join(raw, "meta.txt"))
    if meta:
        lines += ["## Machine and run", "", "```", meta, "```", ""]
    peaks = [p for p in (text(os.path.join(raw, "peak.txt")), text(os.path.join(raw, "peak512.txt"))) if p]
    if peaks:
        lines += ["## Peak programs", "", "```", *peaks, "```", ""]

    lr = layer_rows(raw, threads)
    lines += ["## Reference layers (LAYERS.md, batch 64)", ""]
    lines += table(["layer", "frac", "pass", "T", "slimj ms", "slimj GFLOP/s", "PyTorch ms", "PyTorch GFLOP/s",
                    "ratio", "ratio vs PyTorch contig"],
                   [[r["layer"], r["frac"], r["pass"], r["threads"], fmt(r["ours_ms"], 3), fmt(r["ours_gflops"], 1),
                     fmt(r["torch_ms"], 3), fmt(r["torch_gflops"], 1), fmt(r["ratio"]),
                     fmt(r["ratio_contig"]) if r["frac"] != 1.0 else "-"] for r in lr])
    lines.append("")
    gm = [[f"T={t}", fmt(geomean([r["ratio"] for r in lr if r["threads"] == t]))] for t in threads]
    gm.append(["all", fmt(geomean([r["ratio"] for r in lr]))])
    for p in ("forward", "forward_backward"):
        gm.append([p, fmt(geomean([r["ratio"] for r in lr if r["pass"] == p]))])
    lines += ["Geometric mean of the layer ratios:", ""] + table(["over", "geomean ratio"], gm) + [""]

    tr = train_rows(raw, threads)
    lines += ["## Sandwich training step (MobileNet v2, CIFAR 3x32x32, widths 1.0, 0.25, 0.75, 0.5, "
              "inplace distillation; PyTorch: slim -> sandwich_fixed_1_.25_.75_.5, batch 64; ratio of images per second)", ""]
    lines += table(["T", "slimj ms/step", "slimj img/s", "PyTorch ms/step", "PyTorch img/s", "ratio"],
                   [[r["threads"], fmt(r["ours_ms"], 1), fmt(r["ours_ips"], 1), fmt(r["torch_ms"], 1),
                     fmt(r["torch_ips"], 1), fmt(r["ratio"])] for r in tr]) + [""]

    ir = infer_rows(raw, threads)
    lines += ["## Batch-1 inference per width (MobileNet v2, CIFAR; PyTorch: mbv2 -> infer_b1)", ""]
    lines += table(["width", "T", "slimj ms", "PyTorch ms", "ratio"],
                   [[r["width"], r["threads"], fmt(r["ours_ms"], 3), fmt(r["torch_ms"], 3), fmt(r["ratio"])]
                    for r in ir]) + [""]
    lines += ["Notes: slimj's inference uses batch-norm statistics calibrated once per width on random images "
              "(not timed); PyTorch's `infer_b1` runs a separate plain network per width. Missing PyTorch figures "
              "(n/a) mean that section was not run or not found in its JSON.", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", type=int, default=0)
    a = ap.parse_args()
    md = report(a.raw, [int(t) for t in a.threads.split(",")], a.quick)
    with open(a.out, "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    sys.exit(main())
