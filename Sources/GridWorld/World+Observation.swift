/// The observation encoding, stable across versions (tapes and checkpoints depend on it).
///
/// An observation is `viewSize² · 3 + 4` bytes:
/// - the egocentric window, row-major from its top-left, the agent at its centre, not rotated (moves are
///   absolute); three bytes per cell: `Tile.rawValue`, `Thing.rawValue`, the aux byte (colour, on-bit, count);
///   cells beyond the map read as `Tile.void`;
/// - then what the agent carries (`Thing.rawValue`, aux), its facing (`Direction.rawValue`) and its energy
///   (clamped to 255).
public enum ObservationLayout {
    public static func size(viewSize: Int) -> Int { viewSize * viewSize * 3 + 4 }
    public static let tileChannel = 0, thingChannel = 1, auxChannel = 2
}

extension World {
    public var observationSize: Int { ObservationLayout.size(viewSize: rules.viewSize) }

    /// Writes the observation into `out` (at least `observationSize` bytes). O(viewSize²), no allocation.

    public func observe(into out: UnsafeMutableBufferPointer<UInt8>) {
        let view = rules.viewSize
        let radius = view / 2
        let rowBytes = view * 3
        let stride = rules.stride
        let body = state.body
        state.cells.withUnsafeBufferPointer { cells in
            var src = (body.cell - radius * stride - radius) * 3
            var dst = 0
            for _ in 0..<view {
                UnsafeMutableRawPointer(out.baseAddress! + dst)
                    .copyMemory(from: cells.baseAddress! + src, byteCount: rowBytes)
                src += stride * 3
                dst += rowBytes
            }
            out[dst] = body.carrying.rawValue
            out[dst + 1] = body.carryingAux
            out[dst + 2] = body.facing.rawValue
            out[dst + 3] = UInt8(clamping: body.energy)
        }
    }

    /// The observation as a fresh array (for tests and tools; training uses `observe(into:)`).
    public var observation: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: observationSize) { buffer, count in
            observe(into: buffer)
            count = observationSize
        }
    }
}
