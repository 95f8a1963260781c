import Foundation

/// A line chart written as a standalone SVG file: for learning curves and reward traces in papers.
///
/// Pure: it turns numbers into SVG text; writing the file is the caller's business.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Optional half-width of a confidence band at each point.
        public var band: [Double]?
        public init(name: String, points: [(x: Double, y: Double)], band: [Double]? = nil) {
            self.name = name
            self.points = points
            self.band = band
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width = 640.0
    public var height = 400.0

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The chart as SVG text. Non-finite points are skipped.
    public var svg: String {
        let finite = series.flatMap { s in s.points.enumerated().flatMap { i, p -> [(Double, Double)] in
            let b = s.band?[safe: i] ?? 0
            return [(p.x, p.y - b), (p.x, p.y + b)]
        } }.filter { $0.0.isFinite && $0.1.isFinite }
        let (left, right, top, bottom) = (64.0, width - 150, 36.0, height - 48)
        var xs = (finite.map(\.0).min() ?? 0, finite.map(\.0).max() ?? 1)
        var ys = (finite.map(\.1).min() ?? 0, finite.map(\.1).max() ?? 1)
        if xs.1 <= xs.0 { xs.1 = xs.0 + 1 }
        if ys.1 <= ys.0 { ys = (ys.0 - 0.5, ys.1 + 0.5) }
        let pad = (ys.1 - ys.0) * 0.05
        ys = (ys.0 - pad, ys.1 + pad)
        func px(_ x: Double) -> Double { left + (x - xs.0) / (xs.1 - xs.0) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ys.0) / (ys.1 - ys.0) * (bottom - top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="14">\(escape(title))</text>
        <line x1="\(f(left))" y1="\(f(bottom))" x2="\(f(right))" y2="\(f(bottom))" stroke="black"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(bottom))" stroke="black"/>

        """
        for k in 0...4 {
            let xv = xs.0 + (xs.1 - xs.0) * Double(k) / 4, yv = ys.0 + (ys.1 - ys.0) * Double(k) / 4
            out += "<text x=\"\(f(px(xv)))\" y=\"\(f(bottom + 16))\" text-anchor=\"middle\">\(tick(xv))</text>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(yv) + 4))\" text-anchor=\"end\">\(tick(yv))</text>\n"
            out += "<line x1=\"\(f(left))\" y1=\"\(f(py(yv)))\" x2=\"\(f(right))\" y2=\"\(f(py(yv)))\" stroke=\"#eeeeee\"/>\n"
        }
        out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text x=\"14\" y=\"\(f((top + bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f((top + bottom) / 2)))\">\(escape(yLabel))</text>\n"
        for (i, s) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let points = s.points.enumerated().filter { $0.element.x.isFinite && $0.element.y.isFinite }
            if let band = s.band, !points.isEmpty {
                let upper = points.map { "\(f(px($0.element.x))),\(f(py($0.element.y + (band[safe: $0.offset] ?? 0))))" }
                let lower = points.reversed().map { "\(f(px($0.element.x))),\(f(py($0.element.y - (band[safe: $0.offset] ?? 0))))" }
                out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
            }
            let path = points.map { "\(f(px($0.element.x))),\(f(py($0.element.y)))" }.joined(separator: " ")
            if points.count == 1, let p = points.first {
                out += "<circle cx=\"\(f(px(p.element.x)))\" cy=\"\(f(py(p.element.y)))\" r=\"3\" fill=\"\(color)\"/>\n"
            } else if !points.isEmpty {
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
            }
            let ly = top + 8 + Double(i) * 18
            out += "<line x1=\"\(f(right + 12))\" y1=\"\(f(ly))\" x2=\"\(f(right + 32))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(f(right + 38))\" y=\"\(f(ly + 4))\">\(escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    func tick(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e6 { return String(format: "%.1fM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.0fk", v / 1e3) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        return String(format: "%.2f", v)
    }
}

/// `s` as SVG text content: the three characters XML reads as markup, escaped.
func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
