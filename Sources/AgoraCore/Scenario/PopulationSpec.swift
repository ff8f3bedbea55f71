/// The population: its size and its segments.
public struct PopulationSpec: Sendable, Codable, Hashable {
  public var size: Int
  public var segments: [SegmentSpec]
  /// The preset the segments came from, if any (a built-in name or a fitted preset file).
  public var preset: String? = nil

  enum CodingKeys: String, CodingKey, CaseIterable { case size, segments, preset }
}

extension PopulationSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    size = try c.value(.size, allowed: "an integer from 2 to 1000000000 (a game needs two players)") {
      (2...1_000_000_000).contains($0)
    }
    // The loader has replaced a preset by its segments (ScenarioLoader.expandPreset); the name stays for the record.
    preset = try c.decodeIfPresent(String.self, forKey: .preset)
    segments = try c.value(.segments, allowed: "a non-empty list of segments (or a preset)") { !$0.isEmpty }
    let path = c.codingPath + [CodingKeys.segments]
    var names = Set<String>()
    for (i, segment) in segments.enumerated() where !names.insert(segment.name.snakeCased).inserted {
      throw ScenarioIssue(
        path + [AnyKey(intValue: i), SegmentSpec.CodingKeys.name], value: segment.name,
        "segment names must be unique, also as CSV column names ('\(segment.name.snakeCased)' is taken)")
    }
    if segments.count == 1, segments[0].share.isNaN { segments[0].share = 1 }
    for (i, segment) in segments.enumerated() where segment.share.isNaN {
      throw ScenarioIssue(
        path + [AnyKey(intValue: i), SegmentSpec.CodingKeys.share],
        "required when there are several segments; expected a number in (0, 1]")
    }
    let total = segments.reduce(0) { $0 + $1.share }
    guard abs(total - 1) <= 1e-6 else {
      throw ScenarioIssue(
        path, value: segments.map { "\($0.share)" }.joined(separator: " + "),
        "segment shares must sum to 1, they sum to \(total)")
    }
  }
}
