#!/usr/bin/env python3
"""The grid that fitted the human preset's stake response (docs/validation.md, "Stake response").

Reads the preset's segments from a run's manifest.json (so the grid plays exactly the shipped preset), varies
`stake_response.elasticity` and `risk_slope` on every segment, plays the one-shot ultimatum at the reference stake
and at 100 times it (40,000 agents, offers on 1% of the stake, fixed roles, seed 1), and prints each pair's mean
offer change, rejection-rate ratio and loss against the two fitted rows of Validation/stake_targets.csv.

    python3 Validation/stake_grid.py [--agora .build/debug/agora] [--preset human]
"""
import argparse, csv, json, os, subprocess, tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--agora", default=".build/debug/agora")
parser.add_argument("--preset", default="human")
parser.add_argument("--elasticities", default="0.05,0.1,0.2,0.25,0.3,0.4")
parser.add_argument("--risk-slopes", default="0,0.3,0.5,0.6,0.8,1.0")
args = parser.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
targets = {r["statistic"]: r for r in csv.DictReader(open(os.path.join(here, "stake_targets.csv")))}
offer_t, ratio_t = targets["mean_offer_change_100x"], targets["rejection_rate_ratio_100x"]
work = tempfile.mkdtemp()


def run(population, stake):
    scenario = {"name": "stake-grid", "seed": 1, "output": {"agents": False, "steps": False},
                "game": {"type": "ultimatum", "stake": stake, "offer_grid": 0.01, "rounds": 1, "roles": "fixed"},
                "population": population}
    path = os.path.join(work, "s.yaml")
    json.dump(scenario, open(path, "w"))  # JSON is YAML
    out = os.path.join(work, "out")
    subprocess.run([args.agora, "run", path, "--out", out, "--quiet", "--force", "--no-report"], check=True)
    row = next(csv.DictReader(open(os.path.join(out, "summary.csv"))))
    return float(row["mean_offer"]), float(row["rejection_rate"])


base = {"preset": args.preset, "size": 40000}
run(base, 100)
segments = json.load(open(os.path.join(work, "out", "manifest.json")))["scenario"]["population"]["segments"]
reference = segments[0].get("stake_response", {}).get("reference", 100)
offer0, rejection0 = run(base, reference)
print(f"reference stake {reference:g}: mean offer {offer0:.4f}, rejection rate {rejection0:.4f}")
print("elasticity,risk_slope,mean_offer_100x,rejection_rate_100x,offer_change,rejection_ratio,loss")
for e in map(float, args.elasticities.split(",")):
    for k in map(float, args.risk_slopes.split(",")):
        for s in segments:
            s["stake_response"] = {"reference": reference, "elasticity": e, "risk_slope": k}
        offer, rejection = run({"size": 40000, "segments": segments}, 100 * reference)
        change, ratio = offer - offer0, rejection / rejection0
        loss = ((change - float(offer_t["target"])) / float(offer_t["tolerance"])) ** 2 + (
            (ratio - float(ratio_t["target"])) / float(ratio_t["tolerance"])) ** 2
        print(f"{e:g},{k:g},{offer:.4f},{rejection:.4f},{change:+.4f},{ratio:.3f},{loss:.2f}", flush=True)
