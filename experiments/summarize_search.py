#!/usr/bin/env python3
"""Tables of experiments/search-experiments.sh.

  summarize_search.py uniform-widths OUT TARGETS  -> lines "macs T WIDTH" / "latency T WIDTH": the widest
      uniform width whose MACs (or predicted vector-1t latency) is at most T times the maximum's
  summarize_search.py summary OUT TARGETS         -> Markdown summary of every result
"""
import glob
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def uniform_table(out):
    rows = []
    for f in sorted(glob.glob(os.path.join(out, "info-*.json"))):
        w = float(os.path.basename(f)[5:-5])
        d = load(f)
        rows.append((w, d["macs"], d["latency"]["ms_per_image"]))
    rows.sort()
    return rows


def uniform_widths(out, targets):
    rows = uniform_table(out)
    max_macs = max(r[1] for r in rows)
    max_lat = max(r[2] for r in rows)
    for t in targets:
        for kind, idx, top in (("macs", 1, max_macs), ("latency", 2, max_lat)):
            ok = [r for r in rows if r[idx] <= t * top]
            w = max(ok)[0] if ok else rows[0][0]
            print("%s %s %.3f" % (kind, t, w))


def eval_rows(path):
    return load(path)["results"]


def summary(out, targets):
    print("# Search experiments: %s\n" % out)
    log = open(os.path.join(out, "log.txt")).read().strip().splitlines()
    print("Log (UTC times, wall seconds per step):\n\n```\n" + "\n".join(log) + "\n```\n")
    for p in ("v1", "v2"):
        v = load(os.path.join(out, "validate-%s.out" % p))
        print("- latency table %s: MAPE %.1f%% over %d random configurations (%s, %d thread(s), clock %s)"
              % (v["platform"], v["mape_percent"], len(v["results"]), v["backend"], v["threads"], v["clock"]))
    print()
    lat = {}
    for f in glob.glob(os.path.join(out, "info-*.json")):
        d = load(f)
        lat[tuple(d["config"])] = d["latency"]["ms_per_image"]

    def latency_of(cfg, search_files=("greedy.json", "ows-macs.json", "ows-lat.json")):
        if tuple(cfg) in lat:
            return lat[tuple(cfg)]
        for s in search_files:
            for r in load(os.path.join(out, s))["results"]:
                if r["config"] == cfg and "latency:vector-1t" in r["costs"]:
                    return r["costs"]["latency:vector-1t"]
        return float("nan")

    print("## 1. In the supernet (test accuracy after BN calibration)\n")
    print("| series | configuration | MACs (M) | vector-1t latency (ms) | test accuracy (%) |\n|---|---|---|---|---|")
    for name in ("eval-super-uniform", "eval-super-greedy", "eval-super-ows-macs", "eval-super-ows-lat"):
        for r in eval_rows(os.path.join(out, name + ".out")):
            print("| %s | %s | %.2f | %.3f | %.2f |" % (name[11:], r["label"], r["macs"] / 1e6,
                                                      latency_of(r["config"]), 100 * r["accuracy"]))
    print("\n## 2. Retrained from scratch (same epochs and seed for every configuration)\n")
    print("| budget | configuration | MACs (M) | vector-1t latency (ms) | test accuracy (%) |\n|---|---|---|---|---|")
    for t in targets:
        for kind in ("macs", "lat"):
            for src in ("uniform", "greedy", "ows"):
                name = "eval-retrain-%s-%s-%s.out" % (src, kind, t)
                path = os.path.join(out, name)
                if not os.path.exists(path):
                    continue
                r = eval_rows(path)[0]
                print("| %s <= %sx | %s | %.2f | %.3f | %.2f |" % ("MACs" if kind == "macs" else "latency", t, src,
                                                                 r["macs"] / 1e6, latency_of(r["config"]),
                                                                 100 * r["accuracy"]))
    print("\n## 3. One network for two platforms (share-weighted validation accuracy of each platform's OWS optimum)\n")
    print("| CRP alpha | shares | plain supernet (uniform sampling) | multi-platform (mixture sampler) |\n|---|---|---|---|")
    for a in ("0.1", "1", "10"):
        s = load(os.path.join(out, "mp-supernet-crp%s.json" % a))
        m = load(os.path.join(out, "mp-multiplatform-crp%s.json" % a))
        print("| %s | %s | %.2f | %.2f |" % (a, s["settings"]["shares"], 100 * s["settings"]["weighted_val_top1"],
                                           100 * m["settings"]["weighted_val_top1"]))


def main():
    mode, out, targets = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    if mode == "uniform-widths":
        uniform_widths(out, [float(t) for t in targets])
    elif mode == "summary":
        summary(out, targets)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
