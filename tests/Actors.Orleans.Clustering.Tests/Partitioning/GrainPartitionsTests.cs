using System.IO.Hashing;
using Actors.Orleans.Clustering.Partitioning;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Partitioning;

/// <summary>The grain → partition function is part of the stored format: these values must never change.</summary>
public sealed class GrainPartitionsTests
{
    [Theory]
    [InlineData("ledger", "0", 64, PinnedLedger0Hash, 57)]
    [InlineData("ledger", "1", 64, PinnedLedger1Hash, 27)]
    [InlineData("account", "alice", 64, PinnedAliceHash, 20)]
    [InlineData("account", "alice", 7, PinnedAliceHash, 0)]
    public void GetPartition_KnownGrainIds_PinnedValues(string type, string key, int partitionCount, uint pinnedHash, int expectedPartition)
    {
        GrainId grainId = GrainId.Create(type, key);

        Assert.Equal(pinnedHash, GrainPartitions.Hash(grainId));
        Assert.Equal(expectedPartition, GrainPartitions.GetPartition(grainId, partitionCount));
    }

    [Fact]
    public void Hash_Layout_IsXxHash32OfTypeLengthTypeAndKey()
    {
        GrainId grainId = GrainId.Create("account", "alice");
        byte[] bytes = [7, 0, 0, 0, .. "account"u8, .. "alice"u8];

        Assert.Equal(XxHash32.HashToUInt32(bytes), GrainPartitions.Hash(grainId));
    }

    [Theory]
    [InlineData(251)]
    [InlineData(252)]
    [InlineData(253)]
    [InlineData(1000)]
    public void Hash_KeyAroundTheStackBufferLength_IsXxHash32OfTypeLengthTypeAndKey(int keyLength)
    {
        // Ids up to 256 bytes are hashed from a stack buffer, longer ones streamed: both give the layout's hash.
        string key = new('k', keyLength);
        GrainId grainId = GrainId.Create("a", key);
        byte[] bytes = [1, 0, 0, 0, .. "a"u8, .. System.Text.Encoding.UTF8.GetBytes(key)];

        Assert.Equal(XxHash32.HashToUInt32(bytes), GrainPartitions.Hash(grainId));
    }

    [Fact]
    public void Hash_TypeAndKeySplitDifferently_DifferentHashes()
    {
        Assert.NotEqual(GrainPartitions.Hash(GrainId.Create("ab", "c")), GrainPartitions.Hash(GrainId.Create("a", "bc")));
    }

    [Fact]
    public void GetPartition_ManyGrains_EveryPartitionUsed()
    {
        var used = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            used.Add(GrainPartitions.GetPartition(GrainId.Create("ledger", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 64));
        }

        Assert.Equal(64, used.Count);
    }

    // Computed outside .NET by a reference XXH32 (seed 0) over the documented layout; see docs/cluster-orleans.md.
    private const uint PinnedLedger0Hash = 105018489;
    private const uint PinnedLedger1Hash = 510860571;
    private const uint PinnedAliceHash = 1152895380;
}
