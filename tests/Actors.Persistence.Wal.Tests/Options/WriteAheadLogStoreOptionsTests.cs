using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Support;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal.Tests.Options;

public sealed class WriteAheadLogStoreOptionsTests
{
    private static WriteAheadLogStoreOptions Valid() => new() { Directory = "/tmp/actors-persist-options" };

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new WriteAheadLogStoreOptionsValidator().Validate("Default", Valid());
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_MissingDirectory_FailsNamingStoreAndSetting()
    {
        var options = Valid();
        options.Directory = "";
        var result = new WriteAheadLogStoreOptionsValidator().Validate("orders", options);
        Assert.Contains("[orders] Directory is required.", result.Failures!);
    }

    [Fact]
    public void Validate_EventLargerThanRecord_Fails()
    {
        var options = Valid();
        options.MaxEventSizeBytes = options.MaxRecordSizeBytes + 1;
        var result = new WriteAheadLogStoreOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("MaxEventSizeBytes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1, 0, "CheckpointEveryEvents")]
    [InlineData(0, -1, "CheckpointEveryBytes")]
    public void Validate_NegativeCheckpointTrigger_FailsNamingSetting(int events, long bytes, string setting)
    {
        var options = Valid();
        options.CheckpointEveryEvents = events;
        options.CheckpointEveryBytes = bytes;
        var result = new WriteAheadLogStoreOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void ToLogOptions_CopiesStoreSettingsAndAppliesConfigureLog()
    {
        var options = Valid();
        options.SyncPolicy = SyncPolicy.Interval;
        options.SegmentSizeBytes = 1024 * 1024;
        options.MaxRecordSizeBytes = 256 * 1024;
        options.ConfigureLog = log => log.CompactionLiveRatio = 0.25;

        WriteAheadLogOptions log = options.ToLogOptions();
        Assert.Equal(("/tmp/actors-persist-options", SyncPolicy.Interval, 1024L * 1024, 256 * 1024, 0.25),
            (log.Directory, log.SyncPolicy, log.SegmentSizeBytes, log.MaxRecordSizeBytes, log.CompactionLiveRatio));
    }

    [Fact]
    public void CheckpointPolicy_AttributeOverridesOnlyWhatItSets()
    {
        var store = new CheckpointPolicy(1000, 4096, OnDeactivation: true);
        CheckpointPolicy policy = store.With(new WriteAheadLogAttribute { CheckpointEveryEvents = 10 });

        Assert.Equal(new CheckpointPolicy(10, 4096, true), policy);
        Assert.True(policy.IsDue(10, 0));
        Assert.False(policy.IsDue(9, 100));
        Assert.True(policy.IsDue(1, 4096));
        Assert.False(new CheckpointPolicy(0, 0, false).IsDue(1_000_000, long.MaxValue));
    }

    [Fact]
    public void AddWriteAheadLog_ConfigurationSection_BindsEverySetting()
    {
        var builder = new TestSiloBuilder(new Dictionary<string, string?>
        {
            ["Actors:Storage:orders:Directory"] = "/data/orders",
            ["Actors:Storage:orders:SyncPolicy"] = "interval",
            ["Actors:Storage:orders:SyncInterval"] = "00:00:00.250",
            ["Actors:Storage:orders:SegmentSizeBytes"] = "1048576",
            ["Actors:Storage:orders:MaxEventSizeBytes"] = "4096",
            ["Actors:Storage:orders:MaxRecordSizeBytes"] = "65536",
            ["Actors:Storage:orders:CheckpointEveryEvents"] = "50",
            ["Actors:Storage:orders:CheckpointEveryBytes"] = "0",
            ["Actors:Storage:orders:CheckpointOnDeactivation"] = "false",
            ["Actors:Storage:orders:RecoveryMode"] = "AbsoluteConsistency",
            ["Actors:Storage:orders:PreallocateSegments"] = "false",
            ["Actors:Storage:orders:MaxCachedGrains"] = "500",
            ["Actors:Storage:orders:EventHistory"] = "keepfor",
            ["Actors:Storage:orders:HistoryDuration"] = "7.00:00:00",
        });
        builder.AddWriteAheadLog("orders");
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        WriteAheadLogStoreOptions o = services.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get("orders");
        Assert.Equal("/data/orders", o.Directory);
        Assert.Equal(SyncPolicy.Interval, o.SyncPolicy);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.SyncInterval);
        Assert.Equal((1048576L, 4096, 65536, 50, 0L, false, RecoveryMode.AbsoluteConsistency, false),
            (o.SegmentSizeBytes, o.MaxEventSizeBytes, o.MaxRecordSizeBytes, o.CheckpointEveryEvents, o.CheckpointEveryBytes,
             o.CheckpointOnDeactivation, o.RecoveryMode, o.PreallocateSegments));
        Assert.Equal(500, o.MaxCachedGrains);
        Assert.Equal((EventHistoryPolicy.KeepFor, TimeSpan.FromDays(7)), (o.EventHistory, o.HistoryDuration));
    }

    [Theory]
    [InlineData(EventHistoryPolicy.KeepAll, true)]
    [InlineData(EventHistoryPolicy.ReclaimAfterCheckpoint, false)]
    public void ToLogOptions_EventHistory_SetsWhetherTheLogRetainsCheckpointedEvents(EventHistoryPolicy policy, bool retained)
    {
        var options = Valid();
        options.EventHistory = policy;

        Assert.Equal(retained, options.ToLogOptions().RetainCheckpointedEvents);
    }

    [Fact]
    public void ToLogOptions_KeepFor_RetainsHistoryForTheDuration()
    {
        var options = Valid();
        options.EventHistory = EventHistoryPolicy.KeepFor;
        options.HistoryDuration = TimeSpan.FromDays(30);

        var log = options.ToLogOptions();

        Assert.Equal((true, TimeSpan.FromDays(30)), (log.RetainCheckpointedEvents, log.RetainHistoryFor));
        Assert.True(new WriteAheadLogStoreOptionsValidator().Validate("audit", options).Succeeded);
        Assert.True(new WriteAheadLogOptionsValidator().Validate(null, log).Succeeded);
    }

    [Theory]
    [InlineData(EventHistoryPolicy.KeepFor, null)]
    [InlineData(EventHistoryPolicy.KeepFor, "-00:00:01")]
    [InlineData(EventHistoryPolicy.KeepAll, "1.00:00:00")]
    public void Validate_HistoryDurationWithoutItsPolicyOrPolicyWithoutIt_FailsNamingTheSetting(EventHistoryPolicy policy, string? duration)
    {
        var options = Valid();
        options.EventHistory = policy;
        options.HistoryDuration = duration is null ? null : TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture);

        var result = new WriteAheadLogStoreOptionsValidator().Validate("audit", options);

        Assert.Contains(result.Failures!, f => f.StartsWith("[audit] HistoryDuration", StringComparison.Ordinal));
    }

    [Fact]
    public void ToLogOptions_KeepLastVersions_RetainsTheNewestVersions()
    {
        var options = Valid();
        options.EventHistory = EventHistoryPolicy.KeepLastVersions;
        options.HistoryVersions = 50;

        var log = options.ToLogOptions();

        Assert.Equal((true, (int?)50, (TimeSpan?)null), (log.RetainCheckpointedEvents, log.RetainLastVersions, log.RetainHistoryFor));
        Assert.True(new WriteAheadLogStoreOptionsValidator().Validate("audit", options).Succeeded);
    }

    [Theory]
    [InlineData(EventHistoryPolicy.KeepLastVersions, null)]
    [InlineData(EventHistoryPolicy.KeepLastVersions, 0)]
    [InlineData(EventHistoryPolicy.KeepAll, 10)]
    [InlineData(EventHistoryPolicy.ReclaimAfterCheckpoint, 10)]
    public void Validate_HistoryVersionsWithoutItsPolicyOrPolicyWithoutIt_FailsNamingTheSetting(EventHistoryPolicy policy, int? versions)
    {
        var options = Valid();
        options.EventHistory = policy;
        options.HistoryVersions = versions;

        var result = new WriteAheadLogStoreOptionsValidator().Validate("audit", options);

        Assert.Contains(result.Failures!, f => f.StartsWith("[audit] HistoryVersions", StringComparison.Ordinal));
    }

    [Fact]
    public void AddWriteAheadLog_HistoryVersionsInConfiguration_IsBound()
    {
        var builder = new TestSiloBuilder(new Dictionary<string, string?>
        {
            ["Actors:Storage:orders:Directory"] = "/data/orders",
            ["Actors:Storage:orders:EventHistory"] = "KeepLastVersions",
            ["Actors:Storage:orders:HistoryVersions"] = "250",
        });
        builder.AddWriteAheadLog("orders");
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        WriteAheadLogStoreOptions o = services.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get("orders");
        Assert.Equal((EventHistoryPolicy.KeepLastVersions, (int?)250), (o.EventHistory, o.HistoryVersions));
    }

    [Fact]
    public void ToLogOptions_GrainClassPolicies_EachStreamGetsItsClassPolicyOrTheStores()
    {
        var options = Valid();
        options.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint;
        var classes = GrainClassHistory.Create("Default", [
            new GrainClassDescriptor(typeof(KeepsLastTen), "lastten", ["Default"]),
            new GrainClassDescriptor(typeof(KeepsAWeek), "week", ["Default"]),
            new GrainClassDescriptor(typeof(KeepsAWeek), "elsewhere", ["other"]), // another store's class: not this log's business
            new GrainClassDescriptor(typeof(ChoosesNothing), "plain", ["Default"]),
        ]);

        var log = options.ToLogOptions(resolveEncryption: false, classes);

        Assert.True(log.RetainCheckpointedEvents, "a class that keeps history needs a log that retains checkpointed events");
        Assert.Equal(HistoryRetention.KeepLastVersions(10), log.StreamRetention!("lastten/42"));
        Assert.Equal(HistoryRetention.KeepFor(TimeSpan.FromDays(7)), log.StreamRetention("week/a/b"));
        Assert.Equal(HistoryRetention.ReclaimAfterCheckpoint, log.StreamRetention("elsewhere/1"));
        Assert.Equal(HistoryRetention.ReclaimAfterCheckpoint, log.StreamRetention("plain/1"));
        Assert.Equal(["lastten", "week"], classes.ByGrainType.Keys.Order());
        Assert.True(new WriteAheadLogOptionsValidator().Validate(null, log).Succeeded);
        Assert.Null(Valid().ToLogOptions(resolveEncryption: false, GrainClassHistory.Empty).StreamRetention);
    }

    [Theory]
    [InlineData(typeof(VersionsWithoutPolicy), "HistoryVersions is set without EventHistory")]
    [InlineData(typeof(PolicyWithoutVersions), "HistoryVersions must be at least 1")]
    [InlineData(typeof(DurationNotATimeSpan), "HistoryDuration \"a week\" is not a time span")]
    [InlineData(typeof(DurationWithTheWrongPolicy), "HistoryDuration (7.00:00:00) applies only with EventHistory = KeepFor")]
    public void GrainClassHistory_InvalidAttribute_FailsNamingTheStoreTheClassAndTheSetting(Type grainClass, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => GrainClassHistory.Create("audit", [new GrainClassDescriptor(grainClass, "bad", ["audit"])]));

        Assert.Contains(error.Failures, f => f.StartsWith($"[audit] grain class {grainClass.FullName}, [WriteAheadLog]: ", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EventHistory_Default_KeepsAllEvents() => Assert.Equal(EventHistoryPolicy.KeepAll, new WriteAheadLogStoreOptions().EventHistory);

    [Fact]
    public void AddWriteAheadLog_CallbackAfterConfiguration_Wins()
    {
        var builder = new TestSiloBuilder(new Dictionary<string, string?> { ["Actors:Storage:Default:Directory"] = "/from/config" });
        builder.AddWriteAheadLogAsDefault(o => o.Directory = "/from/code");
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        Assert.Equal("/from/code", services.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get(WriteAheadLogStore.DefaultStoreName).Directory);
    }

    [Theory]
    [InlineData("Actors:Storage:orders:SyncPolicy", "Sometimes", "Actors:Storage:orders:SyncPolicy")]
    [InlineData("Actors:Storage:orders:SyncPolicy", "7", "Actors:Storage:orders:SyncPolicy")]
    [InlineData("Actors:Storage:orders:SegmentSizeBytes", "lots", "Actors:Storage:orders:SegmentSizeBytes")]
    [InlineData("Actors:Storage:orders:Directoy", "/typo", "Actors:Storage:orders:Directoy")]
    [InlineData("Actors:Storage:orders:EventHistory", "Forever", "Actors:Storage:orders:EventHistory")]
    public void AddWriteAheadLog_BadConfigurationValue_FailsAtStartNamingTheKey(string key, string value, string expectedInMessage)
    {
        var builder = new TestSiloBuilder(new Dictionary<string, string?> { ["Actors:Storage:orders:Directory"] = "/data", [key] = value });
        builder.AddWriteAheadLog("orders");
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expectedInMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWriteAheadLog_InvalidOptions_FailAtStartNamingStoreAndSetting()
    {
        var builder = new TestSiloBuilder();
        builder.AddWriteAheadLog("orders", o => o.CheckpointEveryEvents = -5);
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("[orders] Directory is required.", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("[orders] CheckpointEveryEvents", StringComparison.Ordinal));
    }

    [Fact]
    public void AddWriteAheadLog_OptionsBuilderOverload_Configures()
    {
        var builder = new TestSiloBuilder();
        builder.AddWriteAheadLog("audit", (OptionsBuilder<WriteAheadLogStoreOptions> ob) => ob.Configure(o => o.Directory = "/audit"));
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("/audit", services.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get("audit").Directory);
    }

    [WriteAheadLog(EventHistory = EventHistoryPolicy.KeepLastVersions, HistoryVersions = 10)]
    private sealed class KeepsLastTen;

    [WriteAheadLog(EventHistory = EventHistoryPolicy.KeepFor, HistoryDuration = "7.00:00:00")]
    private sealed class KeepsAWeek;

    [WriteAheadLog(CheckpointEveryEvents = 5)]
    private sealed class ChoosesNothing;

    [WriteAheadLog(HistoryVersions = 10)]
    private sealed class VersionsWithoutPolicy;

    [WriteAheadLog(EventHistory = EventHistoryPolicy.KeepLastVersions)]
    private sealed class PolicyWithoutVersions;

    [WriteAheadLog(EventHistory = EventHistoryPolicy.KeepFor, HistoryDuration = "a week")]
    private sealed class DurationNotATimeSpan;

    [WriteAheadLog(EventHistory = EventHistoryPolicy.KeepAll, HistoryDuration = "7.00:00:00")]
    private sealed class DurationWithTheWrongPolicy;
}
