/*
 * playgrid.h — the C interface to PlayGrid's worlds, fun models and tapes (libPlayGridC).
 *
 * Build the library with `swift build -c release --product PlayGridC` (.build/release/libPlayGridC.so).
 *
 * Conventions
 * - Every function that can fail returns a status: PG_OK (0) or one of the PG_ERROR_* codes. Nothing traps the
 *   calling process on bad input: null pointers, wrong sizes, indices and actions out of range, unknown or
 *   closed handles all come back as a status. After a failing call, pg_error_message() gives one line that says
 *   what was wrong (a scenario file's problem as `file:line:column: message`); it belongs to the calling thread
 *   and stays valid until that thread's next failing call.
 * - Handles are numbers, never pointers: a closed or made-up handle is reported (PG_ERROR_HANDLE), not followed.
 * - The caller owns every buffer. Output buffers are bound once (pg_batch_bind) and written by every reset and
 *   step; they must stay valid until the batch is closed or they are bound again. Sizes are checked against what
 *   the caller says a buffer holds; that a non-NULL pointer really points to that much memory is the one thing
 *   no C library can check.
 * - Calls on one handle are serialised (a lock); different handles may be used from different threads.
 * - A step allocates nothing (except when a new trial draws a new MDP of a varying family, and what a learning
 *   fun model such as novelty allocates for itself).
 * - Text goes out through (buffer, capacity, length): the full length (without the terminating NUL) is stored in
 *   *length; if it does not fit, as much as fits is written, NUL-terminated, and PG_ERROR_SPACE is returned, so
 *   a caller can ask again with capacity >= *length + 1. Lists are one name a line; line i names code i.
 */
#ifndef PLAYGRID_H
#define PLAYGRID_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface. Changes that break callers change it; additions (new functions, new enum values
 * at the end) do not. */
#define PG_ABI_VERSION 1

/* Statuses. */
enum {
    PG_OK = 0,
    PG_ERROR_ARGUMENT = 1, /* a null pointer, a size that does not match, an index out of range, a bad option */
    PG_ERROR_HANDLE = 2,   /* an unknown or closed handle, or one of another kind */
    PG_ERROR_SCENARIO = 3, /* an unknown scenario name, a file that does not parse, a family that draws no MDP */
    PG_ERROR_FUN = 4,      /* a fun spec that does not parse */
    PG_ERROR_ACTION = 5,   /* an action half out of range */
    PG_ERROR_TAPE = 6,     /* a tape that cannot be written, or a step that does not follow it */
    PG_ERROR_SPACE = 7,    /* a text buffer too small: *length says what is needed */
    PG_ERROR_THEME = 8     /* the theme cannot be found or read */
};

/* Lists of names (pg_names): line i is the name of code i. */
enum {
    PG_NAMES_TASK_ACTIONS = 0, /* stay up down left right use */
    PG_NAMES_PLAY_ACTIONS = 1, /* none push kick ring dig build spin */
    PG_NAMES_EVENTS = 2,       /* bit i of an event mask is event i */
    PG_NAMES_TILES = 3,        /* tile codes of an image's channel 0 */
    PG_NAMES_THINGS = 4,       /* thing codes of an image's channel 1, and of carrying[0] */
    PG_NAMES_DIRECTIONS = 5,   /* up right down left */
    PG_NAMES_FUN_MODELS = 6,   /* what a fun spec may name */
    PG_NAMES_SCENARIOS = 7,    /* the shipped scenarios (found through $PLAYGRID_HOME or beside the program) */
    PG_NAMES_COLORS = 8        /* key and door colours: the low three bits of their aux byte */
};

/* Output buffers of a batch of N environments (pg_batch_bind), with their element types and sizes. */
enum {
    PG_BUFFER_IMAGE = 0,      /* uint8   N × view × view × 3: the egocentric window, row-major from its top-left,
                                  the agent at its centre; per cell tile code, thing code, aux byte */
    PG_BUFFER_CARRYING = 1,   /* uint8   N × 2: the carried thing's code and aux byte */
    PG_BUFFER_POSITION = 2,   /* int64   N × 2: the agent's x, y on the map (0, 0 top-left) */
    PG_BUFFER_DIRECTION = 3,  /* int64   N: the agent's heading (PG_NAMES_DIRECTIONS) */
    PG_BUFFER_ENERGY = 4,     /* int64   N: energy for play under simultaneous coupling, clamped to 255 */
    PG_BUFFER_REWARD = 5,     /* float   N: task reward + the weighted fun components */
    PG_BUFFER_TASK_REWARD = 6,/* float   N */
    PG_BUFFER_FUN = 7,        /* float   N × components: each fun component, already weighted */
    PG_BUFFER_TERMINATED = 8, /* uint8   N: 1 when the task ended the episode */
    PG_BUFFER_TRUNCATED = 9,  /* uint8   N: 1 when the episode ran out of steps */
    PG_BUFFER_SUCCEEDED = 10, /* uint8   N: 1 when the step completed the task */
    PG_BUFFER_EVENTS = 11,    /* uint64  N: the step's events, bit i for event i (PG_NAMES_EVENTS) */
    PG_BUFFER_TRIAL = 12,     /* int64   N: trial number, from 0 */
    PG_BUFFER_EPISODE = 13,   /* int64   N: episode within the trial, from 0 */
    PG_BUFFER_STEP = 14,      /* int64   N: steps taken in the episode */
    PG_BUFFER_CONTEXT = 15    /* int64   N: what a fun model asks the policy to condition on (DIAYN's skill), -1 none */
};

/* Integer properties of a batch (pg_batch_get). */
enum {
    PG_PROPERTY_COUNT = 0,             /* N */
    PG_PROPERTY_VIEW_SIZE = 1,         /* side of the egocentric window */
    PG_PROPERTY_MAP_WIDTH = 2,
    PG_PROPERTY_MAP_HEIGHT = 3,
    PG_PROPERTY_TASK_ACTIONS = 4,      /* how many task actions */
    PG_PROPERTY_PLAY_ACTIONS = 5,      /* how many play actions */
    PG_PROPERTY_FUN_COMPONENTS = 6,
    PG_PROPERTY_EPISODES_PER_TRIAL = 7,
    PG_PROPERTY_MAX_STEPS = 8,         /* steps before an episode is truncated */
    PG_PROPERTY_PLAY_AFFORDED = 9,     /* bit i set when play action i does something in this scenario */
    PG_PROPERTY_MAX_ENERGY = 10        /* energy at an episode's start (simultaneous coupling), 0 otherwise */
};

/* Texts of a batch (pg_batch_text). */
enum {
    PG_TEXT_SCENARIO_NAME = 0,
    PG_TEXT_SCENARIO_SUMMARY = 1,
    PG_TEXT_ORIGIN = 2,         /* the scenario as it was named when opened: a shipped name or a path */
    PG_TEXT_FUN_SPEC = 3,       /* as printed, e.g. delight=1 */
    PG_TEXT_FUN_COMPONENTS = 4, /* one model name a line, in the order of PG_BUFFER_FUN */
    PG_TEXT_TASK = 5            /* the task in a sentence */
};

/* Map renderings (pg_render_text). */
enum {
    PG_RENDER_SYMBOLS = 0, /* the scenario file's map symbols, ASCII, one character a cell */
    PG_RENDER_GLYPHS = 1,  /* the theme's glyphs, one a cell, no colour */
    PG_RENDER_ANSI = 2     /* the theme's glyphs with ANSI colour escapes, as the terminal shows them */
};

/* The library. */
uint32_t pg_abi_version(void);                 /* PG_ABI_VERSION of the library */
const char *pg_version(void);                  /* e.g. "0.1.0"; static */
const char *pg_error_message(void);            /* the calling thread's last failure, "" if none */
int32_t pg_names(int32_t list, char *buffer, size_t capacity, size_t *length);

/* A batch of N worlds of one scenario. `scenario` is a shipped scenario's name or a path to a scenario file;
 * `fun` a fun spec as on the command line ("delight=1,novelty=0.1", "none"; NULL or "" means no fun).
 * Environment i starts from seeds[i], exactly as `playgrid run SCENARIO --seed seeds[i] --fun FUN`.
 * 1 <= count <= 1048576, and a batch may take about 8 GiB. */
int32_t pg_batch_open(const char *scenario, const char *fun, const uint64_t *seeds, size_t count, uint64_t *batch);
int32_t pg_batch_close(uint64_t batch);
int32_t pg_batch_get(uint64_t batch, int32_t property, int64_t *value);
int32_t pg_batch_text(uint64_t batch, int32_t text, char *buffer, size_t capacity, size_t *length);

/* Binds (or, with data NULL and bytes 0, unbinds) an output buffer; `bytes` must be at least its size. The current
 * observations are written at once. */
int32_t pg_batch_bind(uint64_t batch, int32_t buffer, void *data, size_t bytes);

/* Restarts the environments whose mask byte is non-zero (all when mask is NULL) from their seeds: a new trial
 * world and new fun models each. `seeds` and `mask` hold N entries; `count` must be N. */
int32_t pg_batch_reset(uint64_t batch, const uint64_t *seeds, const uint8_t *mask, size_t count);

/* Begins the next episode (or, after a trial's last, the next trial) of the environments whose mask byte is
 * non-zero (all when mask is NULL), whether or not their episodes had ended: what Gymnasium's reset() without a
 * seed does. */
int32_t pg_batch_next_episode(uint64_t batch, const uint8_t *mask, size_t count);

/* Steps all N environments. `actions` holds N pairs (task, play): count == 2N, each half in range. Nothing is
 * stepped when an action is out of range. An environment whose last step ended its episode ignores its action and
 * begins its next episode instead (Gymnasium's next-step autoreset), reporting no reward and no events. */
int32_t pg_batch_step(uint64_t batch, const int64_t *actions, size_t count);

/* Environment `index`'s map as text, rows separated by newlines (`style`: PG_RENDER_*). `theme` names a theme in
 * assets/themes (NULL: "unicode"); PG_RENDER_SYMBOLS ignores it. */
int32_t pg_render_text(uint64_t batch, size_t index, int32_t style, const char *theme, char *buffer, size_t capacity,
                       size_t *length);

/* Environment `index`'s map as an RGB raster, a square of `cell_pixels` (4 to 64) per cell drawn with the theme's
 * colours and a small picture of each glyph: height·cell_pixels rows of width·cell_pixels pixels of 3 bytes.
 * `bytes` must be at least that. */
int32_t pg_render_rgb(uint64_t batch, size_t index, int32_t cell_pixels, const char *theme, uint8_t *buffer,
                      size_t bytes);

/* A tape of environment `index`, from its seed (open it right after that environment's reset): every step it
 * takes must then be recorded with pg_tape_record, and pg_tape_close finishes the tape (docs/tape-format.md).
 * `agent` is the name the tape shows; an existing file is refused unless `force` is non-zero. */
int32_t pg_tape_open(uint64_t batch, size_t index, const char *path, const char *agent, int32_t force, uint64_t *tape);

/* Records the environment's last step, with what the agent said about it when given: its task and play heads'
 * probabilities (NULL, or task_count == number of task actions, play_count == number of play actions) and its
 * value estimate (NULL or one float). */
int32_t pg_tape_record(uint64_t tape, const float *task_probabilities, size_t task_count,
                       const float *play_probabilities, size_t play_count, const float *value);

/* Finishes the tape (its end record) and closes the handle. */
int32_t pg_tape_close(uint64_t tape);

#ifdef __cplusplus
}
#endif

#endif
