import Foundation

/// How a `policy: llm` segment reaches its language model: an OpenAI-compatible chat endpoint, sampling settings,
/// concurrency, retries, the response cache and the archetype compression (scenario key `llm`).
public struct LanguageModelSpec: Sendable, Hashable {
  /// The server's base URL; requests go to `<base_url>/v1/chat/completions` (a trailing `/v1` is not doubled).
  public var baseURL: String
  /// The model name sent with each request.
  public var model: String
  /// The environment variable that holds the API key (sent as a bearer token); `nil`: no key.
  public var apiKeyEnv: String? = nil
  public var temperature: Double = 0.7
  public var topP: Double = 1
  /// The most tokens of one reply.
  public var maxTokens: Int = 96
  /// The seed requests derive theirs from; `nil`: the run's seed.
  public var seed: UInt64? = nil
  /// Requests in flight at once.
  public var concurrency: Int = 4
  /// Seconds before a request times out.
  public var timeout: Double = 60
  /// New attempts after a malformed or out-of-range reply, and after a 429 / 5xx / time-out.
  public var retries: Int = 2
  /// What a decision does when its attempts are spent: fall back to the LLM-style decoder, or stop the run.
  public var onError: OnError = .fallback
  /// A prompt template file (YAML with `system` and `user`, optionally per decision kind); `nil`: the defaults.
  public var promptTemplate: String? = nil
  /// How the reply's JSON schema is requested.
  public var responseFormat: ResponseFormat = .jsonSchema
  /// Whether the schema asks for a one-line reason besides the choice.
  public var reason: Bool = true
  /// The most characters of a free-text message the agent writes with a decision that asks for one (a longer one
  /// is cut and the cut is recorded).
  public var messageChars: Int = 200
  /// Where request/response pairs are kept; `nil`: `Results/.llm-cache`.
  public var cache: String? = nil
  /// Representative agents per segment that are asked instead of every member (0: every agent asks).
  public var archetypes: Int = 0
  /// Replies sampled per archetype and decision to estimate its choice distribution.
  public var archetypeSamples: Int = 8

  public init(baseURL: String, model: String) {
    self.baseURL = baseURL
    self.model = model
  }

  /// What to do with a decision whose attempts all failed.
  public enum OnError: String, Sendable, Codable, Hashable, CaseIterable {
    /// Decide with the segment's LLM-style decoder, and count the fallback.
    case fallback
    /// Stop the run with an error.
    case fail
  }

  /// How the JSON schema of the reply is put in the request's `response_format`.
  public enum ResponseFormat: String, Sendable, Codable, Hashable, CaseIterable {
    /// `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`: OpenAI, vLLM, llama.cpp's server.
    case jsonSchema = "json_schema"
    /// `{"type": "json_object", "schema": ...}`: llama-cpp-python's server and others of its kind.
    case jsonObject = "json_object"
    /// No `response_format`; the prompt alone asks for JSON.
    case none
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case baseURL = "base_url", model, apiKeyEnv = "api_key_env", temperature, topP = "top_p"
    case maxTokens = "max_tokens", seed, concurrency, timeout = "timeout_s", retries, onError = "on_error"
    case promptTemplate = "prompt_template", responseFormat = "response_format", reason, cache, archetypes
    case archetypeSamples = "archetype_samples", messageChars = "message_chars"
  }
}

extension LanguageModelSpec: Codable {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    baseURL = try c.value(.baseURL, allowed: "an http:// or https:// URL of an OpenAI-compatible server") {
      ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && $0.count > 8
    }
    model = try c.value(.model, allowed: "the model name the server expects") { !$0.isEmpty }
    apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
    if let name = apiKeyEnv {
      guard Self.isVariableName(name) else {
        throw ScenarioIssue(c.codingPath + [CodingKeys.apiKeyEnv], value: name, "expected an environment variable name")
      }
      guard Self.mayReadKey(from: name) else {
        throw ScenarioIssue(c.codingPath + [CodingKeys.apiKeyEnv], value: name, Self.keyVariableRule)
      }
    }
    temperature = try c.value(.temperature, default: 0.7, allowed: "a number in [0, 2]") { $0 >= 0 && $0 <= 2 }
    topP = try c.value(.topP, default: 1, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    maxTokens = try c.value(.maxTokens, default: 96, allowed: "an integer from 1 to 100000") {
      (1...100_000).contains($0)
    }
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    concurrency = try c.value(.concurrency, default: 4, allowed: "an integer from 1 to 1024") {
      (1...1024).contains($0)
    }
    timeout = try c.value(.timeout, default: 60, allowed: "a number of seconds > 0") { $0 > 0 && $0.isFinite }
    retries = try c.value(.retries, default: 2, allowed: "an integer from 0 to 20") { (0...20).contains($0) }
    onError = try c.choice(.onError, default: .fallback)
    promptTemplate = try c.decodeIfPresent(String.self, forKey: .promptTemplate)
    responseFormat = try c.choice(.responseFormat, default: .jsonSchema)
    reason = try c.value(.reason, default: true)
    cache = try c.decodeIfPresent(String.self, forKey: .cache)
    messageChars = try c.value(.messageChars, default: 200, allowed: "an integer from 1 to 2000") {
      (1...2000).contains($0)
    }
    if let cache, ["true", "false", "yes", "no", "on", "off"].contains(cache.lowercased()) {
      // YAML reads `cache: false` as a switch; as a folder it would be one named "false" beside the run.
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.cache], value: cache,
        "is the response cache's folder, not a switch; to run without the cache, use agora run --llm-cache off")
    }
    archetypes = try c.value(.archetypes, default: 0, allowed: "an integer >= 0 (0: every agent asks)") { $0 >= 0 }
    archetypeSamples = try c.value(.archetypeSamples, default: 8, allowed: "an integer from 1 to 1000") {
      (1...1000).contains($0)
    }
  }
}

/// Which environment variables `api_key_env` may read: a scenario file can be shared, and whatever variable it names
/// is sent to its own `base_url`, so it may only name API keys and tokens, or a variable the user allowed.
extension LanguageModelSpec {
  /// The name endings `api_key_env` may always read.
  public static let keyVariableSuffixes = ["_API_KEY", "_TOKEN"]

  /// What a refused `api_key_env` is told.
  package static let keyVariableRule =
    "a scenario may only read a variable whose name ends in _API_KEY or _TOKEN, so that it cannot send another "
    + "secret to its server; to read this one anyway, pass --allow-key-env NAME to agora run or agora sweep"

  /// Whether `api_key_env` may read the variable `name`: it ends in `_API_KEY` or `_TOKEN`, or the user allowed it.
  public static func mayReadKey(from name: String) -> Bool {
    keyVariableSuffixes.contains { name.hasSuffix($0) && name.count > $0.count } || allowedKeyVariables.contains(name)
  }

  /// Lets `api_key_env` read `names` too, for the rest of the process (`agora run/sweep --allow-key-env`). Scenarios
  /// are checked when they are decoded, so call this before loading them; the list only grows.
  public static func allowKeyVariables(_ names: [String]) throws(ScenarioIssue) {
    if let bad = names.first(where: { !isVariableName($0) }) {
      throw ScenarioIssue(
        file: "--allow-key-env", path: "", value: bad,
        message: "expected an environment variable name (letters, digits and _)")
    }
    allowedKeyVariables.add(names)
  }

  static func isVariableName(_ name: String) -> Bool {
    !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  /// The names allowed on the command line, shared by the whole process.
  static let allowedKeyVariables = AllowList()

  /// A set of names behind a lock: the CLI fills it before loading scenarios; the decoder and `ChatClient` read it.
  final class AllowList: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []

    func contains(_ name: String) -> Bool { lock.withLock { names.contains(name) } }
    func add(_ more: [String]) { lock.withLock { names.formUnion(more) } }
  }
}
