using Actors.Cluster.Storage;
using Actors.Persistence.Wal;
using Actors.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Storage;

/// <summary>
/// The clean-up after a lost claim: a silo whose reconcile acts on a stale table creates a partition's directories, tries
/// to claim it and loses to another silo, which may by then be handing that very partition to it. The transfer installed
/// meanwhile is the partition's only copy once the grant is written (the sender deletes its own), so the clean-up must
/// leave it; the empty directories of a plain lost claim are still removed.
/// </summary>
public sealed class PartitionLogHostClaimCleanupTests : IAsyncLifetime
{
    private const string Store = "wal";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-claim-cleanup-" + Guid.NewGuid().ToString("N"));
    private readonly PartitionLogHost _host = new(new FileEventLogFactory(), NullLoggerFactory.Instance);
    private PartitionedEventLog _store = null!;

    public async Task InitializeAsync()
        => _store = await _host.RegisterAsync(Store, new WriteAheadLogOptions { Directory = _directory }, CancellationToken.None);

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DeleteUnclaimed_TransferInstalledAfterTheClaimBegan_KeepsTheInstalledFiles()
    {
        const int partition = 3;
        long installs = _host.InstallCount(partition);
        Assert.False(_host.HasData(partition));
        _host.CreateDirectories(partition);

        // Meanwhile the silo that won the claim hands the partition here.
        Guid transfer = Guid.NewGuid();
        string staging = _host.StagingDirectory(Store, partition, transfer);
        Directory.CreateDirectory(staging);
        await File.WriteAllBytesAsync(Path.Combine(staging, "segment"), [1, 2, 3]);
        await _host.InstallAsync(partition, transfer, [Store]);

        Assert.False(await _host.DeleteUnclaimedAsync(partition, installs));
        string installed = Path.Combine(PartitionLogHost.PartitionDirectory(_store, partition), "segment");
        Assert.True(File.Exists(installed), $"the installed transfer's file {installed} was deleted by the lost claim's clean-up");
        Assert.True(_host.HasData(partition));
    }

    [Fact]
    public async Task DeleteUnclaimed_NothingInstalledSinceTheClaimBegan_RemovesTheClaimsDirectories()
    {
        const int partition = 5;
        long installs = _host.InstallCount(partition);
        _host.CreateDirectories(partition);

        Assert.True(await _host.DeleteUnclaimedAsync(partition, installs));
        Assert.False(_host.HasData(partition));
    }
}
