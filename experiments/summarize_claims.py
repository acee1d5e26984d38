#!/usr/bin/env python3
"""Tables of experiments/reproduce-claims.sh: mean over seeds and 95% t-interval of each claim.

  summarize_claims.py uniform-width OUT macs|latency T -> the widest uniform width (of OUT/info-*.json)
      whose MACs (or predicted latency) is at most T times the largest
  summarize_claims.py summary OUT -> Markdown tables with a one-line verdict per claim

Paired comparisons use the per-seed differences (same seed, data order and initialisation for
both arms); a claim "holds" when the 95% interval of the mean difference is above 0, "fails" when
it is below 0, and is "not shown" otherwise. Configurations are never chosen on the test set: the
uniform width is the widest under the budget, searched ones come from the validation split.
"""
import glob
import json
import math
import os
import sys

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
TARGETS = ["0.3", "0.2", "0.1"]
WIDTHS = ["0.125", "0.25", "0.375", "0.5"]
AOWS_BUDGET = "0.2"
ALPHAS = ["0.1", "1", "10"]


def load(path):
    with open(path) as f:
        return json.load(f)


def exists(path):
    return os.path.exists(path) and os.path.getsize(path) > 0


def interval(xs):
    """(mean, half-width of the 95% t-interval, n); half-width nan for n < 2."""
    n = len(xs)
    if n == 0:
        return float("nan"), float("nan"), 0
    m = sum(xs) / n
    if n < 2:
        return m, float("nan"), n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return m, T975.get(n - 1, 1.96) * sd / math.sqrt(n), n


def fmt(xs, scale=100.0):
    m, h, n = interval([x * scale for x in xs])
    if n == 0:
        return "n/a"
    if math.isnan(h):
        return "%.2f (n=1)" % m
    return "%.2f ± %.2f" % (m, h)


def verdict(diffs):
    m, h, n = interval(diffs)
    if n == 0:
        return "no data yet"
    if n < 2:
        return "not shown (fewer than 2 seeds)"
    if m - h > 0:
        return "holds"
    if m + h < 0:
        return "fails (reversed)"
    return "not shown (interval spans 0)"


class Pool:
    """Differences of several rows (widths, budgets) pooled per seed: each seed's mean over the rows
    is one sample, so the interval counts seeds, not rows (rows of one seed are not independent)."""

    def __init__(self):
        self.by_seed = {}

    def add(self, seeds_, diffs):
        for d, x in zip(seeds_, diffs):
            self.by_seed.setdefault(d, []).append(x)

    def samples(self):
        return [sum(v) / len(v) for _, v in sorted(self.by_seed.items())]


def info_rows(out):
    rows = []
    for f in glob.glob(os.path.join(out, "info-*.json")):
        d = load(f)
        rows.append((float(os.path.basename(f)[5:-5]), d["macs"], d["latency"]["ms_per_image"]))
    return sorted(rows)


def uniform_width(out, kind, t):
    rows = info_rows(out)
    idx = 1 if kind == "macs" else 2
    top = max(r[idx] for r in rows)
    ok = [r for r in rows if r[idx] <= float(t) * top]
    return "%.4f" % (max(ok)[0] if ok else rows[0][0])


def eval_rows(path):
    return load(path)["results"]


def by_label_suffix(rows, t):
    for r in rows:
        if r["label"].endswith("<=%sx" % t):
            return r
    return None


def widest_under(rows, key, limit):
    ok = [r for r in rows if r[key] <= limit * (1 + 1e-9)]
    return max(ok, key=lambda r: r[key]) if ok else None


def seeds(out):
    dirs = [p for p in glob.glob(os.path.join(out, "seed*")) if os.path.isdir(p) and p.rsplit("seed", 1)[1].isdigit()]
    return sorted(dirs, key=lambda p: int(p.rsplit("seed", 1)[1]))


def table(title, header, rows):
    print("\n### " + title + "\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")


def claim_a_b(out, ds):
    rows_a, rows_b, all_a, all_b = [], [], Pool(), Pool()
    for w in WIDTHS:
        us, sbn, unc, rnd, used = [], [], [], [], []
        for d in ds:
            if not all(exists(os.path.join(d, f)) for f in ("eval-us.json", "eval-sbn.json", "eval-us-random.json")):
                continue
            ur = next(r for r in eval_rows(os.path.join(d, "eval-us.json")) if abs(r["width"] - float(w)) < 1e-6)
            sr = next(r for r in eval_rows(os.path.join(d, "eval-sbn.json")) if r["macs"] == ur["macs"])
            rr = next(r for r in eval_rows(os.path.join(d, "eval-us-random.json")) if r["macs"] == ur["macs"])
            us.append(ur["accuracy"])
            sbn.append(sr["accuracy"])
            rnd.append(rr["accuracy"])
            used.append(d)
            if exists(os.path.join(d, "eval-us-uncalibrated.json")):
                unc.append(next(r for r in eval_rows(os.path.join(d, "eval-us-uncalibrated.json"))
                                if r["macs"] == ur["macs"])["accuracy"])
        da = [a - b for a, b in zip(us, sbn)]
        db = [a - b for a, b in zip(us, rnd)]
        all_a.add(used, da)
        all_b.add(used, db)
        frac = "%.2f" % (float(w) / 0.5)
        rows_a.append([frac, fmt(us), fmt(unc), fmt(sbn), fmt(da), verdict(da)])
        rows_b.append([frac, fmt(us), fmt(rnd), fmt(db), verdict(db)])
    table("(a) US (calibrated) vs S-Net, test accuracy (%)",
          ["width (of max)", "US calibrated", "US not calibrated", "S-Net", "US − S-Net", "verdict"], rows_a)
    print("\nVerdict (a), all widths pooled: US ≥ S-Net " + verdict(all_a.samples()) + " (mean difference "
          + fmt(all_a.samples()) + ", per-seed means over the widths).")
    table("(b) sandwich + inplace distillation vs random width sampling, test accuracy (%)",
          ["width (of max)", "sandwich + distillation", "random sampling", "difference", "verdict"], rows_b)
    print("\nVerdict (b), all widths pooled: sandwich + distillation > random " + verdict(all_b.samples())
          + " (mean difference " + fmt(all_b.samples()) + ", per-seed means over the widths).")


def claim_c(out, ds):
    rows, pooled = [], Pool()
    rows_r, pooled_r = [], Pool()
    for t in TARGETS:
        uni, gre, uni_r, gre_r, macs_g, used, used_r = [], [], [], [], [], [], []
        for d in ds:
            fu, fg = os.path.join(d, "eval-super-uniform.json"), os.path.join(d, "eval-super-greedy.json")
            if exists(fu) and exists(fg):
                urows = eval_rows(fu)
                top = load(os.path.join(d, "greedy.json"))["settings"]["cost_of_max"]
                g = by_label_suffix(eval_rows(fg), t)
                u = widest_under(urows, "macs", float(t) * top)
                if g and u:
                    gre.append(g["accuracy"])
                    uni.append(u["accuracy"])
                    macs_g.append(g["macs"] / 1e6)
                    used.append(d)
            fru = os.path.join(d, "eval-retrain-uniform-%s.json" % t)
            frg = os.path.join(d, "eval-retrain-greedy-%s.json" % t)
            if exists(fru) and exists(frg):
                uni_r.append(eval_rows(fru)[0]["accuracy"])
                gre_r.append(eval_rows(frg)[0]["accuracy"])
                used_r.append(d)
        diff = [a - b for a, b in zip(gre, uni)]
        diff_r = [a - b for a, b in zip(gre_r, uni_r)]
        pooled.add(used, diff)
        pooled_r.add(used_r, diff_r)
        rows.append(["MACs ≤ %sx" % t, fmt(uni), fmt(gre), fmt(diff), verdict(diff)])
        rows_r.append(["MACs ≤ %sx" % t, fmt(uni_r), fmt(gre_r), fmt(diff_r), verdict(diff_r)])
    table("(c) AutoSlim greedy vs uniform width at equal MACs, in the supernet (test %, BN calibrated)",
          ["budget", "uniform (widest under budget)", "greedy", "greedy − uniform", "verdict"], rows)
    print("\nVerdict (c) supernet, pooled: " + verdict(pooled.samples()) + " (" + fmt(pooled.samples()) + ").")
    table("(c) retrained from scratch (test %)", ["budget", "uniform", "greedy", "greedy − uniform", "verdict"], rows_r)
    print("\nVerdict (c) retrained, pooled: " + verdict(pooled_r.samples()) + " (" + fmt(pooled_r.samples()) + ").")


def claim_d(out, ds):
    rows, pooled = [], Pool()
    for t in TARGETS:
        ows, gre, used = [], [], []
        for d in ds:
            fo, fg = os.path.join(d, "eval-super-ows-lat.json"), os.path.join(d, "eval-super-greedy-lat.json")
            if exists(fo) and exists(fg):
                o, g = by_label_suffix(eval_rows(fo), t), by_label_suffix(eval_rows(fg), t)
                if o and g:
                    ows.append(o["accuracy"])
                    gre.append(g["accuracy"])
                    used.append(d)
        diff = [a - b for a, b in zip(ows, gre)]
        pooled.add(used, diff)
        rows.append(["vector-1t latency ≤ %sx" % t, fmt(gre), fmt(ows), fmt(diff), verdict(diff)])
    table("(d) OWS vs greedy at equal latency, in the supernet (test %)",
          ["budget", "greedy", "OWS", "OWS − greedy", "verdict"], rows)
    print("\nVerdict (d) OWS ≥ greedy, pooled: " + verdict(pooled.samples()) + " (" + fmt(pooled.samples()) + ").")
    aows, ows = [], []
    for d in ds:
        fa, fo = os.path.join(d, "eval-aows-lat.json"), os.path.join(d, "eval-super-ows-lat.json")
        if exists(fa) and exists(fo):
            a, o = by_label_suffix(eval_rows(fa), AOWS_BUDGET), by_label_suffix(eval_rows(fo), AOWS_BUDGET)
            if a and o:
                aows.append(a["accuracy"])
                ows.append(o["accuracy"])
    diff = [a - b for a, b in zip(aows, ows)]
    table("(d) AOWS vs OWS at latency ≤ %sx (each network's own OWS answer, test %%)" % AOWS_BUDGET,
          ["OWS (uniform sampling)", "AOWS (sampling near the budget)", "AOWS − OWS", "verdict"],
          [[fmt(ows), fmt(aows), fmt(diff), verdict(diff)]])


def claim_e(out, ds):
    rows, pooled = [], Pool()
    for t in ["0.5"] + TARGETS:
        jo, us, used = [], [], []
        for d in ds:
            fj, fu = os.path.join(d, "joslim-front.json"), os.path.join(d, "eval-us.json")
            if not (exists(fj) and exists(fu)):
                continue
            top = max(r["macs"] for r in eval_rows(fu))
            front = [r for r in load(fj)["results"] if r["costs"]["macs"] <= float(t) * top * (1 + 1e-9)]
            u = widest_under(eval_rows(fu), "macs", float(t) * top)
            if not front or not u or "test_top1" not in front[0]["how"]:
                continue
            best = min(front, key=lambda r: r["how"]["val_loss"])  # chosen on the validation split
            jo.append(best["how"]["test_top1"])
            us.append(u["accuracy"])
            used.append(d)
        diff = [a - b for a, b in zip(jo, us)]
        pooled.add(used, diff)
        rows.append(["MACs ≤ %sx" % t, fmt(us), fmt(jo), fmt(diff), verdict(diff)])
    table("(e) Joslim front vs US uniform widths at equal MACs (test %; Joslim's member chosen by validation loss)",
          ["budget", "US (widest uniform under budget)", "Joslim", "Joslim − US", "verdict"], rows)
    print("\nVerdict (e) Joslim ≥ US, pooled: " + verdict(pooled.samples()) + " (" + fmt(pooled.samples()) + ").")


def weighted(d, name):
    s, e = os.path.join(d, "mpsearch-%s.json" % name), os.path.join(d, "eval-mpsearch-%s.json" % name)
    if not (exists(s) and exists(e)):
        return None
    shares = [r["how"]["share"] for r in load(s)["results"]]
    accs = [r["accuracy"] for r in eval_rows(e)]
    return sum(a * w for a, w in zip(accs, shares)) / sum(shares), shares


def claim_f(out, ds):
    rows, pooled = [], Pool()
    for a in ALPHAS:
        plain, mp, shares, used = [], [], [], []
        for d in ds:
            p, m = weighted(d, "supernet-crp" + a), weighted(d, "mp-crp%s-crp%s" % (a, a))
            if p and m:
                plain.append(p[0])
                mp.append(m[0])
                shares.append("/".join("%.2f" % x for x in m[1]))
                used.append(d)
        diff = [x - y for x, y in zip(mp, plain)]
        pooled.add(used, diff)
        rows.append([a, ", ".join(shares), fmt(plain), fmt(mp), fmt(diff), verdict(diff)])
    table("(f) multi-platform training vs the plain supernet, share-weighted test accuracy (%)",
          ["CRP alpha", "shares per seed (lat/macs)", "plain supernet", "multi-platform", "difference", "verdict"], rows)
    print("\nVerdict (f), pooled: " + verdict(pooled.samples()) + " (" + fmt(pooled.samples()) + ").")


def summary(out):
    ds = seeds(out)
    print("# Claims (a)-(f): %s\n" % out)
    print("Seeds: %s. Mean ± half-width of the 95%% t-interval over seeds; differences are paired by seed."
          % ", ".join(os.path.basename(d)[4:] for d in ds))
    if exists(os.path.join(out, "profile-validate.json")):
        v = load(os.path.join(out, "profile-validate.json"))
        print("Latency table vector-1t: MAPE %.1f%% over %d random configurations." % (v["mape_percent"], len(v["results"])))
    claim_a_b(out, ds)
    claim_c(out, ds)
    claim_d(out, ds)
    claim_e(out, ds)
    claim_f(out, ds)
    print("\n### Log\n\n```\n" + open(os.path.join(out, "log.txt")).read().strip() + "\n```")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "uniform-width" and len(sys.argv) == 5:
        print(uniform_width(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "summary":
        summary(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
