import AgoraCore
import Foundation

/// World views that change: at a decision epoch a civilization may reconsider which segment's stance it holds, as
/// CosmoAgent's civilizations choose their political system again every round.
extension DarkForestRun {
  /// A segment's world view: the mean of its civilizations' stances (each clamped to [0, 2]), and how many hold it
  /// at the start (a segment with none cannot be adopted).
  struct Worldview {
    var aggression = 0.0, trust = 0.0, caution = 0.0, openness = 0.0
    var members = 0
  }

  /// Each segment's world view, from the civilizations' initial states.
  static func worldviews(_ population: Population, _ states: [State]) -> [Worldview] {
    population.ranges.map { range in
      var w = Worldview(members: range.count)
      guard !range.isEmpty else { return w }
      for i in range {
        w.aggression += states[i].aggression
        w.trust += states[i].trust
        w.caution += states[i].caution
        w.openness += states[i].openness
      }
      let n = Double(range.count)
      (w.aggression, w.trust, w.caution, w.openness) = (w.aggression / n, w.trust / n, w.caution / n, w.openness / n)
      return w
    }
  }

  /// The index of the segment whose world view civilization `i` holds now.
  func worldview(of i: Int) -> Int {
    worldviews.isEmpty ? Int(population.segment[i]) : Int(states[i].worldview)
  }

  /// With probability `worldview_switch_rate`, civilization `i` chooses the world view it holds from now on among the
  /// segments' (its decoder or its language model deciding, the one it holds being the salient option).
  ///
  /// A world view's utility is how well its stance suits the civilization's situation: under threat `τ`, aggression
  /// if it is the stronger side (against it if the weaker) plus caution; at peace, trust and openness:
  /// `τ (e a + c) + (1 - τ)(t + o) / 2`, with `e` = 1 when its military exceeds its contact's reported one, -1 when
  /// it is smaller, 0 without a living contact. Adopting another world view sets its four stances to that world
  /// view's means; keeping its own changes nothing.
  mutating func reconsider(_ i: Int, stream: RandomStream, nature: RandomStream) {
    guard nature.uniform() < spec.worldviewSwitchRate else { return }
    let contact = contacts[i]
    let known = contact.id >= 0 && contacts[Int(contact.id)].alive
    let threat = threatOf(i)
    let own = self[.military, of: i]
    let edge: Double = known ? (own > contact.military ? 1 : -1) : 0
    let current = Int(states[i].worldview)
    for (s, w) in worldviews.enumerated() {
      utilities[s] =
        w.members > 0
        ? threat * (edge * w.aggression + w.caution) + (1 - threat) * 0.5 * (w.trust + w.openness) : -Double.infinity
    }
    let (options, worldviews, segments) = (worldviews.count, worldviews, population.segments)
    let choice = choose(i, options: options, salient: current, stream: stream) {
      DecisionPrompt(
        kind: "dark_forest.worldview", rules: DarkForestRun.rules,
        question: "Your threat estimate is \(Int((threat * 100).rounded()))%"
          + (known
            ? " and your military is \(own > contact.military ? "larger" : "not larger") than the known civilization's. "
            : ". ") + "Which world view does your civilization hold from now on?",
        options: segments.map(\.name),
        excluded: worldviews.indices.filter { worldviews[$0].members == 0 })
    }
    guard choice != current else { return }
    let w = worldviews[choice]
    states[i].aggression = w.aggression
    states[i].trust = w.trust
    states[i].caution = w.caution
    states[i].openness = w.openness
    states[i].worldview = UInt8(truncatingIfNeeded: choice)
    counts.worldviewSwitches += 1
  }
}
