"""Every shipped scenario is a Gymnasium environment that passes Gymnasium's own checks."""

import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import playgrid

SCENARIOS = playgrid.scenarios()


def test_every_shipped_scenario_is_registered():
    assert "rock-garden" in SCENARIOS and len(SCENARIOS) >= 8
    for name in SCENARIOS:
        assert f"PlayGrid/{name}-v0" in gymnasium.registry


def test_a_registered_id_makes_its_own_scenario_only():
    env = gymnasium.make("PlayGrid/key-door-v0", scenario="key-door")
    assert env.unwrapped.scenario == "key-door" and env.spec.id == "PlayGrid/key-door-v0"
    assert gymnasium.envs.registration.EnvSpec.from_json(env.spec.to_json()) == env.spec
    env.close()
    # Gymnasium merges keyword arguments into the registered ones: another scenario under this id is refused.
    with pytest.raises(playgrid.ArgumentError, match=r'PlayGrid/rock-garden-v0 is the rock-garden scenario, not '
                                                     r"'key-door': make that one with gymnasium.make\(\"PlayGrid/key-door-v0\"\)"):
        gymnasium.make("PlayGrid/rock-garden-v0", scenario="key-door")
    with pytest.raises(playgrid.ArgumentError, match="is the rock-garden scenario"):
        gymnasium.make_vec("PlayGrid/rock-garden-v0", num_envs=2, vectorization_mode="vector_entry_point", scenario="key-door")
    envs = gymnasium.make_vec("PlayGrid/rock-garden-v0", num_envs=2, vectorization_mode="vector_entry_point")
    assert envs.num_envs == 2 and envs.scenario == "rock-garden"
    envs.close()


@pytest.mark.parametrize("name", SCENARIOS)
def test_env_checker_passes_without_a_warning(name):
    env = gymnasium.make(f"PlayGrid/{name}-v0")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
    env.close()


def test_spaces_are_the_task_play_pair_and_the_world_observation():
    env = playgrid.make("rock-garden")
    assert env.action_space == gymnasium.spaces.MultiDiscrete([len(playgrid.TASK_ACTIONS), len(playgrid.PLAY_ACTIONS)])
    assert playgrid.TASK_ACTIONS[:2] == ("stay", "up") and playgrid.PLAY_ACTIONS[1] == "push"
    observation, info = env.reset(seed=3)
    assert observation["image"].shape == (7, 7, 3) and observation["image"].dtype == np.uint8
    assert observation in env.observation_space
    # The agent stands at the centre of its window, on the floor of the map's start cell (1, 1).
    assert playgrid.TILES[observation["image"][3, 3, 0]] == "floor"
    assert tuple(observation["position"]) == (1, 1)
    assert playgrid.DIRECTIONS[observation["direction"]] == "up"
    # Above the agent is the wall, and beyond the map's edge (two rows up) the window reads void.
    assert playgrid.TILES[observation["image"][2, 3, 0]] == "wall" and playgrid.TILES[observation["image"][0, 3, 0]] == "void"
    assert info == {"task_reward": 0.0, "events": (), "succeeded": False, "trial": 0, "episode": 0, "step": 0,
                    "fun_delight": 0.0}


def test_reward_is_task_plus_weighted_fun_and_info_keeps_them_apart():
    env = playgrid.make("playroom", fun="delight=2,novelty=0.5")
    env.reset(seed=4)
    rng = np.random.default_rng(0)
    seen_fun = False
    for _ in range(400):
        _, reward, terminated, truncated, info = env.step(rng.integers([0, 0], [6, 7]))
        parts = info["task_reward"] + info["fun_delight"] + info["fun_novelty"]
        assert reward == pytest.approx(parts, abs=1e-6)
        seen_fun |= info["fun_delight"] > 0
        if terminated or truncated:
            env.reset()
    assert seen_fun, "the playroom delights a random agent now and then"


def test_reset_without_a_seed_carries_the_trial_on():
    env = playgrid.make("four-rooms")
    first, _ = env.reset(seed=8)
    episodes = env.episodes_per_trial
    for episode in range(1, episodes + 1):
        _, info = env.reset()
        assert info["trial"] == (1 if episode == episodes else 0) and info["episode"] == episode % episodes


def test_step_after_the_end_asks_for_a_reset():
    env = playgrid.make("open-field")
    env.reset(seed=1)
    done = False
    while not done:
        _, _, terminated, truncated, _ = env.step(np.array([0, 0]))
        done = terminated or truncated
    with pytest.raises(playgrid.Error, match="call reset"):
        env.step(np.array([0, 0]))


def test_renderings():
    env = playgrid.make("rock-garden", render_mode="ansi")
    env.reset(seed=2)
    text = env.render()
    assert "\x1b[" in text and "█" in text and "▲" in text and text.count("\n") == 10
    env = playgrid.make("rock-garden", render_mode="rgb_array", cell_pixels=8)
    env.reset(seed=2)
    frame = env.render()
    assert frame.shape == (80, 96, 3) and frame.dtype == np.uint8
    assert tuple(frame[0, 0]) == (0x76, 0x76, 0x76), "the top-left wall in the theme's wall colour"
    env = playgrid.make("rock-garden", render_mode="ansi", theme="ascii")
    env.reset(seed=2)
    assert "#" in env.render() and "^" in env.render()


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_seed_and_actions_make_one_run(name):
    first, second = playgrid.make(name, fun="delight=1,novelty=0.1"), playgrid.make(name, fun="delight=1,novelty=0.1")
    a, _ = first.reset(seed=99)
    again, _ = first.reset(seed=99)
    b, _ = second.reset(seed=99)
    for key in a:
        np.testing.assert_array_equal(a[key], again[key])
        np.testing.assert_array_equal(a[key], b[key])
    actions = np.random.default_rng(1).integers([0, 0], [6, 7], size=(400, 2))
    for action in actions:
        one, two = first.step(action), second.step(action)
        for key in one[0]:
            np.testing.assert_array_equal(one[0][key], two[0][key])
        assert one[1:] == two[1:]
        if one[2] or one[3]:
            first.reset()
            second.reset()


def test_help_shows_playgrids_own_reset_step_and_render_not_gymnasiums_generic_text():
    for environment, base in ((playgrid.PlayGridEnv, gymnasium.Env),
                              (playgrid.PlayGridVectorEnv, gymnasium.vector.VectorEnv)):
        for name in ("reset", "step", "render"):
            assert getattr(environment, name).__doc__ not in (None, getattr(base, name).__doc__), (environment, name)
    assert "next episode of the trial" in " ".join(playgrid.PlayGridEnv.reset.__doc__.split())
    assert "(N, 2)" in playgrid.PlayGridVectorEnv.step.__doc__
    for argument in ("scenario", "fun", "render_mode", "theme", "cell_pixels"):
        assert f"``{argument}``" in playgrid.PlayGridEnv.__doc__


def test_record_episode_statistics_takes_another_stats_key_as_the_docstring_says():
    assert "stats_key" in playgrid.PlayGridEnv.__doc__
    env = gymnasium.wrappers.RecordEpisodeStatistics(gymnasium.make("PlayGrid/open-field-v0"), stats_key="statistics")
    env.reset(seed=1)
    done = False
    while not done:
        _, _, terminated, truncated, info = env.step(np.array([0, 0]))
        done = terminated or truncated
    assert info["statistics"]["l"] == info["step"] and info["episode"] == 0
