using Actors.Orleans.Clustering.Replication;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Tests.Hosting;

public sealed class FailoverMembershipOptionsTests
{
    [Fact]
    public void PostConfigure_OrleansDefaults_ReplicationFactorThree_FasterDetection()
    {
        var options = new ClusterMembershipOptions();

        Configure(3).PostConfigure(null, options);

        Assert.Equal(FailoverMembershipOptions.ProbeTimeout, options.ProbeTimeout);
        Assert.Equal(FailoverMembershipOptions.NumMissedProbesLimit, options.NumMissedProbesLimit);
    }

    [Fact]
    public void PostConfigure_ValuesTheSiloSet_Kept()
    {
        var options = new ClusterMembershipOptions { ProbeTimeout = TimeSpan.FromSeconds(7), NumMissedProbesLimit = 5 };

        Configure(3).PostConfigure(null, options);

        Assert.Equal(TimeSpan.FromSeconds(7), options.ProbeTimeout);
        Assert.Equal(5, options.NumMissedProbesLimit);
    }

    [Fact]
    public void PostConfigure_ReplicationFactorOne_OrleansDefaultsKept()
    {
        var options = new ClusterMembershipOptions();
        var defaults = new ClusterMembershipOptions();

        Configure(1).PostConfigure(null, options);

        Assert.Equal(defaults.ProbeTimeout, options.ProbeTimeout);
        Assert.Equal(defaults.NumMissedProbesLimit, options.NumMissedProbesLimit);
    }

    private static FailoverMembershipOptions Configure(int replicationFactor) =>
        new(Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = "Host=127.0.0.1", ReplicationFactor = replicationFactor }));
}
