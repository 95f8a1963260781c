import Testing
@testable import Terminal

/// The test double behaves like the live backend for a UI loop.
@Suite struct RecordingTerminalTests {
    @Test("a key-driven loop reads scripted keys, follows a resize and records each presented screen")
    func loop() {
        let terminal = RecordingTerminal(size: Size(width: 20, height: 3),
                                         keys: [.character("x"), .resize(Size(width: 12, height: 2)), .character("q")])
        var screen = Screen(size: terminal.size)
        var typed = ""
        loop: while true {
            if screen.size != terminal.size { screen = Screen(size: terminal.size) }
            screen.clear()
            screen.write("keys:\(typed)", x: 0, y: 0)
            terminal.present(screen)
            guard let key = terminal.readKey(timeoutMilliseconds: 100) else { continue }
            switch key {
            case .character("q"): break loop
            case .resize: typed += "!"
            default: typed += key.description
            }
        }
        #expect(terminal.presented.map(\.text) == ["keys:\n\n", "keys:x\n\n", "keys:x!\n"])
        #expect(terminal.presented.last?.size == Size(width: 12, height: 2))
        #expect(terminal.requestedTimeouts == [100, 100, 100])
        #expect(terminal.readKey(timeoutMilliseconds: 0) == nil)
        terminal.enqueue(.space)
        #expect(terminal.readKey(timeoutMilliseconds: 0) == .space)
    }
}
