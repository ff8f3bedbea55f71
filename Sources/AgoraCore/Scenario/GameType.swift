/// A model's name, the YAML `game.type`: a game or a world. Each model declares its own constant in its folder
/// (`extension GameType { static let trust: GameType = "trust" }`), and a model registered from outside Agora
/// brings its own name; ``ModelRegistry`` knows which names exist.
public struct GameType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  public let rawValue: String

  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { rawValue = value }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  public var description: String { rawValue }
}
