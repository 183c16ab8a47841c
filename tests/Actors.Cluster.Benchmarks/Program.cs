using Actors.Cluster.Benchmarks;

return await ClusterBenchmarks.RunAsync(args);
