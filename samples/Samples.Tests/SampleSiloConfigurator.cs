using System.Globalization;
using Actors.Orleans;
using Chirper.Grains;
using JournaledTodoList.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.TestingHost;
using Presence.Grains;
using ShoppingCart.Grains;

namespace Samples.Tests;

/// <summary>
/// The samples' silo: the grains name storage providers only (<c>[PersistentState(state, name)]</c>,
/// <c>[StorageProvider]</c>, <c>[LogConsistencyProvider]</c>); this configuration makes each of those names a
/// write-ahead-log provider on the silo's one log (<see cref="TodoJournal"/> can make <c>LogStorage</c> Orleans's own
/// log-storage provider instead, which then keeps the journal in the write-ahead-log grain storage the grain names).
/// </summary>
internal sealed class SampleSiloConfigurator : ISiloConfigurator
{
    /// <summary>The storage <see cref="ChirperAccount"/>'s persistent state names.</summary>
    internal const string ChirperStorage = "AccountState";

    /// <summary>The storage <see cref="GameGrain"/>'s persistent state names.</summary>
    internal const string PresenceStorage = "PresenceStore";

    /// <summary>The log-consistency provider <see cref="TodoListGrain"/> names (Orleans's own name for its log-storage provider).</summary>
    internal const string TodoJournalProvider = "LogStorage";

    public void Configure(ISiloBuilder siloBuilder)
    {
        string root = siloBuilder.Configuration[SampleCluster.DataRootKey]
            ?? throw new InvalidOperationException($"{SampleCluster.DataRootKey} is not set: start the cluster with SampleCluster.StartAsync.");
        TimeSpan gameExpiry = TimeSpan.Parse(siloBuilder.Configuration[SampleCluster.GameExpiryKey] ?? "1.00:00:00", CultureInfo.InvariantCulture);
        TodoJournal todoJournal = Enum.Parse<TodoJournal>(siloBuilder.Configuration[SampleCluster.TodoJournalKey] ?? nameof(TodoJournal.WriteAheadLog));

        siloBuilder.AddWriteAheadLog(log => log.ConfigureEngine = engine => engine.PreallocateSegments = false);
        siloBuilder.Services.AddOptions<SiloLogOptions>()
            .Configure<IOptions<SiloOptions>>((log, silo) => log.Directory = Path.Combine(root, silo.Value.SiloName));
        siloBuilder
            .AddWriteAheadLogGrainStorage(ChirperStorage)
            .AddWriteAheadLogGrainStorage(PresenceStorage)
            .AddWriteAheadLogGrainStorage(ShopStorage.Name)
            .AddWriteAheadLogGrainStorage(TodoStorage.Name);
        if (todoJournal == TodoJournal.OrleansLogStorageOnWriteAheadLogStorage)
        {
            siloBuilder.AddLogStorageBasedLogConsistencyProvider(TodoJournalProvider);
        }
        else
        {
            siloBuilder.AddWriteAheadLogLogConsistencyProvider(TodoJournalProvider);
        }

        // Reminders in Orleans's in-memory table for now: they do not survive the silo (the table on the log is a later issue).
        siloBuilder.UseInMemoryReminderService();
        siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
        siloBuilder.Services.AddSingleton(new PresenceOptions { GameExpiry = gameExpiry, ExpiryCheckPeriod = TimeSpan.FromMilliseconds(100) });
    }
}
