using System.Runtime.CompilerServices;
using Actors.Runtime.Concurrency;

namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// Routes the runtime's <see cref="InterleavingPoints"/> to the explorer for model threads; every other thread (the
/// rest of this test assembly's silos) keeps the real primitives. Installed before the runtime is first used.
/// </summary>
internal sealed class ExplorerController : IInterleavingController
{
    private static readonly ExplorerController Instance = new();

    public bool ControlsCurrentThread => ModelThread.Current is not null;

    /// <summary>Fails loudly if the runtime read its controller before this assembly installed it.</summary>
    public static void EnsureInstalled()
    {
        if (!ReferenceEquals(AppContext.GetData(InterleavingPoints.ControllerKey), Instance))
        {
            throw new InvalidOperationException("The interleaving controller was not installed by the module initializer.");
        }
    }

    [ModuleInitializer]
    internal static void Install() => AppContext.SetData(InterleavingPoints.ControllerKey, Instance);

    public void Point(string label) => Run.Point(label);

    public void Enter(object gate) => Run.Enter(gate);

    public void Exit(object gate) => Run.Exit(gate);

    public void Dispatch(IThreadPoolWorkItem item) => Run.Spawn("pool item", item.Execute);

    private static ExplorationRun Run => ModelThread.Current!.Run;
}
