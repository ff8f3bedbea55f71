/// An M/M/1 queue on the scheduler: Poisson arrivals at rate lambda, exponential service at rate mu, one server,
/// first in, first out. Its mean wait in queue has the closed form `rho / (mu - lambda)` with `rho = lambda / mu`,
/// which makes it the scheduler's end-to-end check (tests) and throughput benchmark (bench/).
public struct SingleServerQueue: Sendable {
  public var arrivalRate: Double
  public var serviceRate: Double

  public init(arrivalRate: Double, serviceRate: Double) {
    self.arrivalRate = arrivalRate
    self.serviceRate = serviceRate
  }

  /// The analytic mean wait in queue (for a stable queue, lambda < mu).
  public var expectedWait: Double { (arrivalRate / serviceRate) / (serviceRate - arrivalRate) }

  enum Event { case arrival, departure }

  /// Simulates `customers` customers; returns their mean wait in queue and the number of events processed.
  public func simulate(customers: Int, seed: UInt64) -> (meanWait: Double, events: Int) {
    let seeds = SeedSequence(master: seed)
    let arrivals = seeds.stream(for: .environment, index: 0)
    let services = seeds.stream(for: .environment, index: 1)
    var simulation = Simulation<Event>()
    var waiting: [Double] = []
    var head = 0
    var busy = false
    var arrived = 0
    var served = 0
    var totalWait = 0.0
    simulation.schedule(.arrival, at: arrivals.exponential(mean: 1 / arrivalRate))
    while served < customers, let event = simulation.next() {
      switch event {
      case .arrival:
        arrived += 1
        if arrived < customers { simulation.schedule(.arrival, after: arrivals.exponential(mean: 1 / arrivalRate)) }
        if busy {
          waiting.append(simulation.now)
        } else {
          busy = true
          served += 1
          simulation.schedule(.departure, after: services.exponential(mean: 1 / serviceRate))
        }
      case .departure:
        if head < waiting.count {
          totalWait += simulation.now - waiting[head]
          head += 1
          served += 1
          simulation.schedule(.departure, after: services.exponential(mean: 1 / serviceRate))
        } else {
          busy = false
        }
      }
    }
    return (totalWait / Double(customers), simulation.processed)
  }
}
