namespace Actors.Cluster.Benchmarks;

/// <summary>The cluster benchmark programs: <c>layout</c> (partition log layout), <c>move</c> (time to hand off a partition).</summary>
internal static class ClusterBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "help";
        string[] rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "layout":
                return await PartitionLayoutBenchmark.RunAsync(rest);
            case "move":
                return await PartitionMoveBenchmark.RunAsync(rest);
            default:
                Console.WriteLine("usage: Actors.Cluster.Benchmarks layout [--partitions N] [--writers N,N] [--seconds S] [--rounds R] [--dir PATH]");
                Console.WriteLine("       Actors.Cluster.Benchmarks move [--grains N] [--rounds R]");
                return command == "help" ? 0 : 2;
        }
    }
}
