namespace Actors.Runtime.Tests.Interleaving;

/// <summary>Unwinds the model threads of an execution the explorer abandoned (a violation was already recorded).</summary>
internal sealed class ExplorationAbortedException : Exception
{
    public ExplorationAbortedException()
        : base("The explored execution was abandoned.")
    {
    }
}
