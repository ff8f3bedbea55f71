import AgoraCore
import Dispatch

/// The random pairs of a synchronous division round, drawn from the run's matching stream: one proposer and one
/// responder per pair.
///
/// The pairs of a round depend only on the matching stream, never on what was played, so a run with several
/// threads draws the next round's pairs on a thread of their own while the current round is played
/// (``prepare(round:)``); the stream is used in the same order either way, so the pairs are the same.
final class RoundPairing: @unchecked Sendable {
  let roles: RoleAssignment
  let matching: RandomStream
  /// The id range of each segment: the first role goes to the agents at even positions of their segment.
  let ranges: [Range<Int>]
  let count: Int
  /// Every agent, shuffled in place round after round when roles are random.
  var everyone: [Int32] = []
  /// The pairs of round ``round``, drawn ahead.
  private var proposers: [Int32] = []
  private var responders: [Int32] = []
  private var round = -1
  private var pending: DispatchGroup? = nil

  init(population: Population, roles: RoleAssignment, matching: RandomStream) {
    self.roles = roles
    self.matching = matching
    ranges = population.ranges
    count = population.count
    if roles == .random { everyone = (0..<Int32(count)).map { $0 } }
  }

  /// Hands the pairs of round `r` over in `proposers` and `responders` (whose storage is reused); rounds are
  /// paired in order.
  func take(round r: Int, proposers: inout [Int32], responders: inout [Int32]) {
    pending?.wait()
    pending = nil
    if round == r {
      swap(&proposers, &self.proposers)
      swap(&responders, &self.responders)
      round = -1
    } else {
      draw(round: r, proposers: &proposers, responders: &responders)
    }
  }

  /// Starts drawing the pairs of round `r` on another thread.
  func prepare(round r: Int) {
    let group = DispatchGroup()
    group.enter()
    pending = group
    DispatchQueue.global().async {
      self.draw(round: r, proposers: &self.proposers, responders: &self.responders)
      self.round = r
      group.leave()
    }
  }

  private func draw(round r: Int, proposers: inout [Int32], responders: inout [Int32]) {
    proposers.removeAll(keepingCapacity: true)
    responders.removeAll(keepingCapacity: true)
    switch roles {
    case .random:
      matching.shuffle(&everyone)
      proposers.reserveCapacity(count / 2)
      responders.reserveCapacity(count / 2)
      for p in 0..<(everyone.count / 2) {
        proposers.append(everyone[2 * p])
        responders.append(everyone[2 * p + 1])
      }
    case .swap, .fixed:
      let flipped = roles == .swap && r & 1 == 1
      proposers.reserveCapacity((count + 1) / 2)
      responders.reserveCapacity((count + 1) / 2)
      for range in ranges {
        // Even positions of the segment, then odd ones, each in id order.
        for i in stride(from: range.lowerBound, to: range.upperBound, by: 2) {
          if flipped { responders.append(Int32(i)) } else { proposers.append(Int32(i)) }
        }
        for i in stride(from: range.lowerBound + 1, to: range.upperBound, by: 2) {
          if flipped { proposers.append(Int32(i)) } else { responders.append(Int32(i)) }
        }
      }
      matching.shuffle(&proposers)
      matching.shuffle(&responders)
    }
  }
}
