/// AllocationCounter: counts the heap allocations a thread makes, so tests can pin "no allocation per step" on the
/// hot paths that claim it. Only test targets link it: it replaces malloc for the whole process it is linked into.
#ifndef PG_ALLOCATION_COUNTER_H
#define PG_ALLOCATION_COUNTER_H

#include <stdbool.h>

/// Whether allocations are counted in this build: glibc only, where `__libc_malloc` and friends can be forwarded to.
bool pg_allocations_are_counted(void);

/// Starts counting this thread's allocations from zero. Other threads are never counted.
void pg_allocations_start(void);

/// Stops counting on this thread; returns the calls to malloc, calloc, realloc, posix_memalign, aligned_alloc and
/// memalign that it made since `pg_allocations_start`.
long pg_allocations_stop(void);

#endif
