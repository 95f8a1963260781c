/// The episodic LSTM's dictionaries, one per environment of a batch: each maps a trial's context key to the cell
/// state the LSTM ended that trial with, so that when the context comes back the state can be reinstated.
///
/// Keys are the trial's first observation: in the families it serves (a recurring-context bandit, recurring rooms)
/// that observation names the context exactly, so a fixed key is as good as a learned one and needs no gradient
/// through a lookup. Reads are exact nearest neighbours by cosine similarity, a brute-force scan: a dictionary holds
/// one entry per context met in the current pool (tens), so a scan of a few hundred floats costs less than one
/// LSTM step and is exactly right. Writing a key already stored replaces its state (the latest visit knows most);
/// when a dictionary is full, the entry written longest ago gives way. All storage is flat and allocated once.
public struct RecallMemory: Sendable, Equatable {
    public let rows: Int
    public let keySize: Int
    public let cellSize: Int
    public let capacity: Int
    /// Entries held per row.
    public private(set) var counts: ContiguousArray<Int32>
    /// `rows × capacity × keySize`, their norms (`rows × capacity`), `rows × capacity × cellSize`.
    var keys: ContiguousArray<Float>
    var norms: ContiguousArray<Float>
    var cells: ContiguousArray<Float>
    /// When each entry was written, in writes to its row, for evicting the oldest.
    var writtenAt: ContiguousArray<UInt64>
    var writes: ContiguousArray<UInt64>

    public init(rows: Int, keySize: Int, cellSize: Int, capacity: Int) {
        precondition(rows > 0 && keySize > 0 && cellSize > 0 && capacity > 0, "RecallMemory needs positive sizes")
        self.rows = rows
        self.keySize = keySize
        self.cellSize = cellSize
        self.capacity = capacity
        counts = ContiguousArray(repeating: 0, count: rows)
        keys = ContiguousArray(repeating: 0, count: rows * capacity * keySize)
        norms = ContiguousArray(repeating: 0, count: rows * capacity)
        cells = ContiguousArray(repeating: 0, count: rows * capacity * cellSize)
        writtenAt = ContiguousArray(repeating: 0, count: rows * capacity)
        writes = ContiguousArray(repeating: 0, count: rows)
    }

    /// Forgets every entry of `row` (its pool of contexts was redrawn).
    public mutating func clear(row: Int) {
        counts[row] = 0
        writes[row] = 0
    }

    /// Stores `cell` under `key` in `row`: over the entry holding exactly `key`, else in a new one, else over the
    /// one written longest ago. O(count·keySize + cellSize).
    public mutating func write(row: Int, key: UnsafeBufferPointer<Float>, cell: UnsafeBufferPointer<Float>) {
        precondition(key.count == keySize && cell.count == cellSize,
                     "RecallMemory.write: a key of \(key.count) and a cell of \(cell.count) floats, expected \(keySize) and \(cellSize)")
        let n = Int(counts[row])
        var slot = -1
        keys.withUnsafeBufferPointer { k in
            for s in 0..<n where (0..<keySize).allSatisfy({ k[(row * capacity + s) * keySize + $0] == key[$0] }) {
                slot = s
                break
            }
        }
        if slot < 0 {
            if n < capacity {
                slot = n
                counts[row] += 1
            } else {
                slot = 0
                for s in 1..<capacity where writtenAt[row * capacity + s] < writtenAt[row * capacity + slot] { slot = s }
            }
        }
        let e = row * capacity + slot
        var squares: Float = 0
        for i in 0..<keySize {
            keys[e * keySize + i] = key[i]
            squares += key[i] * key[i]
        }
        norms[e] = squares.squareRoot()
        for i in 0..<cellSize { cells[e * cellSize + i] = cell[i] }
        writes[row] += 1
        writtenAt[e] = writes[row]
    }

    /// The entry of `row` whose key is most similar to `key` (cosine; the lowest slot among equals) and that
    /// similarity, or nil when the row is empty. A zero key is similar to nothing (0). O(count·keySize).
    public func nearest(row: Int, key: UnsafeBufferPointer<Float>) -> (slot: Int, similarity: Float)? {
        precondition(key.count == keySize, "RecallMemory.nearest: a key of \(key.count) floats, expected \(keySize)")
        let n = Int(counts[row])
        guard n > 0 else { return nil }
        var queryNorm: Float = 0
        for x in key { queryNorm += x * x }
        queryNorm = queryNorm.squareRoot()
        var best = 0, bestSimilarity = -Float.infinity
        keys.withUnsafeBufferPointer { k in
            for s in 0..<n {
                let e = row * capacity + s
                var dot: Float = 0
                for i in 0..<keySize { dot += k[e * keySize + i] * key[i] }
                let denominator = queryNorm * norms[e]
                let similarity = denominator > 0 ? dot / denominator : 0
                if similarity > bestSimilarity { (best, bestSimilarity) = (s, similarity) }
            }
        }
        return (best, bestSimilarity)
    }

    /// Writes into `cell` the state stored with `row`'s entry nearest `key` (zeros when the row is empty) and
    /// returns its similarity (0 when empty).
    public func recall(row: Int, key: UnsafeBufferPointer<Float>, into cell: UnsafeMutableBufferPointer<Float>) -> Float {
        precondition(cell.count == cellSize, "RecallMemory.recall: a cell of \(cell.count) floats, expected \(cellSize)")
        guard let found = nearest(row: row, key: key) else {
            cell.update(repeating: 0)
            return 0
        }
        let e = row * capacity + found.slot
        for i in 0..<cellSize { cell[i] = cells[e * cellSize + i] }
        return found.similarity
    }

    /// The stored state of `row`'s entry `slot` (for tests and tools).
    public func cell(row: Int, slot: Int) -> [Float] {
        let e = row * capacity + slot
        return Array(cells[(e * cellSize)..<((e + 1) * cellSize)])
    }
}
