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
///
/// **Transcript.** Each decision of the real play (never a discarded pass's) becomes a line of `transcripts.jsonl`
/// with the reason the model gave; a fallback's line waits for the decoder's choice (``decoderChose(_:)``).
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
    /// Whether the reply also carries a free-text message.
    let asksMessage: Bool
  }

  /// How a resolved decision's answer came: the reason the model gave, and whether only the cache answered.
  struct Answer {
    let reason: String?
    /// The free-text message (cut to the cap), when the decision asked for one and the reply wrote it.
    let message: String?
    let messageCut: Bool
    let cached: Bool
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
  public internal(set) var usage = LanguageModelUsage()
  /// The first error that stops the run (`on_error: fail`, server unreachable).
  public internal(set) var failure: LanguageModelError? = nil
  /// Estimate mode: what the run would ask.
  public internal(set) var estimate = LanguageModelEstimate()

  var resolved: [String: Resolution] = [:]
  var answers: [String: Answer] = [:]
  /// Each agent's message with its latest decision that asked for one (``message(from:)``).
  var lastMessage: [Int: String] = [:]
  /// `transcripts.jsonl`, when the run writes one; the decisions of the pass being played wait in `passRecords`.
  let transcript: TranscriptWriter?
  let runIndex: Int
  let seed: UInt64
  let game: String
  let preview: PromptPreview?
  var passRecords: [LanguageModelDecision] = []
  /// Decisions written to the transcript so far.
  var committed = 0
  /// A fallback's record, waiting for the decoder's choice (``decoderChose(_:)``).
  var awaiting: LanguageModelDecision? = nil
  /// Decisions kept for the report: every `sampleStride`-th, thinned to at most ``sampleLimit``.
  var samples: [LanguageModelDecision] = []
  /// Conversations kept for the report (the decisions with a message of one round and group): every
  /// `conversationStride`-th conversation of the run, thinned to at most ``conversationLimit``, each cut at
  /// ``sampleLimit`` decisions.
  var conversations: [[LanguageModelDecision]] = []
  var conversationStride = 1
  /// Conversations begun so far, and the groups of the current round that have begun one.
  var conversationCount = 0
  var talking: (round: Int, groups: Set<Int>) = (0, [])
  static let conversationLimit = 3
  var sampleStride = 1
  static let sampleLimit = 8
  var pending: [Pending] = []
  var pendingKeys: Set<String> = []
  var archetypeKeys: [ArchetypeQuestion: String] = [:]
  var decisionCount: [Int32]
  var savedCount: [Int32] = []
  var passUsage = LanguageModelUsage()
  var batching = false
  var matchWaits = false
  /// Where the decisions being made belong (``locate(round:group:)``).
  var place = (round: 0, group: -1)

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
    return try LanguageModelAgents(scenario: scenario, population: population, seeds: seeds, options: options)
  }

  init(
    scenario: ScenarioSpec, population: Population, seeds: SeedSequence, options: LanguageModelOptions
  ) throws(LanguageModelError) {
    self.population = population
    estimating = options.estimating
    let cacheMode = options.cache
    runIndex = options.runIndex
    seed = scenario.seed
    game = scenario.game.type.rawValue
    preview = options.preview
    decisionCount = [Int32](repeating: 0, count: population.count)
    segments = []
    for (s, segment) in population.segments.enumerated() {
      guard segment.policy == .llm, let spec = segment.llm else {
        segments.append(nil)
        continue
      }
      let template = try spec.promptTemplate.map { path throws(LanguageModelError) in try PromptTemplate.load(path) }
      let jitter = seeds.stream(for: .languageModel, index: UInt64(s), generator: scenario.generator)
      let client = try ChatClient(spec: spec, jitter: jitter, needsKey: !options.estimating)
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
    transcript = try options.transcript.flatMap { path throws(LanguageModelError) in
      options.estimating ? nil : try TranscriptWriter(path: path)
    }
  }

  // MARK: Deciding

  public typealias Decision = ExternalDecision

  /// How agent `i` of segment `s` chooses among `prompt.options`; `stream` is the block's decision stream.
  public func decide(
    agent i: Int, segment s: Int, prompt: DecisionPrompt, history: () -> [String], stream: RandomStream
  ) -> Decision {
    awaiting = nil
    lastMessage[i] = nil
    guard failure == nil, let segment = segments[s] else { return .decoder(stream) }
    if let preview, preview.isFull { return .decoder(stream) }
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
        for: prompt, persona: persona, history: archetype >= 0 ? [] : history(), reason: segment.spec.reason,
        messageChars: segment.spec.messageChars)
      return messages!
    }
    let key: String
    if archetype >= 0, let known = archetypeKeys[question] {
      key = known
    } else {
      key = ResponseCache.key(
        url: segment.client.url,
        body: body(
          segment.spec, ask(), allowed: prompt.allowed, seed: seed, sample: 0, attempt: 0,
          asksMessage: prompt.asksMessage))
      if archetype >= 0 { archetypeKeys[question] = key }
    }
    func makeItem() -> Pending {
      Pending(
        key: key, segment: s, agent: i, kind: prompt.kind, options: prompt.options.count, allowed: prompt.allowed,
        messages: ask(), seed: seed, samples: samples, asksMessage: prompt.asksMessage)
    }
    if estimating {
      estimate.decisions += 1
      if pendingKeys.insert(key).inserted {
        // What the cache answers is followed (after a real run, the estimate walks that run's path).
        let known = cachedResolution(of: makeItem())
        resolved[key] = known
        let text = ask()
        estimate.requests += samples
        estimate.cached += known == nil ? 0 : samples
        estimate.promptBytes += samples * (text.system.utf8.count + text.user.utf8.count)
        if known == nil && estimate.tokenSamples.count < LanguageModelEstimate.tokenSampleLimit {
          estimate.tokenSamples.append(
            LanguageModelEstimate.TokenSample(segment: s, text: text.system + "\n" + text.user, samples: samples))
        }
        estimate.maxCompletionTokens += samples * segment.spec.maxTokens
      }
      if let preview, preview.agent == nil || preview.agent == i {
        preview.add(
          PromptPreview.Request(
            agent: i, segment: population.segments[s].name, kind: prompt.kind, agentDecision: Int(count) + 1,
            url: segment.client.url,
            body: body(
              segment.spec, ask(), allowed: prompt.allowed, seed: seed, sample: 0, attempt: 0,
              asksMessage: prompt.asksMessage)))
      }
      // The rest is the decoder's; a cached answer is taken below, as in a real run.
      guard resolved[key] != nil else { return .decoder(stream) }
    } else if resolved[key] == nil {
      let item = makeItem()
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
    func record(_ k: Int, fallback: Bool) -> LanguageModelDecision? {
      guard transcript != nil else { return nil }
      let answer = answers[key]
      var line = LanguageModelDecision(
        runIndex: runIndex, seed: self.seed, game: game, decision: committed + passRecords.count + 1,
        agentDecision: Int(count) + 1, agent: i, segment: population.segments[s].name, kind: prompt.kind,
        options: PromptTemplate.shownOptions(prompt), choice: k + 1, reason: fallback ? nil : answer?.reason,
        cached: answer?.cached ?? false, fallback: fallback, features: prompt.surrogate,
        message: fallback ? nil : answer?.message, messageCut: !fallback && (answer?.messageCut ?? false))
      (line.round, line.group) = place
      return line
    }
    lastMessage[i] = prompt.asksMessage ? answers[key]?.message : nil
    switch resolved[key]! {
    case .choice(let k):
      record(k, fallback: false).map(commit)
      return .chosen(k)
    case .distribution(let p):
      let u = RandomStream(generator: stream.generator, seed: own).uniform()
      let k = p.withUnsafeBufferPointer { ChoiceDecoder.sample($0, uniform: u) }
      record(k, fallback: false).map(commit)
      return .chosen(k)
    case .failed:
      lastMessage[i] = nil
      tally.fallbacks = 1
      awaiting = record(0, fallback: true)
      return .decoder(RandomStream(generator: stream.generator, seed: own))
    }
  }

  public func message(from i: Int) -> String? { lastMessage[i] }

  public func decoderChose(_ k: Int) {
    guard var record = awaiting else { return }
    awaiting = nil
    record.choice = k + 1
    commit(record)
  }

  // MARK: Transcript

  /// Records a decision: at once outside a batch, with its pass when the pass turns out to be the real one.
  func commit(_ record: LanguageModelDecision) {
    if batching { passRecords.append(record) } else { emit(record) }
  }

  /// Writes a decision of the real play to the transcript and keeps it as a sample when its number is due.
  func emit(_ record: LanguageModelDecision) {
    committed += 1
    do throws(LanguageModelError) { try transcript?.write(record) } catch {
      if failure == nil { failure = error }
    }
    if record.message != nil { keepConversation(record) }
    guard (record.decision - 1) % sampleStride == 0 else { return }
    samples.append(record)
    if samples.count > Self.sampleLimit {
      samples = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
      sampleStride *= 2
    }
  }

  // MARK: Batches

  public func playInPasses(_ play: () throws -> Void, rollBack: () -> Void) rethrows {
    batching = true
    let savedCount = decisionCount
    defer { batching = false }
    while true {
      decisionCount = savedCount
      passUsage = LanguageModelUsage()
      passRecords.removeAll()
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
    let records = passRecords
    passRecords.removeAll()
    records.forEach(emit)
  }

  public func beginMatch() { matchWaits = false }

  public func locate(round: Int, group: Int) { place = (round, group) }

  /// Adds a decision with a message to its conversation when that conversation is kept: a new one (its round and
  /// group not seen talking before) is kept when its number is due.
  func keepConversation(_ record: LanguageModelDecision) {
    if talking.round != record.round { talking = (record.round, []) }
    let key = (record.round, record.group)
    if talking.groups.insert(record.group).inserted {
      conversationCount += 1
      guard (conversationCount - 1) % conversationStride == 0 else { return }
      conversations.append([record])
      if conversations.count > Self.conversationLimit {
        conversations = stride(from: 0, to: conversations.count, by: 2).map { conversations[$0] }
        conversationStride *= 2
      }
      return
    }
    guard let k = conversations.lastIndex(where: { ($0[0].round, $0[0].group) == key }),
      conversations[k].count < Self.sampleLimit
    else { return }
    conversations[k].append(record)
  }

  /// The run's usage as summary columns (or its estimate); throws the failure that stopped the run.
  public func finish(_ result: inout RunResult) throws {
    if failure == nil {
      do throws(LanguageModelError) { try transcript?.finish() } catch { failure = error }
    }
    if let failure { throw failure }
    result.languageModelSamples = samples
    result.languageModelConversations = conversations
    if estimating {
      // `agora prompts` (a preview) sends nothing at all; an estimate asks the tokenizer.
      if preview == nil { measureTokens() }
      result.languageModelEstimate = estimate
    } else {
      result.summary += usage.summaryColumns + [LanguageModelUsage.models(result.population.segments)]
      result.languageModelUsage = usage
    }
  }
}
