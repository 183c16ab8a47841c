using Actors.Runtime;

namespace Actors.Hosting.Tests.Model;

/// <summary>What a keyed grain reports about itself.</summary>
[GenerateSerializer]
public sealed record KeyReport(string GrainId, Guid Guid, long Integer, string? Extension, int Calls);

public interface IRegionGrain : IGrainWithGuidCompoundKey
{
    Task<KeyReport> Report();
}

public sealed class RegionGrain : Grain, IRegionGrain
{
    private int _calls;

    public Task<KeyReport> Report()
    {
        Guid guid = GetPrimaryKey(out string? extension);
        return Task.FromResult(new KeyReport(GrainId.ToString(), guid, 0, extension, ++_calls));
    }
}

public interface IShardGrain : IGrainWithIntegerCompoundKey
{
    Task<KeyReport> Report();
}

/// <summary>An internal POCO grain.</summary>
internal sealed class ShardGrain(IGrainContext context) : IGrainBase, IShardGrain
{
    private int _calls;

    public IGrainContext GrainContext { get; } = context;

    public Task<KeyReport> Report()
    {
        long key = this.GetPrimaryKeyLong(out string? extension);
        return Task.FromResult(new KeyReport(GrainContext.GrainId.ToString(), Guid.Empty, key, extension, ++_calls));
    }
}

/// <summary>Records startup tasks in the order they ran (one instance per test).</summary>
public sealed class StartupLog
{
    public List<string> Entries { get; } = [];
}

public interface IStartupCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
}

public sealed class StartupCounterGrain : Grain, IStartupCounterGrain
{
    private int _count;

    public Task<int> Increment() => Task.FromResult(++_count);
}

/// <summary>A startup task that calls a grain: the silo is active when it runs.</summary>
public sealed class WarmUpTask(IGrainFactory grains, StartupLog log) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        int count = await grains.GetGrain<IStartupCounterGrain>("warm").Increment();
        log.Entries.Add($"warm-up:{count}");
    }
}
