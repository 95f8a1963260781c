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
            throw ThemeError(file: file, message: describe(error))
        } catch {
            throw ThemeError(file: file, message: "not valid theme JSON (\(error))")
        }
        return try build(raw, file: file)
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
            let before = bytes[..<offset]
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            // Characters, not bytes: UTF-8 continuation bytes do not start one.
            let column = before.reversed().prefix { $0 != UInt8(ascii: "\n") }.filter { $0 & 0xC0 != 0x80 }.count + 1
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

    static func build(_ raw: File, file: String) throws(ThemeError) -> Theme {
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
        var sparkLevels: [Glyph] = []
        for character in raw.sparkLevels { sparkLevels.append(try glyph(String(character), for: "spark-levels")) }
        guard sparkLevels.count >= 2 else {
            throw ThemeError(file: file, message: "'spark-levels' needs at least two glyphs, lowest first")
        }
        var heat: [Color] = []
        for text in raw.heat { heat.append(try color(text, for: "heat")) }
        guard heat.count >= 2 else {
            throw ThemeError(file: file, message: "'heat' needs at least two colours, cold first")
        }
        return Theme(name: raw.name, isUnicode: raw.unicode, entries: entries, barLevels: barLevels,
                     sparkLevels: sparkLevels, heat: HeatRamp(stops: heat))
    }
}
