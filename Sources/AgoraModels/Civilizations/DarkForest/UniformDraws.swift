import AgoraCore
import CGSL

/// Uniform draws from a run's stream in a hot loop, the same numbers as `RandomStream.uniform()`: for GSL's `taus2`
/// (the default generator) its recurrence inline on a copy of the state, written back by ``finish()``; for any
/// other generator, GSL's call. Nothing else may draw from the stream between `init` and `finish`.
///
/// An emission draws once for each living civilization in the cells around the emitter (hundreds a time), and a
/// call into GSL per draw was most of the emission's cost.
struct UniformDraws {
  private let rng: UnsafeMutablePointer<gsl_rng>
  private let state: UnsafeMutablePointer<agora_taus_state>?
  private var s1: UInt, s2: UInt, s3: UInt

  /// The state of a `taus2` stream (nil for another generator), for a loop to step with ``step(_:if:)`` in registers
  /// and store back.
  var taus: (UInt, UInt, UInt)? {
    get { state == nil ? nil : (s1, s2, s3) }
    set { if let newValue { (s1, s2, s3) = newValue } }
  }

  /// One `taus2` draw from `state` if `take` (the state then steps; otherwise it stays put and the value is
  /// meaningless), as ``next(if:)`` draws it.
  @inline(__always) static func step(_ state: inout (UInt, UInt, UInt), if take: Bool) -> Double {
    let before = state
    var after = state
    _ = RandomStream.taus2(&after)
    state = (take ? after.0 : before.0, take ? after.1 : before.1, take ? after.2 : before.2)
    return Double(Int(bitPattern: state.0 ^ state.1 ^ state.2)) / 4_294_967_296.0
  }

  init(_ stream: RandomStream) {
    rng = stream.rng
    if stream.generator == .taus2, let raw = gsl_rng_state(rng) {
      let state = raw.assumingMemoryBound(to: agora_taus_state.self)
      self.state = state
      (s1, s2, s3) = (state.pointee.s1, state.pointee.s2, state.pointee.s3)
    } else {
      state = nil
      (s1, s2, s3) = (0, 0, 0)
    }
  }

  /// A uniform double in [0, 1): GSL's `taus_get_double`, `(s1 ^ s2 ^ s3) / 2^32` after one step of each of the
  /// three Tausworthe generators.
  @inline(__always) mutating func next() -> Double { next(if: true) }

  /// A draw that counts only if `take`: the generator steps when `take` is true and stays put otherwise (the value
  /// returned is then meaningless).
  @inline(__always) mutating func next(if take: Bool) -> Double {
    guard state != nil else { return take ? gsl_rng_uniform(rng) : 0 }
    var t = (s1, s2, s3)
    let u = Self.step(&t, if: take)
    (s1, s2, s3) = t
    return u
  }

  /// Writes the state back to the stream (its next draw follows the last drawn here).
  func finish() {
    guard let state else { return }
    (state.pointee.s1, state.pointee.s2, state.pointee.s3) = (s1, s2, s3)
  }
}
