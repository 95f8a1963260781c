"""The native vector environment: Gymnasium's vector contract, and exactly the single environments it batches."""

import gymnasium
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

import playgrid


def test_make_vec_gives_the_native_batch():
    envs = gymnasium.make_vec("PlayGrid/rock-garden-v0", num_envs=16, vectorization_mode="vector_entry_point")
    assert isinstance(envs.unwrapped, playgrid.PlayGridVectorEnv)
    assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    assert envs.num_envs == 16 and envs.action_space.shape == (16, 2)
    assert envs.observation_space == gymnasium.vector.utils.batch_space(envs.single_observation_space, 16)
    observations, infos = envs.reset(seed=1)
    assert observations in envs.observation_space
    assert observations["image"].shape == (16, 7, 7, 3)
    assert set(infos) >= {"task_reward", "_task_reward", "events", "fun_delight", "trial", "episode"}
    envs.close()
    envs.close()


@pytest.mark.parametrize("name,fun", [("rock-garden", "delight=1"), ("playroom", "delight=1,novelty=0.1"),
                                      ("shifting-goal", "none")])
def test_the_batch_steps_exactly_as_single_environments_under_sync_vector_env(name, fun):
    count = 6
    native = playgrid.make_vec(name, num_envs=count, fun=fun)
    reference = SyncVectorEnv([lambda: playgrid.make(name, fun=fun) for _ in range(count)],
                              autoreset_mode=AutoresetMode.NEXT_STEP)
    observations, _ = native.reset(seed=10)
    expected, _ = reference.reset(seed=10)
    for key in expected:
        np.testing.assert_array_equal(observations[key], expected[key])
    rng = np.random.default_rng(5)
    endings = 0
    for _ in range(700):
        actions = rng.integers([0, 0], [6, 7], size=(count, 2))
        observations, rewards, terminated, truncated, infos = native.step(actions)
        expected, expected_rewards, expected_terminated, expected_truncated, expected_infos = reference.step(actions)
        for key in expected:
            np.testing.assert_array_equal(observations[key], expected[key], err_msg=key)
        np.testing.assert_array_equal(rewards, expected_rewards)
        np.testing.assert_array_equal(terminated, expected_terminated)
        np.testing.assert_array_equal(truncated, expected_truncated)
        np.testing.assert_array_equal(infos["task_reward"], expected_infos["task_reward"])
        for key in (k for k in expected_infos if k.startswith("fun_")):
            np.testing.assert_array_equal(infos[key], expected_infos[key])
        endings += int(terminated.sum() + truncated.sum())
    assert endings > count, "episodes ended and the batch reset them"


def test_the_skill_funs_policy_context_is_in_the_infos_as_under_sync_vector_env():
    count = 3
    native = playgrid.make_vec("skill-room", num_envs=count, fun="skill=1")
    reference = SyncVectorEnv([lambda: playgrid.make("skill-room", fun="skill=1") for _ in range(count)],
                              autoreset_mode=AutoresetMode.NEXT_STEP)
    results, expected = [native.reset(seed=4)[1]], [reference.reset(seed=4)[1]]
    rng = np.random.default_rng(2)
    for _ in range(300):
        actions = rng.integers([0, 0], [6, 7], size=(count, 2))
        results.append(native.step(actions)[4])
        expected.append(reference.step(actions)[4])
    for infos, expected_infos in zip(results, expected):
        np.testing.assert_array_equal(infos["policy_context"], expected_infos["policy_context"])
        np.testing.assert_array_equal(infos["_policy_context"], expected_infos["_policy_context"])
    assert len({int(skill) for infos in results for skill in infos["policy_context"]}) > 1
    assert "policy_context" not in playgrid.make_vec("skill-room", num_envs=2).reset(seed=4)[1]


def test_next_step_autoreset_ignores_the_action_and_reports_nothing():
    envs = playgrid.make_vec("open-field", num_envs=2)
    envs.reset(seed=0)
    stay = np.zeros((2, 2), dtype=np.int64)
    while True:
        _, _, terminated, truncated, infos = envs.step(stay)
        if truncated[0] or terminated[0]:
            break
    observations, rewards, terminated, truncated, infos = envs.step(np.array([[2, 0], [0, 0]]))
    assert rewards[0] == 0 and not terminated[0] and not truncated[0]
    assert infos["episode"][0] == 1 and infos["step"][0] == 0 and infos["events"][0] == 0
    assert tuple(observations["position"][0]) == (1, 1), "back at the start; the move was ignored"


def test_reset_is_deterministic_and_a_mask_resets_some():
    envs = playgrid.make_vec("four-rooms", num_envs=4)
    first, _ = envs.reset(seed=7)
    again, _ = envs.reset(seed=7)
    for key in first:
        np.testing.assert_array_equal(first[key], again[key])
    other, _ = envs.reset(seed=8)
    assert not np.array_equal(first["image"], other["image"]), "another seed, other rooms"
    envs.reset(seed=7)
    for _ in range(5):
        envs.step(np.ones((4, 2), dtype=np.int64))
    stepped = envs.batch.outputs["step"].copy()
    _, infos = envs.reset(options={"reset_mask": np.array([True, False, False, True])})
    assert list(infos["episode"]) == [1, 0, 0, 1]
    assert list(infos["step"]) == [0, *stepped[1:3], 0]


def test_copy_false_returns_the_library_buffers():
    envs = playgrid.make_vec("rock-garden", num_envs=3, copy=False)
    observations, _ = envs.reset(seed=1)
    assert observations["image"] is envs.batch.outputs["image"]
    copied = playgrid.make_vec("rock-garden", num_envs=3)
    observations, _ = copied.reset(seed=1)
    assert not np.shares_memory(observations["image"], copied.batch.outputs["image"])


def test_vector_renders_every_environment():
    envs = playgrid.make_vec("open-field", num_envs=3, render_mode="rgb_array", cell_pixels=4)
    envs.reset(seed=1)
    frames = envs.render()
    assert len(frames) == 3 and frames[0].shape == (32, 32, 3)
