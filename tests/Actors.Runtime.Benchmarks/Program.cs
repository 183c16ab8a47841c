using Actors.RuntimeBenchmarks;

return await BenchmarkCommands.RunAsync(args);
