#!/usr/bin/env python3
"""PlayGrid beside the established gridworlds, measured in one script on this machine.

Runs `playgrid bench --json` (release build) and the peer scripts of ../shared/peers (MiniGrid, and the
PyTorch baseline when asked), alternating rounds so that both see the same machine load, and prints the
ratios. Set up the peers once as ../shared/peers/README.md says (a venv at ~/.cache/peers/venv).

    python3 benchmarks/compare_peers.py [--rounds 3] [--torch]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.environ.get("PLAYGRID_PEERS", os.path.join(ROOT, "..", "shared", "peers"))
VENV_PY = os.path.expanduser("~/.cache/peers/venv/bin/python")


def run_json(cmd, cwd=None):
    out = subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--torch", action="store_true", help="also run the PyTorch GRU A2C baseline")
    args = parser.parse_args()
    # Without the peers' venv there is nothing to compare against: say how to make it, in one line.
    if not os.path.isfile(VENV_PY) or not os.path.isdir(PEERS):
        missing = VENV_PY if not os.path.isfile(VENV_PY) else PEERS
        sys.exit(f"compare_peers: {missing} is missing; set up the peers as {os.path.join(PEERS, 'README.md')} says "
                 "(MiniGrid, and torch for --torch), or set PLAYGRID_PEERS to their folder")

    subprocess.run(["swift", "build", "-c", "release", "--product", "playgrid"], cwd=ROOT, check=True,
                   capture_output=True)
    # The release products folder as SwiftPM reports it (build path and triple included), not a guessed .build path.
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    playgrid = os.path.join(bin_path, "playgrid")
    ours, minigrid, torch = [], [], []
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
        ours.append(run_json([playgrid, "bench", "--json"]))
        minigrid.append(run_json([VENV_PY, "minigrid_steps.py"], cwd=PEERS))
        if args.torch:
            torch.append(run_json([VENV_PY, "torch_gru_a2c.py"], cwd=PEERS))

    def med(values):
        return statistics.median(values)

    open_field = med([o["world_steps_per_second"]["open-field"] for o in ours])
    key_door = med([o["world_steps_per_second"]["key-door"] for o in ours])
    four_rooms = med([o["world_steps_per_second"]["four-rooms"] for o in ours])
    empty = med([m["envs"]["MiniGrid-Empty-8x8-v0"]["wrapped_sps"] for m in minigrid])
    doorkey = med([m["envs"]["MiniGrid-DoorKey-8x8-v0"]["wrapped_sps"] for m in minigrid])
    rows = [
        ("open-field vs MiniGrid Empty-8x8", open_field, empty),
        ("key-door vs MiniGrid DoorKey-8x8", key_door, doorkey),
        ("four-rooms (19x19) vs MiniGrid Empty-8x8", four_rooms, empty),
    ]
    print(f"{'comparison':44} {'PlayGrid':>14} {'peer':>10} {'ratio':>8}")
    for name, a, b in rows:
        print(f"{name:44} {a:14,.0f} {b:10,.0f} {a / b:7,.0f}x")
    if torch:
        print(json.dumps(torch[-1]), file=sys.stderr)
        ours_train = med([o["training_peer_shapes_env_steps_per_second"]["threads_1"] for o in ours])
        ours_train2 = med([o["training_peer_shapes_env_steps_per_second"]["threads_2"] for o in ours])
        torch_best = med([max(r["train_env_sps"] for r in t["runs"].values()) for t in torch])
        print(f"{'GRU A2C training, 1 thread vs PyTorch best':44} {ours_train:14,.0f} {torch_best:10,.0f} {ours_train / torch_best:7.2f}x")
        print(f"{'GRU A2C training, 2 threads vs PyTorch best':44} {ours_train2:14,.0f} {torch_best:10,.0f} {ours_train2 / torch_best:7.2f}x")


if __name__ == "__main__":
    main()
