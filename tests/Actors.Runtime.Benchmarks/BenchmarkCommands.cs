using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>Dispatches the command line to a benchmark; every benchmark prints its figures with the load average.</summary>
internal static class BenchmarkCommands
{
    public const string Usage = """
        Runtime benchmarks (issue 18). Run in Release on an idle machine; every line carries the load average.

          memory  [--activations 1000000]                       bytes per trivial activation (live heap after full GCs)
          idle    [--activations 1000000] [--seconds 30] [--metrics 1]
                                                                process CPU while idle with N activations resident
                                                                (--metrics 1 polls every runtime instrument each second)
          scale   [--activations 10000] [--seconds 10] [--rounds 5] [--inflight 256] [--allocations 1: sampled allocation profile]
                                                                calls/s spread over N resident activations
          collect [--activations 1000000] [--age 30] [--settle 60] [--release runtime]
                                                                idle collection of N activations: longest stall, RSS after
                                                                (--release none|blocking|compacting|background|aggressive|
                                                                background-aggressive turns the runtime's memory release
                                                                off and does that instead; background-aggressive is the
                                                                runtime's policy with its CPU time measured)
          soak    [--grains 1000] [--inflight 64] [--minutes 10] [--resident 0]
                                                                mixed calls (sync, yielding, grain-to-grain) for M minutes;
                                                                exit code 1 on any timeout or error
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Print($"runtime benchmark '{options.Command}': {Environment.ProcessorCount} cores, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, load average {ProcessStats.LoadAverage}");
        int exitCode = options.Command switch
        {
            "memory" => await MemoryBenchmark.RunAsync(options),
            "idle" => await IdleBenchmark.RunAsync(options),
            "scale" => await ScaleBenchmark.RunAsync(options),
            "collect" => await CollectionBenchmark.RunAsync(options),
            "soak" => await SoakBenchmark.RunAsync(options),
            _ => Unknown(options.Command),
        };
        Print($"done; load average {ProcessStats.LoadAverage}");
        return exitCode;
    }

    public static void Print(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss}] {line}"));

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"Unknown command '{command}'.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
