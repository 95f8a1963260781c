#include "AllocationCounter.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#if defined(__GLIBC__)

// glibc's own allocator under its internal names: what the replacements below forward to, so memory still comes from
// (and goes back to, through the untouched `free`) glibc's heap.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// Per thread, because Swift Testing runs tests in parallel threads and only the counting thread's calls are wanted.
// Initial-exec TLS is a fixed offset from the thread pointer: reading it cannot itself call malloc.
static __thread __attribute__((tls_model("initial-exec"))) bool counting;
static __thread __attribute__((tls_model("initial-exec"))) long allocations;

static inline void note_allocation(void) {
    if (counting) allocations += 1;
}

void *malloc(size_t size) {
    note_allocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    note_allocation();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    note_allocation();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    note_allocation();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    note_allocation();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    note_allocation();
    if (alignment == 0 || alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}

bool pg_allocations_are_counted(void) { return true; }

void pg_allocations_start(void) {
    allocations = 0;
    counting = true;
}

long pg_allocations_stop(void) {
    counting = false;
    return allocations;
}

#else

bool pg_allocations_are_counted(void) { return false; }
void pg_allocations_start(void) {}
long pg_allocations_stop(void) { return 0; }

#endif
