#!/usr/bin/env python3
"""Precision and recall of `redshield screen` on labelled listings.

Input: the generator's labelled JSONL (tools/gen_listings.py) and the
screener's output for the same file run with --all (one line per listing).
A listing counts as flagged when its score is at least --threshold (the
screener's default, 50).

Prints:
  * overall precision, recall and F1;
  * per listing kind: how many, how many flagged, and recall (kinds that
    should be flagged) or false-positive rate (kinds that should not), then
    the same per variant (the evasion technique for `evasive`);
  * per reason kind (brand, jargon, price, blacklist, unauthorized, license):
    among flagged listings that carry the reason, the share that are
    counterfeit (precision), and the share of counterfeit listings that
    carry it (coverage);
  * with --examples N, N missed and N wrongly flagged listings of each kind.
Exits 1 if precision < --min-precision or recall < --min-recall.

Usage:
  redshield screen --brands ... --lexicon ... --blacklist ... --all L.jsonl -o S.jsonl
  tools/eval_screening.py L.jsonl S.jsonl
"""
import argparse
import collections
import gzip
import json
import sys


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def ratio(part, whole):
    return part / whole if whole else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labelled")
    parser.add_argument("screened")
    parser.add_argument("--threshold", type=int, default=50)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--min-precision", type=float, default=0.95)
    parser.add_argument("--min-recall", type=float, default=0.90)
    args = parser.parse_args()

    scored = {}
    for row in read_jsonl(args.screened):
        scored[str(row["id"])] = row

    kinds = collections.defaultdict(lambda: [0, 0])      # kind -> [n, flagged]
    variants = collections.defaultdict(lambda: [0, 0])   # (kind, variant) -> [n, flagged]
    reason_flagged = collections.Counter()               # reason kind -> flagged listings carrying it
    reason_true = collections.Counter()                  # ... of which counterfeit
    reason_cover = collections.Counter()                 # counterfeit flagged listings carrying it
    is_counterfeit_kind = {}
    examples = collections.defaultdict(list)
    tp = fp = fn = tn = missing = 0
    for row in read_jsonl(args.labelled):
        label = row["label"]
        kind, counterfeit = label["kind"], bool(label["counterfeit"])
        is_counterfeit_kind[kind] = counterfeit
        result = scored.get(str(row["id"]))
        if result is None:
            missing += 1
            continue
        flagged = result["score"] >= args.threshold
        kinds[kind][0] += 1
        kinds[kind][1] += flagged
        variants[(kind, label.get("variant", ""))][0] += 1
        variants[(kind, label.get("variant", ""))][1] += flagged
        reason_kinds = {reason["kind"] for reason in result["reasons"]}
        if flagged:
            for reason_kind in reason_kinds:
                reason_flagged[reason_kind] += 1
                reason_true[reason_kind] += counterfeit
                if counterfeit:
                    reason_cover[reason_kind] += 1
        if counterfeit and flagged:
            tp += 1
        elif counterfeit:
            fn += 1
            if args.examples and len(examples[("missed", kind)]) < args.examples:
                examples[("missed", kind)].append((row, result))
        elif flagged:
            fp += 1
            if args.examples and len(examples[("wrongly flagged", kind)]) < args.examples:
                examples[("wrongly flagged", kind)].append((row, result))
        else:
            tn += 1

    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    print(f"listings {tp + fp + fn + tn:,}  threshold {args.threshold}  "
          f"(missing from the screener's output: {missing:,})")
    print(f"overall   precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"(TP {tp:,} FP {fp:,} FN {fn:,} TN {tn:,})")
    print()
    print(f"{'kind':<14}{'should flag':>12}{'listings':>11}{'flagged':>10}{'recall / FP rate':>20}")
    for kind in sorted(kinds, key=lambda k: (not is_counterfeit_kind[k], k)):
        n, flagged = kinds[kind]
        counterfeit = is_counterfeit_kind[kind]
        measure = f"recall {ratio(flagged, n):.4f}" if counterfeit else f"FP rate {ratio(flagged, n):.4f}"
        print(f"{kind:<14}{'yes' if counterfeit else 'no':>12}{n:>11,}{flagged:>10,}{measure:>20}")
        for (variant_kind, variant), (vn, vflagged) in sorted(variants.items()):
            if variant_kind == kind and variant:
                label = "recall" if counterfeit else "FP rate"
                print(f"  {variant:<24}{vn:>21,}{vflagged:>10,}{label:>11} {ratio(vflagged, vn):.4f}")
    print()
    counterfeit_flagged = tp
    print(f"{'reason':<14}{'flagged with it':>16}{'precision':>11}{'coverage':>10}")
    for reason_kind in ["brand", "jargon", "price", "blacklist", "unauthorized", "license"]:
        print(f"{reason_kind:<14}{reason_flagged[reason_kind]:>16,}"
              f"{ratio(reason_true[reason_kind], reason_flagged[reason_kind]):>11.4f}"
              f"{ratio(reason_cover[reason_kind], counterfeit_flagged):>10.4f}")
    for (what, kind), items in sorted(examples.items()):
        print(f"\n{what}: {kind}")
        for row, result in items:
            reasons = ", ".join(f"{r['kind']}:{r.get('term', '')}:{r.get('points', '')}"
                                for r in result["reasons"])
            print(f"  [{result['score']}] {row['title']} | {row.get('category')} | {row['price']} | "
                  f"{row['seller_name']} | {row['label'].get('variant')} | {reasons}")
    ok = precision >= args.min_precision and recall >= args.min_recall
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
