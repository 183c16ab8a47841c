using Actors.Orleans.Clustering.Replication;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Clustering.Tests.Hosting;

public sealed class FailoverMessagingOptionsTests
{
    [Fact]
    public void PostConfigure_OrleansDefault_ReplicationFactorThree_MoreForwards()
    {
        var options = new SiloMessagingOptions();

        Configure(3).PostConfigure(null, options);

        Assert.Equal(FailoverMessagingOptions.MaxForwardCount, options.MaxForwardCount);
        Assert.True(options.MaxForwardCount > new SiloMessagingOptions().MaxForwardCount);
        Assert.Equal(FailoverMessagingOptions.StopDrain, options.WaitForMessageToBeQueuedForOutboundTime);
        Assert.True(options.WaitForMessageToBeQueuedForOutboundTime > new SiloMessagingOptions().WaitForMessageToBeQueuedForOutboundTime);
    }

    [Fact]
    public void PostConfigure_ValueTheSiloSet_Kept()
    {
        var options = new SiloMessagingOptions { MaxForwardCount = 1, WaitForMessageToBeQueuedForOutboundTime = TimeSpan.FromMilliseconds(300) };

        Configure(3).PostConfigure(null, options);

        Assert.Equal(1, options.MaxForwardCount);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.WaitForMessageToBeQueuedForOutboundTime);
    }

    [Fact]
    public void PostConfigure_ReplicationFactorOne_OrleansDefaultKept()
    {
        var options = new SiloMessagingOptions();

        Configure(1).PostConfigure(null, options);

        Assert.Equal(new SiloMessagingOptions().MaxForwardCount, options.MaxForwardCount);
        Assert.Equal(new SiloMessagingOptions().WaitForMessageToBeQueuedForOutboundTime, options.WaitForMessageToBeQueuedForOutboundTime);
    }

    private static FailoverMessagingOptions Configure(int replicationFactor) =>
        new(Options.Create(new WriteAheadLogReplicationOptions { ConnectionString = "Host=127.0.0.1", ReplicationFactor = replicationFactor }));
}
