import Foundation
import ShippedFiles
import Testing
import TestSupport

/// Finding the folders PlayGrid ships, wherever the program runs from, and PLAYGRID_HOME.
@Suite struct ShippedFolderTests {
    static let root = Repository.root.standardizedFileURL
    static let themes = root.appendingPathComponent("assets/themes").standardizedFileURL
    static let nowhere = URL(fileURLWithPath: "/")

    func locate(_ relative: String = ShippedFolder.themes, home: String? = nil, executable: URL?,
                currentDirectory: URL = nowhere) throws(ShippedFolderError) -> URL {
        try ShippedFolder.locate(relative, environment: home.map { [ShippedFolder.environmentKey: $0] } ?? [:],
                                 executable: executable, currentDirectory: currentDirectory).url.standardizedFileURL
    }

    @Test("found from PLAYGRID_HOME, beside the executable, or above the executable or the current folder")
    func searchOrder() throws {
        let root = Self.root
        #expect(try locate(home: root.path, executable: nil) == Self.themes)
        #expect(try locate(executable: root.appendingPathComponent(".build/x/debug/playgrid")) == Self.themes)
        #expect(try locate(executable: root.appendingPathComponent("playgrid")) == Self.themes)
        #expect(try locate(executable: URL(fileURLWithPath: "/usr/bin/x"), currentDirectory: root.appendingPathComponent("Sources/Terminal"))
                == Self.themes)
        for relative in [ShippedFolder.scenarios, ShippedFolder.agents, ShippedFolder.experiments] {
            #expect(try locate(relative, home: root.path, executable: nil) == root.appendingPathComponent(relative).standardizedFileURL)
        }
    }

    @Test("an unusable PLAYGRID_HOME is an error that names it, even where the search would have found the folder")
    func unusableHome() {
        #expect {
            try locate(home: "/nonexistent", executable: Self.root.appendingPathComponent(".build/x/debug/playgrid"))
        } throws: { error in
            String(describing: error).hasPrefix("PLAYGRID_HOME=/nonexistent has no assets/themes folder; set PLAYGRID_HOME to")
        }
    }

    @Test("nothing found: the error says where it looked and to set PLAYGRID_HOME")
    func notFound() {
        #expect {
            try locate(executable: URL(fileURLWithPath: "/usr/bin/x"))
        } throws: { error in
            let text = String(describing: error)
            return text.contains("assets/themes folder was not found in or above /usr/bin or /") && text.contains("set PLAYGRID_HOME")
        }
    }

    @Test("a folder lists its files of one kind, sorted, without the extension")
    func names() throws {
        let themes = try ShippedFolder.locate(ShippedFolder.themes, environment: [ShippedFolder.environmentKey: Self.root.path])
        #expect(themes.names(withSuffix: ".json") == ["ascii", "unicode"])
    }
}
