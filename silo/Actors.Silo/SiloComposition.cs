using Actors.Hosting;

namespace Actors.Silo;

/// <summary>
/// What this silo hosts beyond the runtime and the gateway. HOOK POINTS for other parts of the product: extend the
/// marked methods here instead of Program.cs or <see cref="SiloApplication"/>.
/// </summary>
public static class SiloComposition
{
    /// <summary>Called once from <see cref="SiloApplication.Create"/> inside <c>UseActors</c>.</summary>
    public static void Configure(ISiloBuilder silo, SiloDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        AddGrains(silo);
        AddStorage(silo, dataDirectory);
    }

    /// <summary>
    /// HOOK (demo grains): register the grain classes this silo hosts, e.g.
    /// <c>silo.AddGrainsFromAssembly(typeof(SomeDemoGrain).Assembly)</c> for client-demo/Actors.Demo.Grains.
    /// Nothing registered yet: the demo grains project has no grains.
    /// </summary>
    private static void AddGrains(ISiloBuilder silo)
    {
        _ = silo;
    }

    /// <summary>
    /// HOOK (write-ahead log): register the grain storage (src/Actors.Persistence.Wal) on <paramref name="dataDirectory"/>,
    /// and its health checks (log recovery state, failed/read-only store) with <c>silo.Services.AddHealthChecks()</c>:
    /// the /health endpoint reports every registered check. Nothing registered yet: grains are volatile.
    /// </summary>
    private static void AddStorage(ISiloBuilder silo, SiloDataDirectory dataDirectory)
    {
        _ = silo;
        _ = dataDirectory;
    }
}
