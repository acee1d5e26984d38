#!/usr/bin/python3
"""Summarises the eval --json files of experiments/bn-and-sampling.sh as Markdown tables."""
import json, os, sys

out = sys.argv[1]

def acc(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {round(r["width"], 2): r for r in json.load(f)["results"]}

widths = [0.25, 0.5, 0.75, 1.0]
single = {}
for w in widths:
    single.update(acc("single-%s.json" % w))

def row(label, d):
    cells = ["%.2f" % (100 * d[w]["accuracy"]) if w in d else "–" for w in widths]
    return "| %s | %s |" % (label, " | ".join(cells))

print("| test accuracy (%) | " + " | ".join("w=%s" % w for w in widths) + " |")
print("|---|" + "---|" * len(widths))
macs = acc("sbn.json")
print("| MACs (M) | " + " | ".join("%.2f" % (macs[w]["macs"] / 1e6) if w in macs else "–" for w in widths) + " |")
print(row("individual networks (single)", single))
print(row("S-BN (sbn)", acc("sbn.json")))
print(row("naive shared BN (naive)", acc("naive.json")))
print(row("US, calibrated", acc("us-calibrated.json")))
print(row("US, not calibrated", acc("us-uncalibrated.json")))
print(row("US, random widths (no sandwich, no distillation)", acc("us-random.json")))
print(row("US, sandwich without inplace distillation", acc("us-nodistill.json")))
