import CCPUCheck
import Testing

/// The start-up check that stops an x86-64-v3 build on an older CPU, fed CPUID answers of known processors.
@Suite struct CPUCheckTests {
    /// Names of what `report` lacks, as the start-up line would list them.
    func missing(_ report: pg_cpu_report) -> (count: Int32, names: String) {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = pg_cpu_missing(report, &buffer, buffer.count)
        return (count, String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    // CPUID leaf 1 ECX, leaf 7 EBX, leaf 0x80000001 ECX as reported by each processor, and the XCR0 of a Linux kernel.
    let haswell = pg_cpu_report(leaf1_ecx: 0x7FFA_FBFF, leaf7_ebx: 0x0000_27AB, extended1_ecx: 0x0000_0021, xcr0: 0x7)
    let sandyBridge = pg_cpu_report(leaf1_ecx: 0x1FBA_E3FF, leaf7_ebx: 0, extended1_ecx: 0x0000_0001, xcr0: 0x7)
    let nehalem = pg_cpu_report(leaf1_ecx: 0x0098_E3FD, leaf7_ebx: 0, extended1_ecx: 0x0000_0001, xcr0: 0)

    @Test("a Haswell passes; a Sandy Bridge lacks AVX2 and FMA first; a Nehalem lacks AVX too")
    func knownProcessors() {
        #expect(missing(haswell).count == 0 && missing(haswell).names == "")
        let sandy = missing(sandyBridge)
        #expect(sandy.names.hasPrefix("AVX2, FMA, BMI1, BMI2, F16C, LZCNT"), "\(sandy.names)")
        #expect(!sandy.names.contains("SSE4.2") && !sandy.names.contains("AVX,"))
        let old = missing(nehalem)
        #expect(old.names.hasPrefix("AVX2, FMA, AVX, AVX register saving by the OS"), "\(old.names)")
        #expect(old.count > sandy.count)
    }

    @Test("AVX2 in the CPU is not enough when the OS does not save the AVX registers")
    func operatingSystemState() {
        var report = haswell
        report.xcr0 = 0x3
        #expect(missing(report).names == "AVX register saving by the OS")
    }

    @Test("the list is cut to the buffer and still counts everything missing")
    func shortBuffer() {
        var buffer = [CChar](repeating: 1, count: 8)
        let count = pg_cpu_missing(nehalem, &buffer, buffer.count)
        #expect(count == missing(nehalem).count)
        #expect(buffer.last == 0)
    }

    @Test("reading this CPU finds the SSE3 and CMPXCHG16B that every x86-64 machine running Swift has")
    func thisMachine() {
        #if arch(x86_64)
        let names = missing(pg_cpu_read()).names
        #expect(!names.contains("SSE3") && !names.contains("CMPXCHG16B"), "\(names)")
        #endif
    }
}
