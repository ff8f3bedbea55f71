import ArgumentParser

/// `agora sweep` options that send the sweep to Slurm as a job array.
struct SlurmOptions: ParsableArguments {
  @Flag(help: "Submit the sweep to Slurm as a job array, one array task per shard.")
  var slurm = false

  @Option(help: "Array tasks (shards) for --slurm (default: the number of runs, at most 16).")
  var shards: Int?

  @Option(help: "Slurm partition.")
  var partition: String?

  @Option(help: "Slurm time limit per task, e.g. 01:00:00.")
  var time: String?

  @Option(help: "CPUs per array task; each task runs that many runs at once.")
  var cpusPerTask: Int?

  @Option(help: "At most this many array tasks at once (the %K of --array).")
  var arrayParallelism: Int?

  @Flag(help: "Wait for the array to finish, then merge its results.")
  var wait = false

  @Flag(help: "Write the job script but do not submit it.")
  var dryRun = false
}
