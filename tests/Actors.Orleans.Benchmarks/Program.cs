using Actors.Orleans.Benchmarks;
using Actors.Orleans.Benchmarks.ColdMillion;

return args.Length > 0 && args[0] == "cold-million"
    ? await ColdMillionRun.RunAsync(args)
    : await BenchRun.RunAsync(args);
