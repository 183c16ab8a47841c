using System.Globalization;
using Orleans.TestingHost;

namespace Samples.Tests;

/// <summary>
/// One-silo Orleans test clusters for the samples, their write-ahead log under a data directory the test owns: a cluster
/// started again on the same directory reads what the previous one stored.
/// </summary>
/// <remarks>
/// One silo: the write-ahead-log providers refuse every call while several silos are active (docs/orleans.md, "Limits
/// today"). The client is the cluster's gateway client: observers it creates are called back over that connection.
/// </remarks>
internal static class SampleCluster
{
    internal const string DataRootKey = "SamplesDataRoot";
    internal const string GameExpiryKey = "SamplesGameExpiry";
    internal const string TodoJournalKey = "SamplesTodoJournal";

    /// <summary>How long a test waits for what a sample does eventually (generous: it only catches a hang on a loaded machine).</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Starts a cluster whose silo keeps its log under <paramref name="dataRoot"/> (<see cref="SampleSiloConfigurator"/>).</summary>
    /// <param name="dataRoot">The test's data directory.</param>
    /// <param name="gameExpiry">The Presence sample's <c>PresenceOptions.GameExpiry</c>; a day when not given.</param>
    /// <param name="todoJournal">What the JournaledTodoList sample's <c>LogStorage</c> provider is.</param>
    public static Task<TestCluster> StartAsync(string dataRoot, TimeSpan? gameExpiry = null, TodoJournal todoJournal = TodoJournal.WriteAheadLog)
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.Properties[DataRootKey] = dataRoot;
        builder.Properties[GameExpiryKey] = (gameExpiry ?? TimeSpan.FromDays(1)).ToString("c", CultureInfo.InvariantCulture);
        builder.Properties[TodoJournalKey] = todoJournal.ToString();
        builder.AddSiloBuilderConfigurator<SampleSiloConfigurator>();
        return AsyncDisposableStart.StartAsync(builder.Build(), cluster => cluster.DeployAsync());
    }
}
