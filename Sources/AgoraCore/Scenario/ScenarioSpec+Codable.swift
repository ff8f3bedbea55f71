extension ScenarioSpec {
  public init(from decoder: any Decoder) throws {
    // A key of `game` or `population` given at the top level (`--set stake=10`) is named with its place.
    var misplaced: [String: String] = [:]
    for key in ModelRegistry.allKeys { misplaced[key] = "game.\(key)" }
    for key in PopulationSpec.CodingKeys.allCases.map(\.rawValue) { misplaced[key] = "population.\(key)" }
    if let keys = try? decoder.container(keyedBy: AnyKey.self), keys.contains(AnyKey(stringValue: "scenario")) {
      throw ScenarioIssue(
        path: "scenario", message: "is a key of a sweep file, not of a scenario: run this file with `agora sweep`")
    }
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue), misplaced: misplaced)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.value(.name, default: "scenario", allowed: "a non-empty name of letters, digits, '-', '_' or '.'") {
      !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } && $0 != "." && $0 != ".."
    }
    description = try c.value(.description, default: "")
    seed = try c.value(.seed, default: 1, allowed: "an integer from 0 to 18446744073709551615")
    rng = try c.value(.rng, default: "taus2", allowed: "a GSL generator name (e.g. taus2, mt19937, ranlxd2)") {
      RandomGenerator(name: $0) != nil
    }
    game = try c.value(.game, allowed: "a mapping with at least 'type'")
    let game = game
    let model = ModelRegistry.entry(game.type)
    var matching = MatchingSpec()
    matching.type = model.matchings[0]
    self.matching = try c.value(.matching, default: matching)
    if !c.contains(.matching)
      || (try? c.nestedContainer(keyedBy: MatchingSpec.CodingKeys.self, forKey: .matching))?
        .contains(.type) == false
    {
      self.matching.type = model.matchings[0]
    }
    if model.matchings == [.none] && c.contains(.matching) {
      throw ScenarioIssue(
        [CodingKeys.matching],
        "\(game.type.rawValue) is a world: its agents meet by its own rules, not by a matching; remove matching")
    }
    guard model.matchings.contains(self.matching.type) else {
      throw ScenarioIssue(
        [CodingKeys.matching, MatchingSpec.CodingKeys.type], value: self.matching.type.rawValue,
        "is not available for \(game.type.rawValue); allowed: \(model.matchings.map(\.rawValue).joined(separator: ", "))"
      )
    }
    population = try c.value(.population, allowed: "a mapping with 'size' and 'segments'")
    if self.matching.type == .groups && self.matching.size > population.size {
      throw ScenarioIssue(
        [CodingKeys.matching, MatchingSpec.CodingKeys.size], value: "\(self.matching.size)",
        "groups larger than the population (\(population.size) agents) cannot form; expected at most \(population.size)"
      )
    }
    for (i, segment) in population.segments.enumerated() {
      guard let strategy = segment.strategy, !model.strategies.contains(strategy) else { continue }
      let owners = ModelRegistry.models.filter { $0.strategies.contains(strategy) }.map(\.type.rawValue)
      throw ScenarioIssue(
        [
          CodingKeys.population, PopulationSpec.CodingKeys.segments, AnyKey(intValue: i),
          SegmentSpec.CodingKeys.strategy,
        ],
        value: strategy,
        model.strategies.isEmpty
          ? "\(game.type.rawValue) has no fixed strategies"
            + (owners.isEmpty ? "" : " (this is one of \(owners.joined(separator: ", ")))")
          : "expected one of \(model.strategies.joined(separator: ", "))"
            + (nearest(strategy, in: model.strategies).map { "; did you mean '\($0)'?" } ?? ""))
    }
    for (i, segment) in population.segments.enumerated() where !model.learnings.contains(segment.memory.learning) {
      throw ScenarioIssue(
        [
          CodingKeys.population, PopulationSpec.CodingKeys.segments, AnyKey(intValue: i),
          SegmentSpec.CodingKeys.memory, MemorySpec.CodingKeys.learning,
        ],
        value: segment.memory.learning.rawValue,
        "\(game.type.rawValue)'s agents learn with \(model.learnings.map(\.rawValue).joined(separator: " or "))")
    }
    output = try c.value(.output, default: OutputSpec())
    if self.matching.type == .network, let (key, message) = self.matching.network.problem(nodes: population.size) {
      throw ScenarioIssue(
        [CodingKeys.matching, MatchingSpec.CodingKeys.network, AnyKey(stringValue: key)], message)
    }
    if output.agentSteps != nil && !model.recordsAgentSteps {
      let with = ModelRegistry.models.filter(\.recordsAgentSteps).map(\.type.rawValue)
      throw ScenarioIssue(
        [CodingKeys.output, OutputSpec.CodingKeys.agentSteps],
        "\(game.type.rawValue) records no per-agent steps (agent_steps.csv is written by the games: "
          + "\(with.joined(separator: ", "))); remove it")
    }
    if output.events && !model.logsEvents {
      let withEvents = ModelRegistry.models.filter(\.logsEvents).map(\.type.rawValue)
      let named = withEvents.count > 1 ? withEvents.dropLast().joined(separator: ", ") + " and " : ""
      throw ScenarioIssue(
        [CodingKeys.output, OutputSpec.CodingKeys.events], value: "true",
        "\(game.type.rawValue) logs no interactions (events.csv is written by \(named)\(withEvents.last ?? "no model") "
          + "only); set it to false")
    }
    try checkBounds()
  }
}
