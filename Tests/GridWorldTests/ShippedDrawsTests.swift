import GridWorld
import Testing
import TestSupport

/// Every shipped scenario draws the MDPs it drew before the solvability check learned to push rocks and pick up
/// keys in the way. A drawn layout the check refuses is drawn again, so a check that refuses less would change
/// which layouts are drawn, and with them every published figure; the hashes were recorded with the old check.
@Suite struct ShippedDrawsTests {
    static let recorded: [String: UInt64] = [
        "bridge-builder": 0x1EAA_CCEE_C396_E0DD,
        "bridge-builder-fixed": 0xA807_EDE4_B687_2537,
        "buried-key": 0x617D_EA1D_5744_8CFC,
        "buried-key-fixed": 0x94CE_5896_1399_F4E2,
        "four-rooms": 0x0740_B772_667B_1193,
        "key-door": 0xE0D8_3116_28B0_0AB4,
        "key-door-key": 0x12AD_255E_F98C_B03C,
        "key-door-open": 0xE0D8_3116_28B0_0AB4,
        "lever-bandit": 0x5488_7F73_BBCA_BDB2,
        "open-field": 0x4428_83CF_82A6_49B6,
        "playroom": 0x6F95_7BA2_5A42_C36B,
        "recurring-rooms": 0x5DE7_C6E3_DC69_2B4B,
        "rock-garden": 0x9B1D_ABB5_01CB_F5B9,
        "room-9": 0xB52A_44B2_F9F8_6A11,
        "sandbox": 0x98A8_8118_4AB2_9987,
        "serpentine": 0xA248_103A_C2BF_FC28,
        "shifting-goal": 0x61B0_AF47_1C33_9A4A,
        "signal-doors": 0x34D1_16D5_C808_A07B,
        "signal-doors-fixed": 0x8553_4858_EDA8_AD7A,
        "skill-room": 0x8ADE_0D15_6AC1_CF2B,
        "skill-tasks": 0x5A13_D930_2CB2_467B,
        "tinker-lab": 0x4473_54E9_C203_D4E0,
        "tinker-lab-fixed": 0xED34_BE38_98FE_EC53,
    ]

    /// A hash of the MDPs drawn from seeds 0 to 299: layout, start, lever odds and hidden rules.
    static func drawsHash(_ scenario: Scenario) throws -> UInt64 {
        var h: UInt64 = 0x0D2A_3B4C_5D6E_7F80
        func mix(_ word: UInt64) { h = StateHash.mix(h, word) }
        for seed in 0..<UInt64(300) {
            for word in try scenario.sample(seed: seed).words(mechanics: true) { mix(word) }
        }
        return StateHash.finish(h)
    }

    @Test("each shipped scenario draws the same first 300 MDPs as before", arguments: Repository.scenarioNames)
    func unchanged(_ name: String) throws {
        let value = try Self.drawsHash(try shipped(name))
        #expect(value == Self.recorded[name], "\"\(name)\": 0x\(String(value, radix: 16, uppercase: true)),")
    }
}
