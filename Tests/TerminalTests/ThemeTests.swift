import Foundation
import Testing
@testable import Terminal

/// Shipped themes and their checks.
@Suite struct ThemeTests {
    static let minimal = """
    {"name": "t", "unicode": true, "bar-levels": "▌", "spark-levels": "▁█", "heat": ["black", "red"],
     "entries": {ENTRIES}}
    """

    /// A theme with every required entry as "x", except `name`, which gets `entry` (a JSON object).
    func json(_ name: String = "extra", _ entry: String = "{}") -> Data {
        var entries = Theme.requiredNames.filter { $0 != name }.map { "\"\($0)\": {\"glyph\": \"x\"}" }
        entries.append("\"\(name)\": \(entry)")
        return Data(Self.minimal.replacingOccurrences(of: "{ENTRIES}", with: "{" + entries.joined(separator: ", ") + "}").utf8)
    }

    @Test("both shipped themes load and define every required name")
    func shippedThemes() throws {
        #expect(Theme.availableNames(in: Fixtures.themes) == ["ascii", "unicode"])
        for theme in [Fixtures.unicode, Fixtures.ascii] {
            for name in Theme.requiredNames { #expect(theme.entries[name] != nil, "\(theme.name) lacks \(name)") }
        }
        #expect(Fixtures.unicode.isUnicode && !Fixtures.ascii.isUnicode)
        #expect(Fixtures.unicode.glyph("agent-up") == Glyph(Character("▲")))
        #expect(Fixtures.ascii.glyph("wall") == Glyph(Character("#")))
    }

    @Test("world glyphs are distinct within a theme, so the map is readable")
    func distinctWorldGlyphs() {
        for theme in [Fixtures.unicode, Fixtures.ascii] {
            let glyphs = Theme.worldNames.map { theme.glyph($0) }
            #expect(Set(glyphs).count == glyphs.count, "\(theme.name) reuses a world glyph")
        }
    }

    @Test("unknown names fall back to the unknown glyph and a plain style")
    func unknownNames() {
        #expect(Fixtures.unicode.glyph("no-such-thing") == Fixtures.unicode.glyph("unknown"))
        #expect(Fixtures.unicode.style("no-such-thing") == .plain)
        let cells = Fixtures.unicode.cells(for: ["wall", "floor"])
        #expect(cells[0] == Fixtures.unicode.cell("wall") && cells.count == 2)
    }

    @Test("a minimal valid theme parses colours and attributes")
    func minimalTheme() throws {
        let theme = try Theme.decode(json("extra", ##"{"glyph": "@", "fg": "#ff0000", "bg": "17", "attrs": ["bold", "underline"]}"##), file: "t.json")
        #expect(theme.style("extra") == Style(foreground: .rgb(255, 0, 0), background: .indexed(17), attributes: [.bold, .underline]))
        #expect(theme.barLevels.count == 1 && theme.sparkLevels.count == 2 && theme.heat.stops == [Color.black, Color.red])
    }

    @Test("malformed JSON is an error that names the file")
    func malformed() {
        #expect {
            try Theme.decode(Data("{\"name\": ".utf8), file: "assets/themes/broken.json")
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("assets/themes/broken.json: ") && message.contains("not valid JSON")
        }
    }

    @Test("JSON a hand edit broke (a missing comma, a file cut short) is located by line and column")
    func malformedLocated() {
        #expect(throws: ThemeError(file: "f.json", message: "not valid JSON at line 3, column 3")) {
            try Theme.decode(Data("{\n  \"name\": \"é\"\n  \"unicode\": true}".utf8), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "not valid JSON: it ends at line 2, column 10, inside a value (cut short?)")) {
            try Theme.decode(Data("{\n \"name\": ".utf8), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "empty file; expected a theme's JSON object")) {
            try Theme.decode(Data("\n".utf8), file: "f.json")
        }
    }

    @Test("a missing key or a wrong type names the key")
    func wrongShape() {
        #expect(throws: ThemeError(file: "f.json", message: "missing key 'heat' in the top level")) {
            try Theme.decode(Data(#"{"name": "t", "unicode": true, "bar-levels": "", "spark-levels": "", "entries": {}}"#.utf8), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "unicode should be true or false")) {
            try Theme.decode(Data(#"{"name": "t", "unicode": "yes", "bar-levels": "", "spark-levels": "", "heat": [], "entries": {}}"#.utf8), file: "f.json")
        }
    }

    @Test("a value of the wrong kind is named in the file's words, not as a Swift type")
    func wrongKindInWords() {
        let fields = #""unicode": true, "bar-levels": "", "spark-levels": """#
        #expect(throws: ThemeError(file: "f.json", message: "name should be text")) {
            try Theme.decode(Data(#"{"name": 1, \#(fields), "heat": [], "entries": {}}"#.utf8), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "heat should be a list")) {
            try Theme.decode(Data(#"{"name": "t", \#(fields), "heat": {}, "entries": {}}"#.utf8), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "entries should be an object")) {
            try Theme.decode(Data(#"{"name": "t", \#(fields), "heat": [], "entries": []}"#.utf8), file: "f.json")
        }
    }

    @Test("an unknown or repeated key and an empty bar-levels are refused with their line and column, not ignored")
    func strangerKeysLocated() {
        // The column of the last `needle` on line 2 of `data` (the entries' line), counted in characters from 1.
        func column(of needle: String, in data: Data) -> Int {
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n")[1]
            return line.distance(from: line.startIndex, to: line.range(of: needle, options: .backwards)!.lowerBound) + 1
        }
        let misspelt = json("goal", #"{"glyph": "*", "atrs": ["bold"]}"#)
        #expect(throws: ThemeError(file: "f.json", message: "unknown key 'atrs' at line 2, column \(column(of: "\"atrs\"", in: misspelt)) in entry 'goal'; did you mean 'attrs'? expected glyph, fg, bg, attrs")) {
            try Theme.decode(misspelt, file: "f.json")
        }
        let topLevel = Data(String(decoding: json(), as: UTF8.self).replacingOccurrences(of: "\"bar-levels\"", with: "\"bar-level\"").utf8)
        #expect(throws: ThemeError(file: "f.json", message: "unknown key 'bar-level' at line 1, column 32 in the top level; did you mean 'bar-levels'? expected name, unicode, bar-levels, spark-levels, heat, entries")) {
            try Theme.decode(topLevel, file: "f.json")
        }
        let twice = Data(String(decoding: json(), as: UTF8.self).replacingOccurrences(of: "\"extra\": {}", with: "\"wall\": {\"glyph\": \"#\"}").utf8)
        #expect(throws: ThemeError(file: "f.json", message: "'wall' given a second time at line 2, column \(column(of: "\"wall\"", in: twice)) in entries")) {
            try Theme.decode(twice, file: "f.json")
        }
        let noBars = Data(String(decoding: json(), as: UTF8.self).replacingOccurrences(of: "\"bar-levels\": \"▌\"", with: "\"bar-levels\": \"\"").utf8)
        #expect(throws: ThemeError(file: "f.json", message: "'bar-levels' at line 1, column 32 needs at least one glyph, for partly filled bar cells, least filled first")) {
            try Theme.decode(noBars, file: "f.json")
        }
    }

    @Test("missing entries are listed by name")
    func missingEntries() {
        let data = Data(Self.minimal.replacingOccurrences(of: "{ENTRIES}", with: ##"{"wall": {"glyph": "#"}}"##).utf8)
        #expect {
            try Theme.decode(data, file: "f.json")
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("f.json: missing entries: floor, sand") && !message.contains(" wall")
        }
    }

    @Test("a double-width glyph, a multi-character glyph, a bad colour and a bad attribute are refused")
    func badEntries() {
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': glyph \"⭐\" is 2 columns wide; map glyphs must be 1 column")) {
            try Theme.decode(json("goal", #"{"glyph": "⭐"}"#), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': glyph \"ab\" must be exactly one character")) {
            try Theme.decode(json("goal", #"{"glyph": "ab"}"#), file: "f.json")
        }
        // A control character is named with its escape, not printed to the terminal that shows the error.
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': glyph \"\\u{1B}\" is 0 columns wide; map glyphs must be 1 column")) {
            try Theme.decode(json("goal", #"{"glyph": "\u001b"}"#), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': colour \"purplish\" is not default, a colour name, #rrggbb or 0-255")) {
            try Theme.decode(json("goal", #"{"glyph": "*", "fg": "purplish"}"#), file: "f.json")
        }
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': unknown attribute 'blink'; use bold, dim, reverse or underline")) {
            try Theme.decode(json("goal", #"{"glyph": "*", "attrs": ["blink"]}"#), file: "f.json")
        }
    }

    @Test("an ASCII theme may not use non-ASCII glyphs")
    func asciiThemeIsASCII() {
        let data = Data(String(decoding: json("goal", #"{"glyph": "★"}"#), as: UTF8.self)
            .replacingOccurrences(of: "\"unicode\": true", with: "\"unicode\": false")
            .replacingOccurrences(of: "\"▌\"", with: "\"-\"").replacingOccurrences(of: "\"▁█\"", with: "\"_#\"").utf8)
        #expect(throws: ThemeError(file: "f.json", message: "entry 'goal': glyph \"★\" is not ASCII, but the theme says \"unicode\": false")) {
            try Theme.decode(data, file: "f.json")
        }
    }

    @Test("an unknown theme name lists the themes there are")
    func unknownTheme() {
        #expect {
            try Theme.load(named: "neon", in: Fixtures.themes)
        } throws: { error in
            String(describing: error).hasSuffix("neon.json: no theme named 'neon'; the themes are: ascii, unicode")
        }
    }
}
