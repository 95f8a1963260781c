#!/usr/bin/env python3
"""How a `lever-bandit` agent's pulls compare with the levers' Beta posteriors, from a tape's JSONL export.

Each lever's posterior after w wins and l losses is Beta(1 + w, 1 + l) (odds ~ U[0, 1]). For every pull this counts
whether the agent chose a lever of highest posterior mean (what myopic Bayes play does), and, where a tried lever and
an untried one tie for the highest mean (one win in two tries against none), which of them it chose: myopic play
earns 6.657 a trial if such ties go to the untried lever and 6.568 if they go to the tried one
(`lever_bandit_bayes.py`). The pulled lever is the agent's column (`agent_x`) at the step that ended the episode.

    playgrid run lever-bandit --agent b.pgck --fun none --trials 2000 --seed 21 --record b.tape
    playgrid tape export b.tape --format jsonl --out b.jsonl
    python3 benchmarks/lever_bandit_choices.py b.jsonl
"""
import collections
import json
import sys


def main(path, levers=5):
    """`levers` levers stand in columns 1 to `levers`, as in scenarios/lever-bandit.yaml."""
    pulls_by_trial = collections.defaultdict(list)
    with open(path) as lines:
        for line in lines:
            row = json.loads(line)
            if row["terminated"]:
                pulls_by_trial[row["trial"]].append((row["agent_x"], row["task_reward"]))
    best = pulls = to_untried = to_tried = 0
    levers_used = collections.Counter()
    for trial in pulls_by_trial.values():
        wins, losses = collections.Counter(), collections.Counter()
        for lever, reward in trial:
            mean = {k: (1 + wins[k]) / (2 + wins[k] + losses[k]) for k in range(1, levers + 1)}
            top = max(mean.values())
            tied = [k for k in mean if abs(mean[k] - top) < 1e-9]
            tried = [k for k in tied if wins[k] + losses[k] > 0]
            untried = [k for k in tied if wins[k] + losses[k] == 0]
            pulls += 1
            best += abs(mean[lever] - top) < 1e-9
            if tried and untried:
                to_untried += lever in untried
                to_tried += lever in tried
            (wins if reward > 0 else losses)[lever] += 1
        levers_used[len(set(wins) | set(losses))] += 1
    trials = len(pulls_by_trial)
    print(f"{trials} trials, {sum(r for t in pulls_by_trial.values() for _, r in t) / trials:.3f} a trial")
    print(f"pulls of a highest-posterior-mean lever: {best / pulls:.3f}")
    print(f"ties between a tried and an untried lever: {to_untried + to_tried}, "
          f"to the untried one {to_untried / max(to_untried + to_tried, 1):.2f}")
    print("levers used in a trial:", dict(sorted(levers_used.items())))


if __name__ == "__main__":
    main(sys.argv[1])
