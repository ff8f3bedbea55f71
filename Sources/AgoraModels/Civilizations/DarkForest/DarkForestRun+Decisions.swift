import AgoraCore
import Foundation

/// Decisions: a civilization's choice among waiting, hiding, broadcasting, proposing cooperation, striking, mobilising
/// and developing, and its answer to a proposal.
extension DarkForestRun {
  /// The rules of the dark forest, as told to a language-model civilization.
  static let rules =
    "You lead a civilization among others scattered in space. Signals travel at the speed of light and fleets more "
    + "slowly, so what you know of others is old. A visible civilization can be found and attacked; battles are won by "
    + "the larger military. Cooperation helps both sides grow; a strike can destroy a rival or provoke one."

  /// How threatening civilization `i` finds its contact (from its own visibility when it knows of none).
  func threatOf(_ i: Int) -> Double {
    guard contacts[i].id >= 0 else { return 0.1 * states[i].visibility }
    let own = self[.military, of: i]
    return contacts[i].military / (own + contacts[i].military + 1e-9)
  }

  /// A decision epoch of civilization `i`.
  mutating func decide(
    _ i: Int, now: Double, agenda: inout DarkForestAgenda, stream: RandomStream, nature: RandomStream
  ) {
    languageModel?.locate(round: Int(now) + 1, group: -1)
    if spec.worldviewSwitchRate > 0 { reconsider(i, stream: stream, nature: nature) }
    let (aggression, trust, caution) = (states[i].aggression, states[i].trust, states[i].caution)
    let (openness, visibility, mode) = (states[i].openness, states[i].visibility, states[i].mode)
    let known = contacts[i].id >= 0 && contacts[Int(contacts[i].id)].alive
    let threat = threatOf(i)
    let own = self[.military, of: i]
    let enemy = contacts[i].military
    // Minus infinity, not a large negative number: no temperature or logit bias may make it possible.
    let unavailable = -Double.infinity
    contacts[i].lastDecision = now
    utilities[Action.wait.rawValue] = 0
    utilities[Action.hide.rawValue] = caution * threat - 0.1 * openness
    utilities[Action.broadcast.rawValue] =
      0.5 * openness - caution * (0.5 + threat) - (visibility >= 0.99 ? 1 : 0)
    utilities[Action.proposeCooperation.rawValue] = known ? trust * (1 - threat) + 0.2 * openness : unavailable
    utilities[Action.strike.rawValue] = known ? aggression * (own > enemy ? 1 : -1) - 0.5 * caution : unavailable
    // With `growth: allocation` the split chosen after the action (``allocate(_:stream:)``) replaces the modes.
    let modes = spec.growth == .modes
    utilities[Action.mobilise.rawValue] =
      mode == .mobilised || !modes ? unavailable : (aggression + 0.5 * caution) * threat - 0.2
    utilities[Action.develop.rawValue] = mode == .developing || !modes ? unavailable : 0.3 * (1 - threat)
    let options = utilities
    let choice = choose(
      i, options: Action.allCases.count, salient: Action.proposeCooperation.rawValue, stream: stream
    ) {
      DecisionPrompt(
        kind: "dark_forest.act", rules: DarkForestRun.rules,
        question: (known
          ? "You know of another civilization whose military is \(DecisionPrompt.amount(enemy)) against your "
            + "\(DecisionPrompt.amount(own)). "
          : "You know of no other civilization. ")
          + "Your threat estimate is \(Int((threat * 100).rounded()))%. What do you do now?",
        options: [
          "wait", "hide (lower your visibility)", "broadcast your existence",
          "propose cooperation to the known civilization",
          "strike the known civilization", "mobilise (build military)", "develop (build technology and production)",
        ], excluded: (0..<Action.allCases.count).filter { options[$0] <= unavailable })
    }
    guard let action = Action(rawValue: choice) else {
      preconditionFailure("a decision of \(Action.allCases.count) options chose option \(choice)")
    }
    // The decoder never draws an option of utility minus infinity, and a language model is asked among the others.
    assert(!(utilities[choice] <= unavailable), "civilization \(i) chose the unavailable \(action)")
    if known { counts.staleness += now - contacts[i].heard; counts.informedDecisions += 1 }
    counts.decisions += 1
    switch action {
    case .wait: break
    case .hide:
      states[i].visibility = max(DarkForestRun.minimumVisibility, visibility * DarkForestRun.hidingFactor)
      counts.hides += 1
    case .broadcast:
      states[i].visibility = 1
      broadcast[i] = true
      counts.broadcasts += 1
      emit(from: i, at: now, scale: 2 * spec.detectionScale, agenda: &agenda, nature: nature)
    case .proposeCooperation:
      let j = Int(contacts[i].id)
      counts.requests += 1
      agenda.schedule(.request(to: Int32(j), from: Int32(i)), after: distance(i, j) / spec.lightSpeed)
    case .strike:
      let j = Int(contacts[i].id)
      let fleet = self[.military, of: i]
      self[.military, of: i] = DarkForestRun.militaryFloor
      counts.strikes += 1
      trajectories.fought(i, j)
      let defenderNow = DarkForestRun.logistic(
        self[.military, of: j], capacity: capacity(.military, of: j), rate: rate(.military, of: j),
        after: now - states[j].updated)
      agenda.schedule(
        DarkForestAgenda.Fleet(
          attacker: Int32(i), defender: Int32(j), strength: fleet, launched: now, defenderAtLaunch: defenderNow),
        after: distance(i, j) / spec.fleetSpeed)
    case .mobilise:
      states[i].mode = .mobilised
    case .develop:
      states[i].mode = .developing
    }
  }

  /// Civilization `j` answers civilization `i`'s proposal of cooperation; the reply travels back at light speed.
  mutating func answer(
    _ j: Int, from i: Int, at now: Double, agenda: inout DarkForestAgenda, stream decisions: RandomStream
  ) {
    guard states[j].alive, states[i].alive else { return }
    languageModel?.locate(round: Int(now) + 1, group: -1)
    advance(j, to: now)
    guard states[j].alive else { return }
    let threat = threatOf(j)
    utilities[Answer.accept.rawValue] = states[j].trust * (1 - threat) + 0.1
    utilities[Answer.refuse.rawValue] = 0.3 * threat
    let away = distance(i, j)
    let accept =
      choose(j, options: Answer.allCases.count, salient: Answer.accept.rawValue, stream: decisions) {
        DecisionPrompt(
          kind: "dark_forest.answer", rules: DarkForestRun.rules,
          question: "Another civilization, \(DecisionPrompt.amount(away)) away, proposes to cooperate. "
            + "You estimate its military threat at \(Int((threat * 100).rounded()))%.",
          options: ["accept", "refuse"])
      } == Answer.accept.rawValue
    agenda.schedule(.reply(to: Int32(i), from: Int32(j), accepted: accept), after: distance(i, j) / spec.lightSpeed)
  }
}
