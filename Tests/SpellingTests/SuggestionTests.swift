import Spelling
import Testing

@Suite struct SuggestionTests {
    @Test("a typo of one or two letters suggests the known name; a word unlike every name suggests nothing")
    func suggestsCloseNames() {
        #expect(suggestion(for: "gredy", among: ["random", "greedy", "player"]) == "greedy")
        #expect(suggestion(for: "Delite", among: ["delight", "novelty"]) == "delight")
        #expect(suggestion(for: "xylophone", among: ["delight", "novelty"]) == nil)
        #expect(suggestion(for: "anything", among: []) == nil)
    }

    @Test("edit distance counts insertions, deletions and substitutions, and is zero only for equal words")
    func editDistanceCounts() {
        #expect(editDistance("", "") == 0 && editDistance("", "abc") == 3 && editDistance("abc", "") == 3)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("rock-garden", "rock-garden") == 0)
    }
}
