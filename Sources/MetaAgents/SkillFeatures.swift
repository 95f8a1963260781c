import Fun
import GridWorld
import NeuralCore

/// What DIAYN's discriminator reads of a state: where the agent is, in one `PositionLayout`, on one map size.
///
/// The layout is recorded in the discriminator (`SkillDiscriminator.inputLayout`, the layout's raw value) when it is
/// made, and read back from it, never guessed from its input count; a discriminator saved before layouts were
/// recorded reads `PositionLayout.legacy` (row+column), the only layout there was.
public struct SkillFeatures: Hashable, Sendable {
    public let space: FeatureSpace
    public let layout: PositionLayout

    /// The layout new skill training uses when none is chosen (`playgrid train --skills K --skill-features`). Row+column:
    /// with one input per cell, K = 8 in skill-room paired its skills off on shared cells (accuracy 0.48 on two seeds,
    /// against 0.82 and 0.71; docs/skills.md).
    public static let defaultLayout = PositionLayout.rowColumn

    public init(scenario: Scenario, layout: PositionLayout) {
        space = FeatureSpace(scenario: scenario)
        self.layout = layout
    }

    /// The discriminator's input count on this map.
    public var dimension: Int { space.positionDimension(layout) }
    /// The indices switched on per state.
    public var activeCount: Int { layout.activeCount }

    /// Writes where the agent stands in `world` (`activeCount` indices). O(1).
    public func write(_ world: World, into out: UnsafeMutableBufferPointer<Int32>) {
        space.writePosition(world, layout: layout, into: out)
    }

    /// Writes what `write` would for an agent standing at `cell`, no world needed (to judge or label cells). O(1).
    public func write(at cell: GridPoint, into out: UnsafeMutableBufferPointer<Int32>) {
        space.writePosition(at: cell, layout: layout, into: out)
    }

    /// The layout `discriminator` was made with, refused in one line when this playgrid does not know it.
    public static func layout(of discriminator: SkillDiscriminator) throws(SkillFeaturesError) -> PositionLayout {
        guard let label = discriminator.inputLayout else { return PositionLayout.legacy }
        guard let layout = PositionLayout(rawValue: label) else {
            throw SkillFeaturesError("its skill discriminator's inputs are laid out as \(label), which this playgrid does not know (it knows \(PositionLayout.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return layout
    }

    /// What `discriminator` reads in `scenario`: its recorded layout, refused in one line when that layout on this
    /// map does not give the discriminator's input count (another map size, or a file whose label and weights disagree).
    public init(reading discriminator: SkillDiscriminator, scenario: Scenario) throws(SkillFeaturesError) {
        self.init(scenario: scenario, layout: try Self.layout(of: discriminator))
        guard dimension == discriminator.network.inputs else {
            let recorded = discriminator.inputLayout == nil ? "\(layout.rawValue) (not recorded, so the legacy layout)" : layout.rawValue
            throw SkillFeaturesError("its skill discriminator has \(discriminator.network.inputs) inputs, but its layout \(recorded) on \(scenario.name) (\(scenario.map.width)×\(scenario.map.height)) gives \(dimension); run it on the room it was trained in")
        }
    }
}

/// Why a discriminator cannot read a scenario's states.
public struct SkillFeaturesError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
