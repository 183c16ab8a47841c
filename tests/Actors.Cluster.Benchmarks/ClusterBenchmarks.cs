namespace Actors.Cluster.Benchmarks;

/// <summary>The cluster benchmark programs: <c>layout</c> (partition log layout), <c>move</c> (time to hand off a partition),
/// <c>processes</c> (silo processes: 3 silos vs 1, in-silo vs cross-silo calls),
/// <c>detect</c> and <c>hog</c> (failure detection time and false deaths beside CPU hogs, silo processes),
/// <c>replication</c> (a partition log on 3 replicas vs 1, in-process: appends, or event-log writes with the leader's group
/// commit, with entries, fsyncs and messages counted), <c>capture</c> (one checkpoint capture of a materialized log).</summary>
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
            case "processes":
                return await ProcessClusterBenchmark.RunAsync(rest);
            case "detect":
                return await ProcessFailureBenchmark.DetectAsync(rest);
            case "hog":
                return await ProcessFailureBenchmark.HogAsync(rest);
            case "replication":
                return await ReplicationBenchmark.RunAsync(rest);
            case "capture":
                return await CheckpointCaptureBenchmark.RunAsync(rest);
            default:
                Console.WriteLine("usage: Actors.Cluster.Benchmarks layout [--partitions N] [--writers N,N] [--seconds S] [--rounds R] [--dir PATH]");
                Console.WriteLine("       Actors.Cluster.Benchmarks move [--grains N] [--rounds R]");
                Console.WriteLine("       Actors.Cluster.Benchmarks processes --pg CONNECTION_STRING [--seconds S] [--rounds R] [--callers N] [--replication-factor F]   (scripts/cluster-bench.sh)");
                Console.WriteLine("       Actors.Cluster.Benchmarks detect --pg CONNECTION_STRING [--rounds R]   (SIGKILL detection time, silo processes, default lease)");
                Console.WriteLine("       Actors.Cluster.Benchmarks hog --pg CONNECTION_STRING [--seconds S] [--hogs N] [--callers N]   (false deaths and the smallest lease margin beside CPU hogs, silos under load)");
                Console.WriteLine("       Actors.Cluster.Benchmarks capture [--events N] [--streams N] [--payload BYTES] [--rounds R] [--segment-mb M] [--dir PATH]   (one checkpoint capture of a materialized log: wall and CPU time)");
                Console.WriteLine("       Actors.Cluster.Benchmarks replication [--writers N,N] [--seconds S] [--rounds R] [--payload BYTES] [--event-log on [--batching off]] [--dir PATH]   (3 replicas vs 1, in-process, with counts per entry)");
                return command == "help" ? 0 : 2;
        }
    }
}
