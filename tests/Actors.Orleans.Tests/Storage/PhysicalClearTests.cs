using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Storage;

/// <summary>
/// <c>ClearStateAsync</c> removes the cleared value physically: after compaction its bytes are in no file of the log
/// directory (older checkpoints that held it included), while other grains' states survive a reopen. Ported from the
/// retired runtime's physical-clear cluster test.
/// </summary>
public sealed class PhysicalClearTests : IDisposable
{
    private const string Secret = "SECRET-NAME-";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    [Fact]
    public async Task ClearStateAsync_ThenCompaction_ClearedValueInNoFileAndOtherStateSurvivesReopen()
    {
        var storage = new WriteAheadLogGrainStorageOptions { CheckpointEveryWrites = 2 };
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, storage, o =>
        {
            o.SegmentSizeBytes = 64 * 1024;
            o.MaxRecordSizeBytes = 32 * 1024;
        });
        var pii = new TestGrainState<ProfileState> { State = new ProfileState() };
        for (int i = 1; i <= 3; i++)
        {
            pii.State.Name = Secret + i;
            await harness.Storage.WriteStateAsync("profile", Grain("pii"), pii);
        }

        await harness.Storage.WriteStateAsync("profile", Grain("kept"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "kept-name" } });
        Assert.NotEmpty(LogFiles.Containing(_directory.Path, Secret));

        await harness.Storage.ClearStateAsync("profile", Grain("pii"), pii);
        await CompactUntilGoneAsync((WriteAheadLog)harness.EventLog, Secret);
        Assert.NotEmpty(LogFiles.Containing(_directory.Path, "kept-name"));

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var cleared = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("pii"), cleared);
        var kept = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("kept"), kept);

        Assert.Equal((false, ""), (cleared.RecordExists, cleared.State.Name));
        Assert.Equal((true, "kept-name"), (kept.RecordExists, kept.State.Name));
        Assert.Empty(LogFiles.Containing(_directory.Path, Secret));
    }

    /// <summary>
    /// Compacts until no file holds <paramref name="marker"/>, appending nothing (a compaction seals the active segment an
    /// erase left records in). A deleted segment's file goes once its last reader lets go, hence the polling.
    /// </summary>
    private async Task CompactUntilGoneAsync(WriteAheadLog log, string marker)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            await log.CompactAsync();
            IReadOnlyList<string> files = LogFiles.Containing(_directory.Path, marker);
            if (files.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"after {Deadline.TotalSeconds} s of compaction '{marker}' is still in {string.Join(", ", files)}");
            await Task.Delay(50); // a poll interval, not a timing assumption: the deadline above bounds the wait
        }
    }
}
