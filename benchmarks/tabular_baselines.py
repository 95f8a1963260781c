#!/usr/bin/env python3
"""Reference strategies on the random tabular MDPs of the RL² check, to read `neural-bench meta tabular` against.

The family is the one `TabularMDPFamily` implements (Duan et al. 2016, §4.2): 10 states, 5 actions, transition
rows ~ Dirichlet(1), mean rewards ~ N(1, 1), observed reward = mean + N(0, 1), 10 episodes of 10 steps, every
episode starting in state 0. Each strategy sees what the RL² agent sees and is scored by mean trial return:

- random: uniform actions (the floor, ~100);
- myopic Bayes: the action with the highest posterior mean reward in the current state (prior N(1, 1), noise
  variance 1) — it maximises only the next reward, yet explores, because an untried action's mean (1) beats a
  tried one that paid less;
- first sample: untried actions first, then the best single reward seen (a cruder memory of one number each);
- PSRL: posterior sampling, a fresh MDP drawn from the posterior at each episode start and solved exactly;
- oracle: the true MDP solved exactly (the ceiling).

    python3 benchmarks/tabular_baselines.py [--trials 500] [--seed 0]

Needs numpy. The RL² paper reports random 100.5, PSRL 138.1 and RL² 156.2 for this setting.
"""
import argparse

import numpy as np

STATES, ACTIONS, HORIZON, EPISODES = 10, 5, 10, 10


class Random:
    def __init__(self, rng):
        self.rng = rng

    def act(self, state, t):
        return int(self.rng.integers(ACTIONS))

    def observe(self, state, action, reward, next_state):
        pass


class MyopicBayes:
    def __init__(self, rng):
        self.counts = np.zeros((STATES, ACTIONS))
        self.sums = np.zeros((STATES, ACTIONS))

    def act(self, state, t):
        return int(((1 + self.sums[state]) / (1 + self.counts[state])).argmax())

    def observe(self, state, action, reward, next_state):
        self.counts[state, action] += 1
        self.sums[state, action] += reward


class FirstSample:
    def __init__(self, rng):
        self.first = np.full((STATES, ACTIONS), np.nan)

    def act(self, state, t):
        row = self.first[state]
        untried = np.flatnonzero(np.isnan(row))
        return int(untried[0]) if untried.size else int(np.nanargmax(row))

    def observe(self, state, action, reward, next_state):
        if np.isnan(self.first[state, action]):
            self.first[state, action] = reward


def solve(transitions, rewards):
    """Finite-horizon value iteration: the optimal action for each step and state."""
    values, policy = np.zeros(STATES), []
    for _ in range(HORIZON):
        q = rewards + transitions @ values
        policy.insert(0, q.argmax(axis=1))
        values = q.max(axis=1)
    return policy


class PSRL:
    def __init__(self, rng):
        self.rng = rng
        self.counts = np.zeros((STATES, ACTIONS))
        self.sums = np.zeros((STATES, ACTIONS))
        self.visits = np.ones((STATES, ACTIONS, STATES))
        self.policy = None

    def act(self, state, t):
        if t == 0:
            precision = 1 + self.counts
            mean = (1 + self.sums) / precision
            rewards = mean + self.rng.normal(size=mean.shape) / np.sqrt(precision)
            transitions = np.array([[self.rng.dirichlet(self.visits[s, a]) for a in range(ACTIONS)] for s in range(STATES)])
            self.policy = solve(transitions, rewards)
        return int(self.policy[t][state])

    def observe(self, state, action, reward, next_state):
        self.counts[state, action] += 1
        self.sums[state, action] += reward
        self.visits[state, action, next_state] += 1


def trial_returns(make, trials, rng, oracle=False):
    totals = []
    for _ in range(trials):
        transitions = rng.dirichlet(np.ones(STATES), size=(STATES, ACTIONS))
        means = 1 + rng.normal(size=(STATES, ACTIONS))
        agent = None if oracle else make(rng)
        policy = solve(transitions, means) if oracle else None
        total = 0.0
        for _ in range(EPISODES):
            state = 0
            for t in range(HORIZON):
                action = int(policy[t][state]) if oracle else agent.act(state, t)
                reward = means[state, action] + rng.normal()
                next_state = int(rng.choice(STATES, p=transitions[state, action]))
                if not oracle:
                    agent.observe(state, action, reward, next_state)
                total += reward
                state = next_state
        totals.append(total)
    return np.mean(totals), np.std(totals) / np.sqrt(trials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for name, make in [("random", Random), ("myopic Bayes", MyopicBayes), ("first sample", FirstSample),
                       ("PSRL", PSRL)]:
        mean, se = trial_returns(make, args.trials, rng)
        print(f"{name:13s} {mean:6.1f} ± {se:.1f}")
    mean, se = trial_returns(None, args.trials, rng, oracle=True)
    print(f"{'oracle':13s} {mean:6.1f} ± {se:.1f}")


if __name__ == "__main__":
    main()
