"""PPO from Ray RLlib on a PlayGrid scenario, with env runners spread over a Ray cluster: one machine or many.

On one machine (a local Ray cluster is started for you):

    python python/examples/rllib_ppo.py --scenario open-field --env-runners 2 --iterations 20

On many machines, each with this checkout and `pip install ./python "ray[rllib]" torch` (the same versions
everywhere):

    ray start --head --port=6379                       # on the first machine
    ray start --address=HEAD_IP:6379                   # on every other machine
    python python/examples/rllib_ppo.py --address auto --env-runners 16 --envs-per-runner 8 --iterations 200

Every env runner is a Ray actor that imports `playgrid` and steps its own PlayGrid worlds; the learner gathers
their episodes. Observations reach the default RLlib model flattened (the image as its codes, heading and
carried thing one-hot), actions are the ⟨task, play⟩ pair as a MultiDiscrete.
"""

import argparse
import json
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", default="open-field", help="a shipped scenario's name or a scenario file's path")
    p.add_argument("--fun", default="none", help="fun spec added to the task reward, e.g. delight=1")
    p.add_argument("--address", default=None, help="a running Ray cluster ('auto'); default: start a local one")
    p.add_argument("--env-runners", type=int, default=2)
    p.add_argument("--envs-per-runner", type=int, default=4)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--batch", type=int, default=4000, help="env steps gathered per training iteration")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def make_env(config):
    """Builds one PlayGrid environment inside an env runner (the import registers PlayGrid there too)."""
    import playgrid

    return playgrid.make(config.get("scenario", "open-field"), fun=config.get("fun", "none"))


def main():
    args = parse()
    import ray
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.rllib.connectors.env_to_module import FlattenObservations
    from ray.tune.registry import register_env

    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    register_env("playgrid", make_env)
    config = (
        PPOConfig()
        .environment("playgrid", env_config={"scenario": args.scenario, "fun": args.fun})
        .env_runners(num_env_runners=args.env_runners, num_envs_per_env_runner=args.envs_per_runner,
                     env_to_module_connector=lambda env, spaces=None, device=None: FlattenObservations())
        .training(train_batch_size_per_learner=args.batch, minibatch_size=min(500, args.batch), num_epochs=4, lr=3e-4,
                  entropy_coeff=0.01)
        .debugging(seed=args.seed)
    )
    algorithm = config.build_algo()
    began = time.time()
    for iteration in range(1, args.iterations + 1):
        result = algorithm.train()
        runners = result["env_runners"]
        print(json.dumps({
            "iteration": iteration,
            "env_steps": result.get("num_env_steps_sampled_lifetime", runners.get("num_env_steps_sampled_lifetime")),
            "episode_return_mean": runners.get("episode_return_mean"),
            "episode_len_mean": runners.get("episode_len_mean"),
            "env_runners": algorithm.env_runner_group.num_healthy_remote_workers(),
            "seconds": round(time.time() - began, 1),
        }), flush=True)
    algorithm.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
