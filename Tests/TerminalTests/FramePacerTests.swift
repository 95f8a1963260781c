import Testing
@testable import Terminal

/// The pacer runs the simulation at its own rate and redraws at most at the frame rate.
@Suite struct FramePacerTests {
    func ms(_ value: Int) -> Duration { .milliseconds(value) }

    @Test("at 1,000 steps per second and 20 frames per second, a 50 ms tick runs 50 steps and draws once")
    func decoupled() {
        var pacer = FramePacer(stepsPerSecond: 1_000, maxFramesPerSecond: 20, now: .zero)
        #expect(pacer.tick(now: .zero) == .init(steps: 0, present: true))
        #expect(pacer.tick(now: ms(10)) == .init(steps: 10, present: false))
        #expect(pacer.tick(now: ms(50)) == .init(steps: 40, present: true))
        var steps = 0, frames = 0
        for t in stride(from: 51, through: 1_050, by: 1) {
            let tick = pacer.tick(now: ms(t))
            steps += tick.steps
            frames += tick.present ? 1 : 0
        }
        #expect(steps == 1_000)
        #expect(frames == 20)
    }

    @Test("slow stepping draws each step as it happens")
    func slow() {
        var pacer = FramePacer(stepsPerSecond: 2, maxFramesPerSecond: 30, now: .zero)
        #expect(pacer.tick(now: .zero).present)
        #expect(pacer.tick(now: ms(100)) == .init(steps: 0, present: false))
        #expect(pacer.millisecondsUntilNextEvent(now: ms(100)) == 250)
        #expect(pacer.millisecondsUntilNextEvent(now: ms(100), idle: 1_000) == 400)
        #expect(pacer.tick(now: ms(500)) == .init(steps: 1, present: true))
    }

    @Test("a backlog beyond the cap is dropped, not replayed")
    func backlog() {
        var pacer = FramePacer(stepsPerSecond: 1_000, maxStepsPerTick: 100, now: .zero)
        #expect(pacer.tick(now: .seconds(5)).steps == 100)
        #expect(pacer.tick(now: .seconds(5) + ms(3)).steps == 3)
    }

    @Test("paused: no steps, but a key still gets a redraw")
    func paused() {
        var pacer = FramePacer(stepsPerSecond: 100, paused: true, now: .zero)
        _ = pacer.tick(now: .zero)
        #expect(pacer.tick(now: .seconds(1)) == .init(steps: 0, present: false))
        #expect(pacer.millisecondsUntilNextEvent(now: .seconds(1)) == 250)
        pacer.markDirty()
        #expect(pacer.tick(now: .seconds(1)) == .init(steps: 0, present: true))
        pacer.setPaused(false, now: .seconds(10))
        #expect(pacer.tick(now: .seconds(10) + ms(25)).steps == 2)
    }

    @Test("faster and slower walk the speed ladder and stop at its ends")
    func speeds() {
        var pacer = FramePacer(stepsPerSecond: 8, now: .zero)
        pacer.faster(now: .zero)
        #expect(pacer.stepsPerSecond == 15)
        pacer.slower(now: .zero)
        pacer.slower(now: .zero)
        #expect(pacer.stepsPerSecond == 4)
        for _ in 0..<30 { pacer.slower(now: .zero) }
        #expect(pacer.stepsPerSecond == FramePacer.speeds.first)
        for _ in 0..<30 { pacer.faster(now: .zero) }
        #expect(pacer.stepsPerSecond == FramePacer.speeds.last)
    }
}
