using Actors.Cluster.Tests.Grains;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;

namespace Actors.Cluster.Tests.Support;

/// <summary>Adds the remindable test grain and durable reminders (in the partitions' logs) with a short minimum period.</summary>
public sealed class ClusterReminderSilo : ISiloConfigurator
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(300);

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddGrain<ClusterReminderGrain>().UseWriteAheadLogReminderService();
        siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = Period);
    }
}
