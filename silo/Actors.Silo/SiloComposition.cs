using Actors.Demo.Grains.Accounts;
using Actors.Hosting;
using Actors.Hosting.Dashboard;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Silo;

/// <summary>
/// What this silo hosts beyond the runtime and the gateway: the demo grains, the default write-ahead-log store
/// under the data directory, with its health check, durable reminders in that store, and cluster mode when configured
/// (<see cref="SiloClustering"/>). Extend the methods here instead of Program.cs or
/// <see cref="SiloApplication"/>.
/// </summary>
public static class SiloComposition
{
    /// <summary>The store's sub-directory of the silo data directory when <c>Actors:Storage:Default:Directory</c> is not set.</summary>
    public const string DefaultLogDirectoryName = "wal";

    /// <summary>Called once from <see cref="SiloApplication.Create"/> inside <c>UseActors</c>.</summary>
    public static void Configure(ISiloBuilder silo, SiloDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        AddGrains(silo);
        AddStorage(silo, dataDirectory);
        AddReminders(silo);
        if (SiloClustering.IsEnabled(silo.Configuration))
        {
            // In cluster mode the reminder rows live in the logs of their grains' partitions and fire on the owner.
            SiloClustering.Configure(silo);
        }
    }

    /// <summary>The demo grains (client-demo/Actors.Demo.Grains): journaled bank accounts and persistent-state customers.</summary>
    private static void AddGrains(ISiloBuilder silo) => silo.AddGrainsFromAssembly(typeof(BankAccountGrain).Assembly);

    /// <summary>
    /// The default write-ahead-log store. Settings come from <c>Actors:Storage:Default</c> (appsettings.json,
    /// <c>ACTORS__STORAGE__DEFAULT__SYNCPOLICY</c>, ...); its directory defaults to <c>wal</c> under the data directory
    /// (a relative setting is taken relative to the data directory). The <c>write-ahead-log</c> health check is
    /// unhealthy while the log is being opened (recovery) and once it has failed; the dashboard gets a per-segment <c>Segments</c> panel.
    /// </summary>
    private static void AddStorage(ISiloBuilder silo, SiloDataDirectory dataDirectory)
    {
        silo.AddWriteAheadLogAsDefault(options =>
        {
            options.Directory = string.IsNullOrEmpty(options.Directory)
                ? Path.Combine(dataDirectory.Path, DefaultLogDirectoryName)
                : Path.GetFullPath(options.Directory, dataDirectory.Path);
        });
        silo.Services.AddHealthChecks().AddCheck<WriteAheadLogHealthCheck>("write-ahead-log", tags: ["ready"]);
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDashboardPanelSource, SegmentsPanelSource>());
    }

    /// <summary>
    /// Reminders in the default store (docs/reminders.md; in cluster mode in each partition's log, docs/cluster.md); options from <c>Actors:Reminders</c>
    /// (<c>ACTORS__REMINDERS__MINIMUMREMINDERPERIOD</c>, ...).
    /// </summary>
    private static void AddReminders(ISiloBuilder silo) => silo.UseWriteAheadLogReminderService();
}
