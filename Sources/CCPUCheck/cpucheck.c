#include "cpucheck.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

enum { LEAF1_ECX, LEAF7_EBX, EXTENDED1_ECX, XCR0 };

/// Everything code generated for x86-64-v3 may use (LLVM's haswell level), in the order a message names it.
static const struct { const char *name; int word; uint64_t mask; } required[] = {
    {"AVX2", LEAF7_EBX, 1u << 5},
    {"FMA", LEAF1_ECX, 1u << 12},
    {"AVX", LEAF1_ECX, 1u << 28},
    {"AVX register saving by the OS", XCR0, 0x6},
    {"BMI1", LEAF7_EBX, 1u << 3},
    {"BMI2", LEAF7_EBX, 1u << 8},
    {"F16C", LEAF1_ECX, 1u << 29},
    {"LZCNT", EXTENDED1_ECX, 1u << 5},
    {"MOVBE", LEAF1_ECX, 1u << 22},
    {"POPCNT", LEAF1_ECX, 1u << 23},
    {"SSE4.2", LEAF1_ECX, 1u << 20},
    {"SSE4.1", LEAF1_ECX, 1u << 19},
    {"SSSE3", LEAF1_ECX, 1u << 9},
    {"SSE3", LEAF1_ECX, 1u << 0},
    {"CMPXCHG16B", LEAF1_ECX, 1u << 13},
    {"LAHF/SAHF", EXTENDED1_ECX, 1u << 0},
};

int pg_cpu_missing(pg_cpu_report report, char *out, size_t size) {
    const uint64_t words[] = {report.leaf1_ecx, report.leaf7_ebx, report.extended1_ecx, report.xcr0};
    int missing = 0;
    size_t used = 0;
    if (size > 0) out[0] = '\0';
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if ((words[required[i].word] & required[i].mask) == required[i].mask) continue;
        if (size > used) {
            int n = snprintf(out + used, size - used, "%s%s", missing > 0 ? ", " : "", required[i].name);
            if (n > 0) used += (size_t)n;
        }
        missing++;
    }
    return missing;
}

pg_cpu_report pg_cpu_read(void) {
    pg_cpu_report report = {0, 0, 0, 0};
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) report.leaf1_ecx = c;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) report.leaf7_ebx = b;
    if (__get_cpuid(0x80000001u, &a, &b, &c, &d)) report.extended1_ecx = c;
    if (report.leaf1_ecx & (1u << 27)) {  // OSXSAVE: XGETBV is available
        uint32_t low, high;
        __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
        report.xcr0 = ((uint64_t)high << 32) | low;
    }
#endif
    return report;
}

#if defined(__x86_64__) && defined(PG_REQUIRE_X86_64_V3)
/// Runs before `main`, so before any code built for x86-64-v3.
__attribute__((constructor)) static void pg_cpu_check_at_start(void) {
    char missing[256];
    if (pg_cpu_missing(pg_cpu_read(), missing, sizeof missing) == 0) return;
    fprintf(stderr, "PlayGrid was built for x86-64-v3 CPUs (-target-cpu haswell, see Package.swift) and this CPU lacks %s; "
                    "rebuild for any x86-64 CPU with PLAYGRID_PORTABLE=1 swift build -c release\n", missing);
    _exit(78);
}
#endif
