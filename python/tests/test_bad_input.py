"""Bad input from Python raises an exception that carries PlayGrid's own message, and never takes the interpreter
down: the worst of it runs in a child interpreter that must live to say so."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import playgrid


def test_an_unknown_scenario_names_the_known_ones():
    with pytest.raises(playgrid.ScenarioError, match=r"no such scenario; did you mean 'rock-garden'\?"):
        playgrid.make("rock-gardn")


def test_a_gymnasium_id_given_to_make_says_which_call_takes_it():
    with pytest.raises(playgrid.ScenarioError, match=r"is a Gymnasium id: gymnasium.make\('PlayGrid/rock-garden-v0'\), "
                                                     r"or playgrid.make\('rock-garden'\)"):
        playgrid.make("PlayGrid/rock-garden-v0")


def test_a_malformed_file_is_located_to_its_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\nmap: |\n  ####\n  #A.#\n  ####\ntask: reach-goal\nepisode: {max-stepz: 10}\n")
    with pytest.raises(playgrid.ScenarioError, match=rf"^{path}:7:\d+: .*max-stepz"):
        playgrid.make(path)
    with pytest.raises(playgrid.ScenarioError, match="missing.yaml:1:1: no such file"):
        playgrid.make(tmp_path / "missing.yaml")


def test_a_bad_fun_spec_names_the_known_models():
    with pytest.raises(playgrid.FunSpecError, match="unknown fun model 'joy'; known models: delight"):
        playgrid.make("open-field", fun="joy=1")
    with pytest.raises(playgrid.FunSpecError, match="must be a finite number"):
        playgrid.make("open-field", fun="delight=lots")


def test_actions_out_of_range_of_the_wrong_type_or_shape():
    env = playgrid.make("open-field")
    env.reset(seed=1)
    with pytest.raises(playgrid.ActionError, match=r"task action 6 is out of range; expected 0 to 5"):
        env.step(np.array([6, 0]))
    with pytest.raises(playgrid.ActionError, match=r"play action -1 is out of range"):
        env.step([0, -1])
    with pytest.raises(playgrid.ActionError, match="must be integer"):
        env.step(np.array([1.5, 0.0]))
    with pytest.raises(playgrid.ArgumentError, match="3 action halves for 1 environments; expected 2"):
        env.step(np.array([1, 0, 2]))
    with pytest.raises(playgrid.ActionError, match="must be integer"):
        env.step("up")
    env.step(np.array([1, 0], dtype=np.uint8))  # any integer type will do
    # Halves beyond int64 are named as given, not as the number converting them would wrap to.
    with pytest.raises(playgrid.ActionError, match=r"action half 9223372036854775808 is out of range"):
        env.step(np.array([2**63, 0], dtype=np.uint64))
    with pytest.raises(playgrid.ActionError, match=r"action half -36893488147419103232 is out of range"):
        env.step([0, -2**65])
    envs = playgrid.make_vec("open-field", num_envs=4)
    envs.reset(seed=1)
    with pytest.raises(playgrid.ArgumentError, match=r"shape \(3, 2\) for 4 environments; expected \(4, 2\)"):
        envs.step(np.zeros((3, 2), dtype=np.int64))
    # The right size in the wrong shape: the task halves, then the play halves, stacked.
    with pytest.raises(playgrid.ArgumentError, match=r"shape \(2, 4\).*one \(task, play\) row per environment"):
        envs.step(np.stack([np.zeros(4, dtype=np.int64), np.ones(4, dtype=np.int64)]))
    with pytest.raises(playgrid.ArgumentError, match=r"shape \(8,\)"):
        envs.step(np.zeros(8, dtype=np.int64))
    with pytest.raises(playgrid.ActionError, match="environment 2: play action 7 is out of range"):
        envs.step(np.array([[0, 0], [0, 0], [0, 7], [0, 0]]))
    with pytest.raises(playgrid.ArgumentError, match="reset mask"):
        envs.reset(options={"reset_mask": np.ones(3, dtype=bool)})
    # A mask on the first reset would leave the other environments on seeds nobody chose.
    fresh = playgrid.make_vec("open-field", num_envs=3)
    for seed in (None, 5):
        with pytest.raises(playgrid.ArgumentError, match="the first reset starts every environment"):
            fresh.reset(seed=seed, options={"reset_mask": np.array([True, False, True])})
    fresh.reset(seed=5)
    fresh.reset(options={"reset_mask": np.array([True, False, True])})
    assert list(fresh.seeds) == [5, 6, 7]


def test_seeds_numpy_ints_welcome_out_of_range_refused():
    env, envs = playgrid.make("open-field"), playgrid.make_vec("open-field", num_envs=3)
    drawn = np.random.default_rng(0).integers(1000)
    env.reset(seed=drawn)
    assert env.seed == drawn
    envs.reset(seed=drawn)
    assert list(envs.seeds) == [drawn, drawn + 1, drawn + 2]
    for bad in (-1, 2**64, 1.5, "1"):
        with pytest.raises(playgrid.ArgumentError, match=r"seeds must be integers from 0 to 2\*\*64 - 1"):
            env.reset(seed=bad)
        with pytest.raises(playgrid.ArgumentError, match=r"seeds must be integers from 0 to 2\*\*64 - 1"):
            envs.reset(seed=bad)
    with pytest.raises(playgrid.ArgumentError, match=r"2\*\*64"):  # seed + 2 would wrap round to 0
        envs.reset(seed=2**64 - 2)
    envs.reset(seed=2**64 - 3)
    assert envs.seeds[-1] == 2**64 - 1


def test_a_step_before_the_first_reset_asks_for_one():
    env = playgrid.make("open-field")
    with pytest.raises(playgrid.Error, match=r"call reset\(\) before the first step"):
        env.step(np.array([0, 0]))
    envs = playgrid.make_vec("open-field", num_envs=2)
    with pytest.raises(playgrid.Error, match=r"call reset\(\) before the first step"):
        envs.step(np.zeros((2, 2), dtype=np.int64))


def test_using_a_closed_environment_says_it_is_closed():
    env = playgrid.make("open-field", render_mode="ansi")
    env.reset(seed=1)
    env.close()
    env.close()
    for use in (lambda: env.step(np.array([0, 0])), lambda: env.reset(seed=1), env.reset, env.render):
        with pytest.raises(playgrid.ClosedError, match="^the environment is closed$"):
            use()
    envs = playgrid.make_vec("open-field", num_envs=2, render_mode="rgb_array")
    envs.close()
    with pytest.raises(playgrid.ClosedError, match="^the environment is closed$"):
        envs.step(np.zeros((2, 2), dtype=np.int64))
    envs = playgrid.make_vec("open-field", num_envs=2, render_mode="rgb_array")
    envs.reset(seed=1)
    envs.close()
    for use in (lambda: envs.step(np.zeros((2, 2), dtype=np.int64)), lambda: envs.reset(seed=1), envs.render):
        with pytest.raises(playgrid.ClosedError, match="^the environment is closed$"):
            use()


def test_a_vector_env_whose_init_failed_closes_quietly():
    """Gymnasium 1.1's VectorEnv.__del__ closes it; that printed an AttributeError after every refused make_vec."""
    with pytest.raises(playgrid.ScenarioError):
        playgrid.make_vec("nowhere", num_envs=2)
    unopened = playgrid.PlayGridVectorEnv.__new__(playgrid.PlayGridVectorEnv)
    unopened.close()


def test_other_bad_arguments():
    with pytest.raises(playgrid.ArgumentError, match="render_mode"):
        playgrid.make("open-field", render_mode="human")
    with pytest.raises(playgrid.ArgumentError, match="num_envs"):
        playgrid.make_vec("open-field", num_envs=0)
    # Rendering arguments are refused when the environment is made, not at its first render().
    with pytest.raises(playgrid.ThemeError, match="no theme named 'neon'"):
        playgrid.make("open-field", render_mode="ansi", theme="neon")
    with pytest.raises(playgrid.ThemeError, match="no theme named 'neon'"):
        playgrid.make_vec("open-field", num_envs=2, render_mode="rgb_array", theme="neon")
    with pytest.raises(playgrid.ArgumentError, match="cell_pixels is 2; expected 4 to 64"):
        playgrid.make("open-field", render_mode="rgb_array", cell_pixels=2)
    with pytest.raises(playgrid.ArgumentError, match="cell_pixels must be an integer; got 8.5"):
        playgrid.make("open-field", render_mode="rgb_array", cell_pixels=8.5)
    with pytest.raises(playgrid.ArgumentError, match="theme must be a theme's name"):
        playgrid.make("open-field", render_mode="ansi", theme=None)


CHILD = textwrap.dedent("""
    import ctypes, numpy as np, playgrid
    from playgrid import _native
    lib = _native.lib
    caught = []

    def expect(call, *errors):
        try:
            call()
        except errors as error:
            caught.append(type(error).__name__)
        else:
            raise SystemExit(f"no error from call {len(caught)}")

    expect(lambda: playgrid.make("nowhere"), playgrid.ScenarioError)
    expect(lambda: playgrid.make("/dev/null"), playgrid.ScenarioError)
    expect(lambda: playgrid.make("open-field", fun="delight=nan"), playgrid.FunSpecError)
    env = playgrid.make("rock-garden")
    env.reset(seed=1)
    for bad in (np.array([99, 0]), np.array([0, 2**40]), np.array([-2**62, 0]), [2**63 - 1, 0]):
        expect(lambda: env.step(bad), playgrid.ActionError)
    expect(lambda: env.step(np.zeros(0, dtype=np.int64)), playgrid.ArgumentError)
    expect(lambda: env.step(np.zeros(10**6, dtype=np.int64)), playgrid.ArgumentError)
    env.close()
    expect(lambda: env.step(np.array([0, 0])), playgrid.ClosedError)

    # The C functions themselves, called as careless C would call them: every one answers with a status.
    statuses = [
        lib.pg_batch_step(0, None, 0),
        lib.pg_batch_step(123456789, None, 2),
        lib.pg_batch_step(env.batch.handle or 1 << 56 | 1 << 32 | 1, None, 2),
        lib.pg_batch_open(None, None, None, 0, None),
        lib.pg_batch_open(b"open-field", None, None, 1, None),
        lib.pg_batch_open(b"open-field", b"", None, 2**63, None),
        lib.pg_batch_bind(0, 0, None, 0),
        lib.pg_names(99, None, 0, None),
        lib.pg_names(0, None, 10, None),
        lib.pg_tape_record(0, None, 0, None, 0, None),
        lib.pg_tape_close(2 << 56 | 1 << 32 | 1),
        lib.pg_render_rgb(0, 0, 8, None, None, 0),
    ]
    envs = playgrid.make_vec("open-field", num_envs=2)
    h = envs.batch.handle
    small = np.zeros(4, dtype=np.int64)
    statuses += [
        lib.pg_batch_step(h, None, 4),
        lib.pg_batch_step(h, None, 2**64 - 1),
        lib.pg_batch_bind(h, 0, None, 5),
        lib.pg_batch_bind(h, 0, small.ctypes.data, small.nbytes),
        lib.pg_batch_bind(h, 2, small.ctypes.data + 1, small.nbytes),
        lib.pg_batch_reset(h, None, None, 2),
        lib.pg_batch_next_episode(h, None, 3),
        lib.pg_render_text(h, 2**64 - 1, 0, None, None, 0, None),
        lib.pg_render_text(h, 0, 9, None, None, 0, None),
        lib.pg_tape_open(h, 5, b"/tmp/x.tape", b"a", 0, None),
        lib.pg_tape_open(h, 0, None, b"a", 0, ctypes.byref(ctypes.c_uint64())),
        lib.pg_batch_get(h, -1, None),
        lib.pg_batch_text(h, 77, None, 0, None),
    ]
    assert all(status != 0 for status in statuses), statuses
    assert lib.pg_error_message().decode()
    print("survived", len(caught), len(statuses))
""")


def test_the_worst_of_it_leaves_the_interpreter_standing():
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("survived 10 25"), child.stdout + child.stderr


def test_an_environment_cannot_be_copied_or_pickled_and_says_so():
    import copy
    import pickle

    env, envs = playgrid.make("open-field"), playgrid.make_vec("open-field", num_envs=2)
    for thing in (env, envs):
        with pytest.raises(playgrid.ArgumentError, match="cannot be copied or pickled; make another"):
            copy.deepcopy(thing)
        with pytest.raises(playgrid.ArgumentError, match="cannot be copied or pickled"):
            pickle.dumps(thing)
    env.close()
    envs.close()


def test_vector_flags_are_what_they_say():
    with pytest.raises(playgrid.ArgumentError, match="num_envs must be a positive integer; got True"):
        playgrid.make_vec("open-field", num_envs=True)
    with pytest.raises(playgrid.ArgumentError, match="copy must be True or False; got 'no'"):
        playgrid.make_vec("open-field", num_envs=2, copy="no")
