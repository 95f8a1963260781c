"""The same scenario, seed and actions give the same run through Python as through `playgrid run --record`, and a
tape written from Python is a tape like any other: it verifies, exports the same, and replays in the terminal."""

import json
import os
import shutil
import subprocess
import time
import uuid

import gymnasium
import numpy as np
import pytest

import playgrid


def exported(cli, tape, form="jsonl"):
    return cli("tape", "export", tape, "--format", form).stdout.splitlines()


def replay_through_python(steps, scenario, seed, fun, tape=None, agent="python"):
    """Steps a PlayGridEnv through recorded steps; returns what each step gave."""
    env = playgrid.make(scenario, fun=fun)
    if tape:
        env = playgrid.RecordTape(env, tape, agent=agent)
    env.reset(seed=seed)
    results = []
    for step in steps:
        action = np.array([playgrid.TASK_ACTIONS.index(step["task_action"]),
                           playgrid.PLAY_ACTIONS.index(step["play_action"])])
        observation, reward, terminated, truncated, info = env.step(action)
        results.append((observation, reward, terminated, truncated, info))
        if terminated or truncated:
            env.reset()
    env.close()
    return results


@pytest.mark.parametrize("scenario,agent,fun,seed", [
    ("rock-garden", "player", "delight=1", 11),
    ("playroom", "random", "delight=1,novelty=0.1", 3),
    ("key-door", "greedy", "none", 5),
])
def test_python_gives_the_rewards_events_and_places_of_playgrid_run(cli, tmp_path, scenario, agent, fun, seed):
    tape = tmp_path / "cli.tape"
    cli("run", scenario, "--agent", agent, "--seed", seed, "--fun", fun, "--episodes", 9, "--record", tape)
    steps = [json.loads(line) for line in exported(cli, tape)]
    results = replay_through_python(steps, scenario, seed, fun)
    components = [key for key in steps[0] if key.startswith("fun_")]
    events_seen = set()
    for step, (observation, reward, terminated, truncated, info) in zip(steps, results):
        where = f"step {step['index']}"
        # The export prints each float32 in its shortest decimal form, which reads back to the same float32.
        assert np.float32(info["task_reward"]) == np.float32(step["task_reward"]), where
        for key in components:
            assert np.float32(info[key]) == np.float32(step[key]), where
        assert list(info["events"]) == step["events"], where
        assert tuple(observation["position"]) == (step["agent_x"], step["agent_y"]), where
        assert (terminated, truncated, info["succeeded"]) == (step["terminated"], step["truncated"], step["succeeded"])
        assert (info["trial"], info["episode"], info["step"]) == (step["trial"], step["episode"], step["step"]), where
        events_seen.update(step["events"])
    assert len(steps) == len(results) > 100 and len(events_seen) >= 3


def test_a_tape_from_python_verifies_and_exports_exactly_as_the_command_lines_own(cli, tmp_path):
    cli_tape, python_tape = tmp_path / "cli.tape", tmp_path / "python.tape"
    cli("run", "rock-garden", "--agent", "player", "--seed", 21, "--episodes", 8, "--record", cli_tape)
    steps = [json.loads(line) for line in exported(cli, cli_tape)]
    replay_through_python(steps, "rock-garden", 21, "delight=1", tape=python_tape, agent="my-ppo")
    assert cli("tape", "verify", python_tape, check=False).returncode == 0
    info = json.loads(cli("tape", "info", python_tape, "--json").stdout)
    assert info["agent"] == "my-ppo" and info["status"] == "complete" and info["steps"] == len(steps)
    assert exported(cli, python_tape) == exported(cli, cli_tape), "the same steps, rewards, events and places"
    # The asciicast draws the map at every step: the last frames are the same final world.
    assert exported(cli, python_tape, "asciicast")[-1] == exported(cli, cli_tape, "asciicast")[-1]


def test_a_tape_carries_the_agents_probabilities_and_value(cli, tmp_path):
    path = tmp_path / "outputs.tape"
    env = playgrid.RecordTape(playgrid.make("open-field"), path, agent="probe")
    env.reset(seed=2)
    task = np.full(len(playgrid.TASK_ACTIONS), 1 / len(playgrid.TASK_ACTIONS))
    play = np.eye(len(playgrid.PLAY_ACTIONS))[0]
    for i in range(30):
        env.outputs(task_probabilities=task, play_probabilities=play, value=0.25 * i)
        _, _, terminated, truncated, _ = env.step(np.array([4 if i % 2 else 2, 0]))
        if terminated or truncated:
            env.reset()
    env.close()
    assert cli("tape", "verify", path).returncode == 0
    rows = [json.loads(line) for line in exported(cli, path)]
    assert rows[3]["value"] == 0.75
    assert rows[0]["task_probabilities"] == pytest.approx(list(task), abs=1e-4)
    assert rows[0]["play_probabilities"][0] == 1


def test_help_shows_what_a_tapes_reset_and_step_do():
    assert "opens the tape" in playgrid.RecordTape.reset.__doc__
    assert "records the step" in playgrid.RecordTape.step.__doc__


def test_a_tape_is_one_run_from_one_seed(tmp_path):
    env = playgrid.RecordTape(playgrid.make("open-field"), tmp_path / "one.tape")
    with pytest.raises(playgrid.TapeError, match="before the first step"):
        env.step(np.array([0, 0]))
    env.reset(seed=1)
    env.step(np.array([1, 0]))
    with pytest.raises(playgrid.TapeError, match="new seed"):
        env.reset(seed=2)
    with pytest.raises(playgrid.TapeError, match="before the episode ended"):
        env.reset()
    env.close()
    for use in (lambda: env.step(np.array([0, 0])), env.reset):
        with pytest.raises(playgrid.ClosedError, match="the environment is closed"):
            use()
    with pytest.raises(playgrid.TapeError, match="already exists"):
        playgrid.RecordTape(playgrid.make("open-field"), tmp_path / "one.tape").reset(seed=1)
    with pytest.raises(playgrid.ArgumentError, match="agent must be the name the tape shows"):
        playgrid.RecordTape(playgrid.make("open-field"), tmp_path / "two.tape", agent=None)


def test_a_second_reset_before_the_first_step_is_refused_before_it_moves_the_world(cli, tmp_path):
    """Refused by the wrapper, the environment stays where the tape began, so the tape goes on and verifies."""
    for second_reset in ({"seed": 2}, {}):
        path = tmp_path / f"reset-{len(second_reset)}.tape"
        env = playgrid.RecordTape(playgrid.make("open-field"), path)
        env.reset(seed=1)
        with pytest.raises(playgrid.TapeError, match="new seed|before the episode ended"):
            env.reset(**second_reset)
        _, _, _, _, info = env.step(np.array([4, 0]))
        assert (info["trial"], info["episode"], info["step"]) == (0, 0, 1)
        env.close()
        assert cli("tape", "verify", path).returncode == 0


def test_bad_agent_outputs_are_refused_before_the_step_so_the_tape_goes_on(cli, tmp_path):
    path = tmp_path / "outputs.tape"
    env = playgrid.RecordTape(playgrid.make("open-field"), path)
    env.reset(seed=1)
    uniform_play = np.full(len(playgrid.PLAY_ACTIONS), 1 / len(playgrid.PLAY_ACTIONS))
    with pytest.raises(playgrid.ArgumentError, match="2 task probabilities; the task head has 6 actions"):
        env.outputs(task_probabilities=[0.5, 0.5])
    with pytest.raises(playgrid.ArgumentError, match="play probabilities .* from 0 to 1"):
        env.outputs(play_probabilities=uniform_play * np.nan)
    with pytest.raises(playgrid.ArgumentError, match="not a finite number"):
        env.outputs(value=float("inf"))
    env.outputs(play_probabilities=uniform_play, value=0.5)
    env.step(np.array([4, 0]))
    env.step(np.array([2, 0]))
    env.close()
    assert cli("tape", "verify", path).returncode == 0
    assert json.loads(cli("tape", "info", path, "--json").stdout)["steps"] == 2


def test_a_time_limit_wrappers_reset_is_refused_before_it_breaks_the_tape(cli, tmp_path):
    path = tmp_path / "limit.tape"
    env = playgrid.RecordTape(gymnasium.make("PlayGrid/open-field-v0", max_episode_steps=5), path)
    env.reset(seed=1)
    for _ in range(5):
        _, _, _, truncated, _ = env.step(np.array([0, 0]))
    assert truncated, "the TimeLimit cut the episode; the world's own goes on"
    with pytest.raises(playgrid.TapeError, match="before the episode ended"):
        env.reset()
    env.close()
    assert cli("tape", "verify", path).returncode == 0


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_tape_from_python_replays_in_the_terminal(cli, tmp_path):
    path = tmp_path / "replay.tape"
    env = playgrid.RecordTape(playgrid.make("rock-garden"), path, agent="torch-agent")
    env.reset(seed=4)
    rng = np.random.default_rng(0)
    for _ in range(40):
        env.step(rng.integers([0, 0], [6, 7]))
    env.close()
    socket = str(tmp_path / "tmux.sock")
    session = f"pg{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-S", socket]
    environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"}
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "100", "-y", "32",
                    f"{cli.program} replay {path} --at 10; echo EXITED $?; sleep 30"], check=True, env=environment)
    try:
        def screen():
            return subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        deadline = time.time() + 30
        while time.time() < deadline and "torch-agent" not in screen():
            time.sleep(0.2)
        shown = screen()
        assert "torch-agent" in shown and "rock-garden" in shown, shown
        assert "█" in shown and any(glyph in shown for glyph in "▲▼◀▶"), "the map and the agent are drawn"
        subprocess.run([*tmux, "send-keys", "-t", session, "q"], check=True)
        deadline = time.time() + 15
        while time.time() < deadline and "EXITED" not in screen():
            time.sleep(0.2)
        assert "EXITED 0" in screen()
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
