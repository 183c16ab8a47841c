using Actors.Runtime.Tests.Interleaving;

namespace Actors.Runtime.Tests.Grains;

public interface IExploredGrain : IGrainWithStringKey
{
    /// <summary>Counts the call, with interleaving points before and after an await inside the turn.</summary>
    Task<int> Work();
}

/// <summary>A non-reentrant grain for interleaving scenarios: records overlapping turns as violations.</summary>
public sealed class ExploredGrain : Grain, IExploredGrain
{
    private int _calls;
    private int _inside;

    public async Task<int> Work()
    {
        ExplorationRun? run = ModelThread.Current?.Run;
        run?.Check(++_inside == 1, $"two turns of {GrainId} overlapped");
        run?.Point("grain: before await");
        await Task.Yield();
        run?.Point("grain: after await");
        _inside--;
        return ++_calls;
    }
}
