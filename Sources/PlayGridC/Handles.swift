import Foundation

/// The objects C callers hold, by number: a handle is an index into this table with the slot's generation and the
/// object's kind, so a closed, reused or made-up handle is recognised and refused instead of followed.
///
/// Bits of a handle: kind (8) · generation (24) · slot + 1 (32). Zero is never a handle.
final class Handles: @unchecked Sendable {
    enum Kind: UInt64 {
        case batch = 1
        case tape = 2

        var name: String { self == .batch ? "batch" : "tape" }
    }

    private struct Slot {
        var generation: UInt64
        var object: AnyObject?
    }

    private let lock = NSLock()
    private var slots: [Slot] = []
    private var free: [Int] = []

    static let shared = Handles()

    /// Stores an object and returns its handle.
    func insert(_ object: AnyObject, kind: Kind) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        let index: Int
        if let reused = free.popLast() {
            index = reused
            slots[index].generation = (slots[index].generation + 1) & 0xFF_FFFF
            if slots[index].generation == 0 { slots[index].generation = 1 }
            slots[index].object = object
        } else {
            index = slots.count
            slots.append(Slot(generation: 1, object: object))
        }
        return kind.rawValue << 56 | slots[index].generation << 32 | UInt64(index + 1)
    }

    /// The object of a handle, which must be of `kind`.
    func object<T: AnyObject>(_ handle: UInt64, _ kind: Kind, as type: T.Type) throws(CallError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let index = try slot(handle, kind)
        guard let object = slots[index].object as? T else { throw CallError(.handle, "\(kind.name) handle \(handle) is closed") }
        return object
    }

    /// Removes a handle's object and returns it.
    func remove<T: AnyObject>(_ handle: UInt64, _ kind: Kind, as type: T.Type) throws(CallError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let index = try slot(handle, kind)
        guard let object = slots[index].object as? T else { throw CallError(.handle, "\(kind.name) handle \(handle) is closed") }
        slots[index].object = nil
        free.append(index)
        return object
    }

    private func slot(_ handle: UInt64, _ kind: Kind) throws(CallError) -> Int {
        let number = Int(handle & 0xFFFF_FFFF)
        let generation = handle >> 32 & 0xFF_FFFF
        guard handle >> 56 == kind.rawValue, number >= 1, number <= slots.count else {
            if let other = Kind(rawValue: handle >> 56), other != kind, number >= 1, number <= slots.count {
                throw CallError(.handle, "handle \(handle) is a \(other.name), not a \(kind.name)")
            }
            throw CallError(.handle, "\(handle) is not a \(kind.name) handle")
        }
        guard slots[number - 1].generation == generation, slots[number - 1].object != nil else {
            throw CallError(.handle, "\(kind.name) handle \(handle) is closed")
        }
        return number - 1
    }
}
