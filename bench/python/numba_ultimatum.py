"""The ultimatum model of Scenarios/ultimatum.yaml in Numba: the compiled peer a performance-minded user would write.

Exactly Agora's model (Sources/Agora/Games/DivisionKernel.swift, DivisionRun.swift, RoundPairing.swift,
Sources/Agora/Agents/ChoiceDecoder.swift, Memory.swift, Utility.swift): 60% fair-minded agents (envy ~ normal(0.8,
0.3) clamped at 0, guilt ~ beta(2, 3), conformity ~ uniform(0, 0.5); temperature 0.1, top-p 0.95, salience bias 1
on the equal split and on accepting) and 40% self-interested ones (temperature 0.1, nothing else); offers 0, 5, ...,
100 (21 options); every round the agents at even positions of their segment propose and the others respond, roles
swapping every round, proposers and responders shuffled into random pairs; a proposer's acceptance beliefs come from
its last 10 offers (an acceptance at j is evidence for every k >= j, a rejection at j against every k <= j, Beta
prior 1 (0 for the zero offer) with weight 2); from the second round on, conformity pulls towards the last round's
mean offer. Only the random streams differ from Agora's, so its statistics agree with `agora run` in distribution
(bench/python/check_numba.py checks that).

The pairs of a round are played in blocks of 4096, block b drawing from a xoshiro256** stream of its own, so the
results are the same on any number of threads (as in Agora). `ultimatum-numba` plays the blocks in a plain @njit
loop; `ultimatum-numba-parallel` spreads them with prange. The JIT compilation is done on a small warm-up run first
and reported apart (`jit_seconds`); `seconds` and `decisions_per_s` cover sampling the population and the rounds.

    python3 bench/python/numba_ultimatum.py serial AGENTS ROUNDS [--repeats R] [--seed S] [--fastmath]
    python3 bench/python/numba_ultimatum.py parallel AGENTS ROUNDS --threads T [--repeats R] [--seed S] [--fastmath]

Needs `pip install numba numpy`.
"""
import math
import time

import numpy as np
import numba
from numba import njit, prange

K = 21
SALIENT = (K - 1) // 2
WINDOW = 10
STAKE = 100.0
TEMPERATURE = 0.1
PRIOR_WEIGHT = 2.0
BLOCK = 4096
# The offer grid as shares of the stake, and the prior acceptance of each offer (0 for the zero offer, else 1).
SHARES = np.arange(K) / (K - 1)
PRIOR = np.r_[0.0, np.ones(K - 1)]
# The two segments' decoding: fair-minded, then self-interested.
TOP_P = np.array([0.95, 1.0])
SALIENCE = np.array([1.0, 0.0])


def apportion(total, shares):
    """Agora's Population.apportion: integer sizes proportional to `shares` (largest remainder, ties to the first)."""
    s = sum(shares)
    exact = [total * x / s for x in shares]
    sizes = [math.floor(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda k: (-(exact[k] - sizes[k]), k))
    for k in range(total - sum(sizes)):
        sizes[order[k % len(order)]] += 1
    return sizes


def population(n, seed):
    """Each agent's segment (0 fair-minded, 1 self-interested) and envy, guilt and conformity, and the two roles'
    agents: even positions of each segment propose in even rounds, odd positions in odd rounds."""
    rng = np.random.default_rng(seed)
    fair, selfish = apportion(n, [0.6, 0.4])
    segment = np.r_[np.zeros(fair, np.int8), np.ones(selfish, np.int8)]
    envy = np.zeros(n)
    guilt = np.zeros(n)
    conformity = np.zeros(n)
    envy[:fair] = np.maximum(0.0, rng.normal(0.8, 0.3, fair))
    guilt[:fair] = rng.beta(2, 3, fair)
    conformity[:fair] = rng.uniform(0, 0.5, fair)
    ids = np.arange(n, dtype=np.int32)
    first = np.r_[ids[:fair][0::2], ids[fair:][0::2]]
    second = np.r_[ids[:fair][1::2], ids[fair:][1::2]]
    return segment, envy, guilt, conformity, first, second


def splitmix(seed, count):
    """`count` 64-bit words from SplitMix64 (seeds xoshiro256** states, as its authors recommend)."""
    out = np.empty(count, np.uint64)
    x = seed & 0xFFFFFFFFFFFFFFFF
    mask = 0xFFFFFFFFFFFFFFFF
    for i in range(count):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out[i] = z ^ (z >> 31)
    return out


def make_kernels(fastmath):
    """The compiled functions (with or without fastmath): one round on one thread, and on prange's threads."""
    jit = njit(cache=False, fastmath=fastmath)

    @njit(inline="always")
    def rotl(x, k):
        return (x << np.uint64(k)) | (x >> np.uint64(64 - k))

    @njit(inline="always")
    def uniform(state, b):
        """One uniform in [0, 1) from stream b (xoshiro256**, 53 bits)."""
        s0, s1, s2, s3 = state[b, 0], state[b, 1], state[b, 2], state[b, 3]
        result = rotl(s1 * np.uint64(5), 7) * np.uint64(9)
        t = s1 << np.uint64(17)
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        state[b, 0], state[b, 1], state[b, 2], state[b, 3] = s0, s1, s2, s3
        return float(result >> np.uint64(11)) * (1.0 / 9007199254740992.0)

    @jit
    def decode(u, n, salient, salience, top_p, probs, order, draw):
        """ChoiceDecoder.choose: logits u/T plus the salience bias, softmax, nucleus (options ranked by descending
        probability, ties in prompt order, the shortest prefix reaching top_p kept and renormalised), then the
        inverse CDF in prompt order at one uniform."""
        inv_t = 1.0 / TEMPERATURE
        top = -np.inf
        for k in range(n):
            probs[k] = u[k] * inv_t
        probs[salient] += salience
        for k in range(n):
            if probs[k] > top:
                top = probs[k]
        total = 0.0
        for k in range(n):
            x = probs[k] - top
            probs[k] = 1.0 if x == 0 else math.exp(x)
            total += probs[k]
        mass = 0.0
        for k in range(n):
            probs[k] = probs[k] / total
            mass += probs[k]
        if top_p < 1:
            # Only options of probability at least (1 - top_p) / 2n can be in the nucleus (those below hold less than
            # half the mass it leaves out), so only they are ranked (an insertion sort: a handful of options).
            floor = 0.5 * (1 - top_p) / n
            ranked = 0
            for k in range(n):
                pk = probs[k]
                if pk >= floor:
                    j = ranked
                    while j > 0 and probs[order[j - 1]] < pk:
                        order[j] = order[j - 1]
                        j -= 1
                    order[j] = k
                    ranked += 1
                else:
                    probs[k] = 0.0
            target = top_p * mass * (1 - 1e-12)
            kept = 0.0
            count = 0
            while count < ranked:
                kept += probs[order[count]]
                count += 1
                if kept >= target:
                    break
            for r in range(count, ranked):
                probs[order[r]] = 0.0
            for r in range(count):
                probs[order[r]] /= kept
        for k in range(n - 1):
            draw -= probs[k]
            if draw < 0 and probs[k] > 0:
                return k
        k = n - 1
        while k > 0 and probs[k] == 0:
            k -= 1
        return k

    @jit
    def play_block(lo, hi, proposers, responders, segment, envy, guilt, conformity, memory, heads, payoff,
                   has_norm, norm, state, b):
        """Plays pairs lo..<hi from stream b; returns the sum of their offers (grid steps) and the acceptances."""
        probs = np.empty(K)
        order = np.empty(K, np.int64)
        u = np.empty(K)
        accepts = np.empty(K)
        rejects = np.empty(K)
        hist = np.empty(2 * K, np.int64)
        steps = K - 1
        offered = 0
        accepted = 0
        for p in range(lo, hi):
            i = proposers[p]
            j = responders[p]
            si = segment[i]
            sj = segment[j]
            # Acceptance beliefs from the proposer's window.
            for k in range(2 * K):
                hist[k] = 0
            seen = min(heads[i], WINDOW)
            for e in range(seen):
                v = memory[i, e]
                if v > 0:
                    hist[v - 1] += 1
                else:
                    hist[K - v - 1] += 1
            running = 0
            for k in range(K):
                running += hist[k]
                accepts[k] = running
            running = 0
            for k in range(K - 1, -1, -1):
                running += hist[K + k]
                rejects[k] = running
            a, g, c = envy[i], guilt[i], conformity[i]
            for k in range(K):
                s = SHARES[k]
                belief = (PRIOR_WEIGHT * PRIOR[k] + accepts[k]) / (PRIOR_WEIGHT + accepts[k] + rejects[k])
                own = 1.0 - s
                value = own - a * max(s - own, 0.0) - g * max(own - s, 0.0)
                u[k] = belief * value
                if has_norm:
                    u[k] -= c * abs(s - norm)
            k = decode(u, K, SALIENT, SALIENCE[si], TOP_P[si], probs, order, uniform(state, b))
            # The responder: accept (salient, prompt order first) or reject (utility 0).
            s = SHARES[k]
            u[0] = s - envy[j] * max(1.0 - 2.0 * s, 0.0) - guilt[j] * max(2.0 * s - 1.0, 0.0)
            u[1] = 0.0
            yes = decode(u, 2, 0, SALIENCE[sj], TOP_P[sj], probs, order, uniform(state, b)) == 0
            if yes:
                payoff[i] += STAKE * (steps - k) / steps
                payoff[j] += STAKE * k / steps
                accepted += 1
            slot = heads[i] % WINDOW
            memory[i, slot] = k + 1 if yes else -(k + 1)
            heads[i] += 1
            offered += k
        return offered, accepted

    @jit
    def shuffle(a, state, b):
        """Fisher-Yates from stream b."""
        for i in range(a.shape[0] - 1, 0, -1):
            r = int(uniform(state, b) * (i + 1))
            a[i], a[r] = a[r], a[i]

    @jit
    def pair(r, first, second, proposers, responders, matching):
        """Round r's pairs: the proposing role's agents and the responding role's, each shuffled."""
        if r % 2 == 0:
            proposers[:] = first
            responders[:] = second
        else:
            proposers[:] = second
            responders[:] = first
        shuffle(proposers, matching, 0)
        shuffle(responders, matching, 0)

    @jit
    def round_serial(pairs, proposers, responders, segment, envy, guilt, conformity, memory, heads, payoff,
                     has_norm, norm, state):
        offered = 0
        accepted = 0
        blocks = (pairs + BLOCK - 1) // BLOCK
        for b in range(blocks):
            o, y = play_block(b * BLOCK, min(pairs, (b + 1) * BLOCK), proposers, responders, segment, envy, guilt,
                              conformity, memory, heads, payoff, has_norm, norm, state, b)
            offered += o
            accepted += y
        return offered, accepted

    @njit(parallel=True, fastmath=fastmath)
    def round_parallel(pairs, proposers, responders, segment, envy, guilt, conformity, memory, heads, payoff,
                       has_norm, norm, state):
        offered = 0
        accepted = 0
        blocks = (pairs + BLOCK - 1) // BLOCK
        for b in prange(blocks):
            o, y = play_block(b * BLOCK, min(pairs, (b + 1) * BLOCK), proposers, responders, segment, envy, guilt,
                              conformity, memory, heads, payoff, has_norm, norm, state, b)
            offered += o
            accepted += y
        return offered, accepted

    return pair, round_serial, round_parallel


def run(n, rounds, seed, parallel, kernels):
    """One run: the population, then `rounds` rounds. Returns its statistics (see `statistics`)."""
    pair, round_serial, round_parallel = kernels
    play = round_parallel if parallel else round_serial
    segment, envy, guilt, conformity, first, second = population(n, seed)
    pairs = min(len(first), len(second))
    first, second = first[:pairs].copy(), second[:pairs].copy()
    blocks = (pairs + BLOCK - 1) // BLOCK
    words = splitmix(seed * 0x100000001B3 + 1, 4 * (blocks + 1))
    state = words[4:].reshape(blocks, 4).copy()
    matching = words[:4].reshape(1, 4).copy()
    memory = np.zeros((n, WINDOW), np.int16)
    heads = np.zeros(n, np.int64)
    payoff = np.zeros(n)
    proposers = np.empty(pairs, np.int32)
    responders = np.empty(pairs, np.int32)
    has_norm, norm = False, 0.0
    offers, accepts = [], []
    for r in range(rounds):
        pair(r, first, second, proposers, responders, matching)
        o, y = play(pairs, proposers, responders, segment, envy, guilt, conformity, memory, heads, payoff, has_norm,
                    norm, state)
        offers.append(o)
        accepts.append(y)
        if pairs > 0:
            has_norm, norm = True, o / (pairs * (K - 1))
    return statistics(pairs, offers, accepts, payoff, segment)


def statistics(pairs, offers, accepts, payoff, segment):
    """Agora's statistics of a run (summary.csv's and steps.csv's names): the mean offer (share of the stake) and
    acceptance rate over all rounds and in the first and last round, the mean payoff per agent and by segment."""
    interactions = pairs * len(offers)
    fair = segment == 0
    return {
        "interactions": interactions,
        "mean_offer": sum(offers) / (interactions * (K - 1)),
        "acceptance_rate": sum(accepts) / interactions,
        "mean_payoff": float(payoff.mean()),
        "mean_payoff_fair_minded": float(payoff[fair].mean()) if fair.any() else math.nan,
        "mean_payoff_self_interested": float(payoff[~fair].mean()) if (~fair).any() else math.nan,
        "first_round_mean_offer": offers[0] / (pairs * (K - 1)),
        "first_round_acceptance_rate": accepts[0] / pairs,
        "last_round_mean_offer": offers[-1] / (pairs * (K - 1)),
        "last_round_acceptance_rate": accepts[-1] / pairs,
    }


def benchmark(n, rounds, threads, seed, fastmath, parallel, repeats=1):
    """Compiles on a small warm-up run (timed apart), then times `repeats` runs (the median); prints one key=value
    line."""
    if parallel:
        numba.set_num_threads(threads)
    start = time.perf_counter()
    kernels = make_kernels(fastmath)
    run(3 * BLOCK, 3, seed + 1, parallel, kernels)
    jit = time.perf_counter() - start
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        stats = run(n, rounds, seed, parallel, kernels)
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]
    decisions = 2 * stats["interactions"]
    name = "ultimatum_numba_parallel" if parallel else "ultimatum_numba"
    print(" ".join([
        f"bench={name}", f"agents={n}", f"rounds={rounds}", f"threads={threads if parallel else 1}",
        f"fastmath={int(fastmath)}", f"seed={seed}", f"decisions={decisions}", f"runs={len(times)}",
        f"jit_seconds={jit:.3f}", f"seconds={seconds:.3f}", f"decisions_per_s={decisions / seconds:.0f}",
        f"decisions_per_s_min={decisions / max(times):.0f}", f"decisions_per_s_max={decisions / min(times):.0f}",
        f"mean_offer={stats['mean_offer']:.4f}", f"acceptance_rate={stats['acceptance_rate']:.4f}",
        f"mean_payoff={stats['mean_payoff']:.2f}",
    ]), flush=True)


def main():
    import argparse

    parser = argparse.ArgumentParser(description="The ultimatum model of Scenarios/ultimatum.yaml in Numba.")
    parser.add_argument("variant", choices=["serial", "parallel"], help="@njit on one thread, or prange")
    parser.add_argument("agents", type=int)
    parser.add_argument("rounds", type=int)
    parser.add_argument("--threads", type=int, default=numba.config.NUMBA_NUM_THREADS, help="prange's threads")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs (the median is reported)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--fastmath", action="store_true", help="compile with fastmath=True")
    args = parser.parse_args()
    benchmark(args.agents, args.rounds, args.threads, args.seed, args.fastmath, args.variant == "parallel",
              args.repeats)


if __name__ == "__main__":
    main()
