extension World.Rules {
    /// The action pairs that can do different things in this world, for learners that enumerate actions.
    ///
    /// Under exclusive coupling a play half other than `none` takes the turn, so ⟨t, p⟩ acts like ⟨stay, p⟩:
    /// the list is every task action with no play, then ⟨stay, p⟩ for each afforded play. Under simultaneous
    /// coupling both halves act, so it is every task action with every afforded play (none included).
    public var distinctActions: [ActionPair] {
        let plays = PlayAction.allCases.filter { $0 != .none && playMask & (1 << $0.rawValue) != 0 }
        switch coupling {
        case .exclusive:
            return TaskAction.allCases.map { ActionPair($0) } + plays.map { ActionPair(.stay, $0) }
        case .simultaneous:
            return ([PlayAction.none] + plays).flatMap { play in TaskAction.allCases.map { ActionPair($0, play) } }
        }
    }
}
