using Actors.Replication.Options;

namespace Actors.Replication.Tests.Protocol;

public sealed class InSyncFloorTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)] // no majority of two survives a failure: factor 2 keeps failing over
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    public void InSyncFloor_Default_MajorityButNeverEveryReplica(int replicas, int expected) =>
        Assert.Equal(expected, new ReplicaOptions().InSyncFloor(replicas));

    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(5, 3, 3)]
    public void InSyncFloor_Set_TheSettingCappedAtTheReplicaCount(int setting, int replicas, int expected) =>
        Assert.Equal(expected, new ReplicaOptions { MinInSyncReplicas = setting }.InSyncFloor(replicas));
}
