import Terminal
import Testing
@testable import Views

/// The help overlay as a user sees it, at the sizes PlayGrid must support.
@Suite struct HelpViewGoldenTests {
    @Test("help lists every manual-mode key in a centred frame at 100x32 (simultaneous coupling: a digit waits for a move)")
    func manualHelpAt100x32() {
        var screen = Screen(width: 100, height: 32)
        HelpView.draw(into: &screen, mode: .manualSimultaneous, theme: Fixtures.unicode)
        #expect(screen.text == """






                                    ┌─ Keys: manual ──────────────────────────┐
                                    │ .    wait a turn, with chosen play half │
                                    │ ,    undo a step                        │
                                    │ ↑ w  move up                            │
                                    │ ↓ s  move down                          │
                                    │ ← a  move left                          │
                                    │ → d  move right                         │
                                    │ e    use (pick up, open, press, eat)    │
                                    │ 0-6  choose play half, then move/e/.    │
                                    │ t    hand control back to the agent     │
                                    │ h    visit heat map                     │
                                    │ f    fun map                            │
                                    │ v    agent's-eye view                   │
                                    │ r    reveal the hidden rules            │
                                    │ ?    help (this list)                   │
                                    │ esc  close help                         │
                                    │ q    quit                               │
                                    │         press ? or esc to close         │
                                    └─────────────────────────────────────────┘







        """)
    }

    @Test("help in manual play under exclusive coupling: a digit plays now, taking the turn (100x32)")
    func manualExclusiveHelpAt100x32() {
        var screen = Screen(width: 100, height: 32)
        HelpView.draw(into: &screen, mode: .manual, theme: Fixtures.unicode)
        #expect(screen.text == """






                                      ┌─ Keys: manual ───────────────────────┐
                                      │ .    wait a turn                     │
                                      │ ,    undo a step                     │
                                      │ ↑ w  move up                         │
                                      │ ↓ s  move down                       │
                                      │ ← a  move left                       │
                                      │ → d  move right                      │
                                      │ e    use (pick up, open, press, eat) │
                                      │ 1-6  play now (takes the turn)       │
                                      │ t    hand control back to the agent  │
                                      │ h    visit heat map                  │
                                      │ f    fun map                         │
                                      │ v    agent's-eye view                │
                                      │ r    reveal the hidden rules         │
                                      │ ?    help (this list)                │
                                      │ esc  close help                      │
                                      │ q    quit                            │
                                      │       press ? or esc to close        │
                                      └──────────────────────────────────────┘







        """)
    }

    @Test("help in the ASCII theme spells out arrows and uses +-| frames at 60x20")
    func asciiWatchHelpAt60x20() {
        var screen = Screen(width: 60, height: 20)
        HelpView.draw(into: &screen, mode: .watch, theme: Fixtures.ascii)
        #expect(screen.text == """
                   +- Keys: watch ---------------------+
                   | space    pause / resume           |
                   | . right  step forward             |
                   | , left   step back                |
                   | +        faster                   |
                   | -        slower                   |
                   | t        take over from the agent |
                   | ]        end of this episode      |
                   | [        start of this episode    |
                   | }        next event               |
                   | {        previous event           |
                   | h        visit heat map           |
                   | f        fun map                  |
                   | v        agent's-eye view         |
                   | r        reveal the hidden rules  |
                   | ?        help (this list)         |
                   | esc      close help               |
                   | q        quit                     |
                   |      press ? or esc to close      |
                   +-----------------------------------+
        """)
    }

    @Test("help in a replay: ] and [ go to the first step of the next and the previous episode (80x24)")
    func replayHelpAt80x24() {
        var screen = Screen(width: 80, height: 24)
        HelpView.draw(into: &screen, mode: .replay, theme: Fixtures.unicode)
        #expect(screen.text == """

                             ┌─ Keys: replay ────────────────────┐
                             │ space  pause / resume             │
                             │ . →    step forward               │
                             │ , ←    step back                  │
                             │ +      faster                     │
                             │ -      slower                     │
                             │ ]      start of next episode      │
                             │ [      start of previous episode  │
                             │ }      next event                 │
                             │ {      previous event             │
                             │ >      next training snapshot     │
                             │ <      previous training snapshot │
                             │ h      visit heat map             │
                             │ f      fun map                    │
                             │ v      agent's-eye view           │
                             │ r      reveal the hidden rules    │
                             │ ?      help (this list)           │
                             │ esc    close help                 │
                             │ q      quit                       │
                             │      press ? or esc to close      │
                             └───────────────────────────────────┘


        """)
    }

    @Test("help flows into two columns when the terminal is short")
    func helpFlowsIntoColumns() {
        var screen = Screen(width: 80, height: 12)
        HelpView.draw(into: &screen, mode: .watch, theme: Fixtures.unicode)
        #expect(screen.text == """
             ┌─ Keys: watch ─────────────────────────────────────────────────────┐
             │ space  pause / resume             {      previous event           │
             │ . →    step forward               h      visit heat map           │
             │ , ←    step back                  f      fun map                  │
             │ +      faster                     v      agent's-eye view         │
             │ -      slower                     r      reveal the hidden rules  │
             │ t      take over from the agent   ?      help (this list)         │
             │ ]      end of this episode        esc    close help               │
             │ [      start of this episode      q      quit                     │
             │ }      next event                                                 │
             │                      press ? or esc to close                      │
             └───────────────────────────────────────────────────────────────────┘
        """)
    }

    @Test("help on a tiny screen says how many keys it had to leave out")
    func helpOnTinyScreen() {
        var screen = Screen(width: 40, height: 7)
        HelpView.draw(into: &screen, mode: .watch, theme: Fixtures.ascii)
        #expect(screen.text.contains("more: enlarge the window"))
        #expect(screen.text.contains("space"))
    }

    @Test("help lists every binding of the mode")
    func helpListsEveryBinding() {
        for mode in InputMode.allCases {
            var screen = Screen(width: 100, height: 32)
            HelpView.draw(into: &screen, mode: mode, theme: Fixtures.unicode)
            for binding in KeyMap.bindings(for: mode) {
                #expect(screen.text.contains("\(binding.label)  ") && screen.text.contains(binding.summary),
                        "\(mode): \(binding.label) \(binding.summary)")
            }
        }
    }
}
