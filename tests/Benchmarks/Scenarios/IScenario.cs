using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>One numbered scenario of issue #7: measures, prints its table, records its goals.</summary>
internal interface IScenario
{
    /// <summary>The number in the issue (1..6).</summary>
    int Number { get; }

    /// <summary>The name used on the command line.</summary>
    string Key { get; }

    /// <summary>The table heading.</summary>
    string Title { get; }

    Task RunAsync(RunContext context, CancellationToken cancellationToken);
}
