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

With --play SEED it instead plays the real world through the Python package (`pip install ./python`), choosing every
pull Bayes-optimally, on the same trials as `playgrid run lever-bandit --fun none --trials N --seed SEED`: what the
best possible policy earns on that command's draws of odds and coins, to read an agent's figure on one seed against.

    python3 benchmarks/lever_bandit_bayes.py --play 99 --trials 1000
"""
import argparse
import functools
import statistics


def myopic(levers, pulls, stays_on_ties=False):
    """(expected trial return, expected reward by pull) of playing the highest posterior mean every pull."""
    @functools.lru_cache(maxsize=None)
    def value(arms, left):
        """(expected return from here, expected reward by remaining pull)."""
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
            # Arms are sorted, so among levers of equal posterior mean the first is the least tried.
            if best is None or p > best[0] + 1e-12 or (stays_on_ties and p > best[0] - 1e-12):
                best = (p, p * (1 + v1) + (1 - p) * v0, (p,) + tuple(p * a + (1 - p) * b for a, b in zip(by1, by0)))
        return best[1], best[2]

    return value(tuple([(0, 0)] * levers), pulls)


@functools.lru_cache(maxsize=None)
def best_return(arms, left):
    """The Bayes-optimal expected return of `left` more pulls from levers with these sorted (wins, losses)."""
    return max((pull_return(arms, i, left) for i in range(len(arms))), default=0.0) if left else 0.0


def pull_return(arms, i, left):
    """Expected return of pulling lever `i` now and playing Bayes-optimally after."""
    w, l = arms[i]
    p = (w + 1) / (w + l + 2)
    won = tuple(sorted(arms[:i] + ((w + 1, l),) + arms[i + 1:]))
    lost = tuple(sorted(arms[:i] + ((w, l + 1),) + arms[i + 1:]))
    return p * (1 + best_return(won, left - 1)) + (1 - p) * best_return(lost, left - 1)


def play(seed, trials, scenario="lever-bandit"):
    """Plays `trials` trials Bayes-optimally in the grid; returns each trial's payout.

    The map (scenarios/lever-bandit.yaml) has its levers in row 1, columns 1 to 5, and the agent starting below
    the middle one, facing it: walk to the lever's column, face up, use it; the pull ends the episode. Among levers
    of equal value the least tried goes first (the DP's own tie order), then the nearest.
    """
    import playgrid
    up, left, right, use = (playgrid.TASK_ACTIONS.index(name) for name in ("up", "left", "right", "use"))
    env = playgrid.make(scenario, fun=None)
    env.reset(seed=seed)
    pulls, start = env.episodes_per_trial, 3
    returns = []
    for trial in range(trials):
        arms, total = [(0, 0)] * 5, 0.0
        for pull in range(pulls):
            lever = max(range(5), key=lambda i: (round(pull_return(tuple(arms), i, pulls - pull), 12),
                                                 -sum(arms[i]), -abs(i + 1 - start), -i))
            moves = ([right] * (lever + 1 - start) + [left] * (start - lever - 1)) + ([up] if lever + 1 != start else [])
            for move in moves + [use]:
                _, reward, terminated, truncated, info = env.step([move, 0])
            assert terminated and "pulled-lever" in info["events"] and info["trial"] == trial, info
            w, l = arms[lever]
            arms[lever] = (w + 1, l) if reward > 0 else (w, l + 1)
            total += reward
            env.reset()
        returns.append(total)
    return returns


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levers", type=int, default=5)
    parser.add_argument("--pulls", type=int, default=10)
    parser.add_argument("--play", type=int, metavar="SEED", help="play the grid's trials of this run seed instead")
    parser.add_argument("--trials", type=int, default=1000)
    args = parser.parse_args()
    if args.play is not None:
        returns = play(args.play, args.trials)
        print(f"seed {args.play}, {len(returns)} trials: {statistics.mean(returns):.3f} a trial "
              f"± {statistics.stdev(returns) / len(returns) ** 0.5:.3f} "
              "(one standard error)")
        return
    for k in range(1, args.levers + 1):
        bayes = best_return(((0, 0),) * k, args.pulls)
        greedy, by_pull = myopic(k, args.pulls)
        stays, _ = myopic(k, args.pulls, stays_on_ties=True)
        print(f"{k} levers: bayes {bayes:.3f}  myopic {greedy:.3f}  stays {stays:.3f}  myopic by pull "
              + " ".join(f"{x:.3f}" for x in by_pull))


if __name__ == "__main__":
    main()
