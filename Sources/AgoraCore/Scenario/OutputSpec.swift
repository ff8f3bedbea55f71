/// Which optional files a run writes.
public struct OutputSpec: Sendable, Codable, Hashable {
  public var steps: Bool = true
  public var agents: Bool = true
  public var events: Bool = false

  enum CodingKeys: String, CodingKey, CaseIterable { case steps, agents, events }

  public init() {}
}

extension OutputSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    steps = try c.value(.steps, default: true)
    agents = try c.value(.agents, default: true)
    events = try c.value(.events, default: false)
  }
}
