"""PPO on a PlayGrid scenario, in one file (after CleanRL's ppo.py), with a factored ⟨task, play⟩ policy.

The batch of worlds is PlayGrid's native vector environment (one call steps them all). The policy sees the
egocentric window (tile and thing codes one-hot, the on-bit), what it carries, its heading and its normalised
position; it has one head per half of the action pair and a value head. After training it is evaluated on held-out
seeds, and one run of it is recorded to a tape with both heads' probabilities and its value at every step:

    python python/examples/ppo.py --scenario open-field --total-steps 300000      # then:
    playgrid replay ppo-open-field.tape

Needs `pip install ./python torch`.
"""

import argparse
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import playgrid


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default="open-field", help="a shipped scenario's name or a scenario file")
    p.add_argument("--fun", default="none", help="fun spec added to the task reward, e.g. delight=1")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--total-steps", type=int, default=300_000)
    p.add_argument("--num-envs", type=int, default=32)
    p.add_argument("--num-steps", type=int, default=128, help="rollout length per environment")
    p.add_argument("--learning-rate", type=float, default=2.5e-4)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--gae-lambda", type=float, default=0.95)
    p.add_argument("--minibatches", type=int, default=4)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--clip", type=float, default=0.2)
    p.add_argument("--entropy", type=float, default=0.01)
    p.add_argument("--value-coef", type=float, default=0.5)
    p.add_argument("--max-grad-norm", type=float, default=0.5)
    p.add_argument("--threads", type=int, default=1, help="PyTorch threads")
    p.add_argument("--eval-episodes", type=int, default=200)
    p.add_argument("--tape", default=None, help="tape of the trained agent (default: ppo-SCENARIO.tape)")
    return p.parse_args()


class Features(nn.Module):
    """An observation dict (batched numpy arrays) as one float vector per environment."""

    def __init__(self, space: gym.spaces.Dict):
        super().__init__()
        self.tiles, self.things = len(playgrid.TILES), len(playgrid.THINGS)
        view = space["image"].shape[0]
        self.high = torch.as_tensor(np.maximum(space["position"].high, 1), dtype=torch.float32)
        self.size = view * view * (self.tiles + self.things + 1) + self.things + len(playgrid.DIRECTIONS) + 2

    def forward(self, obs) -> torch.Tensor:
        image = torch.as_tensor(obs["image"], dtype=torch.long)
        cells = torch.cat([F.one_hot(image[..., 0].clamp(max=self.tiles - 1), self.tiles),
                           F.one_hot(image[..., 1].clamp(max=self.things - 1), self.things),
                           ((image[..., 2] >> 3) & 1).unsqueeze(-1)], dim=-1).flatten(1).float()
        carried = F.one_hot(torch.as_tensor(obs["carrying"][:, 0], dtype=torch.long).clamp(max=self.things - 1),
                            self.things).float()
        heading = F.one_hot(torch.as_tensor(obs["direction"], dtype=torch.long), len(playgrid.DIRECTIONS)).float()
        where = torch.as_tensor(obs["position"], dtype=torch.float32) / self.high
        return torch.cat([cells, carried, heading, where], dim=1)


def layer(inputs, outputs, gain=np.sqrt(2)):
    linear = nn.Linear(inputs, outputs)
    nn.init.orthogonal_(linear.weight, gain)
    nn.init.zeros_(linear.bias)
    return linear


class Agent(nn.Module):
    """A shared trunk, a task head and a play head (the factored policy), and a value head."""

    def __init__(self, space: gym.spaces.Dict, task_actions: int, play_actions: int):
        super().__init__()
        self.features = Features(space)
        self.trunk = nn.Sequential(layer(self.features.size, 256), nn.Tanh(), layer(256, 256), nn.Tanh())
        self.task = layer(256, task_actions, 0.01)
        self.play = layer(256, play_actions, 0.01)
        self.value = layer(256, 1, 1.0)

    def forward(self, obs, action=None):
        hidden = self.trunk(self.features(obs))
        task = torch.distributions.Categorical(logits=self.task(hidden))
        play = torch.distributions.Categorical(logits=self.play(hidden))
        if action is None:
            action = torch.stack([task.sample(), play.sample()], dim=1)
        log_prob = task.log_prob(action[:, 0]) + play.log_prob(action[:, 1])
        return action, log_prob, task.entropy() + play.entropy(), self.value(hidden).squeeze(1), task, play


def train(args):
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    envs = playgrid.make_vec(args.scenario, num_envs=args.num_envs, fun=args.fun)
    agent = Agent(envs.single_observation_space, *envs.single_action_space.nvec)
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)
    n, t = args.num_envs, args.num_steps
    observations = [None] * t
    actions = torch.zeros((t, n, 2), dtype=torch.long)
    log_probs, rewards, values = torch.zeros((t, n)), torch.zeros((t, n)), torch.zeros((t, n))
    dones = torch.zeros((t, n))
    # Next-step autoreset: the step after an episode's end only starts the next episode; it is not learned from.
    resets = torch.zeros((t, n))
    obs, _ = envs.reset(seed=args.seed)
    after_end = np.zeros(n, dtype=bool)
    updates = max(1, args.total_steps // (n * t))
    started = time.time()
    finished, successes = 0, 0
    for update in range(updates):
        optimizer.param_groups[0]["lr"] = args.learning_rate * (1 - update / updates)
        for step in range(t):
            observations[step] = obs
            resets[step] = torch.as_tensor(after_end, dtype=torch.float32)
            with torch.no_grad():
                action, log_prob, _, value, _, _ = agent(obs)
            actions[step], log_probs[step], values[step] = action, log_prob, value
            obs, reward, terminated, truncated, info = envs.step(action.numpy())
            ended = (terminated | truncated) & ~after_end
            finished += int(ended.sum())
            successes += int((info["succeeded"] & ended).sum())
            rewards[step] = torch.as_tensor(reward)
            dones[step] = torch.as_tensor(terminated | truncated, dtype=torch.float32)
            after_end = terminated | truncated
        with torch.no_grad():
            next_value = agent(obs)[3]
            advantages = torch.zeros((t, n))
            gae = torch.zeros(n)
            for step in reversed(range(t)):
                # A step that ended its episode bootstraps nothing, so nothing flows back from the autoreset step
                # after it (which is left out of the loss below).
                following = next_value if step == t - 1 else values[step + 1]
                nonterminal = 1 - dones[step]
                delta = rewards[step] + args.gamma * following * nonterminal - values[step]
                gae = delta + args.gamma * args.gae_lambda * nonterminal * gae
                advantages[step] = gae
            returns = advantages + values
        flat = {key: np.concatenate([o[key] for o in observations]) for key in observations[0]}
        keep = (1 - resets).flatten().bool()
        b_actions, b_log_probs = actions.reshape(-1, 2)[keep], log_probs.flatten()[keep]
        b_advantages, b_returns = advantages.flatten()[keep], returns.flatten()[keep]
        b_obs = {key: value[keep.numpy()] for key, value in flat.items()}
        size = len(b_actions)
        for _ in range(args.epochs):
            order = torch.randperm(size)
            for chunk in order.chunk(args.minibatches):
                _, log_prob, entropy, value, _, _ = agent({k: v[chunk.numpy()] for k, v in b_obs.items()},
                                                          b_actions[chunk])
                ratio = (log_prob - b_log_probs[chunk]).exp()
                advantage = b_advantages[chunk]
                advantage = (advantage - advantage.mean()) / (advantage.std() + 1e-8)
                policy_loss = torch.max(-advantage * ratio,
                                        -advantage * ratio.clamp(1 - args.clip, 1 + args.clip)).mean()
                value_loss = 0.5 * (value - b_returns[chunk]).pow(2).mean()
                loss = policy_loss - args.entropy * entropy.mean() + args.value_coef * value_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()
        if (update + 1) % max(1, updates // 10) == 0 or update == updates - 1:
            steps = (update + 1) * n * t
            rate = successes / max(1, finished)
            print(f"steps {steps:>9,}  episodes {finished:>6}  success {rate:.2f}  "
                  f"{steps / (time.time() - started):,.0f} steps/s", flush=True)
            finished, successes = 0, 0
    envs.close()
    return agent


def evaluate(agent, args):
    """Success rate over held-out trials (seeds far from training's), sampling from the policy."""
    envs = playgrid.make_vec(args.scenario, num_envs=20, fun=args.fun)
    obs, _ = envs.reset(seed=10_000 + args.seed)
    finished = successes = 0
    after_end = np.zeros(envs.num_envs, dtype=bool)
    while finished < args.eval_episodes:
        with torch.no_grad():
            action = agent(obs)[0]
        obs, _, terminated, truncated, info = envs.step(action.numpy())
        ended = (terminated | truncated) & ~after_end
        finished += int(ended.sum())
        successes += int((info["succeeded"] & ended).sum())
        after_end = terminated | truncated
    envs.close()
    return successes / finished, finished


def record(agent, args):
    """One trial of the trained agent on a tape, with what it thought of every step."""
    path = args.tape or f"ppo-{args.scenario.split('/')[-1].removesuffix('.yaml')}.tape"
    env = playgrid.RecordTape(playgrid.make(args.scenario, fun=args.fun), path, agent="ppo (pytorch)", force=True)
    obs, _ = env.reset(seed=20_000 + args.seed)
    for _ in range(env.unwrapped.episodes_per_trial):
        done = False
        while not done:
            batch = {key: np.asarray(value)[None] for key, value in obs.items()}
            with torch.no_grad():
                action, _, _, value, task, play = agent(batch)
            env.outputs(task_probabilities=task.probs[0].numpy(), play_probabilities=play.probs[0].numpy(),
                        value=float(value[0]))
            obs, _, terminated, truncated, _ = env.step(action[0].numpy())
            done = terminated or truncated
        obs, _ = env.reset()
    steps = env.steps
    env.close()
    return path, steps


if __name__ == "__main__":
    args = parse()
    began = time.time()
    agent = train(args)
    trained = time.time() - began
    rate, episodes = evaluate(agent, args)
    path, steps = record(agent, args)
    print(f"trained {args.total_steps:,} steps in {trained:.0f} s; held-out success {rate:.3f} over {episodes} "
          f"episodes; tape of one trial ({steps} steps): {path}")
