/// CCPUCheck: stops a program whose Swift kernels were built for x86-64-v3 (`-target-cpu haswell`, see Package.swift)
/// with one clear line when the CPU lacks what that code uses, before any of it can run. Without this check such a
/// CPU would meet the first AVX2 instruction and crash with SIGILL. This file is compiled for the baseline CPU.
#ifndef PG_CPU_CHECK_H
#define PG_CPU_CHECK_H

#include <stddef.h>
#include <stdint.h>

/// What CPUID and XGETBV report: the inputs of `pg_cpu_missing`.
typedef struct {
    uint32_t leaf1_ecx;      ///< CPUID leaf 1, ECX.
    uint32_t leaf7_ebx;      ///< CPUID leaf 7 subleaf 0, EBX.
    uint32_t extended1_ecx;  ///< CPUID leaf 0x80000001, ECX.
    uint64_t xcr0;           ///< XGETBV 0: the register state the OS saves (0 when it has not enabled XSAVE).
} pg_cpu_report;

/// This CPU's report (all zero off x86-64).
pg_cpu_report pg_cpu_read(void);

/// Writes the names of the x86-64-v3 features that `report` lacks, comma-separated, into `out` (`size` bytes,
/// always NUL-terminated when `size > 0`); returns how many are missing.
int pg_cpu_missing(pg_cpu_report report, char *out, size_t size);

#endif
