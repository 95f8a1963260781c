import Foundation
import Spelling

extension Theme {
    /// The theme file as written: see `assets/themes/README.md`.
    struct File: Decodable {
        struct Entry: Decodable {
            var glyph: String?
            var fg: String?
            var bg: String?
            var attrs: [String]?
        }

        var name: String
        var unicode: Bool
        var entries: [String: Entry]
        var barLevels: String
        var sparkLevels: String
        var heat: [String]

        enum CodingKeys: String, CodingKey {
            case name, unicode, entries, heat
            case barLevels = "bar-levels"
            case sparkLevels = "spark-levels"
        }
    }

    /// Loads the theme called `name` from `NAME.json` in the `themes` folder (PlayGrid's is found by
    /// `ShippedFolder.locate(ShippedFolder.themes)`).
    public static func load(named name: String, in themes: URL) throws(ThemeError) -> Theme {
        let file = themes.appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let known = availableNames(in: themes)
            throw ThemeError(file: file.path, message: "no theme named '\(name)'; the themes are: \(known.joined(separator: ", "))")
        }
        return try load(file: file)
    }

    /// The names of the themes in the `themes` folder, sorted.
    public static func availableNames(in themes: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: themes.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads and checks a theme file.
    public static func load(file: URL) throws(ThemeError) -> Theme {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ThemeError(file: file.path, message: "cannot read the theme file (\(error.localizedDescription))")
        }
        return try decode(data, file: file.path)
    }

    /// Parses and checks theme JSON; `file` names the source in errors.
    public static func decode(_ data: Data, file: String) throws(ThemeError) -> Theme {
        let raw: File
        do {
            raw = try JSONDecoder().decode(File.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw ThemeError(file: file, message: syntaxProblem(in: data) ?? describe(.dataCorrupted(context)))
        } catch let error as DecodingError {
            // A misspelt key reads as the right one missing: name the stranger first.
            throw ThemeError(file: file, message: strangerKey(among: keyPlaces(in: Array(data))) ?? describe(error))
        } catch {
            throw ThemeError(file: file, message: "not valid theme JSON (\(error))")
        }
        let places = keyPlaces(in: Array(data))
        if let stranger = strangerKey(among: places) { throw ThemeError(file: file, message: stranger) }
        return try build(raw, file: file, places: places)
    }

    /// The keys a theme's top level and each entry may hold.
    static let fileKeys = ["name", "unicode", "bar-levels", "spark-levels", "heat", "entries"]
    static let entryKeys = ["glyph", "fg", "bg", "attrs"]

    /// An unknown or repeated key, with its line and column: the decoder ignores keys it does not know and keeps one
    /// of two alike, so a misspelt "atrs" or a second "rock" entry changed nothing, silently. Nil when there is none.
    static func strangerKey(among places: [KeyPlace]) -> String? {
        var seen: Set<[String]> = []
        for place in places {
            let known: [String]
            switch place.path.count {
            case 0: known = fileKeys
            case 2 where place.path[0] == "entries": known = entryKeys
            default: known = []
            }
            let at = "at line \(place.line), column \(place.column)"
            if !seen.insert(place.path + [place.key]).inserted {
                return "'\(place.key)' given a second time \(at)\(place.path.isEmpty ? "" : " in \(place.path.joined(separator: "."))")"
            }
            if !known.isEmpty && !known.contains(place.key) {
                let whose = place.path.count == 2 ? "entry '\(place.path[1])'" : "the top level"
                return "unknown key '\(place.key)' \(at) in \(whose); \(didYouMean(place.key, among: known))expected \(known.joined(separator: ", "))"
            }
        }
        return nil
    }

    /// A key of a JSON object: the keys of the objects holding it, and its line and column (in characters) from 1.
    struct KeyPlace {
        var path: [String]
        var key: String
        var line: Int
        var column: Int
    }

    /// Every object key in valid JSON text, in order, but for those inside arrays (a theme has none there).
    static func keyPlaces(in bytes: [UInt8]) -> [KeyPlace] {
        // Each open container: for an object, the key of the member being read (nil while a key is expected).
        enum Open { case object(key: String?), array }
        var open: [Open] = [], found: [KeyPlace] = []
        var line = 1, column = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            column += b & 0xC0 == 0x80 ? 0 : 1
            switch b {
            case UInt8(ascii: "\n"): line += 1; column = 0
            case UInt8(ascii: "{"): open.append(.object(key: nil))
            case UInt8(ascii: "["): open.append(.array)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = open.popLast()
            case UInt8(ascii: ","): if case .object = open.last { open[open.count - 1] = .object(key: nil) }
            case UInt8(ascii: "\""):
                let start = i, startColumn = column
                i += 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                column += bytes[(start + 1)..<min(i + 1, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count
                if case .object(key: nil) = open.last, !open.contains(where: { if case .array = $0 { true } else { false } }),
                   let key = try? JSONSerialization.jsonObject(with: Data(bytes[start...min(i, bytes.count - 1)]), options: .fragmentsAllowed) as? String {
                    let path = open.compactMap { if case .object(let key?) = $0 { key } else { nil } }
                    found.append(KeyPlace(path: path, key: key, line: line, column: startColumn))
                    open[open.count - 1] = .object(key: key)
                }
            default: break
            }
            i += 1
        }
        return found
    }

    /// Where the text stops being JSON, with its line and column: the decoder says only "The given data was not valid
    /// JSON", which for a hand-edited theme (a missing comma, a stray quote) leaves the whole file to search. Nil when
    /// the parser does not say where.
    static func syntaxProblem(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
            return nil
        } catch {
            let said = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            let bytes = Array(data)
            if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return "empty file; expected a theme's JSON object" }
            let offset: Int
            if let found = said.range(of: #"(?<=around character )\d+"#, options: .regularExpression), let n = Int(said[found]) {
                offset = min(n, bytes.count)
            } else if said.hasPrefix("Unexpected end of file") {
                offset = bytes.count
            } else {
                return nil
            }
            let (line, column) = textPlace(of: offset, in: bytes)
            return offset == bytes.count ? "not valid JSON: it ends at line \(line), column \(column), inside a value (cut short?)"
                : "not valid JSON at line \(line), column \(column)"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' in \(path(context.codingPath))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) should be \(valueKind(type))"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "not valid JSON: \(context.debugDescription)\(underlying)"
        @unknown default:
            return "not a valid theme (\(error))"
        }
    }

    static func build(_ raw: File, file: String, places: [KeyPlace]) throws(ThemeError) -> Theme {
        // " at line 3, column 3" for a top-level key, so that a value found wanting is pointed to.
        func at(_ key: String) -> String {
            places.first { $0.path.isEmpty && $0.key == key }.map { " at line \($0.line), column \($0.column)" } ?? ""
        }
        // Glyphs are quoted with Swift's escapes, so that one holding a control character (an ESC) is named, not sent to
        // the terminal that shows the error.
        func glyph(_ text: String, for name: String) throws(ThemeError) -> Glyph {
            guard let glyph = Glyph(exactly: text) else {
                throw ThemeError(file: file, message: "entry '\(name)': glyph \(text.debugDescription) must be exactly one character")
            }
            guard glyph.width == 1, glyph.second == 0 || Glyph.columns(of: glyph.second) == 0 else {
                throw ThemeError(file: file, message: "entry '\(name)': glyph \(text.debugDescription) is \(glyph.width) columns wide; map glyphs must be 1 column")
            }
            if !raw.unicode && (glyph.first >= 0x80 || glyph.second != 0) {
                throw ThemeError(file: file, message: "entry '\(name)': glyph \(text.debugDescription) is not ASCII, but the theme says \"unicode\": false")
            }
            return glyph
        }
        func color(_ text: String?, for name: String) throws(ThemeError) -> Color {
            guard let text else { return .default }
            guard let color = Color(parsing: text) else {
                throw ThemeError(file: file, message: "entry '\(name)': colour \"\(text)\" is not default, a colour name, #rrggbb or 0-255")
            }
            return color
        }

        var entries: [String: Entry] = [:]
        for (name, entry) in raw.entries.sorted(by: { $0.key < $1.key }) {
            var attributes: Attributes = []
            for attribute in entry.attrs ?? [] {
                guard let known = Attributes.names.first(where: { $0.0 == attribute }) else {
                    throw ThemeError(file: file, message: "entry '\(name)': unknown attribute '\(attribute)'; use bold, dim, reverse or underline")
                }
                attributes.insert(known.1)
            }
            let style = Style(foreground: try color(entry.fg, for: name), background: try color(entry.bg, for: name), attributes: attributes)
            entries[name] = Entry(glyph: try entry.glyph.map { (text: String) throws(ThemeError) in try glyph(text, for: name) }, style: style)
        }
        let missing = requiredNames.filter { entries[$0] == nil }
        if !missing.isEmpty {
            throw ThemeError(file: file, message: "missing entries: \(missing.joined(separator: ", "))")
        }
        let withoutGlyph = (worldNames + interfaceGlyphNames).filter { entries[$0]?.glyph == nil }
        if !withoutGlyph.isEmpty {
            throw ThemeError(file: file, message: "entries without a glyph: \(withoutGlyph.joined(separator: ", "))")
        }
        var barLevels: [Glyph] = []
        for character in raw.barLevels { barLevels.append(try glyph(String(character), for: "bar-levels")) }
        // Empty, bars would move only a whole cell at a time: surely a slip, as a bar needs at least one partial cell.
        guard !barLevels.isEmpty else {
            throw ThemeError(file: file, message: "'bar-levels'\(at("bar-levels")) needs at least one glyph, for partly filled bar cells, least filled first")
        }
        var sparkLevels: [Glyph] = []
        for character in raw.sparkLevels { sparkLevels.append(try glyph(String(character), for: "spark-levels")) }
        guard sparkLevels.count >= 2 else {
            throw ThemeError(file: file, message: "'spark-levels'\(at("spark-levels")) needs at least two glyphs, lowest first")
        }
        var heat: [Color] = []
        for text in raw.heat { heat.append(try color(text, for: "heat")) }
        guard heat.count >= 2 else {
            throw ThemeError(file: file, message: "'heat'\(at("heat")) needs at least two colours, cold first")
        }
        return Theme(name: raw.name, isUnicode: raw.unicode, entries: entries, barLevels: barLevels,
                     sparkLevels: sparkLevels, heat: HeatRamp(stops: heat))
    }
}
