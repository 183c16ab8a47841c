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
        Assert.Equal(FailoverMembershipOptions.ProbeTimeout * FailoverMembershipOptions.MaxProbeTimeoutFactor, options.MaxProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxProbeTimeout * options.NumMissedProbesLimit); // the connection-liveness window
        Assert.True(options.MinProbeTimeout <= options.MaxProbeTimeout, "Orleans's adaptive probe timeout needs MinProbeTimeout <= MaxProbeTimeout");
    }

    [Fact]
    public void PostConfigure_ProbeTimeoutSetLeftMaxProbeTimeout_MaxFollowsTheSiloProbeTimeout()
    {
        var options = new ClusterMembershipOptions { ProbeTimeout = TimeSpan.FromSeconds(3) };

        Configure(3).PostConfigure(null, options);

        Assert.Equal(TimeSpan.FromSeconds(3), options.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3) * FailoverMembershipOptions.MaxProbeTimeoutFactor, options.MaxProbeTimeout);
        Assert.True(options.MinProbeTimeout <= options.MaxProbeTimeout, "Orleans's adaptive probe timeout needs MinProbeTimeout <= MaxProbeTimeout");
    }

    [Fact]
    public void PostConfigure_MinProbeTimeoutSetAboveTheProbeTimeout_MaxNotBelowMin()
    {
        var options = new ClusterMembershipOptions { MinProbeTimeout = TimeSpan.FromSeconds(3) };

        Configure(3).PostConfigure(null, options);

        Assert.Equal(TimeSpan.FromSeconds(3), options.MinProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.MaxProbeTimeout);
    }

    [Fact]
    public void PostConfigure_ValuesTheSiloSet_Kept()
    {
        var options = new ClusterMembershipOptions { ProbeTimeout = TimeSpan.FromSeconds(7), NumMissedProbesLimit = 5, MaxProbeTimeout = TimeSpan.FromSeconds(9) };

        Configure(3).PostConfigure(null, options);

        Assert.Equal(TimeSpan.FromSeconds(7), options.ProbeTimeout);
        Assert.Equal(5, options.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(9), options.MaxProbeTimeout);
    }

    [Fact]
    public void PostConfigure_ReplicationFactorOne_OrleansDefaultsKept()
    {
        var options = new ClusterMembershipOptions();
        var defaults = new ClusterMembershipOptions();

        Configure(1).PostConfigure(null, options);

        Assert.Equal(defaults.ProbeTimeout, options.ProbeTimeout);
        Assert.Equal(defaults.NumMissedProbesLimit, options.NumMissedProbesLimit);
        Assert.Equal(defaults.MaxProbeTimeout, options.MaxProbeTimeout);
    }

    private static FailoverMembershipOptions Configure(int replicationFactor) =>
        new(Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = "Host=127.0.0.1", ReplicationFactor = replicationFactor }));
}
