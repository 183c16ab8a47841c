using Actors.Storage;

namespace Actors.TestingHost.Conformance;

/// <summary>
/// The contract every <see cref="IGrainStorage"/> must keep (ETag rule, isolation by grain and state name, atomic
/// multi-state writes), as framework-neutral scenarios: call each from a test of the provider; a violation throws
/// <see cref="ConformanceException"/>. Each scenario uses fresh grain ids, so one storage instance can serve them all.
/// </summary>
/// <param name="storage">The provider under test.</param>
public sealed class GrainStorageConformance(IGrainStorage storage)
{
    private static GrainId NewId() => new("conformance", Guid.NewGuid().ToString("N"));

    /// <summary>A missing record reads as a default state, a null ETag and RecordExists false.</summary>
    public async Task ReadMissing_DefaultStateNoEtagNoRecord()
    {
        var state = new GrainState<ConformanceState> { State = new ConformanceState { Value = 7 }, ETag = "x", RecordExists = true };
        await storage.ReadStateAsync("s", NewId(), state);
        Check(state.ETag is null && !state.RecordExists && state.State is { Value: 0 }, "reading a missing record must give a default state, a null ETag and RecordExists false");
    }

    /// <summary>A written state reads back equal, with the ETag the write set.</summary>
    public async Task Write_ThenRead_RoundTripsWithSameEtag()
    {
        GrainId id = NewId();
        var written = new GrainState<ConformanceState> { State = new ConformanceState { Value = 42, Text = "answer" } };
        await storage.WriteStateAsync("s", id, written);
        Check(written.ETag is not null && written.RecordExists, "a write must set a non-null ETag and RecordExists");
        var read = new GrainState<ConformanceState>();
        await storage.ReadStateAsync("s", id, read);
        Check(read.State.Value == 42 && read.State.Text == "answer", "a read must return the written state");
        Check(read.ETag == written.ETag && read.RecordExists, $"a read must return the ETag of the last write ('{written.ETag}'), got '{read.ETag}'");
        written.State.Value = 43;
        await storage.WriteStateAsync("s", id, written);
        await storage.ReadStateAsync("s", id, read);
        Check(read.State.Value == 43 && read.ETag == written.ETag, "a second write with the current ETag must succeed and be read back");
    }

    /// <summary>A write or clear with a stale ETag throws <see cref="InconsistentStateException"/> and changes nothing.</summary>
    public async Task StaleEtag_WriteAndClearRejected_StoredValueKept()
    {
        GrainId id = NewId();
        var first = new GrainState<ConformanceState> { State = new ConformanceState { Value = 1 } };
        await storage.WriteStateAsync("s", id, first);
        var stale = new GrainState<ConformanceState> { State = new ConformanceState { Value = 2 } };
        await ExpectInconsistent(() => storage.WriteStateAsync("s", id, stale), "a write with a null ETag over an existing record");
        stale.ETag = first.ETag + "-stale";
        await ExpectInconsistent(() => storage.WriteStateAsync("s", id, stale), "a write with a wrong ETag");
        await ExpectInconsistent(() => storage.ClearStateAsync("s", id, stale), "a clear with a wrong ETag");
        var fresh = new GrainState<ConformanceState> { ETag = "made-up" };
        await ExpectInconsistent(() => storage.WriteStateAsync("s", NewId(), fresh), "a write with an ETag where no record exists");
        var read = new GrainState<ConformanceState>();
        await storage.ReadStateAsync("s", id, read);
        Check(read.State.Value == 1 && read.ETag == first.ETag, "rejected writes and clears must leave the stored record unchanged");
    }

    /// <summary>A clear with the current ETag deletes the record; a later write starts again from a null ETag.</summary>
    public async Task Clear_CurrentEtag_DeletesRecord()
    {
        GrainId id = NewId();
        var state = new GrainState<ConformanceState> { State = new ConformanceState { Value = 5 } };
        await storage.WriteStateAsync("s", id, state);
        await storage.ClearStateAsync("s", id, state);
        Check(state.ETag is null && !state.RecordExists, "a clear must leave a null ETag and RecordExists false");
        var read = new GrainState<ConformanceState>();
        await storage.ReadStateAsync("s", id, read);
        Check(!read.RecordExists && read.State.Value == 0, "a cleared record must read as missing");
        state.State = new ConformanceState { Value = 6 };
        await storage.WriteStateAsync("s", id, state);
        await storage.ReadStateAsync("s", id, read);
        Check(read.State.Value == 6, "a write after a clear must succeed");
    }

    /// <summary>States are isolated by grain id and by state name.</summary>
    public async Task States_IsolatedByGrainAndName()
    {
        GrainId a = NewId();
        GrainId b = NewId();
        await storage.WriteStateAsync("one", a, new GrainState<ConformanceState> { State = new ConformanceState { Value = 1 } });
        await storage.WriteStateAsync("two", a, new GrainState<ConformanceState> { State = new ConformanceState { Value = 2 } });
        await storage.WriteStateAsync("one", b, new GrainState<ConformanceState> { State = new ConformanceState { Value = 3 } });
        Check(await ReadValue("one", a) == 1 && await ReadValue("two", a) == 2 && await ReadValue("one", b) == 3, "states must be keyed by grain id and state name");
    }

    /// <summary>An <see cref="IAtomicGrainStorage"/> writes all states or none.</summary>
    /// <exception cref="ConformanceException">The storage is not atomic, or the batch was not all-or-nothing.</exception>
    public async Task WriteStates_OneStale_NothingWrittenAndAllCurrent_AllWritten()
    {
        var atomic = storage as IAtomicGrainStorage ?? throw new ConformanceException($"{storage.GetType().FullName} does not implement IAtomicGrainStorage.");
        GrainId id = NewId();
        var one = new GrainState<ConformanceState> { State = new ConformanceState { Value = 1 } };
        var two = new GrainState<ConformanceState> { State = new ConformanceState { Value = 2 } };
        await atomic.WriteStatesAsync(id, [new("one", one), new("two", two)]);
        Check(one.ETag is not null && two.ETag is not null && one.RecordExists && two.RecordExists, "an atomic write must set every ETag and RecordExists");
        one.State.Value = 10;
        var staleTwo = new GrainState<ConformanceState> { State = new ConformanceState { Value = 20 }, ETag = two.ETag + "-stale" };
        await ExpectInconsistent(() => atomic.WriteStatesAsync(id, [new("one", one), new("two", staleTwo)]), "an atomic write with one stale ETag");
        Check(await ReadValue("one", id) == 1 && await ReadValue("two", id) == 2, "a rejected atomic write must write nothing");
        two.State.Value = 20;
        await atomic.WriteStatesAsync(id, [new("one", one), new("two", two)]);
        Check(await ReadValue("one", id) == 10 && await ReadValue("two", id) == 20, "an atomic write with current ETags must write every state");
    }

    /// <summary>Runs every scenario that applies (the atomic one only for <see cref="IAtomicGrainStorage"/>).</summary>
    public async Task RunAllAsync()
    {
        await ReadMissing_DefaultStateNoEtagNoRecord();
        await Write_ThenRead_RoundTripsWithSameEtag();
        await StaleEtag_WriteAndClearRejected_StoredValueKept();
        await Clear_CurrentEtag_DeletesRecord();
        await States_IsolatedByGrainAndName();
        if (storage is IAtomicGrainStorage)
        {
            await WriteStates_OneStale_NothingWrittenAndAllCurrent_AllWritten();
        }
    }

    private async Task<int> ReadValue(string name, GrainId id)
    {
        var read = new GrainState<ConformanceState>();
        await storage.ReadStateAsync(name, id, read);
        return read.State.Value;
    }

    private static async Task ExpectInconsistent(Func<Task> action, string what)
    {
        try
        {
            await action();
        }
        catch (InconsistentStateException)
        {
            return;
        }

        throw new ConformanceException($"{what} must throw InconsistentStateException.");
    }

    private static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new ConformanceException(rule);
        }
    }
}
