using Actors.Replication.Configuration;
using Actors.Replication.Options;

namespace Actors.Replication.Tests.Configuration;

public sealed class ConfigurationTests
{
    private static readonly ReplicaConfiguration Initial = ReplicaConfiguration.Initial(new ReplicaId(1), [new(1), new(2), new(3)]);

    [Fact]
    public void TryWrite_ExpectedVersionMatches_AppliesAndLaterWriteOnSameVersionFails()
    {
        var store = new InMemoryReplicaConfigurationStore(Initial);

        var first = store.TryWrite(1, Initial.WithNewLeader(new ReplicaId(2)));
        var second = store.TryWrite(1, Initial.WithNewLeader(new ReplicaId(3)));

        Assert.True(first.Applied);
        Assert.False(second.Applied);
        Assert.Equal(new ReplicaId(2), store.Current.Leader);
        Assert.Same(store.Current, second.Current);
    }

    [Fact]
    public void TryWrite_LeaderOutsideInSyncSet_Rejected()
    {
        var store = new InMemoryReplicaConfigurationStore(Initial);
        var proposal = Initial.WithInSync([new ReplicaId(1), new ReplicaId(2)]).WithNewLeader(new ReplicaId(3));

        Assert.Throws<ArgumentException>(() => store.TryWrite(2, proposal));
    }

    [Fact]
    public void Validate_LeaderTimeoutNotAboveHeartbeat_NamesTheSetting()
    {
        var options = new ReplicaOptions { HeartbeatInterval = TimeSpan.FromSeconds(1), FollowerLagTimeout = TimeSpan.FromSeconds(2), LeaderTimeout = TimeSpan.FromSeconds(1) };

        var exception = Assert.Throws<InvalidReplicaOptionsException>(options.Validate);

        Assert.Equal(nameof(ReplicaOptions.LeaderTimeout), exception.Setting);
    }

    [Fact]
    public void Validate_UnknownEntryLogLayout_NamesTheSetting()
    {
        var options = new ReplicaOptions { EntryLogLayout = (EntryLogLayout)7 };

        var exception = Assert.Throws<InvalidReplicaOptionsException>(options.Validate);

        Assert.Equal(nameof(ReplicaOptions.EntryLogLayout), exception.Setting);
        Assert.Equal(EntryLogLayout.SharedJournal, new ReplicaOptions().EntryLogLayout);
    }
}
