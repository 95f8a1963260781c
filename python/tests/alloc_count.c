/* Steps a batch through the C interface, as a C program would, counting every allocation the process makes:
 * malloc and its kin are defined here, so they take the place of the C library's for libPlayGridC too.
 * Usage: alloc_count SCENARIO FUN ENVIRONMENTS STEPS — prints "steps S allocations A new-trials T" for the timed
 * part (after a warm-up of as many steps). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "playgrid.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static size_t allocations;

void *malloc(size_t n) { allocations++; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { allocations++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { allocations++; return __libc_realloc(p, n); }
void *aligned_alloc(size_t a, size_t n) { allocations++; return __libc_memalign(a, n); }
void *memalign(size_t a, size_t n) { allocations++; return __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n) {
    allocations++;
    *p = __libc_memalign(a, n);
    return *p ? 0 : 12;
}

static int fail(const char *what) {
    fprintf(stderr, "%s: %s\n", what, pg_error_message());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) return fprintf(stderr, "usage: alloc_count SCENARIO FUN ENVIRONMENTS STEPS\n"), 2;
    size_t n = (size_t)atol(argv[3]);
    long steps = atol(argv[4]);
    uint64_t *seeds = calloc(n, sizeof *seeds);
    for (size_t i = 0; i < n; i++) seeds[i] = i + 1;
    uint64_t batch;
    if (pg_batch_open(argv[1], argv[2], seeds, n, &batch) != PG_OK) return fail("open");
    int64_t view, components;
    pg_batch_get(batch, PG_PROPERTY_VIEW_SIZE, &view);
    pg_batch_get(batch, PG_PROPERTY_FUN_COMPONENTS, &components);
    uint8_t *image = malloc(n * view * view * 3);
    float *reward = malloc(n * sizeof(float)), *fun = malloc((n * components + 1) * sizeof(float));
    int64_t *trial = malloc(n * sizeof(int64_t)), *position = malloc(2 * n * sizeof(int64_t));
    uint64_t *events = malloc(n * sizeof(uint64_t));
    if (pg_batch_bind(batch, PG_BUFFER_IMAGE, image, n * view * view * 3) != PG_OK) return fail("bind");
    pg_batch_bind(batch, PG_BUFFER_REWARD, reward, n * sizeof(float));
    if (components) pg_batch_bind(batch, PG_BUFFER_FUN, fun, n * components * sizeof(float));
    pg_batch_bind(batch, PG_BUFFER_TRIAL, trial, n * sizeof(int64_t));
    pg_batch_bind(batch, PG_BUFFER_POSITION, position, 2 * n * sizeof(int64_t));
    pg_batch_bind(batch, PG_BUFFER_EVENTS, events, n * sizeof(uint64_t));
    int64_t *actions = malloc(2 * n * sizeof(int64_t));
    int64_t *last = calloc(n, sizeof(int64_t));
    uint64_t state = 12345;
    long trials = 0;
    size_t before = 0;
    for (long s = 0; s < 2 * steps; s++) {
        if (s == steps) {
            before = allocations;
            trials = 0;
        }
        for (size_t i = 0; i < 2 * n; i++) {
            state = state * 6364136223846793005u + 1442695040888963407u;
            actions[i] = (int64_t)((state >> 33) % (i % 2 ? 7 : 6));
        }
        if (pg_batch_step(batch, actions, 2 * n) != PG_OK) return fail("step");
        for (size_t i = 0; i < n; i++) {
            if (trial[i] != last[i]) trials++;
            last[i] = trial[i];
        }
    }
    printf("steps %ld allocations %zu new-trials %ld\n", steps * (long)n, allocations - before, trials);
    return pg_batch_close(batch) == PG_OK ? 0 : fail("close");
}
