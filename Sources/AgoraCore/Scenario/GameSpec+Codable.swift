extension GameSpec: Codable {
  /// Reads `type`, finds its model in ``ModelRegistry`` and lets the model's declaration read the other keys; a key
  /// of another model is refused naming that model, any other unknown key with a suggestion.
  public init(from decoder: any Decoder) throws {
    let names = ModelRegistry.types.map(\.rawValue)
    let c: KeyedDecodingContainer<AnyKey>
    do {
      c = try decoder.container(keyedBy: AnyKey.self)
    } catch {
      try decoder.checkKeys(["type"] + ModelRegistry.allKeys)  // says what was found instead of a mapping
      throw error
    }
    let typeKey = AnyKey(stringValue: "type")
    guard let raw = try c.decodeIfPresent(String.self, forKey: typeKey) else {
      throw ScenarioIssue(
        c.codingPath + [typeKey], "required key is missing; expected one of \(names.joined(separator: ", "))")
    }
    guard let model = ModelRegistry.model(GameType(rawValue: raw)) else {
      var message = "expected one of \(names.joined(separator: ", "))"
      if let guess = nearest(raw, in: names) { message += "; did you mean '\(guess)'?" }
      throw ScenarioIssue(c.codingPath + [typeKey], value: raw, message)
    }
    type = model.type
    let allowed = ["type"] + model.parameterKeys
    for key in c.allKeys where !allowed.contains(key.stringValue) {
      let owners = ModelRegistry.types.filter {
        ModelRegistry.model($0)?.parameterKeys.contains(key.stringValue) == true
      }
      guard owners.isEmpty else {
        throw ScenarioIssue(
          c.codingPath + [key],
          "does not apply to \(raw) (it is a key of \(owners.map(\.rawValue).joined(separator: ", "))); "
            + "\(raw) takes \(allowed.joined(separator: ", "))")
      }
      var message = "unknown key"
      if let guess = nearest(key.stringValue, in: allowed) {
        message += "; did you mean '\(guess)'?"
      } else {
        message += ";"
      }
      throw ScenarioIssue(c.codingPath + [key], message + " \(raw) takes \(allowed.joined(separator: ", "))")
    }
    parameters = try model.decodeParameters(decoder)
  }

  /// Encodes `type` and the model's declared keys (the manifest and report show what applies to this game).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    try c.encode(type, forKey: AnyKey(stringValue: "type"))
    try parameters.encodeParameters(into: &c)
  }
}
