"""Checks that the Numba peer (numba_ultimatum.py) runs Agora's model: its statistics over a few seeds against those
of `agora run Scenarios/ultimatum.yaml` at the same size and rounds. Exits 1 when one differs beyond the tolerance.

The two draw from different random streams, so a run's statistics differ by chance; what must agree is their
distribution. Each statistic is averaged over SEEDS seeds on each side and the difference of the two means is
compared with its standard error from the seed-to-seed spread (Welch): a difference above 5 standard errors fails.
With 5 seeds a side the statistic has about 8 degrees of freedom and P(|t_8| > 5) is about 0.001, so a faithful peer
fails one of the 9 statistics less than 1% of the time, while a model difference that moves a statistic by a few
thousandths (at 10^5 agents the standard error of the acceptance rate is about 3e-4) fails it. A floor of 2e-4 of
the value keeps a statistic whose spread is nearly zero from failing on rounding. `--agora-set KEY=VALUE` runs
Agora with an override, to see the check fail on a different model.

    python3 bench/python/check_numba.py [--agents 100000] [--rounds 50] [--seeds 5] [--agora .build/release/agora]
                                        [--parallel THREADS] [--agora-set KEY=VALUE ...]
"""
import argparse
import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numba_ultimatum  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUMMARY = ["mean_offer", "acceptance_rate", "mean_payoff", "mean_payoff_fair_minded", "mean_payoff_self_interested"]
STEPS = ["mean_offer", "acceptance_rate"]
SIGMAS = 5.0
FLOOR = 2e-4


def agora_statistics(agora, agents, rounds, seed, overrides):
    """One `agora run` of Scenarios/ultimatum.yaml: summary.csv's statistics and the first and last steps.csv rows'."""
    with tempfile.TemporaryDirectory() as out:
        command = [agora, "run", os.path.join(ROOT, "Scenarios/ultimatum.yaml"), "--set", f"population.size={agents}",
                   "--set", f"game.rounds={rounds}", "--seed", str(seed), "--out", out, "--quiet", "--no-report"]
        for override in overrides:
            command += ["--set", override]
        subprocess.run(command, check=True)
        with open(os.path.join(out, "summary.csv")) as f:
            summary = next(csv.DictReader(f))
        with open(os.path.join(out, "steps.csv")) as f:
            steps = list(csv.DictReader(f))
    stats = {name: float(summary[name]) for name in SUMMARY}
    for name in STEPS:
        stats[f"first_round_{name}"] = float(steps[0][name])
        stats[f"last_round_{name}"] = float(steps[-1][name])
    return stats


def compare(agora_runs, numba_runs):
    """Rows (statistic, Agora mean, Numba mean, difference, tolerance, ok) over every statistic."""
    rows = []
    for name in agora_runs[0]:
        a = [r[name] for r in agora_runs]
        b = [r[name] for r in numba_runs]
        ma, mb = statistics.fmean(a), statistics.fmean(b)
        se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
        tolerance = max(SIGMAS * se, FLOOR * abs(ma))
        rows.append((name, ma, mb, mb - ma, tolerance, abs(mb - ma) <= tolerance))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--agora", default=os.path.join(ROOT, ".build/release/agora"))
    parser.add_argument("--parallel", type=int, default=0, help="threads of the prange variant (0: the @njit one)")
    parser.add_argument("--agora-set", action="append", default=[], help="an override for Agora's runs only")
    args = parser.parse_args()
    if args.seeds < 2:
        sys.exit("check_numba: --seeds must be at least 2 (the tolerance needs the seed-to-seed spread)")
    if args.parallel:
        numba_ultimatum.numba.set_num_threads(args.parallel)
    kernels = numba_ultimatum.make_kernels(False)
    seeds = range(1, args.seeds + 1)
    agora_runs = [agora_statistics(args.agora, args.agents, args.rounds, s, args.agora_set) for s in seeds]
    numba_runs = [numba_ultimatum.run(args.agents, args.rounds, s, args.parallel > 0, kernels) for s in seeds]
    rows = compare(agora_runs, numba_runs)
    print(f"{args.agents} agents x {args.rounds} rounds, seeds 1-{args.seeds}, mean over seeds"
          + (f", Agora with {' '.join(args.agora_set)}" if args.agora_set else ""))
    print(f"{'statistic':32} {'Agora':>12} {'Numba':>12} {'difference':>12} {'tolerance':>12}")
    for name, ma, mb, d, tol, ok in rows:
        print(f"{name:32} {ma:12.5f} {mb:12.5f} {d:12.5f} {tol:12.5f}{'' if ok else '  DIFFERS'}")
    failed = [r[0] for r in rows if not r[5]]
    if failed:
        print(f"check_numba: the Numba peer differs from Agora on {', '.join(failed)}")
        sys.exit(1)
    print("check_numba: the Numba peer reproduces Agora's statistics")


if __name__ == "__main__":
    main()
