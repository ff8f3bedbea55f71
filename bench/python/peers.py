"""Agora's benchmark models in Mesa 3, NumPy and SimPy, for bench/run.sh.

The ultimatum model is the one Scenarios/ultimatum.yaml runs in Agora: two segments (60% fair-minded with envy,
guilt and conformity, temperature 0.1, top-p 0.95, salience bias 1 on the equal split and on accepting; 40%
self-interested at temperature 0.1), roles swapping every round, random pairs, offers 0, 5, ..., 100, in-context
acceptance beliefs from the last 10 offers (monotone, Beta prior 1 with weight 2), the population's last mean
offer as the conformity norm. The Numba versions (@njit on one thread, prange on THREADS) are in numba_ultimatum.py;
check_numba.py checks their statistics against Agora's. Each command prints one line of key=value pairs.

    python3 bench/python/peers.py ultimatum-mesa AGENTS ROUNDS
    python3 bench/python/peers.py ultimatum-numpy AGENTS ROUNDS
    python3 bench/python/peers.py ultimatum-numba AGENTS ROUNDS [REPEATS]
    python3 bench/python/peers.py ultimatum-numba-parallel AGENTS ROUNDS THREADS [REPEATS]
    python3 bench/python/peers.py mm1-simpy CUSTOMERS
    python3 bench/python/peers.py schelling-mesa small|large RUNS
"""
import math
import random
import statistics
import sys
import time

K = 21
SHARES = [k / (K - 1) for k in range(K)]
SALIENT = (K - 1) // 2
WINDOW = 10


def report(name, **values):
    print(" ".join([f"bench={name}"] + [f"{k}={v}" for k, v in values.items()]), flush=True)


# --- Ultimatum in Mesa 3, the idiomatic way: one Agent object per agent, model.step pairs them. ---

def softmax_choice(rng, utilities, temperature, top_p, salient, salience):
    logits = [u / temperature for u in utilities]
    if 0 <= salient < len(logits):
        logits[salient] += salience
    top = max(logits)
    weights = [math.exp(l - top) for l in logits]
    total = sum(weights)
    probs = [w / total for w in weights]
    if top_p < 1:
        order = sorted(range(len(probs)), key=lambda k: (-probs[k], k))
        kept, mass, target = [], 0.0, top_p * (1 - 1e-12)
        for k in order:
            kept.append(k)
            mass += probs[k]
            if mass >= target:
                break
        keep = set(kept)
        probs = [p / mass if k in keep else 0.0 for k, p in enumerate(probs)]
    u = rng.random()
    for k, p in enumerate(probs):
        u -= p
        if u < 0 and p > 0:
            return k
    return max(k for k, p in enumerate(probs) if p > 0)


def utility(envy, guilt, own, other):
    return own - envy * max(other - own, 0.0) - guilt * max(own - other, 0.0)


def run_mesa_ultimatum(n, rounds, seed=42):
    import mesa

    class Trader(mesa.Agent):
        def __init__(self, model, fair, first_role):
            super().__init__(model)
            rng = model.random
            self.fair = fair
            self.envy = max(0.0, rng.gauss(0.8, 0.3)) if fair else 0.0
            self.guilt = rng.betavariate(2, 3) if fair else 0.0
            self.conformity = rng.uniform(0, 0.5) if fair else 0.0
            self.top_p = 0.95 if fair else 1.0
            self.salience = 1.0 if fair else 0.0
            self.first_role = first_role
            self.memory = []
            self.payoff = 0.0

        def beliefs(self):
            accepts = [0] * K
            rejects = [0] * K
            for option, accepted in self.memory:
                (accepts if accepted else rejects)[option] += 1
            a = [0] * K
            running = 0
            for k in range(K):
                running += accepts[k]
                a[k] = running
            r = [0] * K
            running = 0
            for k in range(K - 1, -1, -1):
                running += rejects[k]
                r[k] = running
            prior = [0.0] + [1.0] * (K - 1)
            return [(2 * prior[k] + a[k]) / (2 + a[k] + r[k]) for k in range(K)]

        def propose(self, responder, norm):
            p = self.beliefs()
            u = []
            for k, s in enumerate(SHARES):
                value = p[k] * utility(self.envy, self.guilt, 1 - s, s)
                if norm is not None:
                    value -= self.conformity * abs(s - norm)
                u.append(value)
            k = softmax_choice(self.model.random, u, 0.1, self.top_p, SALIENT, self.salience)
            accepted = responder.respond(SHARES[k])
            if accepted:
                self.payoff += 100 * (1 - SHARES[k])
                responder.payoff += 100 * SHARES[k]
            self.memory.append((k, accepted))
            if len(self.memory) > WINDOW:
                self.memory.pop(0)
            return k

        def respond(self, s):
            u = [utility(self.envy, self.guilt, s, 1 - s), 0.0]
            return softmax_choice(self.model.random, u, 0.1, self.top_p, 0, self.salience) == 0

    class Ultimatum(mesa.Model):
        def __init__(self, n, seed):
            super().__init__(seed=seed)
            fair = int(round(0.6 * n))
            for i in range(n):
                in_segment = i if i < fair else i - fair
                Trader(self, i < fair, in_segment % 2)
            self.norm = None
            self.round = 0
            self.offers = 0.0
            self.count = 0

        def step(self):
            flip = self.round % 2
            proposers = [a for a in self.agents if a.first_role ^ flip == 0]
            responders = [a for a in self.agents if a.first_role ^ flip == 1]
            self.random.shuffle(proposers)
            self.random.shuffle(responders)
            offers = [p.propose(r, self.norm) for p, r in zip(proposers, responders)]
            self.norm = sum(SHARES[k] for k in offers) / len(offers)
            self.offers += sum(SHARES[k] for k in offers)
            self.count += len(offers)
            self.round += 1

    model = Ultimatum(n, seed)
    start = time.perf_counter()
    for _ in range(rounds):
        model.step()
    seconds = time.perf_counter() - start
    decisions = 2 * (n // 2) * rounds
    report("ultimatum_mesa", agents=n, rounds=rounds, decisions=decisions, seconds=f"{seconds:.3f}",
           decisions_per_s=f"{decisions / seconds:.0f}", mean_offer=f"{model.offers / model.count:.4f}",
           mean_payoff=f"{sum(a.payoff for a in model.agents) / n:.2f}")


# --- Ultimatum in NumPy, vectorised over all pairs of a round. ---

def run_numpy_ultimatum(n, rounds, seed=42):
    import numpy as np

    rng = np.random.default_rng(seed)
    fair_n = int(round(0.6 * n))
    fair = np.arange(n) < fair_n
    envy = np.where(fair, np.maximum(0.0, rng.normal(0.8, 0.3, n)), 0.0)
    guilt = np.where(fair, rng.beta(2, 3, n), 0.0)
    conformity = np.where(fair, rng.uniform(0, 0.5, n), 0.0)
    first_role = np.where(fair, np.arange(n) % 2, (np.arange(n) - fair_n) % 2)
    shares = np.array(SHARES)
    prior = np.r_[0.0, np.ones(K - 1)]
    memory = np.full((n, WINDOW), -1, dtype=np.int16)  # option + 1, negative if rejected, 0 empty
    head = np.zeros(n, dtype=np.int64)
    payoff = np.zeros(n)
    norm = None

    def sample(probs):
        u = rng.random(probs.shape[0])[:, None]
        choice = (np.cumsum(probs, axis=1) <= u).sum(axis=1)
        return np.minimum(choice, probs.shape[1] - 1)

    def decode(utilities, top_p, salience, salient):
        logits = utilities / 0.1
        logits[:, salient] += salience
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        order = np.argsort(-probs, axis=1, kind="stable")
        sorted_p = np.take_along_axis(probs, order, axis=1)
        before = np.cumsum(sorted_p, axis=1) - sorted_p
        keep_sorted = before < (top_p * (1 - 1e-12))[:, None]
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=1)
        probs = np.where(keep, probs, 0.0)
        return probs / probs.sum(axis=1, keepdims=True)

    start = time.perf_counter()
    decisions = 0
    offered = 0.0
    for r in range(rounds):
        flip = r % 2
        proposers = np.flatnonzero(first_role ^ flip == 0)
        responders = np.flatnonzero(first_role ^ flip == 1)
        rng.shuffle(proposers)
        rng.shuffle(responders)
        m = min(len(proposers), len(responders))
        p, q = proposers[:m], responders[:m]
        window = memory[p]
        accepted_at = np.where(window > 0, window - 1, K)
        rejected_at = np.where(window < 0, -window - 1, -1)
        a = (accepted_at[:, :, None] <= np.arange(K)).sum(axis=1)
        rj = (rejected_at[:, :, None] >= np.arange(K)).sum(axis=1)
        beliefs = (2 * prior + a) / (2 + a + rj)
        own, other = 1 - shares, shares
        u = beliefs * (own - envy[p, None] * np.maximum(other - own, 0) - guilt[p, None] * np.maximum(own - other, 0))
        if norm is not None:
            u -= conformity[p, None] * np.abs(shares - norm)
        top_p = np.where(fair[p], 0.95, 1.0)
        k = sample(decode(u, top_p, np.where(fair[p], 1.0, 0.0), SALIENT))
        s = shares[k]
        ua = s - envy[q] * np.maximum(1 - 2 * s, 0) - guilt[q] * np.maximum(2 * s - 1, 0)
        ur = np.stack([ua, np.zeros(m)], axis=1)
        yes = sample(decode(ur, np.where(fair[q], 0.95, 1.0), np.where(fair[q], 1.0, 0.0), 0)) == 0
        payoff[p] += np.where(yes, 100 * (1 - s), 0)
        payoff[q] += np.where(yes, 100 * s, 0)
        memory[p, head[p] % WINDOW] = np.where(yes, k + 1, -(k + 1))
        head[p] += 1
        norm = s.mean()
        offered += s.sum()
        decisions += 2 * m
    seconds = time.perf_counter() - start
    report("ultimatum_numpy", agents=n, rounds=rounds, decisions=decisions, seconds=f"{seconds:.3f}",
           decisions_per_s=f"{decisions / seconds:.0f}", mean_offer=f"{offered / (decisions / 2):.4f}",
           mean_payoff=f"{payoff.mean():.2f}")


# --- M/M/1 in SimPy: Poisson arrivals (rate 0.5), exponential service (rate 1), one server. ---

def run_simpy_mm1(customers, seed=11):
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    waits = []

    def customer(env):
        arrived = env.now
        with server.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(0.5))
            env.process(customer(env))

    env.process(source(env))
    start = time.perf_counter()
    env.run()
    seconds = time.perf_counter() - start
    report("mm1_simpy", customers=customers, mean_wait=f"{statistics.fmean(waits):.4f}", seconds=f"{seconds:.3f}",
           customers_per_s=f"{customers / seconds:.0f}")


# --- Schelling in Mesa 3, as the ABMFrameworksComparison benchmark declares it. ---

def run_mesa_schelling(size, runs):
    import mesa

    width, height, agents, radius, min_happy = (100, 100, 8000, 2, 8) if size == "large" else (40, 40, 1000, 1, 3)

    class Resident(mesa.Agent):
        def __init__(self, model, group):
            super().__init__(model)
            self.group = group
            self.happy = False

        def step(self):
            same = sum(1 for other in self.model.grid.iter_neighbors(self.pos, moore=True, radius=radius)
                       if other.group == self.group)
            self.happy = same >= min_happy
            if not self.happy:
                self.model.grid.move_to_empty(self)

    class Segregation(mesa.Model):
        def __init__(self, seed):
            super().__init__(seed=seed)
            self.grid = mesa.space.SingleGrid(width, height, torus=False)
            cells = [(x, y) for x in range(width) for y in range(height)]
            self.random.shuffle(cells)
            for i in range(agents):
                self.grid.place_agent(Resident(self, i % 2), cells[i])

        def step(self):
            self.agents.shuffle_do("step")

    times = []
    for seed in range(runs):
        model = Segregation(seed + 1)
        start = time.perf_counter()
        for _ in range(20):
            model.step()
        times.append(time.perf_counter() - start)
    report("schelling_mesa", size=size, agents=agents, runs=runs, median_seconds=f"{statistics.median(times):.6f}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "ultimatum-mesa":
        run_mesa_ultimatum(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "ultimatum-numpy":
        run_numpy_ultimatum(int(sys.argv[2]), int(sys.argv[3]))
    elif command in ("ultimatum-numba", "ultimatum-numba-parallel"):
        import numba_ultimatum

        parallel = command == "ultimatum-numba-parallel"
        threads = int(sys.argv[4]) if parallel else 1
        more = sys.argv[5:] if parallel else sys.argv[4:]
        numba_ultimatum.benchmark(int(sys.argv[2]), int(sys.argv[3]), threads, 42, False, parallel,
                                  int(more[0]) if more else 1)
    elif command == "mm1-simpy":
        run_simpy_mm1(int(sys.argv[2]))
    elif command == "schelling-mesa":
        run_mesa_schelling(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(f"unknown command {command}")
