#!/usr/bin/env python3
"""Exact Bayes-optimal play of the RL² lever bandit, to read `lever-bandit` agents against.

The family is the one `scenarios/lever-bandit.yaml` and `LeverBandit` implement (Duan et al. 2016, §4.1): K levers
whose payout odds are drawn ~U[0, 1] per trial, N pulls a trial. With a uniform prior each lever's posterior is
Beta(1 + wins, 1 + losses), so the expected trial return of the best policy is a dynamic programme over the
levers' (wins, losses) counts (sorted, since levers are exchangeable). Printed for K = 1..levers:

- bayes: the Bayes-optimal expected trial return using only the first K levers (what an agent that never
  tries the others can at best earn: an agent that explores one side of the grid's start uses three);
- myopic: the lever with the highest posterior mean, ties to an untried lever (what returns that end with each
  episode ask for), with its expected return by pull;
- stays: the same, but ties go to the lever tried most (a lever that paid once in two tries against an untried
  one): returns that end with each episode cannot tell these apart, since both pulls expect 0.5.

    python3 benchmarks/lever_bandit_bayes.py [--levers 5] [--pulls 10]

Five levers, ten pulls: 6.66 (Gittins' index policy, the RL² paper's reference, earns 6.6); three levers 6.41.
"""
import argparse
import functools


def solve(levers, pulls, myopic, stays_on_ties=False):
    @functools.lru_cache(maxsize=None)
    def value(arms, left):
        """(expected return from here, expected reward by remaining pull) of the chosen policy."""
        if left == 0:
            return 0.0, ()
        best = None
        for i, (w, l) in enumerate(arms):
            if i > 0 and arms[i] == arms[i - 1]:
                continue
            p = (w + 1) / (w + l + 2)
            won = tuple(sorted(arms[:i] + ((w + 1, l),) + arms[i + 1:]))
            lost = tuple(sorted(arms[:i] + ((w, l + 1),) + arms[i + 1:]))
            v1, by1 = value(won, left - 1)
            v0, by0 = value(lost, left - 1)
            score = p if myopic else p * (1 + v1) + (1 - p) * v0
            # Arms are sorted, so among levers of equal posterior mean the first is the least tried.
            if best is None or score > best[0] + 1e-12 or (stays_on_ties and score > best[0] - 1e-12):
                best = (score, p * (1 + v1) + (1 - p) * v0, (p,) + tuple(p * a + (1 - p) * b for a, b in zip(by1, by0)))
        return best[1], best[2]

    return value(tuple([(0, 0)] * levers), pulls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levers", type=int, default=5)
    parser.add_argument("--pulls", type=int, default=10)
    args = parser.parse_args()
    for k in range(1, args.levers + 1):
        bayes, _ = solve(k, args.pulls, myopic=False)
        myopic, by_pull = solve(k, args.pulls, myopic=True)
        stays, _ = solve(k, args.pulls, myopic=True, stays_on_ties=True)
        print(f"{k} levers: bayes {bayes:.3f}  myopic {myopic:.3f}  stays {stays:.3f}  myopic by pull "
              + " ".join(f"{x:.3f}" for x in by_pull))


if __name__ == "__main__":
    main()
