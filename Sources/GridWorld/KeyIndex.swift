/// Dense numbers for 64-bit state keys, so that learners keep per-state rows in flat arrays.
///
/// An open-addressing hash table with linear probing; numbers are given in order of first sight and never
/// change. Lookups are O(1) expected; inserting allocates only when the table doubles.
public struct KeyIndex: Sendable, Codable, Hashable {
    /// Every key seen, in order of first sight: `keys[i]` has number `i`.
    public private(set) var keys: ContiguousArray<UInt64>
    /// Number + 1 per slot, 0 when empty.
    private var slots: ContiguousArray<Int32>
    private var shift: UInt64

    public init(capacity: Int = 1024) {
        let size = max(16, (capacity * 2).nextPowerOfTwo)
        keys = []
        keys.reserveCapacity(capacity)
        slots = ContiguousArray(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    public var count: Int { keys.count }

    /// The number of a key already seen, or nil.
    public func number(of key: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var i = slot(key)
            while true {
                let n = Int(s[i])
                if n == 0 { return nil }
                if keys[n - 1] == key { return n - 1 }
                i = (i + 1) & mask
            }
        }
    }

    /// The number of a key, giving it the next number when it is new.
    public mutating func insert(_ key: UInt64) -> (number: Int, inserted: Bool) {
        if let n = number(of: key) { return (n, false) }
        if (keys.count + 1) * 2 > slots.count { grow() }
        keys.append(key)
        place(key, number: keys.count - 1)
        return (keys.count - 1, true)
    }

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    private func slot(_ key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private mutating func place(_ key: UInt64, number: Int) {
        let mask = slots.count - 1
        var i = slot(key)
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(number + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = ContiguousArray(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        for (n, key) in keys.enumerated() { place(key, number: n) }
    }

    // Only the keys are saved; the slots are rebuilt.
    enum CodingKeys: String, CodingKey { case keys }

    public init(from decoder: any Decoder) throws {
        let saved = try decoder.container(keyedBy: CodingKeys.self).decode([UInt64].self, forKey: .keys)
        self.init(capacity: saved.count)
        for key in saved { _ = insert(key) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Array(keys), forKey: .keys)
    }

    public static func == (a: KeyIndex, b: KeyIndex) -> Bool { a.keys == b.keys }
    public func hash(into hasher: inout Hasher) { hasher.combine(keys) }
}

extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
