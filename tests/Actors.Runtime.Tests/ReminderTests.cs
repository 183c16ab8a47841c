using Actors.Hosting;
using Actors.Reminders;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Reminders against Orleans's documented semantics, on a virtual clock with the in-memory table.</summary>
public sealed class ReminderTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ManualTimeProvider _time = new();
    private readonly Probe _probe = new();
    private readonly ReminderTickLog _ticks = new();
    private readonly InMemoryReminderTable _table = new(new HashReminderPartitioner(ReminderOptions.DefaultPartitionCount));

    [Fact]
    public async Task RegisterOrUpdateReminder_DueTimeThenPeriod_TicksWithTheirStatus()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("a");
        DateTime start = Now;

        await grain.Register("r", 2 * Minute, 5 * Minute);
        await AdvanceToTickAsync("a", "r", 1, 2 * Minute, next: start + (7 * Minute));
        await AdvanceToTickAsync("a", "r", 2, 5 * Minute, next: start + (12 * Minute));

        TickStatus[] ticks = await grain.Ticks("r");
        Assert.All(ticks, t => Assert.Equal(start + (2 * Minute), t.FirstTickTime));
        Assert.All(ticks, t => Assert.Equal(5 * Minute, t.Period));
        Assert.Equal([start + (2 * Minute), start + (7 * Minute)], ticks.Select(t => t.CurrentTickTime));
    }

    [Fact]
    public async Task Tick_GrainWithoutActivation_ActivatesIt()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("sleeper");
        await grain.Register("wake", Minute, Minute);
        await grain.Deactivate();
        await Probe.WaitUntilAsync(() => !silo.Runtime.Catalog.TryGet(grain.GetGrainId(), out _), "the grain to deactivate");

        _time.Advance(Minute);

        await _probe.WaitForAsync("reminder:sleeper:wake:1");
        Assert.Equal(2, _probe.Count("activate:sleeper"));
    }

    [Fact]
    public async Task UnregisterReminder_NoFurtherTick()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("u");
        DateTime start = Now;
        await grain.Register("r", Minute, Minute);
        await AdvanceToTickAsync("u", "r", 1, Minute, next: start + (2 * Minute));

        await grain.Unregister("r");

        Assert.False(await grain.Exists("r"));
        _time.Advance(10 * Minute);
        Assert.Single(await grain.Ticks("r"));
        Assert.Null(await _table.ReadRowAsync(grain.GetGrainId(), "r", CancellationToken.None));
    }

    [Fact]
    public async Task RegisterOrUpdateReminder_SameNameAgain_ReplacesTheScheduleAndStalesTheOldHandle()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("update");
        DateTime start = Now;
        await grain.Register("r", 10 * Minute, 10 * Minute);

        await grain.Register("r", 3 * Minute, 4 * Minute);

        Assert.Equal(["r"], await grain.Names());
        await AdvanceToTickAsync("update", "r", 1, 3 * Minute, next: start + (7 * Minute));
        ReminderException stale = await Assert.ThrowsAsync<ReminderException>(() => grain.UnregisterFirst("r"));
        Assert.Contains("registered again", stale.Message, StringComparison.Ordinal);
        Assert.True(await grain.Exists("r"));
    }

    [Fact]
    public async Task GetReminders_SeveralRegistered_ReturnsEachByName()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("many");
        await grain.Register("b", Minute, Minute);
        await grain.Register("a", Minute, Minute);

        Assert.Equal(["a", "b"], await grain.Names());
        Assert.True(await grain.Exists("a"));
        Assert.False(await grain.Exists("c"));
        Assert.Equal(["a", "b"], await silo.Factory.GetGrain<IReminderGrain>("many").Names());
    }

    [Theory]
    [InlineData(-1, 60)]
    [InlineData(0, 59)]
    [InlineData(0, -1)]
    public async Task RegisterOrUpdateReminder_InvalidDueTimeOrPeriod_ThrowsAndStoresNothing(int dueSeconds, int periodSeconds)
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("invalid");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Register("r", TimeSpan.FromSeconds(dueSeconds), TimeSpan.FromSeconds(periodSeconds)));

        Assert.Empty(await grain.Names());
    }

    [Fact]
    public async Task RegisterOrUpdateReminder_GrainNotRemindable_ThrowsInvalidOperation()
    {
        await using TestSilo silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<IPlainGrain>("p").Register());

        Assert.Contains("IRemindable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterOrUpdateReminder_NoReminderService_ThrowsReminderExceptionNamingTheFix()
    {
        await using TestSilo silo = TestSilo.Start(s => s.AddGrain<ReminderGrain>(), services: Services);

        var error = await Assert.ThrowsAsync<ReminderException>(() => silo.Factory.GetGrain<IReminderGrain>("x").Register("r", Minute, Minute));

        Assert.Contains("UseWriteAheadLogReminderService", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveReminder_GrainThrows_ScheduleContinues()
    {
        await using TestSilo silo = await StartSiloAsync();
        IReminderGrain grain = silo.Factory.GetGrain<IReminderGrain>("fails");
        DateTime start = Now;
        await grain.FailTicks(true);
        await grain.Register("r", Minute, Minute);

        await AdvanceToTickAsync("fails", "r", 1, Minute, next: start + (2 * Minute));
        await AdvanceToTickAsync("fails", "r", 2, Minute, next: start + (3 * Minute));
    }

    [Fact]
    public async Task Restart_AfterMissedPeriods_DeliversOneCatchUpTickThenResumesTheCadence()
    {
        DateTime start = Now;
        TestSilo first = await StartSiloAsync();
        await first.Factory.GetGrain<IReminderGrain>("down").Register("r", Minute, Minute);
        await AdvanceToTickAsync("down", "r", 1, Minute, next: start + (2 * Minute));
        await first.Runtime.KillAsync();
        await first.DisposeAsync();

        _time.Advance(TimeSpan.FromSeconds(330));
        await using TestSilo second = await StartSiloAsync();
        _time.Advance(TimeSpan.Zero);

        await _probe.WaitForAsync("reminder:down:r:2");
        await WaitArmedAsync(start + (7 * Minute));
        TickStatus[] ticks = await second.Factory.GetGrain<IReminderGrain>("down").Ticks("r");
        Assert.Equal(2, ticks.Length);
        Assert.Equal(start + TimeSpan.FromSeconds(390), ticks[1].CurrentTickTime);
        await AdvanceToTickAsync("down", "r", 3, TimeSpan.FromSeconds(30), next: start + (8 * Minute));
    }

    [Fact]
    public async Task Restart_TickDeliveredButNotRecorded_IsDeliveredAgain()
    {
        DateTime start = Now;
        var table = new FailingRecordTable(_table);
        TestSilo first = await StartSiloAsync(table);
        await first.Factory.GetGrain<IReminderGrain>("again").Register("r", Minute, Minute);
        table.FailRecords = true;
        _time.Advance(Minute);
        await _probe.WaitForAsync("reminder:again:r:1");
        await Probe.WaitUntilAsync(() => table.FailedRecords == 1, "the tick's record to fail");
        await first.Runtime.KillAsync();
        await first.DisposeAsync();

        table.FailRecords = false;
        await using TestSilo second = await StartSiloAsync(table);
        _time.Advance(TimeSpan.Zero);

        await _probe.WaitForAsync("reminder:again:r:2");
        // The service records the tick after the grain's call returned: poll for the record instead of reading it once.
        await Probe.WaitUntilAsync(
            async () => (await _table.ReadRowAsync(GrainId.Create("reminder", "again"), "r", CancellationToken.None))?.LastTickTime == start + Minute,
            $"the redelivered tick recorded as {start + Minute:O}");
    }

    private static DateTime UtcOf(DateTimeOffset time) => time.UtcDateTime;

    private DateTime Now => UtcOf(_time.GetUtcNow());

    private void Services(IServiceCollection services) => services.AddSingleton(_probe).AddSingleton(_ticks);

    private async Task<TestSilo> StartSiloAsync(IReminderTable? table = null)
    {
        IReminderTable shared = table ?? _table;
        TestSilo silo = TestSilo.Start(
            s => s.AddGrain<ReminderGrain>().AddGrain<PlainGrain>().UseReminderTable(_ => shared),
            settings => settings.CollectionAge = TimeSpan.FromDays(1),
            _time,
            Services);
        await silo.Services.GetRequiredService<ReminderService>().StartAsync(CancellationToken.None);
        return silo;
    }

    private async Task AdvanceToTickAsync(string key, string name, int n, TimeSpan step, DateTime next)
    {
        _time.Advance(step);
        await _probe.WaitForAsync($"reminder:{key}:{name}:{n}");
        await WaitArmedAsync(next);
    }

    private Task WaitArmedAsync(DateTime due)
        => Probe.WaitUntilAsync(() => _time.OneShotDueTimes.Contains(new DateTimeOffset(due)), $"the reminder timer armed for {due:O} (armed: {string.Join(", ", _time.OneShotDueTimes)})");

    /// <summary>A table whose tick records fail while <see cref="FailRecords"/> is set.</summary>
    private sealed class FailingRecordTable(IReminderTable inner) : IReminderTable
    {
        private int _failed;

        public bool FailRecords { get; set; }

        public int FailedRecords => Volatile.Read(ref _failed);

        public Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken) => inner.ReadPartitionAsync(partition, cancellationToken);

        public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken) => inner.ReadRowsAsync(grainId, cancellationToken);

        public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken) => inner.ReadRowAsync(grainId, reminderName, cancellationToken);

        public Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period, CancellationToken cancellationToken)
            => inner.UpsertRowAsync(grainId, reminderName, startAt, period, cancellationToken);

        public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
            => inner.RemoveRowAsync(grainId, reminderName, eTag, cancellationToken);

        public Task RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTime tickTime, CancellationToken cancellationToken)
        {
            if (FailRecords)
            {
                Interlocked.Increment(ref _failed);
                throw new IOException("record refused by test");
            }

            return inner.RecordTickAsync(grainId, reminderName, eTag, tickTime, cancellationToken);
        }
    }
}
