extension Kernels {
    /// Loads `count` (≤ 8) floats into the low lanes of a vector, zeroing the rest; full loads when `count == 8`.
    @inline(__always) @usableFromInline
    static func load(_ p: UnsafePointer<Float>, count: Int) -> Vector {
        if count == width { return load(p) }
        var v = Vector()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    /// Stores the low `count` (≤ 8) lanes of a vector.
    @inline(__always) @usableFromInline
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count == width { store(v, p); return }
        for l in 0..<count { p[l] = v[l] }
    }
}
