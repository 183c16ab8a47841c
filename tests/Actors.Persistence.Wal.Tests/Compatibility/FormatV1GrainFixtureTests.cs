using Actors.Persistence.Wal.Tests.Cluster;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Compatibility;

/// <summary>
/// A silo's log written by the format-v1 engine through this provider (tests/Fixtures/wal-v1/grains, see the README
/// there): journaled grains with events and checkpoints and a grain with two persistent states must activate with
/// the state they had when the silo stopped (the figures in the fixture's expected.json).
/// </summary>
[Trait("Category", "Integration")]
public sealed class FormatV1GrainFixtureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-wal-v1-grains", Guid.NewGuid().ToString("N"));

    public FormatV1GrainFixtureTests()
    {
        Directory.CreateDirectory(_directory);
        string source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "wal-v1", "grains");
        foreach (string file in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != "expected.json"))
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Activation_FormatV1Log_GrainsHaveTheirStoredState(bool binaryStore)
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            o.Directory = _directory;
            o.UseBinarySerializer = binaryStore;
        });

        LedgerSnapshot checkpointed = await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("fixture-checkpointed").Get();
        LedgerSnapshot plain = await cluster.Client.GetGrain<ILedgerGrain>("fixture-plain").Get();
        ProfileSnapshot profile = await cluster.Client.GetGrain<IProfileGrain>("fixture-profile").Get();
        ProfileSnapshot cleared = await cluster.Client.GetGrain<IProfileGrain>("fixture-cleared").Get();
        List<decimal> history = await cluster.Client.GetGrain<ICheckpointedLedgerGrain>("fixture-checkpointed").History(21, 25);

        Assert.Equal((325m, 26, 26L), (checkpointed.Balance, checkpointed.Entries, checkpointed.Version));
        Assert.Equal(6, checkpointed.ReplayedAtActivation);
        Assert.Equal([22m, 23m, 24m, 25m], history);
        Assert.Equal((17.5m, 5, 5L), (plain.Balance, plain.Entries, plain.Version));
        Assert.Equal(("countess", 4, 2, "7", "6"), (profile.Name, profile.Visits, profile.AuditEntries, profile.ProfileETag, profile.AuditETag));
        Assert.Equal(("", 0, false, false), (cleared.Name, cleared.Visits, cleared.ProfileExists, cleared.AuditExists));
    }

    [Fact]
    public async Task BinaryStore_OverAFormatV1JsonLog_AppendsBinaryRecordsAndReadsBothAfterRestart()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o =>
        {
            o.Directory = _directory;
            o.UseBinarySerializer = true;
        });
        ILedgerGrain plain = cluster.Client.GetGrain<ILedgerGrain>("fixture-plain");

        LedgerSnapshot credited = await plain.Credit(2.5m);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ILedgerGrain>("fixture-plain").Get();

        Assert.Equal((20m, 6, 6L), (credited.Balance, credited.Entries, credited.Version));
        Assert.Equal((20m, 6, 6L), (after.Balance, after.Entries, after.Version));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
