import Terminal
import Testing
@testable import Views

/// Keys mean different things while watching and in manual play.
@Suite struct KeyMapTests {
    @Test("watching: the design's keys step, pause, change speed, quit and show help")
    func watching() {
        let expected: [(Key, Command)] = [
            (.space, .togglePause), (.character("."), .stepForward), (.right, .stepForward),
            (.character(","), .stepBack), (.left, .stepBack), (.character("+"), .faster), (.character("-"), .slower),
            (.character("q"), .quit), (.character("?"), .help), (.character("t"), .takeOver),
            (.character("]"), .nextEpisode), (.character("["), .previousEpisode),
            (.character("}"), .nextEvent), (.character("{"), .previousEvent),
            (.character("h"), .toggleOverlay(.heatmap)), (.character("f"), .toggleOverlay(.funMap)),
            (.character("v"), .toggleOverlay(.egocentric)), (.escape, .dismiss), (.interrupt, .quit),
        ]
        for (key, command) in expected {
            #expect(KeyMap.command(for: key, in: .watch) == command, "\(key)")
        }
        #expect(KeyMap.command(for: .up, in: .watch) == nil)
        #expect(KeyMap.command(for: .character("w"), in: .watch) == nil)
        #expect(KeyMap.command(for: .character("3"), in: .watch) == nil)
    }

    @Test("manual play: arrows and WASD move, e uses, digits choose the play half")
    func manual() {
        let expected: [(Key, Command)] = [
            (.up, .move(.up)), (.down, .move(.down)), (.left, .move(.left)), (.right, .move(.right)),
            (.character("w"), .move(.up)), (.character("a"), .move(.left)), (.character("s"), .move(.down)),
            (.character("d"), .move(.right)), (.character("D"), .move(.right)), (.character("e"), .use),
            (.character("0"), .play(0)), (.character("7"), .play(7)), (.character("t"), .takeOver),
            (.character("."), .stepForward), (.character(","), .stepBack), (.character("q"), .quit),
            (.character("h"), .toggleOverlay(.heatmap)),
        ]
        for (key, command) in expected {
            #expect(KeyMap.command(for: key, in: .manual) == command, "\(key)")
        }
        #expect(KeyMap.command(for: .character("]"), in: .manual) == nil)
        #expect(KeyMap.command(for: .character("٣"), in: .manual) == nil)
    }

    @Test("replay: no taking over and no play digits; arrows step")
    func replay() {
        #expect(KeyMap.command(for: .character("t"), in: .replay) == nil)
        #expect(KeyMap.command(for: .character("1"), in: .replay) == nil)
        #expect(KeyMap.command(for: .left, in: .replay) == .stepBack)
        #expect(KeyMap.command(for: .character("}"), in: .replay) == .nextEvent)
    }

    @Test("Caps Lock changes nothing: every letter means in capitals what it means in small letters")
    func capitals() {
        for mode in InputMode.allCases {
            for binding in KeyMap.bindings(for: mode) {
                for case .character(let letter) in binding.keys where letter.isLowercase {
                    #expect(KeyMap.command(for: .character(Character(letter.uppercased())), in: mode) == binding.command,
                            "\(mode): \(letter.uppercased())")
                }
            }
        }
        #expect(KeyMap.command(for: .character("T"), in: .watch) == .takeOver)
        #expect(KeyMap.command(for: .character("R"), in: .replay) == .toggleOverlay(.reveal))
    }

    @Test("a resize is a command in every mode")
    func resize() {
        for mode in InputMode.allCases {
            #expect(KeyMap.command(for: .resize(Size(width: 80, height: 24)), in: mode) == .resize(Size(width: 80, height: 24)))
        }
    }

    @Test("no key is bound twice within a mode")
    func noConflicts() {
        for mode in InputMode.allCases {
            let keys = KeyMap.bindings(for: mode).flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(mode) binds a key twice")
        }
    }
}
