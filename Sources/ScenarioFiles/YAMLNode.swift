import Spelling
import Yams

/// A YAML node with its location, read through typed accessors that fail with located, explanatory errors.
///
/// Public so that every YAML file PlayGrid reads (scenarios, experiments) reports problems the same way:
/// `file:line:column: message`, with a did-you-mean for unknown keys and names.
public struct YAMLNode {
    public let node: Node
    public let file: String

    public init(node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Parses a whole document; YAML syntax errors come back located. `what` names the expected content
    /// for the message about an empty file.
    public static func document(text: String, file: String, expecting what: String) throws(ScenarioFileError) -> YAMLNode {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw ScenarioFileError(file: file, line: 1, column: 1, "empty file; expected \(what)")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioFileError(file: file, line: 1, column: 1, "no YAML document; expected \(what)")
            }
            return YAMLNode(node: node, file: file)
        } catch let error as ScenarioFileError {
            throw error
        } catch let error as YamlError {
            throw ScenarioFile.located(error, file: file)
        } catch {
            throw ScenarioFileError(file: file, line: 1, column: 1, "not valid YAML: \(error)")
        }
    }

    public var line: Int { node.mark?.line ?? 1 }
    public var column: Int { node.mark?.column ?? 1 }

    public func error(_ message: String) -> ScenarioFileError {
        ScenarioFileError(file: file, line: line, column: column, message)
    }

    /// How the node looks, for "found …" in messages.
    public var shape: String {
        switch node {
        case .scalar(let s): "'\(s.string.prefix(40))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    public func string(_ what: String) throws(ScenarioFileError) -> String {
        guard case .scalar(let s) = node else { throw error("expected \(what), found \(shape)") }
        return s.string
    }

    public func int(_ what: String, in range: ClosedRange<Int>) throws(ScenarioFileError) -> Int {
        let text = try string(what)
        guard let value = Int(text) else {
            // Digits too many for an Int are a number out of range, not a wrong kind of value.
            let digits = text.drop { $0 == "-" || $0 == "+" }
            if !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) {
                throw error("\(what) must be from \(range.lowerBound) to \(range.upperBound), found \(text)")
            }
            throw error("expected \(what) (a whole number), found '\(text)'")
        }
        guard range.contains(value) else {
            throw error("\(what) must be from \(range.lowerBound) to \(range.upperBound), found \(value)")
        }
        return value
    }

    public func number(_ what: String, in range: ClosedRange<Double>) throws(ScenarioFileError) -> Double {
        let text = try string(what)
        guard let value = Double(text), value.isFinite else {
            throw error("expected \(what) (a finite number), found '\(text)'")
        }
        guard range.contains(value) else {
            throw error("\(what) must be from \(range.lowerBound) to \(range.upperBound), found \(value)")
        }
        return value
    }

    public func bool(_ what: String) throws(ScenarioFileError) -> Bool {
        switch try string(what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected \(what) (true or false), found \(shape)")
        }
    }

    public func list(_ what: String) throws(ScenarioFileError) -> [YAMLNode] {
        switch node {
        case .sequence(let s): return s.map { YAMLNode(node: $0, file: file) }
        case .scalar: return [self]
        default: throw error("expected \(what) (a list), found \(shape)")
        }
    }

    /// The entries of a mapping, in file order, rejecting keys outside `allowed` with a did-you-mean.
    public func mapping(_ what: String, allowed: [String]? = nil) throws(ScenarioFileError) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let m) = node else { throw error("expected \(what) (a mapping of keys to values), found \(shape)") }
        var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        var seen: Set<String> = []
        for (k, v) in m {
            let keyNode = YAMLNode(node: k, file: file)
            let key = try keyNode.string("a key")
            if let allowed, !allowed.contains(key) {
                let hint = suggestion(for: key, among: allowed).map { "; did you mean '\($0)'?" } ?? "; expected one of: \(allowed.joined(separator: ", "))"
                throw keyNode.error("unknown key '\(key)' in \(what)\(hint)")
            }
            guard seen.insert(key).inserted else { throw keyNode.error("key '\(key)' appears twice in \(what)") }
            entries.append((key, keyNode, YAMLNode(node: v, file: file)))
        }
        return entries
    }

    /// A name from a fixed vocabulary, with a did-you-mean when it is close to one.
    public func name<T>(_ what: String, _ lookup: (String) -> T?, known: [String]) throws(ScenarioFileError) -> T {
        let text = try string(what)
        if let value = lookup(text) { return value }
        let hint = suggestion(for: text, among: known).map { "; did you mean '\($0)'?" } ?? "; expected one of: \(known.joined(separator: ", "))"
        throw error("unknown \(what) '\(text)'\(hint)")
    }
}
