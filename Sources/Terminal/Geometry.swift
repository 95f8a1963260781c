/// A size in terminal cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// True when both sides are at least those of `other`.
    public func contains(_ other: Size) -> Bool { width >= other.width && height >= other.height }

    public var description: String { "\(width)x\(height)" }
}

/// A rectangle of cells: origin at the top-left, x to the right, y downwards.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var size: Size { Size(width: width, height: height) }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The overlap of two rectangles (empty at the origin of `self` when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: left, y: top, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrinks every side by `amount` (a frame's interior is `inset(by: 1)`).
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// Splits off `count` columns on the left; the rest (after `gap` columns) is the second rectangle.
    public func splitLeft(_ count: Int, gap: Int = 0) -> (Rect, Rect) {
        let left = min(width, max(0, count))
        return (Rect(x: x, y: y, width: left, height: height),
                Rect(x: x + left + gap, y: y, width: width - left - gap, height: height))
    }

    /// Splits off `count` rows at the top; the rest (after `gap` rows) is the second rectangle.
    public func splitTop(_ count: Int, gap: Int = 0) -> (Rect, Rect) {
        let top = min(height, max(0, count))
        return (Rect(x: x, y: y, width: width, height: top),
                Rect(x: x, y: y + top + gap, width: width, height: height - top - gap))
    }

    /// A rectangle of `size` centred in this one (clipped to it).
    public func centered(_ size: Size) -> Rect {
        let w = min(size.width, width), h = min(size.height, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }

    public var description: String { "(\(x),\(y) \(width)x\(height))" }
}
