using Actors.Benchmarks;

return await BenchmarkApp.RunAsync(args);
