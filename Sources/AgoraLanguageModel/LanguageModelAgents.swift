import AgoraCore
import Foundation

/// The language-model side of one run: for every agent of a `policy: llm` segment it turns a game's
/// ``DecisionPrompt`` into chat messages (persona, rules, history, numbered options), asks the model for JSON
/// (`{"choice": n, "reason": ...}`), validates the reply, retries, and falls back to the decoder when asked to.
///
/// **Batches.** A run plays a block of matches in passes: in a pass, the first decision of each match that has no
/// answer yet is queued (the rest of that match waits for it) and the block is played on with provisional decoder
/// choices; then the queue is sent, `concurrency` requests at a time, the block's state is rolled back and played
/// again. When a pass queues nothing it is the real one. Outside a batch (asynchronous play, civilizations) a
/// decision asks and waits.
///
/// **Seeds.** Request seeds derive from the `llm.seed` (or the run's seed), the agent and the agent's decision count,
/// so the same run sends the same requests, which the ``ResponseCache`` answers without the network.
public final class LanguageModelAgents: ExternalDeciders, @unchecked Sendable {
  /// One `llm` segment's settings and state.
  struct Segment {
    let spec: LanguageModelSpec
    let template: PromptTemplate
    let client: ChatClient
    let cache: ResponseCache
    let baseSeed: UInt64
    /// Archetype centres' personas, and each member's archetype (empty when every agent asks).
    let archetypePersonas: [String]
    let archetypeOf: [Int]
  }

  /// What a decision's replies came to.
  enum Resolution {
    case choice(Int)
    /// Archetype mode: the choice distribution of the archetype's samples.
    case distribution([Double])
    case failed
  }

  /// A decision waiting for the model: its messages, options and seed; its requests (one per attempt, per
  /// archetype sample) are built when it is sent.
  struct Pending {
    let key: String
    let segment: Int
    let agent: Int
    let kind: String
    let options: Int
    /// The 1-based choices a reply may make.
    let allowed: [Int]
    let messages: (system: String, user: String)
    let seed: UInt64
    let samples: Int
  }

  /// An archetype's question: the same for every member, so its request key is computed once.
  struct ArchetypeQuestion: Hashable {
    let segment: Int
    let archetype: Int
    let prompt: DecisionPrompt
  }

  let population: Population
  var segments: [Segment?]
  /// Counting instead of asking (`agora run --estimate`).
  public let estimating: Bool
  /// Usage summed over committed decisions and resolutions.
  public private(set) var usage = LanguageModelUsage()
  /// The first error that stops the run (`on_error: fail`, server unreachable).
  public private(set) var failure: LanguageModelError? = nil
  /// Estimate mode: what the run would ask.
  public private(set) var estimate = LanguageModelEstimate()

  var resolved: [String: Resolution] = [:]
  var pending: [Pending] = []
  var pendingKeys: Set<String> = []
  var archetypeKeys: [ArchetypeQuestion: String] = [:]
  var decisionCount: [Int32]
  var savedCount: [Int32] = []
  var passUsage = LanguageModelUsage()
  var batching = false
  var matchWaits = false

  /// The factory `Experiment.run` uses for runs with `policy: llm` segments.
  public static func factory(_ options: LanguageModelOptions) -> ExternalDecidersFactory {
    ExternalDecidersFactory { scenario, population, seeds in
      try make(scenario: scenario, population: population, seeds: seeds, options: options)
    }
  }

  /// The language-model side of a run of `scenario` over `population`, or `nil` when no segment uses `llm`.
  public static func make(
    scenario: ScenarioSpec, population: Population, seeds: SeedSequence, options: LanguageModelOptions
  ) throws(LanguageModelError) -> LanguageModelAgents? {
    guard population.segments.contains(where: { $0.policy == .llm }) else { return nil }
    return try LanguageModelAgents(
      scenario: scenario, population: population, seeds: seeds, cacheMode: options.cache,
      estimating: options.estimating)
  }

  init(
    scenario: ScenarioSpec, population: Population, seeds: SeedSequence, cacheMode: ResponseCache.Mode,
    estimating: Bool
  ) throws(LanguageModelError) {
    self.population = population
    self.estimating = estimating
    decisionCount = [Int32](repeating: 0, count: population.count)
    segments = []
    for (s, segment) in population.segments.enumerated() {
      guard segment.policy == .llm, let spec = segment.llm else {
        segments.append(nil)
        continue
      }
      let template = try spec.promptTemplate.map { path throws(LanguageModelError) in try PromptTemplate.load(path) }
      let jitter = seeds.stream(for: .languageModel, index: UInt64(s), generator: scenario.generator)
      let client = try ChatClient(spec: spec, jitter: jitter)
      var personas: [String] = []
      var archetypeOf: [Int] = []
      if spec.archetypes > 0 {
        let stream = seeds.stream(for: .archetypes, index: UInt64(s), generator: scenario.generator)
        let archetypes = Archetypes(
          population: population, members: population.ranges[s], k: spec.archetypes, stream: stream)
        personas = archetypes.centres.map(Persona.describe)
        archetypeOf = archetypes.assignment
      }
      segments.append(
        Segment(
          spec: spec, template: template ?? .standard, client: client,
          cache: ResponseCache(directory: spec.cache ?? "Results/.llm-cache", mode: cacheMode),
          baseSeed: SeedSequence.mix((spec.seed ?? scenario.seed) ^ UInt64(s) &* 0x9E37_79B9_7F4A_7C15),
          archetypePersonas: personas, archetypeOf: archetypeOf))
    }
  }

  // MARK: Deciding

  public typealias Decision = ExternalDecision

  /// How agent `i` of segment `s` chooses among `prompt.options`; `stream` is the block's decision stream.
  public func decide(
    agent i: Int, segment s: Int, prompt: DecisionPrompt, history: () -> [String], stream: RandomStream
  ) -> Decision {
    guard failure == nil, let segment = segments[s] else { return .decoder(stream) }
    if batching && matchWaits { return .provisional }
    let count = decisionCount[i]
    decisionCount[i] += 1
    let own = SeedSequence.mix(SeedSequence.mix(segment.baseSeed ^ UInt64(i)) &+ UInt64(count))
    let archetype = segment.archetypeOf.isEmpty ? -1 : segment.archetypeOf[i - population.ranges[s].lowerBound]
    let question = ArchetypeQuestion(segment: s, archetype: archetype, prompt: prompt)
    let samples = archetype >= 0 ? segment.spec.archetypeSamples : 1
    let seed = archetype >= 0 ? segment.baseSeed : own
    var messages: (system: String, user: String)? = nil
    func ask() -> (system: String, user: String) {
      if let messages { return messages }
      let persona =
        archetype >= 0
        ? segment.archetypePersonas[archetype]
        : Persona.describe(Preference.allCases.map { population.value($0, of: i) })
      messages = segment.template.messages(
        for: prompt, persona: persona, history: archetype >= 0 ? [] : history(), reason: segment.spec.reason)
      return messages!
    }
    let key: String
    if archetype >= 0, let known = archetypeKeys[question] {
      key = known
    } else {
      key = ResponseCache.key(
        url: segment.client.url,
        body: body(segment.spec, ask(), allowed: prompt.allowed, seed: seed, sample: 0, attempt: 0))
      if archetype >= 0 { archetypeKeys[question] = key }
    }
    if estimating {
      estimate.decisions += 1
      if !pendingKeys.contains(key) {
        pendingKeys.insert(key)
        let text = ask()
        estimate.requests += samples
        estimate.cached += segment.cache.contains(key) ? samples : 0
        estimate.promptTokens += samples * ((text.system.utf8.count + text.user.utf8.count) / 4 + 8)
        estimate.maxCompletionTokens += samples * segment.spec.maxTokens
      }
      return .decoder(stream)
    }
    if resolved[key] == nil {
      let item = Pending(
        key: key, segment: s, agent: i, kind: prompt.kind, options: prompt.options.count, allowed: prompt.allowed,
        messages: ask(), seed: seed, samples: samples)
      if batching {
        if pendingKeys.insert(key).inserted { pending.append(item) }
        matchWaits = true
        return .provisional
      }
      resolve([item])
      if failure != nil { return .decoder(stream) }
    }
    var tally = LanguageModelUsage()
    tally.decisions = 1
    defer { if batching { passUsage.add(tally) } else { usage.add(tally) } }
    switch resolved[key]! {
    case .choice(let k): return .chosen(k)
    case .distribution(let p):
      let u = RandomStream(generator: stream.generator, seed: own).uniform()
      return .chosen(p.withUnsafeBufferPointer { ChoiceDecoder.sample($0, uniform: u) })
    case .failed:
      tally.fallbacks = 1
      return .decoder(RandomStream(generator: stream.generator, seed: own))
    }
  }

  /// The canonical JSON body of one request: attempt `attempt` of sample `sample` of a decision seeded `seed`.
  func body(
    _ spec: LanguageModelSpec, _ messages: (system: String, user: String), allowed: [Int], seed decision: UInt64,
    sample: Int, attempt: Int
  ) -> Data {
    let seed = SeedSequence.mix(decision ^ (UInt64(sample) << 32 | UInt64(attempt))) & 0x7FFF_FFFF
    var properties: [String: Any] = ["choice": ["type": "integer", "enum": allowed]]
    if spec.reason { properties["reason"] = ["type": "string", "maxLength": 120] }
    let schema: [String: Any] = [
      "type": "object", "properties": properties, "required": ["choice"], "additionalProperties": false,
    ]
    var object: [String: Any] = [
      "model": spec.model,
      "messages": [["role": "system", "content": messages.system], ["role": "user", "content": messages.user]],
      "temperature": spec.temperature, "top_p": spec.topP, "max_tokens": spec.maxTokens, "seed": seed,
    ]
    switch spec.responseFormat {
    case .jsonSchema:
      object["response_format"] = [
        "type": "json_schema", "json_schema": ["name": "decision", "schema": schema, "strict": true],
      ]
    case .jsonObject: object["response_format"] = ["type": "json_object", "schema": schema]
    case .none: break
    }
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
  }

  /// The 0-based option of a reply, or `nil` when it is not JSON with an integer `choice` among the 1-based
  /// `allowed` numbers.
  static func parseChoice(_ content: String, allowed: [Int]) -> Int? {
    var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("```") {
      text = text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("```") }.joined(separator: "\n")
    }
    struct Reply: Decodable {
      let choice: Int

      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let n = try? c.decode(Int.self, forKey: .choice) {
          choice = n
        } else if let n = Int(try c.decode(String.self, forKey: .choice).trimmingCharacters(in: .whitespaces)) {
          choice = n
        } else {
          throw DecodingError.dataCorruptedError(forKey: .choice, in: c, debugDescription: "not a number")
        }
      }

      enum CodingKeys: String, CodingKey { case choice }
    }
    let value = try? JSONDecoder().decode(Reply.self, from: Data(text.utf8)).choice
    guard let v = value, allowed.contains(v) else { return nil }
    return v - 1
  }

  // MARK: Batches

  public func playInPasses(_ play: () throws -> Void, rollBack: () -> Void) rethrows {
    batching = true
    let savedCount = decisionCount
    defer { batching = false }
    while true {
      decisionCount = savedCount
      passUsage = LanguageModelUsage()
      matchWaits = false
      try play()
      guard !pending.isEmpty else { break }
      let items = pending
      pending.removeAll()
      pendingKeys.removeAll()
      resolve(items)
      rollBack()
    }
    usage.add(passUsage)
  }

  public func beginMatch() { matchWaits = false }

  /// The run's usage as summary columns (or its estimate); throws the failure that stopped the run.
  public func finish(_ result: inout RunResult) throws {
    if let failure { throw failure }
    if estimating {
      result.languageModelEstimate = estimate
    } else {
      result.summary += usage.summaryColumns
      result.languageModelUsage = usage
    }
  }

  // MARK: Asking

  /// Asks for every sample of every item, up to the segments' concurrency at once, and records the resolutions.
  func resolve(_ items: [Pending]) {
    struct Job {
      let item: Int
      let sample: Int
    }
    let jobs = items.enumerated().flatMap { n, item in (0..<item.samples).map { Job(item: n, sample: $0) } }
    guard !jobs.isEmpty else { return }
    var outcomes = [Int?](repeating: nil, count: jobs.count)
    var tallies = [LanguageModelUsage](repeating: LanguageModelUsage(), count: jobs.count)
    var errors = [LanguageModelError?](repeating: nil, count: jobs.count)
    var lastReply = [String](repeating: "", count: jobs.count)
    let workers = min(jobs.count, items.map { segments[$0.segment]!.spec.concurrency }.max() ?? 1)
    final class Cursor: @unchecked Sendable {
      var next = 0
      let lock = NSLock()
      func take() -> Int {
        lock.withLock {
          defer { next += 1 }; return next
        }
      }
    }
    let cursor = Cursor()
    outcomes.withUnsafeMutableBufferPointer { outcomesBuffer in
      tallies.withUnsafeMutableBufferPointer { talliesBuffer in
        errors.withUnsafeMutableBufferPointer { errorsBuffer in
          lastReply.withUnsafeMutableBufferPointer { lastBuffer in
            nonisolated(unsafe) let outcomes = outcomesBuffer
            nonisolated(unsafe) let tallies = talliesBuffer
            nonisolated(unsafe) let errors = errorsBuffer
            nonisolated(unsafe) let last = lastBuffer
            let work: @Sendable (Int) -> Void = { _ in
              while true {
                let j = cursor.take()
                guard j < jobs.count else { return }
                let item = items[jobs[j].item]
                let segment = self.segments[item.segment]!
                for attempt in 0...segment.spec.retries {
                  let body = self.body(
                    segment.spec, item.messages, allowed: item.allowed, seed: item.seed, sample: jobs[j].sample,
                    attempt: attempt)
                  let key = ResponseCache.key(url: segment.client.url, body: body)
                  let reply: ChatReply
                  if let cached = segment.cache.lookup(key) {
                    reply = cached
                    tallies[j].cacheHits += 1
                  } else {
                    do throws(LanguageModelError) {
                      let (fresh, latency, retried) = try segment.client.complete(body)
                      reply = fresh
                      tallies[j].requests += 1
                      tallies[j].httpRetries += retried
                      tallies[j].latency += latency
                      try segment.cache.store(key, url: segment.client.url, body: body, reply: fresh)
                    } catch {
                      errors[j] = error
                      return
                    }
                  }
                  tallies[j].replies += 1
                  tallies[j].promptTokens += reply.promptTokens
                  tallies[j].completionTokens += reply.completionTokens
                  last[j] = reply.content
                  if let k = LanguageModelAgents.parseChoice(reply.content, allowed: item.allowed) {
                    outcomes[j] = k
                    break
                  }
                  tallies[j].invalidReplies += 1
                }
              }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
          }
        }
      }
    }
    for j in jobs.indices {
      usage.add(tallies[j])
      if let error = errors[j], failure == nil { failure = error }
    }
    var start = 0
    for item in items {
      let mine = start..<(start + item.samples)
      start += item.samples
      let choices = mine.compactMap { outcomes[$0] }
      let segment = segments[item.segment]!
      if choices.isEmpty {
        resolved[item.key] = .failed
        if segment.spec.onError == .fail && failure == nil {
          failure = .invalidReplies(
            kind: item.kind, agent: item.agent, attempts: segment.spec.retries + 1, last: lastReply[mine.lowerBound])
        }
      } else if segment.archetypePersonas.isEmpty {
        resolved[item.key] = .choice(choices[0])
      } else {
        var p = [Double](repeating: 0, count: item.options)
        for k in choices { p[k] += 1 / Double(choices.count) }
        resolved[item.key] = .distribution(p)
      }
    }
  }
}

/// How a run uses its language models: the cache mode (`--llm-cache`), and whether it only estimates.
public struct LanguageModelOptions: Sendable {
  public var cache: ResponseCache.Mode
  /// Count the calls and tokens a run would need, asking nothing (`agora run --estimate`).
  public var estimating: Bool

  public init(cache: ResponseCache.Mode = .readwrite, estimating: Bool = false) {
    self.cache = cache
    self.estimating = estimating
  }
}
