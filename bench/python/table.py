"""Prints bench/run.sh's results as a table of rates and ratios against the targets of the performance issue."""
import math
import sys


def load(path):
    rows = []
    for line in open(path):
        if line.startswith("bench="):
            rows.append(dict(item.split("=", 1) for item in line.split()))
    return rows


def find(rows, bench, **match):
    for row in rows:
        if row["bench"] == bench and all(row.get(k) == str(v) for k, v in match.items()):
            return row
    return None


def main(path):
    rows = load(path)
    machine = next((l.strip("= \n") for l in open(path) if l.startswith("== machine")), "")
    lines = [("benchmark", "Agora", "peer", "ratio", "target")]

    def add(name, agora, peer, ratio, target):
        lines.append((name, agora, peer, ratio, target))

    def spread(r):
        """The slowest and fastest of a benchmark's timed runs, in M decisions/s, when it gives them."""
        if "decisions_per_s_min" not in r:
            return ""
        return f" ({float(r['decisions_per_s_min']) / 1e6:.2f}-{float(r['decisions_per_s_max']) / 1e6:.2f})"

    def ratio_spread(a, b):
        """The ratio of medians, and its worst and best over the runs (slowest against fastest, and back)."""
        ratio = f"{float(a['decisions_per_s']) / float(b['decisions_per_s']):.2f}x"
        if "decisions_per_s_min" in a and "decisions_per_s_min" in b:
            low = float(a["decisions_per_s_min"]) / float(b["decisions_per_s_max"])
            high = float(a["decisions_per_s_max"]) / float(b["decisions_per_s_min"])
            ratio += f" ({low:.2f}-{high:.2f})"
        return ratio

    ult = [r for r in rows if r["bench"] == "ultimatum" and r["rounds"] != "1"]
    one = next((r for r in ult if r["threads"] == "1"), None)
    two = next((r for r in ult if r["threads"] == "2"), None)
    if one:
        rate = float(one["decisions_per_s"])
        runs = f", median of {one['runs']}" if int(one.get("runs", "1")) > 1 else ""
        add(f"ultimatum {int(one['agents']):,} agents x {one['rounds']} rounds, 1 thread{runs}",
            f"{rate / 1e6:.2f} M decisions/s{spread(one)}", "", "", ">= 10 M/s (2 threads)")
        if two:
            same = "identical output" if one.get("digest") == two.get("digest") else "OUTPUT DIFFERS"
            add(f"  the same, 2 threads ({same})",
                f"{float(two['decisions_per_s']) / 1e6:.2f} M decisions/s{spread(two)}",
                "", f"{float(two['decisions_per_s']) / rate:.2f}x", ">= 1.7x")
        best = max(rate, float(two["decisions_per_s"]) if two else 0)
        mesa = find(rows, "ultimatum_mesa")
        if mesa:
            m = float(mesa["decisions_per_s"])
            add(f"  vs Mesa 3 ({int(mesa['agents']):,} agents)", "", f"{m / 1e6:.3f} M/s",
                f"{rate / m:.0f}x / {best / m:.0f}x", ">= 50x")
        numpy = find(rows, "ultimatum_numpy")
        if numpy:
            m = float(numpy["decisions_per_s"])
            add(f"  vs NumPy ({int(numpy['agents']):,} agents)", "", f"{m / 1e6:.2f} M/s",
                f"{rate / m:.1f}x / {best / m:.1f}x", ">= 2x")
        # Numba at the same thread count: @njit on 1 thread, prange on 2 (its JIT compilation timed apart).
        for bench, agora, label in (("ultimatum_numba", one, "@njit"), ("ultimatum_numba_parallel", two, "prange")):
            peer = find(rows, bench)
            if peer and agora:
                m = float(peer["decisions_per_s"])
                threads = f"{peer['threads']} thread" + ("" if peer["threads"] == "1" else "s")
                add(f"  vs Numba {label}, {threads} ({int(peer['agents']):,} agents; "
                    f"JIT {float(peer['jit_seconds']):.1f} s, excluded)", "", f"{m / 1e6:.2f} M/s{spread(peer)}",
                    ratio_spread(agora, peer), ">= 2x")
        floor = find(rows, "floor")
        if floor:
            add("  the floor: 21 exps, a cumulative sum, 1 uniform draw",
                f"{1e9 / rate:.0f} ns/decision", f"{float(floor['ns_per_decision']):.0f} ns (floor)",
                f"{1e9 / rate / float(floor['ns_per_decision']):.1f}x the floor", "")
        add("  peak memory per agent (window 10)", f"{float(one['bytes_per_agent']):.0f} B", "", "", "")
    huge = next((r for r in rows if r["bench"] == "ultimatum" and r["rounds"] == "1"), None)
    if huge:
        add(f"ultimatum {int(huge['agents']):,} agents, 1 round, no history", f"{float(huge['bytes_per_agent']):.0f} B/agent peak",
            "", "", "<= 128 B/agent")
    hold = find(rows, "hold")
    if hold:
        add("hold model, 10^5 pending, 10^7 operations", f"{float(hold['ops_per_s']) / 1e6:.2f} M ops/s", "", "",
            ">= 5 M ops/s")
    mm1, simpy = find(rows, "mm1"), find(rows, "mm1_simpy")
    if mm1 and simpy:
        add("M/M/1, 10^6 customers", f"{float(mm1['customers_per_s']) / 1e6:.2f} M customers/s",
            f"{float(simpy['customers_per_s']) / 1e6:.3f} M/s (SimPy)",
            f"{float(mm1['customers_per_s']) / float(simpy['customers_per_s']):.0f}x", ">= 20x")
    for size in ("small", "large"):
        a, m = find(rows, "schelling", size=size), find(rows, "schelling_mesa", size=size)
        if a and m:
            add(f"Schelling {size}, the engine (median of {a['runs']} / {m['runs']} runs)",
                f"{float(a['median_seconds']) * 1e3:.2f} ms", f"{float(m['median_seconds']) * 1e3:.1f} ms (Mesa)",
                f"{float(m['median_seconds']) / float(a['median_seconds']):.0f}x", ">= 30x")
    for points, label, target in [(2, "2 points x 1000 seeds", ">= 2000 runs/s"), (2000, "2000 points x 1 seed", "")]:
        s1, s2 = find(rows, "sweep", jobs=1, points=points), find(rows, "sweep", jobs=2, points=points)
        if s1 and s2:
            add(f"sweep, 2000 runs of 100 agents x 10 rounds, {label}", f"{float(s1['runs_per_s']):.0f} runs/s (1 job)",
                f"{float(s2['runs_per_s']):.0f} runs/s (2 jobs)",
                f"{float(s2['runs_per_s']) / float(s1['runs_per_s']):.2f}x", target)
    # The dark forest, one row a size: in its file's fixed region (denser as it grows) and at its file's density
    # (the region grows with the civilizations); each row against the size before it, time against n log n.
    for scaling, label in (("fixed", "fixed region"), ("density", "constant density")):
        forest = sorted((r for r in rows if r["bench"] == "dark_forest" and r.get("scaling", "fixed") == scaling),
                        key=lambda r: int(r["civilizations"]))
        for k, r in enumerate(forest):
            n, per = int(r["civilizations"]), float(r["model_bytes_per_civilization"])
            detections = int(r["detections"]) / n
            grown = ""
            if k > 0:
                before = forest[k - 1]
                m = int(before["civilizations"])
                grown = (f"{per / float(before['model_bytes_per_civilization']):.2f}x B/civ, "
                         f"{float(r['seconds']) / float(before['seconds']):.1f}x time for {n / m:.1f}x civs "
                         f"(n log n: {n * math.log(n) / (m * math.log(m)):.1f}x)")
            add(f"dark forest {n:,} civilizations ({label})",
                f"{float(r['seconds']):.1f} s, {per:.0f} B/civ beyond the process, {detections:.0f} detections/civ",
                "", grown, "< 60 s, <= 1 KB/civ" if n >= 1_000_000 and scaling == "density" else "")
    plot = find(rows, "plot")
    if plot:
        add(f"agora plot, {int(plot['rows']):,}-row series (SVG)",
            f"{float(plot['seconds']):.2f} s, {int(plot['peak_kb']) / 1024:.0f} MB peak", "", "", "seconds")
    pandas = find(rows, "csv_pandas")
    for bench, label in (("csv_metrics", "agora metrics --by"), ("csv_analyze", "agora analyze --by")):
        r = find(rows, bench)
        if r:
            mb = int(r["bytes"]) / 1e6
            peer = f"{float(pandas['seconds']):.1f} s, {int(pandas['peak_kb']) / 1024:.0f} MB (pandas)" if pandas else ""
            ratio = (f"{float(r['seconds']) / float(pandas['seconds']):.1f}x time, "
                     f"{int(r['peak_kb']) / int(pandas['peak_kb']):.2f}x memory") if pandas else ""
            add(f"{label}, {int(r['rows']):,} rows ({mb:.0f} MB)",
                f"{float(r['seconds']):.1f} s, {int(r['peak_kb']) / 1024:.0f} MB peak", peer, ratio,
                "pandas' speed, bounded memory")
    lines.append(("(ratios: against Mesa and NumPy, Agora on 1 thread / on 2; against Numba, at its threads; in "
                  "brackets, the slowest and fastest of the timed runs, and the ratio's worst and best over them)",
                  "", "", "", ""))
    widths = [max(len(l[i]) for l in lines[:-1]) for i in range(5)]
    print(f"Machine: {machine.replace('machine: ', '')}")
    for l in lines:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(l)).rstrip())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results.txt")
