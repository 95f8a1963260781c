/// Size checks on the buffers that NeuralCore's kernels and layers take: on in debug builds (where this module
/// is still optimised), free in release builds.
@inline(__always) @usableFromInline
func requireSize(_ enough: @autoclosure () -> Bool, _ what: @autoclosure () -> String,
                 file: StaticString = #fileID, line: UInt = #line) {
    #if DEBUG
    precondition(enough(), "NeuralCore: \(what())", file: file, line: line)
    #endif
}

/// Floats spanned by a row-major `rows × cols` matrix whose rows start `ld` apart.
@inline(__always) @usableFromInline
func span(rows: Int, cols: Int, ld: Int) -> Int { rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols }

extension ParameterBlock {
    /// This block's values in a model's flat parameter (or gradient) buffer.
    @inlinable
    public func values(in buffer: UnsafeBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
        requireSize(offset + count <= buffer.count, "parameter block \(offset)..<\(offset + count) outside a buffer of \(buffer.count)")
        return UnsafeBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }

    /// This block's values in a model's flat parameter (or gradient) buffer, writable.
    @inlinable
    public func values(in buffer: UnsafeMutableBufferPointer<Float>) -> UnsafeMutableBufferPointer<Float> {
        requireSize(offset + count <= buffer.count, "parameter block \(offset)..<\(offset + count) outside a buffer of \(buffer.count)")
        return UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }
}

extension UnsafeBufferPointer {
    /// Rows `first..<first + count` of a row-major matrix `width` floats wide, as a buffer of their own.
    @inlinable
    public func rows(_ first: Int, _ count: Int, width: Int) -> UnsafeBufferPointer {
        requireSize(first >= 0 && (first + count) * width <= self.count,
                    "rows \(first)..<\(first + count) of width \(width) outside a buffer of \(self.count)")
        return UnsafeBufferPointer(rebasing: self[(first * width)..<((first + count) * width)])
    }
}

extension UnsafeMutableBufferPointer {
    /// Rows `first..<first + count` of a row-major matrix `width` floats wide, as a buffer of their own.
    @inlinable
    public func rows(_ first: Int, _ count: Int, width: Int) -> UnsafeMutableBufferPointer {
        requireSize(first >= 0 && (first + count) * width <= self.count,
                    "rows \(first)..<\(first + count) of width \(width) outside a buffer of \(self.count)")
        return UnsafeMutableBufferPointer(rebasing: self[(first * width)..<((first + count) * width)])
    }

    /// The same floats, read-only.
    @inlinable
    public var readOnly: UnsafeBufferPointer<Element> { UnsafeBufferPointer(self) }
}
