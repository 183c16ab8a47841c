using Actors.Orleans.Benchmarks;

return await BenchRun.RunAsync(args);
