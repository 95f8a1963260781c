import GridWorld

extension Level {
    /// The drawn MDP as words to hash, one per map byte and then start, heading, lever odds and, with `mechanics`,
    /// the hidden rules' draw: what tests that pin the shipped scenarios' draws fold into their hashes.
    public func words(mechanics: Bool) -> [UInt64] {
        var words = (map.tiles.map { UInt64($0.rawValue) }) + map.things.map { UInt64($0.rawValue) } + map.aux.map(UInt64.init)
        words.append(UInt64(map.agentStart.x) << 32 | UInt64(map.agentStart.y))
        words.append(UInt64(map.agentFacing.rawValue))
        words += leverOdds.map(\.bitPattern)
        if mechanics {
            words.append(UInt64(self.mechanics.buried) << 24 | UInt64(self.mechanics.signal) << 16
                         | UInt64(self.mechanics.trigger) << 8 | (self.mechanics.bridges ? 1 : 0))
        }
        return words
    }
}
