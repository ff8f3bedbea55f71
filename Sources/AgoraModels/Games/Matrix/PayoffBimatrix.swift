import AgoraCore

/// A two-player normal-form game: the row and column players' actions and payoffs (`row[a][b]` is the row
/// player's payoff when it plays `a` and the column player `b`).
public struct PayoffBimatrix: Sendable, Codable, Hashable {
  public var rowActions: [String]
  public var columnActions: [String]
  public var row: [[Double]]
  public var column: [[Double]]
  /// The preset it came from, if any.
  public var name: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case preset, rowActions = "row_actions", columnActions = "column_actions", row, column
  }

  /// The named classic games.
  public enum Preset: String, Sendable, CaseIterable {
    case prisonersDilemma = "prisoners_dilemma"
    case stagHunt = "stag_hunt"
    case chicken
    case battleOfTheSexes = "battle_of_the_sexes"
    case matchingPennies = "matching_pennies"
  }

  public init(rowActions: [String], columnActions: [String], row: [[Double]], column: [[Double]], name: String? = nil) {
    self.rowActions = rowActions
    self.columnActions = columnActions
    self.row = row
    self.column = column
    self.name = name
  }

  /// A classic game with its textbook payoffs.
  public static func preset(_ p: Preset) -> PayoffBimatrix {
    switch p {
    case .prisonersDilemma:
      return PayoffBimatrix(
        rowActions: ["cooperate", "defect"], columnActions: ["cooperate", "defect"], row: [[3, 0], [5, 1]],
        column: [[3, 5], [0, 1]], name: p.rawValue)
    case .stagHunt:
      return PayoffBimatrix(
        rowActions: ["stag", "hare"], columnActions: ["stag", "hare"], row: [[4, 0], [3, 3]],
        column: [[4, 3], [0, 3]],
        name: p.rawValue)
    case .chicken:
      return PayoffBimatrix(
        rowActions: ["swerve", "straight"], columnActions: ["swerve", "straight"], row: [[0, -1], [1, -10]],
        column: [[0, 1], [-1, -10]], name: p.rawValue)
    case .battleOfTheSexes:
      return PayoffBimatrix(
        rowActions: ["opera", "football"], columnActions: ["opera", "football"], row: [[3, 0], [0, 2]],
        column: [[2, 0], [0, 3]], name: p.rawValue)
    case .matchingPennies:
      return PayoffBimatrix(
        rowActions: ["heads", "tails"], columnActions: ["heads", "tails"], row: [[1, -1], [-1, 1]],
        column: [[-1, 1], [1, -1]], name: p.rawValue)
    }
  }
}

extension PayoffBimatrix {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if c.contains(.preset) {
      let preset: Preset = try c.choice(.preset)
      for key in [CodingKeys.rowActions, .columnActions, .row, .column] where c.contains(key) {
        throw ScenarioIssue(c.codingPath + [key], "give either a preset or the payoffs, not both")
      }
      self = .preset(preset)
      return
    }
    let row: [[Double]] = try c.value(.row, allowed: "a list of rows of payoffs (or preset: NAME)") { !$0.isEmpty }
    let column: [[Double]] = try c.value(.column, allowed: "a list of rows like row") { !$0.isEmpty }
    let k = row.count
    let l = row[0].count
    guard (2...10).contains(k), (2...10).contains(l), row.allSatisfy({ $0.count == l }),
      column.count == k, column.allSatisfy({ $0.count == l }),
      (row + column).allSatisfy({ $0.allSatisfy(\.isFinite) })
    else {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.row], value: "\(row) / \(column)",
        "row and column must both be k x l tables of finite numbers, 2 <= k, l <= 10")
    }
    let rowActions: [String] = try c.value(.rowActions, default: (1...k).map { "a\($0)" }, allowed: "\(k) names") {
      $0.count == k && Set($0).count == k
    }
    let columnActions: [String] = try c.value(.columnActions, default: (1...l).map { "b\($0)" }, allowed: "\(l) names")
    {
      $0.count == l && Set($0).count == l
    }
    self.init(rowActions: rowActions, columnActions: columnActions, row: row, column: column)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(name, forKey: .preset)
    try c.encode(rowActions, forKey: .rowActions)
    try c.encode(columnActions, forKey: .columnActions)
    try c.encode(row, forKey: .row)
    try c.encode(column, forKey: .column)
  }
}
