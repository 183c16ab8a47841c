using Actors.Orleans.Log;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Log;

/// <summary>
/// The silo's log after a fail-stop, as the providers see it: durable data keeps being read, the status names the cause,
/// and writes say whether anything may have been stored (docs/durability.md, "I/O fault matrix").
/// </summary>
[Trait("Category", "Integration")]
public sealed class SiloLogFaultTests
{
    [Fact]
    public async Task ReadStateAsync_LogFailedOnAFullDevice_DurableStatesStillReadAndWritesSayWhetherStored()
    {
        // A 2 MiB tmpfs and 8 MiB segments that are neither preallocated nor zero-filled: the device fills during a record
        // write, never at a segment's creation, so the log fails (the write's outcome is unknown) rather than refuses.
        using var mount = TmpfsMount.Create("2m");
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(Path.Combine(mount.Path, "wal"), configure: o =>
        {
            o.SegmentSizeBytes = 8L * 1024 * 1024;
            o.MaxRecordSizeBytes = 64 * 1024;
            o.ConfigureEngine = engine =>
            {
                engine.PreallocateSegments = false;
                engine.ZeroFillSegments = false;
            };
        });
        for (int i = 0; i < 5; i++)
        {
            await harness.Storage.WriteStateAsync("profile", Grain($"durable-{i}"), State($"durable {i}"));
        }

        WriteAheadLogOperationException? failure = null;
        for (int i = 0; i < 1000 && failure is null; i++)
        {
            try
            {
                await harness.Storage.WriteStateAsync("profile", Grain($"fill-{i}"), State(new string('x', 16 * 1024)));
            }
            catch (WriteAheadLogOperationException ex)
            {
                failure = ex;
            }
        }

        Assert.NotNull(failure);
        Assert.True(failure.OutcomeUnknown, failure.Message);
        Assert.Contains("No space left on the device", failure.Message, StringComparison.Ordinal);
        SiloLogStatus status = harness.Log.GetStatus();
        Assert.Equal(SiloLogState.Failed, status.State);
        Assert.Contains("no space left on the device", status.Description, StringComparison.Ordinal);

        for (int i = 0; i < 5; i++)
        {
            var read = new TestGrainState<ProfileState>();
            await harness.Storage.ReadStateAsync("profile", Grain($"durable-{i}"), read);
            Assert.Equal($"durable {i}", read.State.Name);
        }

        var later = await Assert.ThrowsAsync<WriteAheadLogOperationException>(() => harness.Storage.WriteStateAsync("profile", Grain("durable-0"), State("refused")));
        Assert.False(later.OutcomeUnknown, later.Message);
        Assert.Contains("Nothing was stored", later.Message, StringComparison.Ordinal);
    }

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    private static TestGrainState<ProfileState> State(string name) => new() { State = new ProfileState { Name = name } };
}
